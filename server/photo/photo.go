// Package photo checks and prepares the photos the workshop posts to an order's timeline: it
// tells the format by the content (never the name), refuses what is not a JPEG, PNG or WebP
// image, refuses decompression bombs before decoding them, and re-encodes each photo at display
// sizes. Re-encoding keeps only the pixels: EXIF (GPS position, camera serial), comments and
// anything appended to the file are gone from what is stored and served. It also signs and
// verifies the expiring URLs photos are served through. No I/O: bytes in, bytes out.
package photo

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"path"
	"strings"

	"golang.org/x/image/draw"
	// WebP decoding registers itself with image.Decode.
	_ "golang.org/x/image/webp"

	"github.com/atelier/atelier/server/fault"
)

// Limits bound what Process accepts.
type Limits struct {
	// MaxBytes is the largest file accepted.
	MaxBytes int64
	// MaxPixels is the most pixels (width × height) an image may declare: decoding allocates
	// about 4 bytes per pixel, so this bounds the memory one upload can take.
	MaxPixels int64
	// MaxSide is the longest side an image may declare, in pixels.
	MaxSide int
}

// DefaultLimits accept a 10 MB file of up to 50 megapixels, 12,000 px a side: more than any
// phone camera gives, far less than a decompression bomb declares.
var DefaultLimits = Limits{MaxBytes: 10 << 20, MaxPixels: 50_000_000, MaxSide: 12_000}

// Size names a display size.
type Size string

// The sizes each photo is stored at.
const (
	// Thumb is the timeline thumbnail: 480 px on the long edge.
	Thumb Size = "thumb"
	// Display is the viewer's size: 1600 px on the long edge.
	Display Size = "display"
)

// Sizes lists every size, smallest first, with its long edge in pixels.
var Sizes = []struct {
	Size     Size
	LongEdge int
}{{Thumb, 480}, {Display, 1600}}

// Variant is one stored size of a photo.
type Variant struct {
	Size          Size
	Width, Height int
	// ContentType is image/jpeg, or image/png for an image with transparency.
	ContentType string
	Data        []byte
}

// Ext is the file extension of v's format, with its dot.
func (v Variant) Ext() string { return Ext(v.ContentType) }

// Ext is the file extension of content type ct (.jpg or .png).
func Ext(ct string) string {
	if ct == "image/png" {
		return ".png"
	}
	return ".jpg"
}

// ContentTypeOf is the content type of a stored file named name (by the extension Ext gave it).
func ContentTypeOf(name string) string {
	if path.Ext(name) == ".png" {
		return "image/png"
	}
	return "image/jpeg"
}

// Result is a photo ready to store.
type Result struct {
	// Format is the format received: jpeg, png or webp.
	Format string
	// Width and Height are the received image's, upright.
	Width, Height int
	// Variants are the stored sizes, in the order of Sizes.
	Variants []Variant
}

// formats maps a sniffed content type to the decoder's format name.
var formats = map[string]string{"image/jpeg": "jpeg", "image/png": "png", "image/webp": "webp"}

// extensions are the file names each format may carry; another extension is refused, so that a
// file never reaches a customer's browser claiming to be what it is not.
var extensions = map[string][]string{
	"jpeg": {".jpg", ".jpeg", ".jfif"},
	"png":  {".png"},
	"webp": {".webp"},
}

// markup are byte strings no photo carries but HTML smuggled into one (a polyglot file) does.
var markup = [][]byte{[]byte("<script"), []byte("<html"), []byte("<svg"), []byte("<?php"),
	[]byte("javascript:")}

// Process checks data (a file named name; the name may be empty) and returns its display
// sizes. Every refusal is a fault.BadUserInput error on field "photo" whose message says why.
func Process(data []byte, name string, lim Limits) (*Result, error) {
	if int64(len(data)) > lim.MaxBytes {
		return nil, TooLarge(int64(len(data)), lim.MaxBytes)
	}
	if len(data) == 0 {
		return nil, fault.BadInput("photo", "the file is empty")
	}
	sniffed := http.DetectContentType(data)
	format, ok := formats[sniffed]
	if !ok {
		return nil, fault.BadInput("photo", "the file is not a JPEG, PNG or WebP image (its content is %s)",
			describe(sniffed))
	}
	if ext := strings.ToLower(path.Ext(name)); ext != "" && !contains(extensions[format], ext) {
		return nil, fault.BadInput("photo", "the file is named %s but its content is a %s image: "+
			"rename it or export it again", ext, strings.ToUpper(format))
	}
	lower := bytes.ToLower(data)
	for _, m := range markup {
		if bytes.Contains(lower, m) {
			return nil, fault.BadInput("photo", "the file carries markup (%s) besides the image: "+
				"it is refused; export the photo again", m)
		}
	}
	cfg, decoded, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || decoded != format {
		return nil, fault.BadInput("photo", "the %s image cannot be read: the file is damaged",
			strings.ToUpper(format))
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > lim.MaxSide || cfg.Height > lim.MaxSide ||
		int64(cfg.Width)*int64(cfg.Height) > lim.MaxPixels {
		return nil, fault.BadInput("photo", "the image declares %d×%d pixels; at most %d px a side "+
			"and %d megapixels are accepted", cfg.Width, cfg.Height, lim.MaxSide, lim.MaxPixels/1_000_000)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fault.BadInput("photo", "the %s image cannot be read: the file is damaged",
			strings.ToUpper(format))
	}
	if format == "jpeg" {
		img = upright(img, jpegOrientation(data))
	}
	b := img.Bounds()
	res := &Result{Format: format, Width: b.Dx(), Height: b.Dy()}
	src := img
	// Largest first, each size scaled from the one above: fewer pixels to read each time.
	for i := len(Sizes) - 1; i >= 0; i-- {
		scaled := scale(src, Sizes[i].LongEdge)
		v, err := encode(scaled, Sizes[i].Size)
		if err != nil {
			return nil, err
		}
		res.Variants = append([]Variant{v}, res.Variants...)
		src = scaled
	}
	return res, nil
}

// TooLarge is the refusal of a file of n bytes over limit; n just above the limit means "at
// least n" (the rest was not read).
func TooLarge(n, limit int64) *fault.Error {
	size := "is " + megabytes(n)
	if n == limit+1 {
		size = "is over " + megabytes(limit)
	}
	return fault.BadInput("photo", "the file %s; photos up to %s are accepted",
		size, megabytes(limit)).With("maxBytes", limit)
}

func megabytes(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

func describe(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return ct
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// scale returns img fitted within longEdge × longEdge; a smaller image is copied as is (never
// enlarged) into a fresh RGBA or NRGBA image.
func scale(img image.Image, longEdge int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > longEdge || h > longEdge {
		if w >= h {
			w, h = longEdge, max(1, h*longEdge/b.Dx())
		} else {
			w, h = max(1, w*longEdge/b.Dy()), longEdge
		}
	}
	var dst draw.Image
	if opaque(img) {
		dst = image.NewRGBA(image.Rect(0, 0, w, h))
	} else {
		dst = image.NewNRGBA(image.Rect(0, 0, w, h))
	}
	if w == b.Dx() && h == b.Dy() {
		draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Src)
		return dst
	}
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// opaque reports whether every pixel of img is fully opaque.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// encode writes img as a JPEG, or a PNG when it has transparency.
func encode(img image.Image, size Size) (Variant, error) {
	var buf bytes.Buffer
	v := Variant{Size: size, Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	if opaque(img) {
		v.ContentType = "image/jpeg"
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
			return v, fmt.Errorf("encoding %s jpeg: %w", size, err)
		}
	} else {
		v.ContentType = "image/png"
		if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
			return v, fmt.Errorf("encoding %s png: %w", size, err)
		}
	}
	v.Data = buf.Bytes()
	return v, nil
}
