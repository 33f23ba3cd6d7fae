package preview_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/preview"
)

// classic is a burgundy shell cordovan strap with ivory saddle stitching on a pin buckle.
func classic() preview.Input {
	return preview.Input{
		Product:    "Atelier Classic",
		LugWidthMM: 20,
		Monogram:   "J.D.R.",
		Layers: []preview.Layer{
			{Group: "Colour", Option: "Burgundy", Role: "leather", Tint: "#6b1f24", Z: 2},
			{Group: "Leather", Option: "Shell cordovan", Role: "leather",
				Asset: "leather/shell-cordovan", Z: 1},
			{Group: "Stitching", Option: "Ivory", Role: "stitching", Asset: "stitch/saddle",
				Tint: "#f1e9d2", Z: 3},
			{Group: "Edge", Option: "Painted black", Role: "edge", Asset: "edge/painted",
				Tint: "#1a1a1a", Z: 4},
			{Group: "Hardware", Option: "Polished steel", Role: "hardware",
				Asset: "hardware/polished", Z: 5},
			{Group: "Buckle", Option: "Pin", Role: "buckle", Asset: "buckle/pin", Z: 5},
			{Group: "Size", Option: "M (17–19 cm)", Role: "size", Z: 9},
		},
	}
}

func TestSortLayers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []preview.Layer
		want []preview.Layer
	}{
		{
			name: "by z",
			in:   []preview.Layer{{Group: "a", Z: 3}, {Group: "b", Z: -1}, {Group: "c", Z: 0}},
			want: []preview.Layer{{Group: "b", Z: -1}, {Group: "c", Z: 0}, {Group: "a", Z: 3}},
		},
		{
			name: "then group, option, role, asset and tint",
			in: []preview.Layer{
				{Group: "Stitching", Option: "Ivory", Z: 1},
				{Group: "Leather", Option: "Tan", Role: "leather", Asset: "b", Z: 1},
				{Group: "Leather", Option: "Tan", Role: "leather", Asset: "a", Tint: "#000002", Z: 1},
				{Group: "Leather", Option: "Tan", Role: "leather", Asset: "a", Tint: "#000001", Z: 1},
				{Group: "Leather", Option: "Black", Role: "leather", Z: 1},
				{Group: "Buckle", Option: "Pin", Z: 1},
			},
			want: []preview.Layer{
				{Group: "Buckle", Option: "Pin", Z: 1},
				{Group: "Leather", Option: "Black", Role: "leather", Z: 1},
				{Group: "Leather", Option: "Tan", Role: "leather", Asset: "a", Tint: "#000001", Z: 1},
				{Group: "Leather", Option: "Tan", Role: "leather", Asset: "a", Tint: "#000002", Z: 1},
				{Group: "Leather", Option: "Tan", Role: "leather", Asset: "b", Z: 1},
				{Group: "Stitching", Option: "Ivory", Z: 1},
			},
		},
		{
			name: "normalises role, asset and tint",
			in: []preview.Layer{
				{Group: "a", Role: " Leather ", Asset: "Leather/Shell-Cordovan", Tint: "#ABCdef"},
				{Group: "b", Role: "stitching", Tint: "red"},
				{Group: "c", Role: "edge", Tint: "#abc"},
				{Group: "d", Role: "edge", Tint: "#12345g"},
				{Group: "e", Role: "edge", Tint: `#000000"/><script>`},
				{Group: "f", Role: "edge", Tint: " #000000"},
			},
			want: []preview.Layer{
				{Group: "a", Role: "leather", Asset: "leather/shell-cordovan", Tint: "#abcdef"},
				{Group: "b", Role: "stitching"},
				{Group: "c", Role: "edge"},
				{Group: "d", Role: "edge"},
				{Group: "e", Role: "edge"},
				{Group: "f", Role: "edge"},
			},
		},
		{name: "empty", in: nil, want: []preview.Layer{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			before := append([]preview.Layer(nil), tt.in...)
			assert.Equal(t, tt.want, preview.SortLayers(tt.in))
			assert.Equal(t, before, tt.in, "the input is not modified")
			assert.Equal(t, tt.want, preview.Render(preview.Input{Layers: tt.in}).Layers)
		})
	}
}

func TestRenderRoles(t *testing.T) {
	t.Parallel()
	layer := func(role, asset, tint string, z int) preview.Layer {
		return preview.Layer{Group: role, Option: asset + tint, Role: role, Asset: asset,
			Tint: tint, Z: z}
	}
	stopColors := func(d doc, idSuffix string) []string {
		var out []string
		inside := false
		for _, e := range d.Elems {
			switch {
			case e.Name == "linearGradient":
				inside = strings.HasSuffix(e.Attr["id"], idSuffix)
			case e.Name == "stop" && inside:
				out = append(out, e.Attr["stop-color"])
			}
		}
		return out
	}
	hasID := func(d doc, name, suffix string) bool {
		for _, e := range d.find(name, "") {
			if strings.HasSuffix(e.Attr["id"], suffix) {
				return true
			}
		}
		return false
	}
	pieceStrokes := func(d doc) []string {
		var out []string
		for _, e := range d.find("path", "short-piece") {
			out = append(out, e.Attr["stroke"])
		}
		return out
	}
	tests := []struct {
		name   string
		layers []preview.Layer
		check  func(t *testing.T, d doc)
	}{
		{
			name: "leather defaults to chestnut",
			check: func(t *testing.T, d doc) {
				assert.Contains(t, stopColors(d, "lg"), "#8a5230")
			},
		},
		{
			name:   "leather tint",
			layers: []preview.Layer{layer("leather", "leather/calf", "#123456", 0)},
			check: func(t *testing.T, d doc) {
				assert.Contains(t, stopColors(d, "lg"), "#123456")
				assert.False(t, hasID(d, "pattern", "tx"), "smooth calf has no texture")
			},
		},
		{
			name: "the last leather tint wins and the grade keeps its texture",
			layers: []preview.Layer{
				layer("leather", "", "#00ff00", 3),
				layer("leather", "leather/alligator", "#ff0000", 1),
				layer("leather", "", "#0000ff", 2),
			},
			check: func(t *testing.T, d doc) {
				assert.Contains(t, stopColors(d, "lg"), "#00ff00")
				assert.NotContains(t, d.Raw, "#ff0000")
				assert.NotContains(t, d.Raw, "#0000ff")
				assert.True(t, hasID(d, "pattern", "tx"), "alligator scales")
			},
		},
		{
			name:   "shell cordovan has a sheen",
			layers: []preview.Layer{layer("leather", "leather/shell-cordovan", "", 0)},
			check: func(t *testing.T, d doc) {
				assert.True(t, hasID(d, "linearGradient", "tx"))
			},
		},
		{
			name:   "an invalid tint is ignored",
			layers: []preview.Layer{layer("leather", "", "rgb(1,2,3)", 0)},
			check: func(t *testing.T, d doc) {
				assert.Contains(t, stopColors(d, "lg"), "#8a5230")
				assert.NotContains(t, d.Raw, "rgb(")
			},
		},
		{
			name:   "lining shows as a band inside the edge",
			layers: []preview.Layer{layer("lining", "lining/calf", "#c0392b", 0)},
			check: func(t *testing.T, d doc) {
				assert.Contains(t, pieceStrokes(d), "#c0392b")
			},
		},
		{
			name: "saddle stitching in its colour",
			layers: []preview.Layer{
				layer("stitching", "stitch/saddle", "", 1),
				layer("stitching", "", "#f1e9d2", 2),
			},
			check: func(t *testing.T, d doc) {
				stitches := d.find("path", "stitch")
				require.Len(t, stitches, 2, "one per piece")
				for _, s := range stitches {
					assert.Equal(t, "#f1e9d2", s.Attr["stroke"])
					assert.NotEmpty(t, s.Attr["stroke-dasharray"])
				}
			},
		},
		{
			name:   "cross stitching draws X marks",
			layers: []preview.Layer{layer("stitching", "stitch/cross", "#d9a400", 0)},
			check: func(t *testing.T, d doc) {
				assert.Contains(t, d.Raw, `data-stitch="cross"`)
				stitches := d.find("path", "stitch")
				require.NotEmpty(t, stitches)
				assert.Contains(t, stitches[0].Attr["d"], "l18 18m0 -18l-18 18")
				assert.Empty(t, stitches[0].Attr["stroke-dasharray"])
			},
		},
		{
			name:   "box stitching reinforces both lug ends",
			layers: []preview.Layer{layer("stitching", "stitch/box", "", 0)},
			check: func(t *testing.T, d doc) {
				assert.Len(t, d.find("path", "stitch"), 4)
			},
		},
		{
			name:   "no stitching",
			layers: []preview.Layer{layer("stitching", "stitch/none", "#ff00ff", 0)},
			check: func(t *testing.T, d doc) {
				assert.Empty(t, d.find("path", "stitch"))
				assert.NotContains(t, d.Raw, "#ff00ff")
			},
		},
		{
			name:   "painted edge in its colour",
			layers: []preview.Layer{layer("edge", "edge/painted", "#1a1a1a", 0)},
			check: func(t *testing.T, d doc) {
				assert.Equal(t, "#1a1a1a", pieceStrokes(d)[0])
			},
		},
		{
			name:   "burnished edge catches the light",
			layers: []preview.Layer{layer("edge", "edge/burnished", "", 0)},
			check: func(t *testing.T, d doc) {
				paths := d.find("path", "short-piece")
				assert.Equal(t, ".5", paths[1].Attr["stroke-opacity"])
			},
		},
		{
			name:   "hardware tint colours the buckle",
			layers: []preview.Layer{layer("hardware", "hardware/polished", "#aa7733", 0)},
			check: func(t *testing.T, d doc) {
				assert.Contains(t, stopColors(d, "hw"), "#aa7733")
			},
		},
		{
			name: "hardware finish without a tint",
			layers: []preview.Layer{
				layer("hardware", "hardware/gold", "", 0),
				layer("buckle", "buckle/pin", "#010101", 0),
			},
			check: func(t *testing.T, d doc) {
				assert.Contains(t, stopColors(d, "hw"), "#d6b25e", "hardware finish wins")
				assert.False(t, hasID(d, "pattern", "br"))
			},
		},
		{
			name:   "brushed hardware has a grain",
			layers: []preview.Layer{layer("hardware", "hardware/brushed", "", 0)},
			check: func(t *testing.T, d doc) {
				assert.True(t, hasID(d, "pattern", "br"))
			},
		},
		{
			name:   "pin buckle: frame, tongue and seven holes",
			layers: []preview.Layer{layer("buckle", "buckle/pin", "", 0)},
			check: func(t *testing.T, d doc) {
				assert.Contains(t, d.Raw, `data-buckle="pin"`)
				assert.NotEmpty(t, d.find("path", "buckle-frame"))
				assert.Len(t, d.find("circle", "holes"), 7)
			},
		},
		{
			name:   "deployant clasp: no frame, fewer holes",
			layers: []preview.Layer{layer("buckle", "buckle/deployant", "", 0)},
			check: func(t *testing.T, d doc) {
				assert.Contains(t, d.Raw, `data-buckle="deployant"`)
				assert.Empty(t, d.find("path", "buckle-frame"))
				assert.Len(t, d.find("rect", "buckle"), 2, "push buttons")
				assert.Len(t, d.find("circle", "holes"), 5)
			},
		},
		{
			name:   "butterfly clasp: a strap cut to size",
			layers: []preview.Layer{layer("buckle", "buckle/butterfly", "#b76e79", 0)},
			check: func(t *testing.T, d doc) {
				assert.Contains(t, d.Raw, `data-buckle="butterfly"`)
				assert.Empty(t, d.find("circle", "holes"))
				assert.Contains(t, stopColors(d, "hw"), "#b76e79", "buckle tint without hardware")
			},
		},
		{
			name: "two leather keepers by default",
			check: func(t *testing.T, d doc) {
				assert.Len(t, d.find("rect", "keeper"), 2)
			},
		},
		{
			name:   "a single tinted keeper",
			layers: []preview.Layer{layer("keeper", "keeper/single", "#224466", 0)},
			check: func(t *testing.T, d doc) {
				keepers := d.find("rect", "keeper")
				require.Len(t, keepers, 1)
				assert.Equal(t, "#224466", keepers[0].Attr["fill"])
			},
		},
		{
			name:   "metal keepers",
			layers: []preview.Layer{layer("keeper", "keeper/metal", "", 0)},
			check: func(t *testing.T, d doc) {
				for _, k := range d.find("rect", "keeper") {
					assert.True(t, strings.HasPrefix(k.Attr["fill"], "url(#"))
				}
			},
		},
		{
			name:   "no keepers",
			layers: []preview.Layer{layer("keeper", "keeper/none", "", 0)},
			check: func(t *testing.T, d doc) {
				assert.Empty(t, d.find("rect", "keeper"))
			},
		},
		{
			name:   "gold foil monogram",
			layers: []preview.Layer{layer("monogram", "monogram/foil-gold", "", 0)},
			check: func(t *testing.T, d doc) {
				assert.Equal(t, "#d9b45a", d.find("text", "monogram")[1].Attr["fill"])
			},
		},
		{
			name:   "tinted monogram",
			layers: []preview.Layer{layer("monogram", "monogram/emboss", "#fafafa", 0)},
			check: func(t *testing.T, d doc) {
				assert.Equal(t, "#fafafa", d.find("text", "monogram")[1].Attr["fill"])
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := preview.Render(preview.Input{Product: "Test", Layers: tt.layers, Monogram: "AB"})
			tt.check(t, checkSafe(t, p))
		})
	}
}

func TestRenderUndrawnRoles(t *testing.T) {
	t.Parallel()
	plain := preview.Render(preview.Input{Product: "Test"})
	tests := []struct {
		name  string
		layer preview.Layer
	}{
		{"size", preview.Layer{Group: "Size", Option: "L", Role: "size", Asset: "size/l"}},
		{"no role", preview.Layer{Group: "Gift box", Option: "Yes", Tint: "#ff0000"}},
		{"unknown role", preview.Layer{Group: "Charm", Role: "sparkle", Tint: "#00ff00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := preview.Render(preview.Input{Product: "Test", Layers: []preview.Layer{tt.layer}})
			checkSafe(t, p)
			assert.Equal(t, withoutIDs(t, plain.SVG), withoutIDs(t, p.SVG))
			assert.Len(t, p.Layers, 1, "listed even though not drawn")
		})
	}
}

func TestRenderShape(t *testing.T) {
	t.Parallel()
	// shortPath is the outline of the short piece; it starts at the lug end's top corner.
	shortPath := func(t *testing.T, d doc) string {
		t.Helper()
		paths := d.find("path", "short-piece")
		require.NotEmpty(t, paths)
		return paths[0].Attr["d"]
	}
	tests := []struct {
		name  string
		in    preview.Input
		check func(t *testing.T, d doc)
	}{
		{
			name: "default lug width is 20 mm",
			in:   preview.Input{},
			check: func(t *testing.T, d doc) {
				assert.True(t, strings.HasPrefix(shortPath(t, d), "M990 180L"))
			},
		},
		{
			name: "24 mm lugs",
			in:   preview.Input{LugWidthMM: 24},
			check: func(t *testing.T, d doc) {
				assert.True(t, strings.HasPrefix(shortPath(t, d), "M990 160L"))
			},
		},
		{
			name: "absurd widths are clamped",
			in:   preview.Input{LugWidthMM: 500},
			check: func(t *testing.T, d doc) {
				assert.True(t, strings.HasPrefix(shortPath(t, d), "M990 130L"))
			},
		},
		{
			name: "negative widths are clamped",
			in:   preview.Input{LugWidthMM: -3},
			check: func(t *testing.T, d doc) {
				assert.True(t, strings.HasPrefix(shortPath(t, d), "M990 230L"))
			},
		},
		{
			name: "dress straps taper 4 mm",
			in:   preview.Input{Style: "dress", LugWidthMM: 20},
			check: func(t *testing.T, d doc) {
				assert.Contains(t, shortPath(t, d), "L244 200Q")
				assert.Empty(t, d.find("path", "perforations"))
			},
		},
		{
			name: "sport straps are perforated",
			in:   preview.Input{Style: "Sport", LugWidthMM: 20},
			check: func(t *testing.T, d doc) {
				assert.Contains(t, shortPath(t, d), "L244 185Q")
				assert.NotEmpty(t, d.find("path", "perforations"))
			},
		},
		{
			name: "the title names the product",
			in:   preview.Input{Product: "Atelier   Classic\n"},
			check: func(t *testing.T, d doc) {
				assert.Equal(t, "Atelier Classic — preview", d.find("title", "")[0].Text)
			},
		},
		{
			name: "an unnamed product",
			in:   preview.Input{},
			check: func(t *testing.T, d doc) {
				assert.Equal(t, "Strap — preview", d.find("title", "")[0].Text)
				assert.Empty(t, d.find("text", "monogram"))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.check(t, checkSafe(t, preview.Render(tt.in)))
		})
	}
}

func TestRenderMonogram(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		monogram string
		want     string
	}{
		{"initials", "J.D.R.", "J.D.R."},
		{"markup is text", `<script>&"'`, `<script>&"'`},
		{"closing tags are text", `</text></svg><svg onload="x">`, `</text></svg>`},
		{"entities are not decoded", "&lt;b&gt;", "&lt;b&gt;"},
		{"control and bidi characters are dropped", "A\u202eB\x00C\u200bD\x1b", "ABCD"},
		{"whitespace collapses", "  J \n\t D  ", "J D"},
		{"invalid UTF-8 is dropped", "A\xffB\xc3", "AB"},
		{"accents", "Élodie", "Élodie"},
		{"CJK", "山田太郎", "山田太郎"},
		{"blank", " \t\n", ""},
		{"empty", "", ""},
		{"cut to what fits", strings.Repeat("ab", 50), "ababababababab"},
		{"emoji", "A♥B", "A♥B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := preview.Render(preview.Input{Monogram: tt.monogram})
			d := checkSafe(t, p)
			got := d.monogram(t)
			assert.Equal(t, tt.want, got)
			assert.LessOrEqual(t, utf8.RuneCountInString(got), preview.MaxMonogramRunes)
			assert.NotContains(t, p.SVG, "<script")
		})
	}
}

func TestRenderMonogramFits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    preview.Input
		runes int
	}{
		{"wide strap, wide letters", preview.Input{
			LugWidthMM: 24, Monogram: strings.Repeat("W", 40),
		}, 6},
		{"narrow strap", preview.Input{LugWidthMM: 10, Monogram: strings.Repeat("M", 40)}, 16},
		{"box stitching leaves less room", preview.Input{
			LugWidthMM: 20, Monogram: strings.Repeat("Q", 40),
			Layers: []preview.Layer{{Role: "stitching", Asset: "stitch/box"}},
		}, 7},
		{"no keepers leave more room", preview.Input{
			LugWidthMM: 20, Monogram: strings.Repeat("Q", 40),
			Layers: []preview.Layer{{Role: "keeper", Asset: "keeper/none"}},
		}, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := checkSafe(t, preview.Render(tt.in))
			text := d.find("text", "monogram")[1]
			got := d.monogram(t)
			assert.NotEmpty(t, got)
			assert.True(t, strings.HasPrefix(tt.in.Monogram, got))
			assert.Equal(t, tt.runes, utf8.RuneCountInString(got))
			assert.Equal(t, "spacingAndGlyphs", text.Attr["lengthAdjust"])
			assert.NotEmpty(t, text.Attr["textLength"])
		})
	}
}

func TestRenderDeterministic(t *testing.T) {
	t.Parallel()
	a := preview.Render(classic())
	shuffled := classic()
	for i, j := 0, len(shuffled.Layers)-1; i < j; i, j = i+1, j-1 {
		shuffled.Layers[i], shuffled.Layers[j] = shuffled.Layers[j], shuffled.Layers[i]
	}
	b := preview.Render(shuffled)
	assert.Equal(t, a, b, "layer order in the input does not matter")
	assert.Equal(t, a.SVG, preview.Render(classic()).SVG)

	other := classic()
	other.Monogram = "A.B."
	c := preview.Render(other)
	assert.NotEqual(t, withoutIDs(t, a.SVG), withoutIDs(t, c.SVG))
	assert.NotEqual(t, a.SVG[:200], c.SVG[:200], "different previews use different ids")
}

func TestRenderSizeBound(t *testing.T) {
	t.Parallel()
	many := make([]preview.Layer, 0, 4000)
	roles := []string{"leather", "lining", "stitching", "edge", "hardware", "buckle", "keeper",
		"monogram", "size", "", "other"}
	for i := range cap(many) {
		many = append(many, preview.Layer{
			Group:  strings.Repeat("g", i%50),
			Option: strings.Repeat("<&>", i%30),
			Role:   roles[i%len(roles)],
			Asset:  "leather/alligator stitch/cross hardware/brushed",
			Tint:   "#123456",
			Z:      i % 7,
		})
	}
	long := strings.Repeat(`<&"'>W山`, 5000)
	tests := []struct {
		name string
		in   preview.Input
	}{
		{"many layers", preview.Input{Product: long, Monogram: long, Layers: many}},
		{"sport, cross, lining, deployant", preview.Input{
			Product: long, Style: "sport", LugWidthMM: 30, Monogram: long,
			Layers: []preview.Layer{
				{Role: "leather", Asset: "leather/ostrich"},
				{Role: "lining", Tint: "#ffffff"},
				{Role: "stitching", Asset: "stitch/cross"},
				{Role: "buckle", Asset: "buckle/deployant"},
				{Role: "hardware", Asset: "hardware/brushed-pvd"},
				{Role: "edge", Asset: "edge/burnished"},
			},
		}},
		{"narrowest sport strap with cross stitching", preview.Input{
			Style: "sport", LugWidthMM: 1, Monogram: long,
			Layers: []preview.Layer{{Role: "stitching", Asset: "stitch/cross"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := preview.Render(tt.in)
			checkSafe(t, p)
			t.Logf("%d bytes", len(p.SVG))
		})
	}
}

func TestRenderWritesExample(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "strap.svg")
	p := preview.Render(classic())
	require.NoError(t, os.WriteFile(path, []byte(p.SVG), 0o600))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	checkSafe(t, preview.Preview{SVG: string(got)})
}

func FuzzRender(f *testing.F) {
	f.Add("Atelier Classic", "", 20, "J.D.R.", "leather", "leather/shell-cordovan", "#6b1f24", 1)
	f.Add("Rally", "sport", 22, `<script>&"'`, "stitching", "stitch/cross", "#d9a400", 0)
	f.Add("Soirée", "dress", 18, "Élodie ♥", "buckle", "buckle/butterfly", "#B76E79", -3)
	f.Add("", "", 0, "", "", "", "", 0)
	f.Add("x]]>", "dress", -7, "\x00\u202e\xff", "monogram", "monogram/foil", "#zzzzzz", 9)
	f.Add(strings.Repeat("W", 300), "sport", 1000, strings.Repeat("山", 300), "keeper",
		"keeper/metal", "#000000", 2)
	f.Fuzz(func(t *testing.T, product, style string, lug int, monogram, role, asset,
		tint string, z int,
	) {
		in := preview.Input{
			Product: product, Style: style, LugWidthMM: lug, Monogram: monogram,
			Layers: []preview.Layer{
				{Group: product, Option: monogram, Role: role, Asset: asset, Tint: tint, Z: z},
				{Group: "Colour", Role: "leather", Tint: "#6b1f24", Z: 0},
			},
		}
		p := preview.Render(in)
		d := checkSafe(t, p)
		// The monogram is the customer's own characters, nothing more.
		for _, r := range d.monogram(t) {
			require.True(t, r == ' ' || strings.ContainsRune(monogram, r),
				"rune %q not in the monogram", r)
		}
		require.Equal(t, p.SVG, preview.Render(in).SVG, "deterministic")
	})
}
