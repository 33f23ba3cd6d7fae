package preview

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestPrintfWritesWhatFmtWrites: printf's own path and its fallback give fmt's bytes, for the
// verbs it handles and for those it hands to fmt.
func TestPrintfWritesWhatFmtWrites(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"%s", "%d", "%%", "%q", "%x", "%v", "M", " ", "<g>", "\"", "é", "%02d"}
	arg := func() any {
		switch rng.IntN(6) {
		case 0:
			return rng.IntN(2000) - 1000
		case 1:
			return color{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))}
		case 2:
			return int64(rng.IntN(100))
		case 3:
			return 1.5
		default:
			return []string{"", "a&b", "url(#x)", "é"}[rng.IntN(4)]
		}
	}
	for range 20000 {
		var format strings.Builder
		for range rng.IntN(6) {
			format.WriteString(pieces[rng.IntN(len(pieces))])
		}
		if rng.IntN(10) == 0 {
			format.WriteString("%") // a dangling verb
		}
		args := make([]any, rng.IntN(5))
		for i := range args {
			args[i] = arg()
		}
		want := fmt.Sprintf(format.String(), args...)
		if got := sprintf(format.String(), args...); got != want {
			t.Fatalf("printf(%q, %#v) = %q, fmt gives %q", format.String(), args, got, want)
		}
	}
	for _, c := range []color{{}, {255, 255, 255}, {0x0a, 0xb0, 0x7f}} {
		if got, want := c.String(), fmt.Sprintf("#%02x%02x%02x", c.r, c.g, c.b); got != want {
			t.Fatalf("color %v: %q, want %q", c, got, want)
		}
	}
}
