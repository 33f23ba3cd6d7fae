package pageview_test

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/atelier/atelier/server/pageview"
	"github.com/atelier/atelier/server/quote"
	"github.com/atelier/atelier/server/seed"
)

// FuzzChoicesToSVG drives arbitrary customer input — group and option keys, monogram text,
// numbers — through the edits and the view down to the SVG: no panic, and the SVG stays
// well-formed XML whose text never turns into markup.
func FuzzChoicesToSVG(f *testing.F) {
	f.Add("leather", "alligator", "monogram", "J.D", "wrist", "175")
	f.Add("stitch_pattern", "cross", "monogram", "<script>", "wrist", "999")
	f.Add("extras", "padded", "monogram", "&amp;\"'", "case_size", "24mm")
	f.Add("", "", "", "\x00\xff", "wrist", "-5")
	cat, err := pageview.Compile(seed.Snapshots()[0])
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, g1, o1, g2, text, g3, o3 string) {
		var choices []pageview.Choice
		if next, _, err := cat.Select(choices, g1, o1, true); err == nil {
			choices = next
		}
		if next, _, err := cat.SetText(choices, g2, text, true); err == nil {
			choices = next
		}
		if next, _, err := cat.SetNumber(choices, g3, o3, true); err == nil {
			choices = next
		}
		v, err := cat.Evaluate(choices, 1, monday, quote.Calendar{})
		if err != nil {
			t.Fatalf("evaluating accepted choices %v: %v", choices, err)
		}
		if !v.Valid {
			t.Fatalf("accepted choices %v are inconsistent", choices)
		}
		dec := xml.NewDecoder(strings.NewReader(v.Preview.SVG))
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("preview is not well-formed XML: %v", err)
			}
			if se, ok := tok.(xml.StartElement); ok && strings.EqualFold(se.Name.Local, "script") {
				t.Fatal("customer text became markup")
			}
		}
	})
}
