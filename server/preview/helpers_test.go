package preview_test

import (
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/preview"
)

// elem is one element of a parsed SVG.
type elem struct {
	Name    string
	Attr    map[string]string
	Text    string   // character data directly inside the element
	Classes []string // class attributes of the element and its ancestors, outermost first
}

// doc is a parsed SVG document.
type doc struct {
	Raw   string
	Elems []*elem
}

// allowedElement reports whether Render may emit the element; anything else would be
// injected markup.
func allowedElement(name string) bool {
	switch name {
	case "svg", "title", "defs", "linearGradient", "stop", "filter", "feGaussianBlur",
		"pattern", "g", "path", "rect", "circle", "text":
		return true
	}
	return false
}

// parseSVG decodes s strictly and fails the test unless it is one well-formed SVG element.
func parseSVG(t testing.TB, s string) doc {
	t.Helper()
	d := doc{Raw: s}
	dec := xml.NewDecoder(strings.NewReader(s))
	var stack []*elem
	roots := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "SVG is not well-formed XML")
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &elem{Name: tok.Name.Local, Attr: map[string]string{}}
			for _, a := range tok.Attr {
				e.Attr[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				e.Classes = append(e.Classes, stack[len(stack)-1].Classes...)
			} else {
				roots++
			}
			if c := e.Attr["class"]; c != "" {
				e.Classes = append(e.Classes, c)
			}
			stack = append(stack, e)
			d.Elems = append(d.Elems, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			require.NotEmpty(t, stack, "text outside the root element")
			stack[len(stack)-1].Text += string(tok)
		case xml.ProcInst, xml.Directive, xml.Comment:
			t.Fatalf("unexpected %T in SVG", tok)
		}
	}
	require.Equal(t, 1, roots, "one root element")
	require.Equal(t, "svg", d.Elems[0].Name)
	return d
}

// find returns the elements with the given name inside a group of the given class, or
// anywhere for class "".
func (d doc) find(name, class string) []*elem {
	var out []*elem
	for _, e := range d.Elems {
		if e.Name == name && (class == "" || slices.Contains(e.Classes, class)) {
			out = append(out, e)
		}
	}
	return out
}

// monogram returns the text of the engraved monogram, "" if none is drawn.
func (d doc) monogram(t testing.TB) string {
	t.Helper()
	texts := d.find("text", "monogram")
	if len(texts) == 0 {
		return ""
	}
	require.Len(t, texts, 2, "the monogram and its relief")
	require.Equal(t, texts[0].Text, texts[1].Text)
	return texts[1].Text
}

// checkSafe asserts the invariants every preview keeps: size, well-formedness, only known
// elements, no scripting or external references, and only internal url(#id) references.
func checkSafe(t testing.TB, p preview.Preview) doc {
	t.Helper()
	require.LessOrEqual(t, len(p.SVG), preview.MaxSVGBytes)
	d := parseSVG(t, p.SVG)
	urlRef := regexp.MustCompile(`url\(#([^)]*)\)`)
	ids := map[string]bool{}
	for _, e := range d.Elems {
		require.True(t, allowedElement(e.Name), "unexpected element <%s>", e.Name)
		if id := e.Attr["id"]; id != "" {
			require.False(t, ids[id], "duplicate id %q", id)
			ids[id] = true
		}
	}
	for _, e := range d.Elems {
		for name, v := range e.Attr {
			require.NotContains(t, []string{"href", "src", "style"}, name)
			require.False(t, strings.HasPrefix(name, "on"), "event handler %s", name)
			for _, m := range urlRef.FindAllStringSubmatch(v, -1) {
				require.True(t, ids[m[1]], "reference to undefined id %q", m[1])
			}
			if name != "xmlns" {
				require.NotContains(t, v, "://", "external reference in %s", name)
			}
		}
	}
	return d
}

// withoutIDs strips the per-input id prefix, to compare the drawing of two inputs.
func withoutIDs(t testing.TB, svg string) string {
	t.Helper()
	m := regexp.MustCompile(`id="(s[0-9a-f]{8}-)t"`).FindStringSubmatch(svg)
	require.NotNil(t, m, "title id")
	return strings.ReplaceAll(svg, m[1], "")
}
