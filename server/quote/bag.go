package quote

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
)

// BagLine is one configured piece of a bag, priced per piece before any discount.
type BagLine struct {
	// Product is the product's id; its pieces count towards its own minimum and tiers and
	// towards those of every bundle that holds it.
	Product int
	// Unit is the price of one piece before discounts (base + options + surcharges, ≥ 0).
	Unit int64
	// Quantity is the number of pieces (≥ 1).
	Quantity int
	// DepositBasisPoints is the share of the line's total due now (3000 = 30%).
	DepositBasisPoints int
}

// ProductTerms are a product's minimum order quantity and its quantity tiers, counted over
// every line of the product in the bag.
type ProductTerms struct {
	ID          int
	Name        string
	MinQuantity int
	Tiers       []Tier
}

// BundleTerms are a bundle's (capsule collection's) minimum and tiers, counted over the pieces
// of every product it holds.
type BundleTerms struct {
	ID          int
	Name        string
	Products    []int
	MinQuantity int
	Tiers       []Tier
}

// BagInput is what [PriceBag] needs.
type BagInput struct {
	Lines    []BagLine
	Products []ProductTerms
	Bundles  []BundleTerms
}

// BagLineQuote is a priced bag line. Subtotal − Discount = Total; Deposit ≤ Total.
type BagLineQuote struct {
	Subtotal, Discount, Total, Deposit int64
	// Tier is the tier applied to the line, nil if none; Label names it and where it counts,
	// e.g. "Capsule 10+ (−10%)".
	Tier  *Tier
	Label string
}

// Shortfall is a minimum a bag does not reach yet.
type Shortfall struct {
	// Bundle is the bundle's id, 0 for a product's own minimum; Product is then the product's.
	Bundle, Product int
	// Name is the bundle's or product's name.
	Name string
	// Minimum is the minimum, Have the pieces that count towards it, Missing the difference.
	Minimum, Have, Missing int
	// Message says what is missing, e.g. "2 more pieces from the Capsule to reach the minimum
	// of 5".
	Message string
}

// BagQuote is a priced bag: its lines in input order, which add up exactly to its totals.
type BagQuote struct {
	Lines                                       []BagLineQuote
	Pieces                                      int
	Subtotal, Discount, Total, Deposit, Balance int64
	Shortfalls                                  []Shortfall
}

// group is the lines that take their discount from the same tier of the same product or
// bundle.
type group struct {
	label string
	tier  Tier
	lines []int
}

// PriceBag prices the lines of a bag together. A product's tiers count the pieces of all its
// lines; a bundle's tiers the pieces of all its products' lines; each line takes the largest
// discount it qualifies for. The discount of the lines sharing one tier is taken once on their
// joint subtotal (rounded down) and shared out in proportion to their subtotals by largest
// remainder, so every amount is an integer and the lines add up to the totals exactly. It
// returns an [*InputError] for a quantity below 1, a negative unit price, basis points outside
// 0..10000 or amounts that overflow.
func PriceBag(in BagInput) (BagQuote, error) {
	products := map[int]ProductTerms{}
	for _, p := range in.Products {
		products[p.ID] = p
	}
	pieces := map[int]int{}
	var q BagQuote
	q.Lines = make([]BagLineQuote, len(in.Lines))
	for i, l := range in.Lines {
		field := fmt.Sprintf("Lines[%d]", i)
		switch {
		case l.Quantity < 1:
			return BagQuote{}, inputErr(field+".Quantity", "quantity must be at least 1, got %d", l.Quantity)
		case l.Unit < 0:
			return BagQuote{}, inputErr(field+".Unit", "unit price must not be negative, got %d", l.Unit)
		case !validBasisPoints(l.DepositBasisPoints):
			return BagQuote{}, inputErr(field+".DepositBasisPoints",
				"deposit must be 0..10000 basis points, got %d", l.DepositBasisPoints)
		}
		sub, ok := mulChecked(l.Unit, int64(l.Quantity))
		if !ok {
			return BagQuote{}, overflowErr(field + ".Quantity")
		}
		if q.Subtotal, ok = addChecked(q.Subtotal, sub); !ok {
			return BagQuote{}, overflowErr(field + ".Quantity")
		}
		q.Lines[i].Subtotal = sub
		pieces[l.Product] += l.Quantity
		q.Pieces += l.Quantity
	}
	for _, b := range in.Bundles {
		for i, t := range b.Tiers {
			if t.MinQuantity < 1 || !validBasisPoints(t.DiscountBasisPoints) {
				return BagQuote{}, inputErr(fmt.Sprintf("Bundles[%d].Tiers[%d]", b.ID, i),
					"a tier needs at least 1 piece and 0..10000 basis points")
			}
		}
	}
	bundlePieces := make([]int, len(in.Bundles))
	for bi, b := range in.Bundles {
		for _, pid := range uniq(b.Products) {
			bundlePieces[bi] += pieces[pid]
		}
	}

	// Each line takes the best tier among its product's and its bundles'; the first found wins
	// ties, so the same bag always prices the same.
	groups := map[string]*group{}
	var order []string
	for i, l := range in.Lines {
		var best *group
		consider := func(key, name string, tiers []Tier, count int) {
			t := bestTier(tiers, count)
			if t == nil || t.DiscountBasisPoints == 0 {
				return
			}
			if best != nil && best.tier.DiscountBasisPoints >= t.DiscountBasisPoints {
				return
			}
			g, ok := groups[key]
			if !ok {
				g = &group{label: fmt.Sprintf("%s %d+ (−%s%%)", name, t.MinQuantity,
					percent(t.DiscountBasisPoints)), tier: *t}
				groups[key] = g
				order = append(order, key)
			}
			best = g
		}
		if p, ok := products[l.Product]; ok {
			consider(fmt.Sprintf("p%d", p.ID), p.Name, p.Tiers, pieces[l.Product])
		}
		for bi, b := range in.Bundles {
			if slices.Contains(b.Products, l.Product) {
				consider(fmt.Sprintf("b%d", b.ID), b.Name, b.Tiers, bundlePieces[bi])
			}
		}
		if best != nil {
			best.lines = append(best.lines, i)
		}
	}
	for _, key := range order {
		g := groups[key]
		if len(g.lines) == 0 {
			continue
		}
		var sub int64
		for _, i := range g.lines {
			sub += q.Lines[i].Subtotal // ≤ q.Subtotal, checked above
		}
		discount, _ := shareOf(sub, g.tier.DiscountBasisPoints)
		weights := make([]int64, len(g.lines))
		for k, i := range g.lines {
			weights[k] = q.Lines[i].Subtotal
		}
		for k, d := range Allocate(discount, weights) {
			i := g.lines[k]
			t := g.tier
			q.Lines[i].Discount, q.Lines[i].Tier, q.Lines[i].Label = d, &t, g.label
		}
	}
	for i, l := range in.Lines {
		ql := &q.Lines[i]
		ql.Total = ql.Subtotal - ql.Discount
		_, ql.Deposit = shareOf(ql.Total, l.DepositBasisPoints)
		q.Discount += ql.Discount
		q.Total += ql.Total
		q.Deposit += ql.Deposit
	}
	q.Balance = q.Total - q.Deposit
	q.Shortfalls = Shortfalls(in, pieces, bundlePieces)
	return q, nil
}

// Shortfalls lists the minimums the bag misses: first each bundle's (counted over its
// products' pieces, when the bag holds any), then each product's (reached by its own pieces or
// by those of a bundle that holds it).
func Shortfalls(in BagInput, pieces map[int]int, bundlePieces []int) []Shortfall {
	var out []Shortfall
	for bi, b := range in.Bundles {
		have := bundlePieces[bi]
		if have > 0 && have < b.MinQuantity {
			out = append(out, shortfall(b.ID, 0, "from the "+b.Name, b.Name, b.MinQuantity, have))
		}
	}
	for _, p := range in.Products {
		have := pieces[p.ID]
		if have == 0 || have >= p.MinQuantity {
			continue
		}
		for bi, b := range in.Bundles {
			if slices.Contains(b.Products, p.ID) {
				have = max(have, bundlePieces[bi])
			}
		}
		if have < p.MinQuantity {
			out = append(out, shortfall(0, p.ID, "of "+p.Name, p.Name, p.MinQuantity, have))
		}
	}
	return out
}

func shortfall(bundle, product int, from, name string, minimum, have int) Shortfall {
	missing := minimum - have
	noun := "pieces"
	if missing == 1 {
		noun = "piece"
	}
	return Shortfall{
		Bundle: bundle, Product: product, Name: name, Minimum: minimum, Have: have,
		Missing: missing,
		Message: fmt.Sprintf("%d more %s %s to reach the minimum of %d", missing, noun, from, minimum),
	}
}

// Allocate shares amount (≥ 0) out in proportion to weights (each ≥ 0, their sum ≥ amount
// or zero) by largest remainder: every share is an integer, the shares add up to amount
// exactly, no share exceeds its weight, and equal remainders go to the earlier weight. With
// all weights zero, everything goes to the first.
func Allocate(amount int64, weights []int64) []int64 {
	out := make([]int64, len(weights))
	if len(weights) == 0 || amount == 0 {
		return out
	}
	var total uint64
	for _, w := range weights {
		total += uint64(w)
	}
	if total == 0 {
		out[0] = amount
		return out
	}
	rems := make([]uint64, len(weights))
	var given int64
	for i, w := range weights {
		hi, lo := bits.Mul64(uint64(w), uint64(amount))
		// w × amount < total × 2^64, so the quotient fits.
		share, rem := bits.Div64(hi, lo, total)
		out[i], rems[i] = int64(share), rem
		given += int64(share)
	}
	idx := make([]int, len(weights))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(rems[b], rems[a]) })
	for k := 0; given < amount; k++ {
		out[idx[k]]++
		given++
	}
	return out
}

func uniq(ids []int) []int {
	s := slices.Clone(ids)
	slices.Sort(s)
	return slices.Compact(s)
}
