package orders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/blob"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/photo"
)

// MaxPhotosPerUpload bounds the files of one upload request.
const MaxPhotosPerUpload = MaxPhotosPerEvent

// uploadTimeout is how long one upload request may take to arrive.
const uploadTimeout = 10 * time.Minute

// UploadedPhoto is one photo in the upload handler's answer.
type UploadedPhoto struct {
	ID          string `json:"id"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	ContentType string `json:"contentType"`
	ThumbURL    string `json:"thumbUrl"`
	URL         string `json:"url"`
}

// UploadHandler serves POST /api/orders/{id}/photos for the WORKSHOP: a multipart/form-data
// body with one or more files in fields named "photo". The answer is 201 with
// {"photos": [{id, width, height, contentType, thumbUrl, url}]}; a refusal is
// {"errors": [{"message", "extensions": {"code", "field"}}]}, the codes of the GraphQL API, and
// nothing is stored. The ids go to postOrderUpdate (or advanceOrder) as photoIds.
// authenticate turns the bearer token into the request's viewer (auth.Authenticator.Context).
func UploadHandler(s *Service, authenticate func(context.Context, string) (context.Context, error),
	logger *slog.Logger,
) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, err := authenticate(r.Context(), bearer(r.Header.Get("Authorization")))
		if err == nil {
			_, err = auth.RequireRole(ctx, stafftoken.RoleWorkshop)
		}
		if err != nil {
			writeFault(w, logger, err)
			return
		}
		id, err := strconv.Atoi(r.PathValue("id"))
		if err != nil || id <= 0 {
			writeFault(w, logger, fault.New(fault.NotFound, "no order %q", r.PathValue("id")))
			return
		}
		if _, err := s.Get(ctx, id); err != nil {
			writeFault(w, logger, err)
			return
		}
		// A photo from a phone on a slow line takes longer than the server's read timeout, made
		// for ordinary requests: this request, from authenticated staff, gets more time.
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Now().Add(uploadTimeout))
		_ = rc.SetWriteDeadline(time.Now().Add(uploadTimeout + time.Minute))
		lim := s.PhotoLimits()
		// A body that cannot hold only photos within the limit is refused before it is read.
		maxBody := int64(MaxPhotosPerUpload)*lim.MaxBytes + 1<<20
		if r.ContentLength > maxBody {
			writeFault(w, logger, photo.TooLarge(r.ContentLength, lim.MaxBytes))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		mr, err := r.MultipartReader()
		if err != nil {
			writeFault(w, logger, fault.BadInput("photo", "send the photos as multipart/form-data "+
				"in fields named photo"))
			return
		}
		v := auth.FromContext(ctx)
		var out []UploadedPhoto
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				writeFault(w, logger, fault.BadInput("photo", "the upload was cut off or is not "+
					"valid multipart/form-data"))
				return
			}
			if part.FormName() != "photo" || part.FileName() == "" {
				_ = part.Close()
				continue
			}
			if len(out) == MaxPhotosPerUpload {
				writeFault(w, logger, fault.BadInput("photo", "at most %d photos per upload",
					MaxPhotosPerUpload))
				return
			}
			data, err := readPart(part, lim.MaxBytes)
			if err != nil {
				writeFault(w, logger, err)
				return
			}
			p, err := s.UploadPhoto(ctx, id, data, part.FileName(), v.Actor())
			if err != nil {
				writeFault(w, logger, err)
				return
			}
			out = append(out, UploadedPhoto{
				ID: strconv.Itoa(p.ID), Width: p.Width, Height: p.Height, ContentType: p.ContentType,
				ThumbURL: s.PhotoURL(p, photo.Thumb), URL: s.PhotoURL(p, photo.Display),
			})
		}
		if len(out) == 0 {
			writeFault(w, logger, fault.BadInput("photo", "no file in a field named photo"))
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"photos": out})
	})
}

// readPart reads a file part of at most limit bytes.
func readPart(part *multipart.Part, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(part, limit+1))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, photo.TooLarge(tooBig.Limit, limit)
		}
		return nil, fault.BadInput("photo", "the upload was cut off")
	}
	if int64(len(data)) > limit {
		// The rest is not read: how much more there is does not matter.
		return nil, photo.TooLarge(int64(len(data)), limit)
	}
	return data, nil
}

// ServeHandler serves GET /photos/{key...}: the photo file under key when the URL's signature
// is valid and not expired (403 otherwise, the same for every refusal), with its content type
// and a private cache lifetime that ends when the URL does.
func ServeHandler(s *Service, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.photos == nil {
			http.NotFound(w, r)
			return
		}
		key := r.PathValue("key")
		exp, err := s.photos.Signer.Verify(key, r.URL.Query(), s.now())
		if err != nil {
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, photo.ErrSignature.Error(), http.StatusForbidden)
			return
		}
		f, err := s.photos.Store.Get(r.Context(), key)
		if errors.Is(err, blob.ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			logger.ErrorContext(r.Context(), "reading photo", "key", key, "err", err)
			http.Error(w, "the photo cannot be read right now", http.StatusServiceUnavailable)
			return
		}
		defer f.Close()
		h := w.Header()
		h.Set("Content-Type", photo.ContentTypeOf(key))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		maxAge := int(exp.Sub(s.now()).Seconds())
		// The file behind a key never changes: cache it as long as the URL lives, privately
		// (the URL is the customer's).
		h.Set("Cache-Control", fmt.Sprintf("private, max-age=%d, immutable", max(maxAge, 0)))
		if _, err := io.Copy(w, f); err != nil {
			logger.DebugContext(r.Context(), "sending photo", "key", key, "err", err)
		}
	})
}

// bearer extracts the token of an `Authorization: Bearer …` value.
func bearer(header string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// httpStatus maps fault codes to HTTP statuses.
var httpStatus = map[fault.Code]int{
	fault.BadUserInput:    http.StatusBadRequest,
	fault.NotFound:        http.StatusNotFound,
	fault.Unauthenticated: http.StatusUnauthorized,
	fault.Forbidden:       http.StatusForbidden,
	fault.Conflict:        http.StatusConflict,
	fault.Unavailable:     http.StatusServiceUnavailable,
	fault.RateLimited:     http.StatusTooManyRequests,
}

// writeFault answers err as the GraphQL API would show it: a fault's message and code, or
// "internal error" (logged) for anything else. A photo over the size limit is 413.
func writeFault(w http.ResponseWriter, logger *slog.Logger, err error) {
	fe, ok := fault.As(err)
	if !ok {
		if ent.IsNotFound(err) {
			fe = fault.New(fault.NotFound, "not found")
		} else {
			logger.Error("photo upload", "err", err)
			fe = fault.New("INTERNAL", "internal error")
		}
	}
	status, known := httpStatus[fe.Code]
	if !known {
		status = http.StatusInternalServerError
	}
	if _, tooBig := fe.Extensions["maxBytes"]; tooBig {
		status = http.StatusRequestEntityTooLarge
	}
	ext := map[string]any{"code": fe.Code}
	if fe.Field != "" {
		ext["field"] = fe.Field
	}
	for k, v := range fe.Extensions {
		ext[k] = v
	}
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{"message": fe.Msg, "extensions": ext}}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
