package photo_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/photo"
	"github.com/atelier/atelier/server/photo/phototest"
)

// refusal asserts err is a BAD_USER_INPUT on photo whose message contains want.
func refusal(t *testing.T, err error, want string) {
	t.Helper()
	require.Error(t, err)
	fe, ok := fault.As(err)
	require.True(t, ok, "a fault error: %v", err)
	assert.Equal(t, fault.BadUserInput, fe.Code)
	assert.Equal(t, "photo", fe.Field)
	assert.Contains(t, fe.Msg, want)
}

func TestProcessStripsEXIFAndTurnsUpright(t *testing.T) {
	src := phototest.WithEXIF(t, phototest.JPEG(t, phototest.Gradient(200, 100)), 6) // 6: turn 90° clockwise
	require.Contains(t, string(src), "Exif")
	res, err := photo.Process(src, "IMG_0001.JPG", photo.DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, "jpeg", res.Format)
	assert.Equal(t, []int{100, 200}, []int{res.Width, res.Height}, "portrait once upright")
	require.Len(t, res.Variants, 2)
	for _, v := range res.Variants {
		assert.Equal(t, "image/jpeg", v.ContentType)
		assert.NotContains(t, string(v.Data), "Exif", "%s keeps no EXIF", v.Size)
		assert.False(t, bytes.Contains(v.Data, []byte{0xFF, 0xE1}), "%s has no APP1 segment", v.Size)
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(v.Data))
		require.NoError(t, err)
		assert.Equal(t, []int{v.Width, v.Height}, []int{cfg.Width, cfg.Height})
	}
}

func TestProcessResizesToDisplaySizes(t *testing.T) {
	res, err := photo.Process(phototest.JPEG(t, phototest.Gradient(2400, 1800)), "", photo.DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, photo.Thumb, res.Variants[0].Size)
	assert.Equal(t, []int{480, 360}, []int{res.Variants[0].Width, res.Variants[0].Height})
	assert.Equal(t, photo.Display, res.Variants[1].Size)
	assert.Equal(t, []int{1600, 1200}, []int{res.Variants[1].Width, res.Variants[1].Height})

	small, err := photo.Process(phototest.PNG(t, phototest.Gradient(300, 200)), "small.png", photo.DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, []int{300, 200}, []int{small.Variants[1].Width, small.Variants[1].Height},
		"never enlarged")
	assert.Equal(t, "image/jpeg", small.Variants[1].ContentType, "an opaque PNG is served as JPEG")
}

func TestProcessKeepsTransparencyAsPNG(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
	img.Set(1, 1, color.NRGBA{255, 0, 0, 128})
	res, err := photo.Process(phototest.PNG(t, img), "cut-out.png", photo.DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, "image/png", res.Variants[0].ContentType)
	assert.Equal(t, ".png", res.Variants[0].Ext())
}

func TestProcessRefuses(t *testing.T) {
	pic := phototest.PNG(t, phototest.Gradient(64, 64))
	script := append(append([]byte{}, pic...), "<script>alert(document.cookie)</script>"...)
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"20 MB", "big.jpg", make([]byte, 20<<20), "the file is 20 MB; photos up to 10 MB are accepted"},
		{"PNG named .jpg with a script", "photo.jpg", script, "named .jpg but its content is a PNG image"},
		{"script appended to a PNG", "photo.png", script, "carries markup (<script)"},
		{"decompression bomb", "bomb.png", phototest.Bomb(100000, 100000),
			"declares 100000×100000 pixels; at most 12000 px a side and 50 megapixels"},
		{"too many pixels", "wide.png", phototest.Bomb(10000, 10000), "declares 10000×10000 pixels"},
		{"not an image", "notes.jpg", []byte("just some text, not a photo"),
			"not a JPEG, PNG or WebP image (its content is text/plain)"},
		{"an SVG", "logo.svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`),
			"not a JPEG, PNG or WebP image"},
		{"a GIF", "anim.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "its content is image/gif"},
		{"damaged", "cut.png", pic[:60], "cannot be read: the file is damaged"},
		{"empty", "empty.jpg", nil, "the file is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := photo.Process(tc.data, tc.file, photo.DefaultLimits)
			refusal(t, err, tc.want)
		})
	}
}

func TestSigner(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 1, 0, 0, time.UTC)
	s := photo.Signer{Key: []byte("k1"), TTL: time.Hour, Base: "/photos/"}
	key := "orders/7/abc-display.jpg"
	raw := s.URL(key, now)
	require.True(t, strings.HasPrefix(raw, "/photos/orders/7/abc-display.jpg?"))
	assert.Equal(t, raw, s.URL(key, now.Add(time.Minute)), "stable within the rounding window")
	u, err := url.Parse(raw)
	require.NoError(t, err)
	q := u.Query()
	exp, err := s.Verify(key, q, now)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, exp.Sub(now), time.Hour)

	_, err = s.Verify(key, q, exp)
	assert.ErrorIs(t, err, photo.ErrSignature, "expired")
	_, err = s.Verify("orders/8/abc-display.jpg", q, now)
	assert.ErrorIs(t, err, photo.ErrSignature, "another key")
	_, err = photo.Signer{Key: []byte("k2")}.Verify(key, q, now)
	assert.ErrorIs(t, err, photo.ErrSignature, "another signing key")
	later := url.Values{"exp": {"99999999999"}, "sig": q["sig"]}
	_, err = s.Verify(key, later, now)
	assert.ErrorIs(t, err, photo.ErrSignature, "expiry moved")
	_, err = s.Verify(key, url.Values{"exp": q["exp"]}, now)
	assert.ErrorIs(t, err, photo.ErrSignature, "no signature")
}

// webpPixel is a 1×1 lossless WebP, written out byte by byte (Go has no WebP encoder).
const webpPixel = "RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"

func TestProcessReadsWebP(t *testing.T) {
	res, err := photo.Process([]byte(webpPixel), "pixel.webp", photo.DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, "webp", res.Format)
	assert.Equal(t, []int{1, 1}, []int{res.Width, res.Height})
	assert.Contains(t, []string{"image/jpeg", "image/png"}, res.Variants[1].ContentType)

	_, err = photo.Process([]byte(webpPixel), "pixel.png", photo.DefaultLimits)
	refusal(t, err, "named .png but its content is a WEBP image")
}
