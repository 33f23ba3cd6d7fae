package orders

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/orderevent"
	entphoto "github.com/atelier/atelier/ent/photo"
	"github.com/atelier/atelier/server/blob"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/photo"
)

// Photos is where the photos of orders are kept and how their URLs are signed.
type Photos struct {
	// Store keeps the files.
	Store blob.Store
	// Limits bound what is accepted.
	Limits photo.Limits
	// Signer mints and checks the URLs photos are served through.
	Signer photo.Signer
}

// WithPhotos keeps the photos of orders in p (default: none can be uploaded).
func WithPhotos(p *Photos) Option {
	return func(s *Service) { s.photos = p }
}

// MaxPhotosPerEvent bounds the photos one timeline event carries.
const MaxPhotosPerEvent = 12

// PhotoKey returns the blob key of photo p at size.
func PhotoKey(p *ent.Photo, size photo.Size) string {
	return p.Key + "-" + string(size) + photo.Ext(p.ContentType)
}

// PhotoURL returns a signed, expiring URL of p at size. Callers mint URLs only for photos the
// viewer may read: the ent read policy decides which photos they hold.
func (s *Service) PhotoURL(p *ent.Photo, size photo.Size) string {
	if s.photos == nil {
		return ""
	}
	return s.photos.Signer.URL(PhotoKey(p, size), s.now())
}

// PhotoLimits are the limits uploads are checked against.
func (s *Service) PhotoLimits() photo.Limits {
	if s.photos == nil {
		return photo.DefaultLimits
	}
	return s.photos.Limits
}

// UploadPhoto checks data (a file named name), stores its display sizes and records the photo
// against order orderID, not yet on the timeline: PostUpdate (or Advance, or AttachPhotos)
// posts it. ctx's viewer must be allowed to read the order.
func (s *Service) UploadPhoto(ctx context.Context, orderID int, data []byte, name, actor string) (*ent.Photo, error) {
	if s.photos == nil {
		return nil, fault.New(fault.Unavailable, "photo storage is not configured")
	}
	if _, err := s.Get(ctx, orderID); err != nil {
		return nil, err
	}
	res, err := photo.Process(data, name, s.photos.Limits)
	if err != nil {
		return nil, err
	}
	var rnd [16]byte
	_, _ = rand.Read(rnd[:])
	key := fmt.Sprintf("orders/%d/%s", orderID, hex.EncodeToString(rnd[:]))
	var (
		stored []string
		total  int
	)
	cleanup := func() {
		// Best effort: a file left behind is unreachable (no row names it, its key is random).
		for _, k := range stored {
			_ = s.photos.Store.Delete(context.WithoutCancel(ctx), k)
		}
	}
	for _, v := range res.Variants {
		k := key + "-" + string(v.Size) + v.Ext()
		if err := s.photos.Store.Put(ctx, k, v.Data, v.ContentType); err != nil {
			cleanup()
			return nil, fault.Wrap(fault.Unavailable, err, "the photo could not be stored; try again")
		}
		stored = append(stored, k)
		total += len(v.Data)
	}
	thumb, display := res.Variants[0], res.Variants[len(res.Variants)-1]
	p, err := s.client.Photo.Create().
		SetOrderID(orderID).
		SetKey(key).
		SetContentType(display.ContentType).
		SetWidth(display.Width).SetHeight(display.Height).
		SetThumbWidth(thumb.Width).SetThumbHeight(thumb.Height).
		SetBytes(total).
		SetActor(actor).
		SetCreatedAt(s.now()).
		Save(ctx)
	if err != nil {
		cleanup()
		return nil, fmt.Errorf("recording photo: %w", err)
	}
	s.sweepUnposted(ctx, orderID)
	return p, nil
}

// UnpostedLifetime is how long an uploaded photo waits to be posted before it is deleted (the
// workshop chose it and then removed it, or never posted the update).
const UnpostedLifetime = 24 * time.Hour

// sweepUnposted deletes the order's photos uploaded more than UnpostedLifetime ago and never
// posted, files and rows. Best effort, on each upload: what it misses goes on the next one.
func (s *Service) sweepUnposted(ctx context.Context, orderID int) {
	stale, err := s.client.Photo.Query().
		Where(entphoto.HasOrderWith(order.ID(orderID)), entphoto.Not(entphoto.HasEvent()),
			entphoto.CreatedAtLT(s.now().Add(-UnpostedLifetime))).
		All(ctx)
	if err != nil {
		return
	}
	for _, p := range stale {
		// The row goes first: a photo whose row is gone can no longer be posted, so its files
		// are unreachable whatever happens next.
		n, err := s.client.Photo.Delete().
			Where(entphoto.ID(p.ID), entphoto.Not(entphoto.HasEvent())).Exec(ctx)
		if err != nil || n == 0 {
			continue
		}
		for _, size := range photo.Sizes {
			_ = s.photos.Store.Delete(ctx, PhotoKey(p, size.Size))
		}
	}
}

// AttachPhotos puts photos ids of order orderID on its timeline event eventID, through tx (the
// transaction that records the event). Each photo must belong to the order and be on no event
// yet; otherwise nothing is attached and the error is BAD_USER_INPUT on photoIds.
func AttachPhotos(ctx context.Context, tx *ent.Client, orderID, eventID int, ids []int) error {
	if len(ids) == 0 {
		return nil
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) > MaxPhotosPerEvent {
		return fault.BadInput("photoIds", "an update carries at most %d photos", MaxPhotosPerEvent)
	}
	found, err := tx.Photo.Query().
		Where(entphoto.IDIn(ids...), entphoto.HasOrderWith(order.ID(orderID)),
			entphoto.Not(entphoto.HasEvent())).
		IDs(ctx)
	if err != nil {
		return fmt.Errorf("reading photos: %w", err)
	}
	if len(found) != len(ids) {
		missing := []string{}
		for _, id := range ids {
			if !slices.Contains(found, id) {
				missing = append(missing, fmt.Sprint(id))
			}
		}
		return fault.BadInput("photoIds", "photo %s is not an unposted photo of this order: "+
			"upload it to this order first", strings.Join(missing, ", ")).With("photoIds", missing)
	}
	n, err := tx.Photo.Update().
		Where(entphoto.IDIn(ids...), entphoto.Not(entphoto.HasEvent())).
		SetEventID(eventID).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("attaching photos: %w", err)
	}
	if n != len(ids) {
		return fault.New(fault.Conflict, "a photo was posted meanwhile: reload and try again")
	}
	return nil
}

// UpdateInput is news the workshop posts to an order's timeline.
type UpdateInput struct {
	OrderID  int
	Note     string
	PhotoIDs []int
}

// PostUpdate records an UPDATE event on the order's timeline, carrying a note and photos
// uploaded before; the status does not change. The event is published after the commit, as
// every other event, so the customer's page shows it live.
func (s *Service) PostUpdate(ctx context.Context, in UpdateInput, actor string) (*ent.Order, *ent.OrderEvent, error) {
	in.Note = strings.TrimSpace(in.Note)
	if !printable(strings.ReplaceAll(in.Note, "\n", " ")) {
		return nil, nil, fault.BadInput("note", "the note must not contain control characters")
	}
	if utf8.RuneCountInString(in.Note) > 1000 {
		return nil, nil, fault.BadInput("note", "the note is limited to 1000 characters")
	}
	if in.Note == "" && len(in.PhotoIDs) == 0 {
		return nil, nil, fault.BadInput("note", "an update needs a note or at least one photo")
	}
	if err := checkPhotoCount(in.PhotoIDs); err != nil {
		return nil, nil, err
	}
	return s.step(ctx, in.OrderID, in.PhotoIDs, func(ctx context.Context, tx *ent.Client, _ *sql.Tx, cur *ent.Order) (*ent.OrderEventCreate, error) {
		return tx.OrderEvent.Create().SetStatus(orderevent.Status(cur.Status)).
			SetKind(orderevent.KindUpdate).SetNote(in.Note).SetActor(actor), nil
	})
}

func checkPhotoCount(ids []int) error {
	if len(ids) > MaxPhotosPerEvent {
		return fault.BadInput("photoIds", "an update carries at most %d photos", MaxPhotosPerEvent)
	}
	return nil
}
