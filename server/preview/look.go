package preview

import "strings"

// finish is a metal finish of the hardware.
type finish struct {
	base, light, dark color
	brushed           bool
}

// look is what the layers say about the strap, after defaults.
type look struct {
	leather       color
	texture       string // one of the texture* names
	lining        color
	hasLining     bool
	edge          color
	edgeWidth     int
	burnished     bool
	stitch        color
	stitchPattern string // "saddle", "cross", "box" or "none"
	metal         finish
	buckle        string // "pin", "deployant" or "butterfly"
	keeper        color
	keeperMetal   bool
	keepers       int
	monoFill      color
	monoShadow    color
	monoRaised    bool
	monoFoil      bool
	style         string
	lugWidth      int // tenths of a millimetre
	buckleWidth   int
	inset         int // stitching distance from the edge
}

// Texture names.
const (
	textureSmooth = "smooth"
	textureGloss  = "gloss"
	textureScales = "scales"
	textureLizard = "lizard"
	textureQuill  = "quill"
	texturePebble = "pebble"
	textureSuede  = "suede"
	textureWeave  = "weave"
)

// roleState collects the last asset and the last valid tint seen for one role.
type roleState struct {
	asset  string
	tint   color
	tinted bool
	seen   bool
}

// resolve reads the sorted layers into a look. For every role the last asset and the last
// valid tint win, separately, so a "colour" layer can tint a "grade" layer's texture.
func resolve(in Input, layers []Layer) look {
	roles := make(map[string]*roleState)
	for _, l := range layers {
		st := roles[l.Role]
		if st == nil {
			st = &roleState{}
			roles[l.Role] = st
		}
		st.seen = true
		if l.Asset != "" {
			st.asset = l.Asset
		}
		if c, ok := parseColor(l.Tint); ok {
			st.tint, st.tinted = c, true
		}
	}
	get := func(role string) roleState {
		if st := roles[role]; st != nil {
			return *st
		}
		return roleState{}
	}

	lk := look{style: strings.ToLower(strings.TrimSpace(in.Style))}
	lug := in.LugWidthMM
	if lug == 0 {
		lug = 20
	}
	lk.lugWidth = 10 * min(max(lug, 10), 30)
	taper := 20
	switch lk.style {
	case StyleDress:
		taper = 40
	case StyleSport:
		taper = 10
	}
	lk.buckleWidth = max(lk.lugWidth-taper, 80)
	lk.inset = min(max(lk.lugWidth*13/100, 14), 26)

	leather := get(RoleLeather)
	lk.leather = rgb(0x8a5230)
	if leather.tinted {
		lk.leather = leather.tint
	}
	lk.texture = textureOf(leather.asset)

	if lining := get(RoleLining); lining.seen {
		lk.hasLining = true
		lk.lining = rgb(0xd8c6a4)
		if lining.tinted {
			lk.lining = lining.tint
		}
	}

	edge := get(RoleEdge)
	switch {
	case has(edge.asset, "burnish", "waxed"):
		lk.edge, lk.edgeWidth, lk.burnished = lk.leather.darker(45), 7, true
	case has(edge.asset, "raw", "turned", "rolled", "folded"):
		lk.edge, lk.edgeWidth = lk.leather.darker(22), 5
	default: // painted
		lk.edge, lk.edgeWidth = lk.leather.darker(62), 8
	}
	if edge.tinted {
		lk.edge = edge.tint
	}

	stitch := get(RoleStitching)
	lk.stitch = rgb(0xefe4cc)
	if lk.leather.luma() > 170 {
		lk.stitch = rgb(0x5a3d28)
	}
	if stitch.tinted {
		lk.stitch = stitch.tint
	}
	switch {
	case has(stitch.asset, "none", "no-stitch", "unstitched"):
		lk.stitchPattern = "none"
	case has(stitch.asset, "cross", "x-stitch"):
		lk.stitchPattern = "cross"
	case has(stitch.asset, "box"):
		lk.stitchPattern = "box"
	default:
		lk.stitchPattern = "saddle"
	}

	hw, bk := get(RoleHardware), get(RoleBuckle)
	lk.metal = finishOf(hw.asset + " " + bk.asset)
	// The hardware layer decides the metal; a buckle's own swatch only counts when no
	// hardware is configured at all.
	switch {
	case hw.tinted:
		lk.metal = tinted(lk.metal, hw.tint)
	case bk.tinted && !hw.seen:
		lk.metal = tinted(lk.metal, bk.tint)
	}
	switch {
	case has(bk.asset, "deploy", "folding"):
		lk.buckle = "deployant"
	case has(bk.asset, "butterfly"):
		lk.buckle = "butterfly"
	default:
		lk.buckle = "pin"
	}

	keeper := get(RoleKeeper)
	lk.keepers = 2
	lk.keeper = lk.leather.darker(8)
	switch {
	case has(keeper.asset, "none"):
		lk.keepers = 0
	case has(keeper.asset, "single", "floating"):
		lk.keepers = 1
	}
	lk.keeperMetal = has(keeper.asset, "metal", "steel")
	if keeper.tinted {
		lk.keeper = keeper.tint
	}

	mono := get(RoleMonogram)
	lk.monoFill, lk.monoShadow = lk.leather.darker(40), lk.leather.lighter(25)
	switch {
	case has(mono.asset, "foil", "gold", "silver", "hot"):
		lk.monoFoil = true
		lk.monoFill, lk.monoShadow = rgb(0xd9b45a), lk.leather.darker(50)
		if has(mono.asset, "silver") {
			lk.monoFill = rgb(0xd6d9dd)
		}
	case has(mono.asset, "emboss", "raised"):
		lk.monoRaised = true
		lk.monoFill, lk.monoShadow = lk.leather.lighter(14), lk.leather.darker(45)
	}
	if mono.tinted {
		lk.monoFill = mono.tint
	}
	return lk
}

// has reports whether s contains any of the words.
func has(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func textureOf(asset string) string {
	switch {
	case has(asset, "cordovan", "shell", "patent", "box-calf", "boxcalf"):
		return textureGloss
	case has(asset, "alligator", "croc", "caiman"):
		return textureScales
	case has(asset, "lizard", "snake", "python", "karung"):
		return textureLizard
	case has(asset, "ostrich"):
		return textureQuill
	case has(asset, "pebble", "grain", "epsom", "togo", "saffiano", "chevre", "goat"):
		return texturePebble
	case has(asset, "suede", "nubuck", "alcantara"):
		return textureSuede
	case has(asset, "canvas", "sailcloth", "nylon", "linen", "fabric", "cork"):
		return textureWeave
	}
	return textureSmooth
}

// finishOf picks the metal finish named in the assets; polished steel by default.
func finishOf(assets string) finish {
	switch {
	case has(assets, "rose"):
		return finish{base: rgb(0xd49a82), light: rgb(0xf6d3c4), dark: rgb(0x9a6552)}
	case has(assets, "gold", "brass"):
		return finish{base: rgb(0xd6b25e), light: rgb(0xf7e7ae), dark: rgb(0x97772c)}
	case has(assets, "pvd", "black", "dlc"):
		return finish{base: rgb(0x34353a), light: rgb(0x6c6e75), dark: rgb(0x17181b),
			brushed: has(assets, "brushed", "satin", "matte")}
	case has(assets, "bronze"):
		return finish{base: rgb(0xa87646), light: rgb(0xd8ad7e), dark: rgb(0x6b4523),
			brushed: true}
	case has(assets, "titanium"):
		return finish{base: rgb(0x9fa4a9), light: rgb(0xcdd1d5), dark: rgb(0x6c7176),
			brushed: true}
	case has(assets, "brushed", "satin", "matte"):
		return finish{base: rgb(0xb7bbc0), light: rgb(0xdfe2e5), dark: rgb(0x80858b),
			brushed: true}
	}
	return finish{base: rgb(0xc9cdd2), light: rgb(0xfbfcfd), dark: rgb(0x7d838a)}
}

// tinted keeps a finish's texture but takes its colours from a swatch.
func tinted(f finish, c color) finish {
	return finish{base: c, light: c.lighter(55), dark: c.darker(40), brushed: f.brushed}
}
