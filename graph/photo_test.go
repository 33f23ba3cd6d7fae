package graph_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/photo"
	"github.com/atelier/atelier/server/photo/phototest"
	"github.com/atelier/atelier/server/testutil"
)

// photoSecret signs the photo URLs of startPhotoStack's instance; the test mints URLs with it
// too, to try expired ones.
var photoSecret = bytes.Repeat([]byte("k"), 32)

// startPhotoStack is an instance keeping photos in a real S3-compatible server (versitygw).
func startPhotoStack(t *testing.T) *stack {
	t.Helper()
	b := newBacking(t)
	s3 := testutil.StartS3(t)
	env := s3.Env()
	env["DATABASE_URL"], env["REDIS_URL"] = b.DatabaseURL, b.Redis.URL
	env["BLOB_URL"] = s3.BlobURL("atelier-photos")
	env["PHOTO_URL_SECRET"] = base64.StdEncoding.EncodeToString(photoSecret)
	return &stack{testutil.StartApp(t, testutil.AppOptions{
		Env: env, Flags: []string{"-redis-prefix", b.Redis.Prefix},
	})}
}

// uploadAnswer is the upload endpoint's JSON.
type uploadAnswer struct {
	Photos []struct {
		ID            string
		Width, Height int
		ContentType   string
		ThumbURL, URL string
	}
	Errors []gqlError
}

// upload posts files (name → bytes) to order orderID's photos with token; it returns the
// status and the answer.
func upload(t *testing.T, s *stack, token, orderID string, files ...any) (int, uploadAnswer) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(files); i += 2 {
		fw, err := mw.CreateFormFile("photo", files[i].(string))
		require.NoError(t, err)
		_, err = fw.Write(files[i+1].([]byte))
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, s.URL+"/api/orders/"+orderID+"/photos", &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out uploadAnswer
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

// fetch GETs a photo URL (relative to s) and returns the status, content type and body.
func fetch(t *testing.T, s *stack, raw string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Get(s.URL + raw)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, data
}

const postUpdate = `mutation($in: PostOrderUpdateInput!) { postOrderUpdate(input: $in) {
  event { seq kind status note photos { id width height contentType thumb: url(size: THUMB) url } } } }`

type eventPhotos struct {
	Seq          int
	Kind, Status string
	Note         string
	Photos       []struct {
		ID            string
		Width, Height int
		ContentType   string
		Thumb, URL    string
	}
}

func TestPhotosPostedToTheTimelineReachOnlyTheOrdersCustomer(t *testing.T) {
	t.Parallel()
	s := startPhotoStack(t)
	workshop := staffToken(t, s, stafftoken.RoleWorkshop)
	designer := staffToken(t, s, stafftoken.RoleDesigner)
	a := place(t, s, completeConfiguration(t, s, "heritage-sport", 21), "photos-key-a-001")
	b := place(t, s, completeConfiguration(t, s, "heritage-sport", 22), "photos-key-b-001")

	// A phone photo: 1200×900, EXIF orientation 6 (turn it upright) and a GPS position.
	phone := phototest.WithEXIF(t, phototest.JPEG(t, phototest.Gradient(1200, 900)), 6)
	require.Contains(t, string(phone), "Exif")

	t.Run("only the workshop uploads", func(t *testing.T) {
		for _, tc := range []struct {
			token, code string
			status      int
		}{
			{"", "UNAUTHENTICATED", http.StatusUnauthorized},
			{"atl_staff_forged", "UNAUTHENTICATED", http.StatusUnauthorized},
			{a.OrderToken, "FORBIDDEN", http.StatusForbidden},
			{designer, "FORBIDDEN", http.StatusForbidden},
		} {
			status, out := upload(t, s, tc.token, a.Order.ID, "p.jpg", phone)
			assert.Equal(t, tc.status, status)
			require.Len(t, out.Errors, 1)
			assert.Equal(t, tc.code, out.Errors[0].Extensions["code"])
		}
		status, out := upload(t, s, workshop, "999999", "p.jpg", phone)
		assert.Equal(t, http.StatusNotFound, status)
		assert.Equal(t, "NOT_FOUND", out.Errors[0].Extensions["code"])
	})

	t.Run("bad files are refused with clear errors", func(t *testing.T) {
		png := phototest.PNG(t, phototest.Gradient(64, 64))
		script := append(append([]byte{}, png...), "<script>alert(1)</script>"...)
		for _, tc := range []struct {
			name   string
			data   []byte
			status int
			msg    string
		}{
			{"big.jpg", bytes.Repeat([]byte{0xFF}, 20<<20), http.StatusRequestEntityTooLarge,
				"the file is over 10 MB; photos up to 10 MB are accepted"},
			{"photo.jpg", script, http.StatusBadRequest,
				"the file is named .jpg but its content is a PNG image"},
			{"photo.png", script, http.StatusBadRequest, "the file carries markup (<script)"},
			{"bomb.png", phototest.Bomb(100000, 100000), http.StatusBadRequest,
				"the image declares 100000×100000 pixels"},
			{"page.jpg", []byte("<html><body>hello</body></html>"), http.StatusBadRequest,
				"the file is not a JPEG, PNG or WebP image (its content is text/html)"},
		} {
			status, out := upload(t, s, workshop, a.Order.ID, tc.name, tc.data)
			assert.Equal(t, tc.status, status, tc.name)
			require.Len(t, out.Errors, 1, tc.name)
			assert.Equal(t, "BAD_USER_INPUT", out.Errors[0].Extensions["code"], tc.name)
			assert.Equal(t, "photo", out.Errors[0].Extensions["field"], tc.name)
			assert.Contains(t, out.Errors[0].Message, tc.msg, tc.name)
		}
		n, err := s.App.DB.Client.Photo.Query().Count(systemCtx())
		require.NoError(t, err)
		assert.Zero(t, n, "nothing stored")
	})

	// The customer follows the timeline live.
	ws := s.ws(t, map[string]any{"authorization": "Bearer " + a.OrderToken})
	ws.Subscribe("1", `subscription($id: ID!) { orderEvents(orderId: $id, after: 1) {
	  seq kind note photos { id thumb: url(size: THUMB) url } } }`, vars("id", a.Order.ID))

	status, up := upload(t, s, workshop, a.Order.ID, "IMG_0001.JPG", phone)
	require.Equal(t, http.StatusCreated, status, "errors: %v", up.Errors)
	require.Len(t, up.Photos, 1)
	assert.Equal(t, []int{900, 1200}, []int{up.Photos[0].Width, up.Photos[0].Height}, "upright")
	photoID := up.Photos[0].ID

	var posted struct{ PostOrderUpdate struct{ Event eventPhotos } }
	s.must(t, postUpdate, vars("in", map[string]any{
		"orderId": a.Order.ID, "note": "Leather cut and stitched.", "photoIds": []string{photoID},
	}), &posted, bearer(workshop)...)
	ev := posted.PostOrderUpdate.Event
	assert.Equal(t, 2, ev.Seq)
	assert.Equal(t, "UPDATE", ev.Kind)
	assert.Equal(t, "PLACED", ev.Status, "the status does not change")
	require.Len(t, ev.Photos, 1)
	assert.Equal(t, photoID, ev.Photos[0].ID)

	var live struct {
		OrderEvents struct {
			Seq    int
			Kind   string
			Note   string
			Photos []struct{ ID, Thumb, URL string }
		}
	}
	ws.nextData("1", &live)
	assert.Equal(t, 2, live.OrderEvents.Seq)
	assert.Equal(t, "UPDATE", live.OrderEvents.Kind)
	require.Len(t, live.OrderEvents.Photos, 1, "the photo arrives with the event")
	got := live.OrderEvents.Photos[0]

	t.Run("what is served has no EXIF and no GPS", func(t *testing.T) {
		for _, raw := range []string{got.URL, got.Thumb} {
			status, h, data := fetch(t, s, raw)
			require.Equal(t, http.StatusOK, status, raw)
			assert.Equal(t, "image/jpeg", h.Get("Content-Type"))
			assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
			assert.Contains(t, h.Get("Cache-Control"), "private, max-age=")
			assert.NotContains(t, string(data), "Exif")
			assert.False(t, bytes.Contains(data, []byte{0xFF, 0xE1}), "no APP1 (EXIF) segment")
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
			require.NoError(t, err)
			assert.Less(t, cfg.Width, cfg.Height, "portrait, as the phone was held")
		}
	})

	t.Run("forged and expired URLs are refused", func(t *testing.T) {
		u, err := url.Parse(got.URL)
		require.NoError(t, err)
		key := strings.TrimPrefix(u.Path, "/photos/")
		q := u.Query()
		forged := url.Values{"exp": q["exp"], "sig": {strings.Repeat("A", 43)}}
		later := url.Values{"exp": {"4102444800"}, "sig": q["sig"]}
		other := strings.Replace(u.Path, "-display.", "-thumb.", 1) + "?" + q.Encode()
		signer := photo.Signer{Key: photoSecret, TTL: time.Hour, Base: "/photos/"}
		for name, raw := range map[string]string{
			"forged signature": u.Path + "?" + forged.Encode(),
			"expiry moved":     u.Path + "?" + later.Encode(),
			"another size":     other,
			"no signature":     u.Path,
			"expired":          signer.URL(key, time.Now().Add(-3*time.Hour)),
		} {
			status, h, _ := fetch(t, s, raw)
			assert.Equal(t, http.StatusForbidden, status, name)
			assert.Equal(t, "no-store", h.Get("Cache-Control"), name)
		}
		status, _, _ := fetch(t, s, signer.URL(key, time.Now()))
		assert.Equal(t, http.StatusOK, status, "a fresh URL signed with the same key works")
	})

	t.Run("another customer's token reads neither the photos nor their URLs", func(t *testing.T) {
		e := s.fail(t, `query($id: ID!) { order(id: $id) { events { photos { url } } } }`,
			vars("id", a.Order.ID), bearer(b.OrderToken)...)
		assert.Equal(t, "FORBIDDEN", e.Extensions["code"])
		e = s.fail(t, `query($id: ID!) { node(id: $id) { ... on Photo { url } } }`,
			vars("id", photoID), bearer(b.OrderToken)...)
		assert.Equal(t, "NOT_FOUND", e.Extensions["code"], "the photo does not exist for them")
		e = s.fail(t, `query($id: ID!) { node(id: $id) { ... on Photo { url } } }`, vars("id", photoID))
		assert.Equal(t, "NOT_FOUND", e.Extensions["code"], "nor for anonymous callers")
		var own struct {
			Order struct {
				Events []struct{ Photos []struct{ ID string } }
			}
		}
		s.must(t, `query($id: ID!) { order(id: $id) { events { photos { id } } } }`,
			vars("id", b.Order.ID), &own, bearer(b.OrderToken)...)
		for _, ev := range own.Order.Events {
			assert.Empty(t, ev.Photos)
		}
		e = s.fail(t, postUpdate, vars("in", map[string]any{"orderId": b.Order.ID, "note": "hi"}),
			bearer(b.OrderToken)...)
		assert.Equal(t, "FORBIDDEN", e.Extensions["code"])

		// The order's own customer reads them.
		var mine struct {
			Order struct {
				Events []struct {
					Kind   string
					Photos []struct{ ID, URL string }
				}
			}
		}
		s.must(t, `query($id: ID!) { order(id: $id) { events { kind photos { id url } } } }`,
			vars("id", a.Order.ID), &mine, bearer(a.OrderToken)...)
		require.Len(t, mine.Order.Events, 2)
		require.Len(t, mine.Order.Events[1].Photos, 1)
		status, _, _ := fetch(t, s, mine.Order.Events[1].Photos[0].URL)
		assert.Equal(t, http.StatusOK, status)
	})

	t.Run("photos are posted once, to their own order", func(t *testing.T) {
		e := s.fail(t, postUpdate, vars("in", map[string]any{
			"orderId": a.Order.ID, "photoIds": []string{photoID},
		}), bearer(workshop)...)
		assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
		assert.Contains(t, e.Message, "is not an unposted photo of this order")

		status, up := upload(t, s, workshop, a.Order.ID, "second.png", phototest.PNG(t, phototest.Gradient(300, 200)))
		require.Equal(t, http.StatusCreated, status)
		e = s.fail(t, postUpdate, vars("in", map[string]any{
			"orderId": b.Order.ID, "photoIds": []string{up.Photos[0].ID},
		}), bearer(workshop)...)
		assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
		e = s.fail(t, postUpdate, vars("in", map[string]any{"orderId": a.Order.ID, "note": "  "}),
			bearer(workshop)...)
		assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
		assert.Contains(t, e.Message, "an update needs a note or at least one photo")

		// A build step carries photos too (the deposit confirms the order).
		pay(t, s, workshop, a.Order.ID, a.Order.DepositDue.Amount)
		var adv struct {
			AdvanceOrder struct {
				Event struct{ Photos []struct{ ID string } }
			}
		}
		s.must(t, `mutation($in: AdvanceOrderInput!) { advanceOrder(input: $in) { event { photos { id } } } }`,
			vars("in", map[string]any{"orderId": a.Order.ID, "to": "MATERIALS",
				"photoIds": []string{up.Photos[0].ID}}), &adv, bearer(workshop)...)
		require.Len(t, adv.AdvanceOrder.Event.Photos, 1)
		assert.Equal(t, up.Photos[0].ID, adv.AdvanceOrder.Event.Photos[0].ID)
	})
}
