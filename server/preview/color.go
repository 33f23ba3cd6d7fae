package preview

import "strings"

// color is an sRGB colour.
type color struct{ r, g, b uint8 }

func (c color) String() string {
	var b strings.Builder
	c.writeTo(&b)
	return b.String()
}

// writeTo writes the colour as String does, #rrggbb.
func (c color) writeTo(b *strings.Builder) {
	const hex = "0123456789abcdef"
	b.Write([]byte{'#', hex[c.r>>4], hex[c.r&0xF], hex[c.g>>4], hex[c.g&0xF], hex[c.b>>4], hex[c.b&0xF]})
}

// parseColor accepts exactly "#rrggbb" (either case).
func parseColor(s string) (color, bool) {
	if len(s) != 7 || s[0] != '#' {
		return color{}, false
	}
	var v [3]uint8
	for i := range 3 {
		hi, ok1 := hexDigit(s[1+2*i])
		lo, ok2 := hexDigit(s[2+2*i])
		if !ok1 || !ok2 {
			return color{}, false
		}
		v[i] = hi<<4 | lo
	}
	return color{v[0], v[1], v[2]}, true
}

func hexDigit(c byte) (uint8, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// rgb builds a colour from 0xrrggbb.
func rgb(v uint32) color { return color{uint8(v >> 16), uint8(v >> 8), uint8(v)} }

// mix returns a blend of c and d with pct percent of d.
func (c color) mix(d color, pct int) color {
	f := func(a, b uint8) uint8 { return uint8((int(a)*(100-pct) + int(b)*pct + 50) / 100) }
	return color{f(c.r, d.r), f(c.g, d.g), f(c.b, d.b)}
}

// darker blends pct percent of black into c.
func (c color) darker(pct int) color { return c.mix(color{}, pct) }

// lighter blends pct percent of white into c.
func (c color) lighter(pct int) color { return c.mix(color{255, 255, 255}, pct) }

// luma is the perceived brightness, 0..255.
func (c color) luma() int { return (299*int(c.r) + 587*int(c.g) + 114*int(c.b)) / 1000 }
