package preview

// geometry holds the outline of both pieces for a look.
type geometry struct {
	lug, buckle int // widths at the lugs and at the buckle end / tip
	xt0         int // where the long piece's tip begins
	tipLen      int
	style       string
}

func newGeometry(lk look) geometry {
	g := geometry{lug: lk.lugWidth, buckle: lk.buckleWidth, style: lk.style}
	h := lk.buckleWidth / 2
	switch lk.style {
	case StyleSport:
		g.tipLen = h // a round end
	case StyleDress:
		g.tipLen = 2 * h // a long, pointed end
	default:
		g.tipLen = h * 3 / 2
	}
	g.xt0 = xl1 - g.tipLen
	return g
}

// lerp interpolates linearly between a at x0 and b at x1.
func lerp(a, b, x0, x1, x int) int { return a + (b-a)*(x-x0)/(x1-x0) }

func (g geometry) shortTop(x int) int { return cy - lerp(g.buckle, g.lug, xs0, xs1, x)/2 }
func (g geometry) shortBot(x int) int { return cy + lerp(g.buckle, g.lug, xs0, xs1, x)/2 }
func (g geometry) longTop(x int) int  { return cy - lerp(g.lug, g.buckle, xl0, g.xt0, x)/2 }
func (g geometry) longBot(x int) int  { return cy + lerp(g.lug, g.buckle, xl0, g.xt0, x)/2 }

// shortPath is the short piece: square lug end under the case, slightly rounded corners at
// the buckle end.
func (g geometry) shortPath() string {
	const r = 14
	t0, b0 := cy-g.buckle/2, cy+g.buckle/2
	t1, b1 := cy-g.lug/2, cy+g.lug/2
	return sprintf("M%d %dL%d %dQ%d %d %d %dV%dQ%d %d %d %dL%d %dZ",
		xs1, t1, xs0+r, t0, xs0, t0, xs0, t0+r, b0-r, xs0, b0, xs0+r, b0, xs1, b1)
}

// longPath is the long piece from the lugs to its tip.
func (g geometry) longPath() string {
	return sprintf("M%d %dL%d %d%sL%d %dZ", xl0, cy-g.lug/2, g.xt0, cy-g.buckle/2,
		g.tipPath(g.buckle/2, 0), xl0, cy+g.lug/2)
}

// tipPath runs around the tip from (xt0, cy−h) to (xt0, cy+h), drawn in by in from the
// outline's end (the stitching follows the outline at a distance).
func (g geometry) tipPath(h, in int) string {
	end := xl1 - in
	var c1x, c2x, c2y int
	switch g.style {
	case StyleSport:
		c1x, c2x, c2y = g.xt0+(end-g.xt0)*55/100, end, h*55/100
	case StyleDress:
		end = xl1 - in*3/2
		c1x, c2x, c2y = g.xt0+(end-g.xt0)/2, end-(end-g.xt0)/12, h/4
	default:
		end = xl1 - in*5/4
		c1x, c2x, c2y = g.xt0+(end-g.xt0)*55/100, end, h*55/100
	}
	return sprintf("C%d %d %d %d %d %dC%d %d %d %d %d %d",
		c1x, cy-h, c2x, cy-c2y, end, cy, c2x, cy+c2y, c1x, cy+h, g.xt0, cy+h)
}
