// Package phototest makes test images in code: a phone-like JPEG with EXIF GPS, a
// decompression bomb, plain pictures. No binary fixtures.
package phototest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/stretchr/testify/require"
)

// Gradient is a w×h opaque test picture.
func Gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	return img
}

// JPEG encodes img.
func JPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, nil))
	return buf.Bytes()
}

// PNG encodes img.
func PNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// GPSLatitude is the GPS position written into the EXIF of WithEXIF: 48°51'N, as rationals.
var GPSLatitude = []uint32{48, 1, 51, 1, 0, 1}

// WithEXIF inserts an APP1 EXIF segment after the SOI of a JPEG: IFD0 holds the orientation and
// a pointer to a GPS IFD with a latitude, as a phone writes them.
func WithEXIF(t testing.TB, jpg []byte, orientation uint16) []byte {
	t.Helper()
	le := binary.LittleEndian
	var tiff bytes.Buffer
	tiff.WriteString("II")
	_ = binary.Write(&tiff, le, uint16(42))
	_ = binary.Write(&tiff, le, uint32(8))
	// IFD0 at 8: 2 entries, then next-IFD 0. GPS IFD at 8+2+24+4 = 38.
	entry := func(tag, typ uint16, count, value uint32) {
		_ = binary.Write(&tiff, le, tag)
		_ = binary.Write(&tiff, le, typ)
		_ = binary.Write(&tiff, le, count)
		_ = binary.Write(&tiff, le, value)
	}
	_ = binary.Write(&tiff, le, uint16(2))
	entry(0x0112, 3, 1, uint32(orientation)) // Orientation, SHORT
	entry(0x8825, 4, 1, 38)                  // GPSInfo IFD pointer
	_ = binary.Write(&tiff, le, uint32(0))
	// GPS IFD at 38: LatitudeRef "N" and Latitude (3 RATIONALs at 38+2+24+4 = 68).
	_ = binary.Write(&tiff, le, uint16(2))
	entry(0x0001, 2, 2, uint32('N'))
	entry(0x0002, 5, 3, 68)
	_ = binary.Write(&tiff, le, uint32(0))
	for _, v := range GPSLatitude {
		_ = binary.Write(&tiff, le, v)
	}
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	app1 := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(seg)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app1...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// chunk is one PNG chunk with its CRC.
func chunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// Bomb is a tiny PNG that declares w×h pixels (its pixel data is a few bytes of nothing).
func Bomb(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, chunk("IHDR", ihdr)...)
	out = append(out, chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, chunk("IEND", nil)...)
}
