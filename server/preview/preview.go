// Package preview turns a configured strap into ordered preview layers and a deterministic
// SVG drawing of it.
//
// It is pure: no I/O and no package-level state. The SVG is a flat-lay of a two-piece strap
// on a ghosted watch head: the short piece with its buckle and keepers on the left, the long
// piece with its holes and tip on the right. It uses integer coordinates in tenths of a
// millimetre, so the same [Input] gives byte-identical output on every platform. It has no
// external references, escapes all customer text and stays under [MaxSVGBytes].
package preview

import (
	"cmp"
	"slices"
	"strings"
)

// MaxSVGBytes bounds the size of [Preview.SVG] for any input.
const MaxSVGBytes = 20 * 1024

// MaxMonogramRunes bounds the engraved monogram; longer text is cut, and text that would not
// fit the short piece at a legible size is cut further.
const MaxMonogramRunes = 16

// Roles that Render draws; a layer with any other role is listed but not drawn.
const (
	// RoleLeather layers give the leather colour (Tint) and grade texture (Asset); a grade
	// layer and a separate colour layer combine.
	RoleLeather = "leather"
	// RoleLining layers show the lining as a band inside the edge.
	RoleLining = "lining"
	// RoleStitching layers give the thread colour and the pattern: "stitch/saddle",
	// "stitch/cross", "stitch/box" or "stitch/none".
	RoleStitching = "stitching"
	// RoleEdge layers give the edge finish ("edge/painted", "edge/burnished", "edge/raw")
	// and colour.
	RoleEdge = "edge"
	// RoleHardware layers give the metal finish ("hardware/polished", "hardware/brushed",
	// "hardware/gold", "hardware/rose-gold", "hardware/pvd", ...) and colour.
	RoleHardware = "hardware"
	// RoleBuckle layers give the buckle shape: "buckle/pin", "buckle/deployant" or
	// "buckle/butterfly".
	RoleBuckle = "buckle"
	// RoleKeeper layers give the keepers: leather by default, "keeper/metal",
	// "keeper/single" or "keeper/none".
	RoleKeeper = "keeper"
	// RoleMonogram layers give the monogram technique: blind deboss by default,
	// "monogram/emboss" or "monogram/foil-gold"; Tint colours the letters.
	RoleMonogram = "monogram"
	// RoleSize layers (wrist size) are listed but not drawn.
	RoleSize = "size"
)

// Styles that change the silhouette.
const (
	// StyleSport is untapered-ish with a round tip and rally perforations.
	StyleSport = "sport"
	// StyleDress tapers more, is padded and ends in a long point.
	StyleDress = "dress"
)

// Layer is one configured option as the preview sees it.
type Layer struct {
	// Group and Option name the option group and the chosen option.
	Group, Option string
	// Role says what the layer paints: one of the Role constants, or "" (not drawn).
	Role string
	// Asset names the look within the role, e.g. "leather/shell-cordovan", "stitch/cross",
	// "buckle/deployant", "edge/burnished", "hardware/brushed".
	Asset string
	// Tint is a "#rrggbb" swatch colour; anything else is ignored.
	Tint string
	// Z orders the layers; later layers win when two set the same property.
	Z int
}

// Input is the configured strap to preview.
type Input struct {
	// Product is the product name, used for the SVG title.
	Product string
	// Style is StyleSport, StyleDress or "" and changes the silhouette a little.
	Style string
	// LugWidthMM is the strap width at the lugs in millimetres (clamped to 10..30);
	// 0 means 20.
	LugWidthMM int
	// Layers are the configured options in any order.
	Layers []Layer
	// Monogram is the customer's text for the short piece.
	Monogram string
}

// Preview is the rendered strap.
type Preview struct {
	// Layers are the input layers sorted by Z, then group, option, role, asset and tint,
	// with Role and Asset trimmed and lower-cased and an invalid Tint cleared, so a client
	// can never inject a colour string.
	Layers []Layer
	// SVG is a standalone SVG document, at most MaxSVGBytes long.
	SVG string
}

// Render sorts the layers and draws the strap. It never fails: unknown roles, assets and
// styles fall back to sensible defaults.
func Render(in Input) Preview {
	layers := SortLayers(in.Layers)
	return Preview{Layers: layers, SVG: draw(in, layers)}
}

// SortLayers returns a normalised copy of layers in drawing order: by Z, then group, option,
// role, asset and tint, so that equal inputs in any order give the same result.
func SortLayers(layers []Layer) []Layer {
	out := make([]Layer, len(layers))
	for i, l := range layers {
		l.Role = strings.ToLower(strings.TrimSpace(l.Role))
		l.Asset = strings.ToLower(strings.TrimSpace(l.Asset))
		if c, ok := parseColor(l.Tint); ok {
			l.Tint = c.String()
		} else {
			l.Tint = ""
		}
		out[i] = l
	}
	slices.SortStableFunc(out, func(a, b Layer) int {
		return cmp.Or(
			cmp.Compare(a.Z, b.Z),
			cmp.Compare(a.Group, b.Group),
			cmp.Compare(a.Option, b.Option),
			cmp.Compare(a.Role, b.Role),
			cmp.Compare(a.Asset, b.Asset),
			cmp.Compare(a.Tint, b.Tint),
		)
	})
	return out
}
