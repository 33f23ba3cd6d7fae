package preview

import (
	"encoding/xml"
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Geometry in tenths of a millimetre: the strap lies horizontally, buckle on the left, the
// watch head in the middle and the long piece's tip on the right.
const (
	viewW   = 2600
	viewH   = 560
	cy      = 280         // the strap's centre line
	caseX   = 1160        // centre of the watch head
	caseR   = 200         // case radius (a 40 mm case)
	xs0     = 230         // short piece, buckle end
	xs1     = caseX - 170 // short piece, lug end (under the case)
	xl0     = caseX + 170 // long piece, lug end (under the case)
	xl1     = 2530        // long piece, tip
	maxText = 80          // runes of the product name kept for the title
)

// svg accumulates the document.
type svg struct {
	strings.Builder
	id string // prefix that keeps ids unique when several previews share a page
}

func (w *svg) f(format string, args ...any) { printf(&w.Builder, format, args...) }

// text writes s as escaped character data.
func (w *svg) text(s string) {
	// EscapeText only fails when the writer does; a strings.Builder never does.
	_ = xml.EscapeText(w, []byte(s))
}

func draw(in Input, layers []Layer) string {
	lk := resolve(in, layers)
	w := &svg{id: idPrefix(in, layers)}
	// Previews are 5–7 KB: one allocation instead of the builder's doublings.
	w.Grow(8 << 10)
	g := newGeometry(lk)

	title := cleanText(in.Product, maxText)
	if title == "" {
		title = "Strap"
	}
	w.f(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" `+
		`aria-labelledby="%st">`, viewW, viewH, w.id)
	w.f(`<title id="%st">`, w.id)
	w.text(title + " — preview")
	w.f(`</title>`)
	writeDefs(w, lk)

	// Soft shadow under everything that lies on the table.
	w.f(`<g class="shadow" filter="url(#%ssh)" opacity=".28" transform="translate(8 20)">`, w.id)
	w.f(`<path d="%s"/><path d="%s"/>`, g.shortPath(), g.longPath())
	w.f(`<path fill-rule="evenodd" d="%s"/></g>`, buckleOutline(lk))

	if lk.buckle == "pin" {
		w.f(`<g class="buckle-frame">`)
		drawPinFrame(w, lk)
		w.f(`</g>`)
	}
	w.f(`<g class="short-piece" data-stitch="%s">`, lk.stitchPattern)
	drawPiece(w, lk, g.shortPath())
	drawShortStitches(w, lk, g)
	if lk.buckle == "pin" {
		// The tongue comes through a slot near the fold and rests on the frame.
		w.f(`<rect x="%d" y="%d" width="40" height="32" rx="9" fill="%s"/>`,
			xs0+36, cy-16, lk.leather.darker(70))
	}
	w.f(`</g><g class="keepers">`)
	drawKeepers(w, lk, g)
	w.f(`</g>`)
	drawMonogram(w, lk, g, in.Monogram)
	w.f(`<g class="buckle" data-buckle="%s">`, lk.buckle)
	drawBuckleFront(w, lk)
	w.f(`</g><g class="long-piece" data-stitch="%s">`, lk.stitchPattern)
	drawPiece(w, lk, g.longPath())
	drawLongStitches(w, lk, g)
	drawHoles(w, lk, g)
	w.f(`</g><g class="watch-head">`)
	drawWatchHead(w, lk)
	w.f(`</g>`)
	w.f(`</svg>`)
	return w.String()
}

// idPrefix derives the ids from the input, so different previews on one page never share an
// id while the same input always gives the same document.
func idPrefix(in Input, layers []Layer) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%q|%q|%d|%q|", in.Product, in.Style, in.LugWidthMM, in.Monogram)
	for _, l := range layers {
		fmt.Fprintf(h, "%q|%q|%q|%q|%q|%d|", l.Group, l.Option, l.Role, l.Asset, l.Tint, l.Z)
	}
	return fmt.Sprintf("s%08x-", h.Sum32())
}

// cleanText keeps printable text: control, format and private-use characters and invalid
// UTF-8 are dropped (so no bidi overrides), runs of spaces become one, and at most n runes
// remain.
func cleanText(s string, n int) string {
	var b strings.Builder
	runes, space := 0, false
	for _, r := range s {
		if runes >= n {
			break
		}
		switch {
		case unicode.IsSpace(r):
			space = runes > 0
			continue
		case r == utf8.RuneError || !unicode.IsGraphic(r):
			continue
		}
		if space {
			if runes+1 >= n {
				break
			}
			b.WriteByte(' ')
			runes++
			space = false
		}
		b.WriteRune(r)
		runes++
	}
	return b.String()
}

func writeDefs(w *svg, lk look) {
	w.f(`<defs>`)
	// Leather: lit from above, rounding off at the edges; padded dress straps shine more.
	hi := 14
	if lk.style == StyleDress {
		hi = 24
	}
	if lk.texture == textureSuede {
		hi = 6
	}
	w.f(`<linearGradient id="%slg" x1="0" y1="0" x2="0" y2="1">`, w.id)
	w.f(`<stop offset="0" stop-color="%s"/><stop offset=".22" stop-color="%s"/>`,
		lk.leather.darker(10), lk.leather.lighter(hi))
	w.f(`<stop offset=".55" stop-color="%s"/><stop offset="1" stop-color="%s"/>`,
		lk.leather, lk.leather.darker(28))
	w.f(`</linearGradient>`)
	m := lk.metal
	w.f(`<linearGradient id="%shw" x1="0" y1="0" x2=".35" y2="1">`, w.id)
	w.f(`<stop offset="0" stop-color="%s"/><stop offset=".28" stop-color="%s"/>`, m.base, m.light)
	w.f(`<stop offset=".5" stop-color="%s"/><stop offset=".85" stop-color="%s"/>`, m.base, m.dark)
	w.f(`<stop offset="1" stop-color="%s"/></linearGradient>`, m.base)
	w.f(`<linearGradient id="%scs" x1="0" y1="0" x2="1" y2="1">`, w.id)
	w.f(`<stop offset="0" stop-color="#f4f5f6"/><stop offset=".5" stop-color="#d5d8dc"/>`)
	w.f(`<stop offset="1" stop-color="#a9aeb4"/></linearGradient>`)
	w.f(`<filter id="%ssh" x="-5%%" y="-40%%" width="110%%" height="180%%">`, w.id)
	w.f(`<feGaussianBlur stdDeviation="12"/></filter>`)
	if m.brushed {
		w.f(`<pattern id="%sbr" width="40" height="6" patternUnits="userSpaceOnUse">`, w.id)
		w.f(`<path d="M0 1.5H40M0 4.5H26" stroke="#fff" stroke-opacity=".22" stroke-width="1"/>`)
		w.f(`</pattern>`)
	}
	writeTexture(w, lk)
	w.f(`</defs>`)
}

// writeTexture defines the leather grade's surface as a pattern (or a sheen gradient).
func writeTexture(w *svg, lk look) {
	dark, light := lk.leather.darker(45), lk.leather.lighter(30)
	pattern := func(width, height int) {
		w.f(`<pattern id="%stx" width="%d" height="%d" patternUnits="userSpaceOnUse">`,
			w.id, width, height)
	}
	switch lk.texture {
	case textureGloss:
		w.f(`<linearGradient id="%stx" x1="0" y1="0" x2="0" y2="1">`, w.id)
		w.f(`<stop offset=".1" stop-color="#fff" stop-opacity="0"/>`)
		w.f(`<stop offset=".24" stop-color="#fff" stop-opacity=".38"/>`)
		w.f(`<stop offset=".36" stop-color="#fff" stop-opacity="0"/></linearGradient>`)
		return
	case textureScales:
		pattern(76, 100)
		w.f(`<g fill="none" stroke="%s" stroke-opacity=".45" stroke-width="5">`, dark)
		w.f(`<rect x="4" y="4" width="68" height="42" rx="12"/>`)
		w.f(`<rect x="-34" y="54" width="68" height="42" rx="12"/>`)
		w.f(`<rect x="42" y="54" width="68" height="42" rx="12"/></g>`)
	case textureLizard:
		pattern(28, 36)
		w.f(`<g fill="none" stroke="%s" stroke-opacity=".4" stroke-width="3">`, dark)
		w.f(`<rect x="2" y="2" width="24" height="14" rx="5"/>`)
		w.f(`<rect x="-12" y="20" width="24" height="14" rx="5"/>`)
		w.f(`<rect x="16" y="20" width="24" height="14" rx="5"/></g>`)
	case textureQuill:
		pattern(90, 78)
		w.f(`<g fill="%s" fill-opacity=".35" stroke="%s" stroke-opacity=".4" stroke-width="3">`,
			dark, light)
		w.f(`<circle cx="18" cy="16" r="9"/><circle cx="62" cy="34" r="10"/>`)
		w.f(`<circle cx="30" cy="62" r="8"/></g>`)
	case texturePebble:
		pattern(24, 24)
		w.f(`<g fill="%s" fill-opacity=".22"><circle cx="6" cy="6" r="5"/>`, dark)
		w.f(`<circle cx="18" cy="17" r="6"/><circle cx="17" cy="4" r="3"/></g>`)
		w.f(`<circle cx="7" cy="18" r="3" fill="%s" fill-opacity=".2"/>`, light)
	case textureSuede:
		pattern(10, 10)
		w.f(`<g fill="%s" fill-opacity=".18"><circle cx="2" cy="3" r="1.5"/>`, dark)
		w.f(`<circle cx="7" cy="8" r="1.5"/></g>`)
		w.f(`<circle cx="7" cy="2" r="1.2" fill="%s" fill-opacity=".18"/>`, light)
	case textureWeave:
		pattern(14, 14)
		w.f(`<path d="M0 3.5H14M0 10.5H14M3.5 0V14M10.5 0V14" stroke="%s" `, dark)
		w.f(`stroke-opacity=".28" stroke-width="3"/>`)
	default:
		return
	}
	w.f(`</pattern>`)
}

// drawPiece paints one strap piece: edge, lining band, leather, texture.
func drawPiece(w *svg, lk look, d string) {
	band := 0
	if lk.hasLining {
		band = 7
	}
	w.f(`<path d="%s" fill="%s" stroke="%s" stroke-width="%d" stroke-linejoin="round"/>`,
		d, lk.edge, lk.edge, 2*(band+lk.edgeWidth))
	if lk.burnished {
		// Burnished edges catch the light along their crest.
		w.f(`<path d="%s" fill="none" stroke="%s" stroke-width="%d" stroke-opacity=".5" `+
			`stroke-linejoin="round"/>`, d, lk.edge.lighter(35), lk.edgeWidth/2*2+2*band)
	}
	if band > 0 {
		w.f(`<path d="%s" fill="none" stroke="%s" stroke-width="%d" stroke-linejoin="round"/>`,
			d, lk.lining, 2*band)
	}
	w.f(`<path d="%s" fill="url(#%slg)"/>`, d, w.id)
	if lk.texture != textureSmooth {
		w.f(`<path d="%s" fill="url(#%stx)"/>`, d, w.id)
	}
}

// stitchAttrs are the stroke attributes of saddle stitching.
func stitchAttrs(lk look) string {
	return sprintf(`class="stitch" fill="none" stroke="%s" stroke-width="8" `+
		`stroke-linecap="round" stroke-dasharray="22 18"`, lk.stitch)
}

func drawShortStitches(w *svg, lk look, g geometry) {
	top0, bot0 := cy-lk.buckleWidth/2+lk.inset, cy+lk.buckleWidth/2-lk.inset
	top1, bot1 := cy-lk.lugWidth/2+lk.inset, cy+lk.lugWidth/2-lk.inset
	x := xs0 + lk.inset
	switch lk.stitchPattern {
	case "none":
		return
	case "cross":
		var d strings.Builder
		crosses(&d, lk.inset, xs1, top1, x, top0)
		crosses(&d, lk.inset, x, top0, x, bot0)
		crosses(&d, lk.inset, x, bot0, xs1, bot1)
		w.f(`<path d="%s" %s/>`, d.String(), crossAttrs(lk))
		return
	}
	w.f(`<path d="M%d %dL%d %dV%dL%d %d" %s/>`, xs1, top1, x, top0, bot0, xs1, bot1,
		stitchAttrs(lk))
	if lk.stitchPattern == "box" {
		bx := caseX - caseR - 150
		w.f(`<path d="%s" %s/>`, boxX(bx, g.shortTop(bx)+lk.inset, bx+110, g.shortBot(bx)-lk.inset),
			stitchAttrs(lk))
	}
}

func drawLongStitches(w *svg, lk look, g geometry) {
	h1 := lk.lugWidth/2 - lk.inset
	tip := g.tipPath(lk.buckleWidth/2-lk.inset, lk.inset)
	switch lk.stitchPattern {
	case "none":
		return
	case "cross":
		var d strings.Builder
		crosses(&d, lk.inset, xl0, cy-h1, g.xt0, cy-lk.buckleWidth/2+lk.inset)
		crosses(&d, lk.inset, g.xt0, cy+lk.buckleWidth/2-lk.inset, xl0, cy+h1)
		w.f(`<path d="%s" %s/>`, d.String(), crossAttrs(lk))
		// Around the tip the crosses give way to a plain running stitch.
		w.f(`<path d="M%d %d%s" %s/>`, g.xt0, cy-lk.buckleWidth/2+lk.inset, tip, stitchAttrs(lk))
		return
	}
	w.f(`<path d="M%d %dL%d %d%sL%d %d" %s/>`, xl0, cy-h1, g.xt0, cy-lk.buckleWidth/2+lk.inset,
		tip, xl0, cy+h1, stitchAttrs(lk))
	if lk.stitchPattern == "box" {
		bx := caseX + caseR + 40
		w.f(`<path d="%s" %s/>`, boxX(bx, g.longTop(bx)+lk.inset, bx+110, g.longBot(bx)-lk.inset),
			stitchAttrs(lk))
	}
}

// crossAttrs are the stroke attributes of cross stitching.
func crossAttrs(lk look) string {
	return sprintf(`class="stitch" fill="none" stroke="%s" stroke-width="6" `+
		`stroke-linecap="round"`, lk.stitch)
}

// crosses appends X marks spaced along the straight line from (x0,y0) to (x1,y1), scaled
// to the stitching inset size.
func crosses(d *strings.Builder, size, x0, y0, x1, y1 int) {
	pitch, a := 40*size/26, 9*size/26
	n := max(abs(x1-x0), abs(y1-y0)) / pitch
	for i := range n {
		x := x0 + (x1-x0)*(2*i+1)/(2*n)
		y := y0 + (y1-y0)*(2*i+1)/(2*n)
		printf(d, "M%d %dl%d %dm0 %dl%d %d", x-a, y-a, 2*a, 2*a, -2*a, -2*a, 2*a)
	}
}

// boxX is the box-and-cross stitch that reinforces a strap near its lugs.
func boxX(x0, y0, x1, y1 int) string {
	return sprintf("M%d %dH%dV%dH%dZM%d %dL%d %dM%d %dL%d %d",
		x0, y0, x1, y1, x0, x0, y0, x1, y1, x1, y0, x0, y1)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func drawKeepers(w *svg, lk look, g geometry) {
	var xs []int
	switch lk.keepers {
	case 1:
		xs = []int{xs0 + 150}
	case 2:
		xs = []int{xs0 + 95, xs0 + 215}
	}
	fill := lk.keeper.String()
	stroke := lk.edge
	if lk.keeperMetal {
		fill, stroke = sprintf("url(#%shw)", w.id), lk.metal.dark
	}
	for _, x := range xs {
		top, bot := g.shortTop(x)-18, g.shortBot(x)+18
		w.f(`<rect class="keeper" x="%d" y="%d" width="54" height="%d" rx="14" fill="%s" `+
			`stroke="%s" stroke-width="%d"/>`, x, top, bot-top, fill, stroke,
			max(lk.edgeWidth-2, 4))
		// A highlight where the keeper rounds over the strap's face.
		w.f(`<path d="M%d %dV%d" stroke="#fff" stroke-opacity=".22" stroke-width="10" `+
			`stroke-linecap="round"/>`, x+17, top+14, bot-14)
	}
}

// drawMonogram engraves the monogram between the keepers and the lugs of the short piece.
func drawMonogram(w *svg, lk look, g geometry, monogram string) {
	text := cleanText(monogram, MaxMonogramRunes)
	if text == "" {
		return
	}
	x0 := xs0 + 90
	switch lk.keepers {
	case 1:
		x0 = xs0 + 240
	case 2:
		x0 = xs0 + 310
	}
	x1 := caseX - caseR - 40
	if lk.stitchPattern == "box" {
		x1 = caseX - caseR - 170
	}
	mid := (x0 + x1) / 2
	avail := x1 - x0
	height := g.shortBot(mid) - g.shortTop(mid) - 2*lk.inset - 16
	// Full size fills the space between the stitch lines; long text shrinks down to 55% of
	// that, and what still does not fit is cut. Widths are estimated per glyph, so the text
	// fits even where a renderer ignores textLength.
	size := height * 62 / 100
	minSize := size * 55 / 100
	em, kept := 0, 0
	for i, r := range text {
		if (em+glyphWidth(r))*minSize/100 > avail {
			text = text[:i]
			break
		}
		em += glyphWidth(r)
		kept++
	}
	if kept == 0 {
		return
	}
	size = min(size, avail*100/em)
	length := em * size / 100
	base := cy + size*35/100
	dy := 3
	if lk.monoRaised {
		dy = -3
	}
	attrs := sprintf(`x="%d" text-anchor="middle" font-family="Didot, 'Bodoni 72', `+
		`Georgia, 'Times New Roman', serif" font-size="%d" letter-spacing="%d" `+
		`textLength="%d" lengthAdjust="spacingAndGlyphs"`, mid, size, size*letterSpacing/100,
		length)
	// The offset copy is the light catching the lower lip of a pressed letter (or the
	// shadow under a raised one).
	w.f(`<g class="monogram"><text %s y="%d" fill="%s" fill-opacity=".7">`, attrs, base+dy,
		lk.monoShadow)
	w.text(text)
	w.f(`</text><text %s y="%d" fill="%s">`, attrs, base, lk.monoFill)
	w.text(text)
	w.f(`</text></g>`)
}

// buckleOutline is the silhouette of the buckle or clasp, for its shadow.
func buckleOutline(lk look) string {
	switch lk.buckle {
	case "deployant":
		return deployantBody(lk)
	case "butterfly":
		return butterflyBody(lk)
	}
	return pinFrame(lk)
}

// pinFrame is the frame of a pin buckle, a ring for an even-odd fill.
func pinFrame(lk look) string {
	const t = 26
	bx0, bx1 := xs0-165, xs0+50
	yt, yb := cy-lk.buckleWidth/2-36, cy+lk.buckleWidth/2+36
	return roundRect(bx0, yt, bx1, yb, 62, 12) + roundRect(bx0+t, yt+t, bx1-t, yb-t, 40, 6)
}

func deployantBody(lk look) string {
	return roundRect(45, cy-lk.buckleWidth/2-16, 330, cy+lk.buckleWidth/2+16, 36, 20)
}

func butterflyBody(lk look) string {
	yt, yb := cy-lk.buckleWidth/2-24, cy+lk.buckleWidth/2+24
	return sprintf("M70 %dH330Q290 %d 330 %dH70Q110 %d 70 %dZ", yt, cy, yb, cy, yt)
}

// letterSpacing is the monogram's tracking in hundredths of an em.
const letterSpacing = 8

// glyphWidth estimates the advance of r in a serif face, in hundredths of an em, tracking
// included; generous, so that estimated text never overflows.
func glyphWidth(r rune) int {
	w := 70
	switch {
	case strings.ContainsRune("MWmw@%&ÆŒæœ", r):
		w = 95
	case strings.ContainsRune(" .,:;'!|·", r):
		w = 32
	case strings.ContainsRune("fijlrtI", r):
		w = 40
	case unicode.IsUpper(r):
		w = 76
	case unicode.IsLower(r):
		w = 58
	case unicode.IsDigit(r):
		w = 60
	case r >= 0x1100:
		w = 105 // CJK, Hangul, emoji and other wide glyphs
	}
	return w + letterSpacing
}

// drawPinFrame draws the buckle frame the short piece is folded around; the tongue is drawn
// later, over the strap.
func drawPinFrame(w *svg, lk look) {
	d := pinFrame(lk)
	w.f(`<path fill-rule="evenodd" fill="url(#%shw)" stroke="%s" stroke-width="3" d="%s"/>`,
		w.id, lk.metal.dark, d)
	brushed(w, lk, d)
}

// brushed lays the brushed-metal grain over a hardware shape.
func brushed(w *svg, lk look, d string) {
	if lk.metal.brushed {
		w.f(`<path fill-rule="evenodd" fill="url(#%sbr)" d="%s"/>`, w.id, d)
	}
}

// roundRect is a closed path with radius rl on the left corners and rr on the right ones.
func roundRect(x0, y0, x1, y1, rl, rr int) string {
	return sprintf("M%d %dH%dQ%d %d %d %dV%dQ%d %d %d %dH%dQ%d %d %d %dV%dQ%d %d %d %dZ",
		x1-rr, y0, x0+rl, x0, y0, x0, y0+rl, y1-rl, x0, y1, x0+rl, y1, x1-rr,
		x1, y1, x1, y1-rr, y0+rr, x1, y0, x1-rr, y0)
}

// drawBuckleFront draws what lies over the strap: the pin buckle's tongue, or the closed
// deployant or butterfly clasp the short piece runs into.
func drawBuckleFront(w *svg, lk look) {
	hw := sprintf(`fill="url(#%shw)" stroke="%s" stroke-width="3"`, w.id, lk.metal.dark)
	half := lk.buckleWidth / 2
	switch lk.buckle {
	case "deployant":
		for _, y := range []int{cy - half - 34, cy + half + 8} {
			w.f(`<rect x="150" y="%d" width="60" height="26" rx="9" %s/>`, y, hw)
		}
		body := deployantBody(lk)
		w.f(`<path d="%s" %s/>`, body, hw)
		brushed(w, lk, body)
		plate := roundRect(78, cy-half+4, 305, cy+half-4, 26, 14)
		w.f(`<path d="%s" %s/>`, plate, hw)
		brushed(w, lk, plate)
		w.f(`<path d="M110 %dV%d" stroke="%s" stroke-width="4" stroke-opacity=".6"/>`,
			cy-half+14, cy+half-14, lk.metal.dark)
	case "butterfly":
		yt, yb := cy-half-24, cy+half+24
		body := butterflyBody(lk)
		w.f(`<path d="%s" %s/>`, body, hw)
		brushed(w, lk, body)
		// The two wings meet in the middle under a small cover plate.
		w.f(`<path d="M200 %dV%dM200 %dV%d" stroke="%s" stroke-width="4"/>`,
			yt+4, cy-30, cy+30, yb-4, lk.metal.dark)
		w.f(`<rect x="168" y="%d" width="64" height="60" rx="14" %s/>`, cy-30, hw)
	default:
		d := sprintf("M%d %dH%dQ%d %d %d %dH%dZ", xs0+58, cy-11, xs0-148, xs0-168, cy,
			xs0-148, cy+11, xs0+58)
		w.f(`<path d="%s" %s/>`, d, hw)
		brushed(w, lk, d)
	}
}

func drawHoles(w *svg, lk look, g geometry) {
	half := lk.buckleWidth / 2
	if lk.style == StyleSport {
		// Rally-style perforations between the lugs and the adjustment holes.
		var d strings.Builder
		for x := caseX + caseR + 80; x < g.xt0-560; x += 44 {
			off := (g.longBot(x) - g.longTop(x)) / 5
			for _, y := range []int{cy - off, cy + off} {
				printf(&d, "M%d %da8 8 0 1 0 16 0a8 8 0 1 0-16 0", x-8, y)
			}
		}
		w.f(`<path class="perforations" d="%s" fill="%s"/>`, d.String(), lk.leather.darker(65))
	}
	count, pitch := 7, 64
	switch lk.buckle {
	case "butterfly":
		return // a butterfly clasp strap is cut to the wrist, without holes
	case "deployant":
		count, pitch = 5, 52
	}
	r := min(16, half/5+3)
	w.f(`<g class="holes" fill="%s" stroke="%s" stroke-width="5">`, lk.leather.darker(72),
		lk.leather.darker(30))
	for i := range count {
		w.f(`<circle cx="%d" cy="%d" r="%d"/>`, g.xt0-70-i*pitch, cy, r)
	}
	w.f(`</g>`)
}

func drawWatchHead(w *svg, lk look) {
	half := lk.lugWidth / 2
	steel := sprintf(`fill="url(#%scs)" stroke="#9aa0a7" stroke-width="4"`, w.id)
	for _, x := range []int{caseX - 262, caseX + 150} {
		for _, y := range []int{cy - half - 42, cy + half + 16} {
			w.f(`<rect x="%d" y="%d" width="112" height="26" rx="12" %s/>`, x, y, steel)
		}
	}
	// The crown sits at 3 o'clock: with 12 o'clock toward the buckle, that is the top.
	w.f(`<rect x="%d" y="%d" width="50" height="36" rx="8" %s/>`, caseX-25, cy-caseR-28,
		steel)
	w.f(`<circle cx="%d" cy="%d" r="%d" %s/>`, caseX, cy, caseR, steel)
	w.f(`<circle cx="%d" cy="%d" r="%d" fill="#f8f8f6" stroke="#c5c9ce" stroke-width="3"/>`,
		caseX, cy, caseR-24)
	// Twelve hour markers as one dashed circle: circumference 2π·152 ≈ 955.04 = 12 × 79.59.
	w.f(`<circle cx="%d" cy="%d" r="152" fill="none" stroke="#8c9197" stroke-width="18" `+
		`stroke-dasharray="5 74.59" stroke-dashoffset="2.5"/>`, caseX, cy)
	// Hands at ten past ten, the watchmaker's smile.
	w.f(`<path d="M%d %dl-48 83M%d %dl-72 -125" stroke="#4b5057" stroke-width="12" `+
		`stroke-linecap="round"/>`, caseX, cy, caseX, cy)
	w.f(`<circle cx="%d" cy="%d" r="12" fill="#4b5057"/>`, caseX, cy)
}
