package preview

import (
	"fmt"
	"strconv"
	"strings"
)

// printf writes format with args to b exactly as fmt.Fprintf does, without fmt's reflection for
// the verbs the drawing uses: %s of a string or a color, %d of an int, and %%. Anything else goes
// to fmt.Fprintf. A preview is ~100 formatted writes, and rendering one on every new
// configuration made fmt a few per cent of a configure step.
func printf(b *strings.Builder, format string, args ...any) {
	if !simple(format, args) {
		fmt.Fprintf(b, format, args...)
		return
	}
	n := 0
	for {
		i := strings.IndexByte(format, '%')
		if i < 0 {
			b.WriteString(format)
			return
		}
		b.WriteString(format[:i])
		verb := format[i+1]
		format = format[i+2:]
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		switch a := args[n].(type) {
		case string:
			b.WriteString(a)
		case color:
			a.writeTo(b)
		case int:
			var buf [20]byte
			b.Write(strconv.AppendInt(buf[:0], int64(a), 10))
		}
		n++
	}
}

// simple reports whether printf writes format and args itself: only the verbs %s (string,
// color), %d (int) and %%, one argument for each.
func simple(format string, args []any) bool {
	n := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		if i+1 == len(format) {
			return false
		}
		i++
		switch format[i] {
		case '%':
			continue
		case 's':
			if n >= len(args) {
				return false
			}
			switch args[n].(type) {
			case string, color:
			default:
				return false
			}
		case 'd':
			if n >= len(args) {
				return false
			}
			if _, ok := args[n].(int); !ok {
				return false
			}
		default:
			return false
		}
		n++
	}
	return n == len(args)
}

// sprintf is fmt.Sprintf through printf, into a builder sized once from the format and its
// arguments (a path of ~300 bytes grew through seven buffers).
func sprintf(format string, args ...any) string {
	n := len(format)
	for _, a := range args {
		if s, ok := a.(string); ok {
			n += len(s)
		} else {
			n += 8
		}
	}
	var b strings.Builder
	b.Grow(n)
	printf(&b, format, args...)
	return b.String()
}
