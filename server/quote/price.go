package quote

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultBaseLabel labels the base-price line when [Input.BaseLabel] is empty.
const DefaultBaseLabel = "Base strap"

// Line is one labelled amount in minor units: a price delta in an [Input], or a row of
// the breakdown in a [Quote].
type Line struct {
	// Label reads as shown to the customer, e.g. "Leather: Shell cordovan".
	Label string
	// Amount is in minor units of the quote's currency; it may be negative.
	Amount int64
}

// Tier is a quantity discount: DiscountBasisPoints off every piece from MinQuantity pieces
// (500 = 5% off).
type Tier struct {
	// MinQuantity is the smallest quantity the tier applies to (≥ 1).
	MinQuantity int
	// DiscountBasisPoints is the discount in hundredths of a percent (0..10000).
	DiscountBasisPoints int
}

// Input is what [Price] needs to price an order line.
type Input struct {
	// Currency is an ISO 4217 code supported by [MinorUnitDigits], e.g. "USD".
	Currency string
	// BasePrice is the product's price for one piece (≥ 0).
	BasePrice int64
	// BaseLabel labels the base-price line; empty means [DefaultBaseLabel].
	BaseLabel string
	// Options are per-piece price deltas of the chosen options; they may be negative or
	// zero, and zero deltas do not appear in the breakdown.
	Options []Line
	// Surcharges are the per-piece conditional price rules that apply (the caller has
	// evaluated their conditions); each appears in the breakdown.
	Surcharges []Line
	// Quantity is the number of pieces (≥ 1).
	Quantity int
	// Tiers are the quantity tiers; the applicable tier with the largest discount wins.
	Tiers []Tier
	// DepositBasisPoints is the share paid now (3000 = 30%); the balance is due before
	// shipping. 0 means no deposit, 10000 full payment up front.
	DepositBasisPoints int
}

// Quote is a priced order line with its breakdown and payment split.
type Quote struct {
	// Currency is the input's currency code.
	Currency string
	// Unit is the price of one piece before the tier discount (base + options + surcharges).
	Unit int64
	// NetUnit is the price of one piece after the tier discount.
	NetUnit int64
	// Quantity is the number of pieces.
	Quantity int
	// Lines is the breakdown: base × quantity, each non-zero option × quantity, each
	// surcharge × quantity, then the tier discount (negative). It sums exactly to Total.
	Lines []Line
	// Subtotal is Unit × Quantity.
	Subtotal int64
	// Discount is the tier discount for the whole line (≥ 0; shown negative in Lines).
	Discount int64
	// Total is Subtotal − Discount, i.e. NetUnit × Quantity.
	Total int64
	// Tier is the tier applied, nil if none.
	Tier *Tier
	// Deposit is due now; Deposit + Balance == Total.
	Deposit int64
	// Balance is due before shipping.
	Balance int64
}

// Price computes the quote for in. It returns an [*InputError] (matching [ErrInvalidInput],
// and [ErrOverflow] when an amount does not fit in an int64) for an unsupported currency,
// a quantity below 1, a negative base or unit price, basis points outside 0..10000 or a
// tier below one piece. The rounding rules are in the package documentation.
func Price(in Input) (Quote, error) {
	if err := validate(in); err != nil {
		return Quote{}, err
	}
	qty := int64(in.Quantity)

	unit := in.BasePrice
	baseLabel := in.BaseLabel
	if baseLabel == "" {
		baseLabel = DefaultBaseLabel
	}
	base, ok := mulChecked(in.BasePrice, qty)
	if !ok {
		return Quote{}, overflowErr("BasePrice")
	}
	lines := make([]Line, 0, 2+len(in.Options)+len(in.Surcharges))
	lines = append(lines, Line{Label: times(baseLabel, in.Quantity), Amount: base})

	addDeltas := func(field, fallback string, deltas []Line, skipZero bool) error {
		for i, d := range deltas {
			if skipZero && d.Amount == 0 {
				continue
			}
			next, okUnit := addChecked(unit, d.Amount)
			amount, okLine := mulChecked(d.Amount, qty)
			if !okUnit || !okLine {
				return overflowErr(fmt.Sprintf("%s[%d].Amount", field, i))
			}
			unit = next
			label := d.Label
			if label == "" {
				label = fallback
			}
			lines = append(lines, Line{Label: times(label, in.Quantity), Amount: amount})
		}
		return nil
	}
	if err := addDeltas("Options", "Option", in.Options, true); err != nil {
		return Quote{}, err
	}
	if err := addDeltas("Surcharges", "Surcharge", in.Surcharges, false); err != nil {
		return Quote{}, err
	}
	if unit < 0 {
		return Quote{}, inputErr("Unit",
			"unit price after options and surcharges must not be negative, got %d", unit)
	}

	// The lines were each checked; their running sum can still leave the int64 range when
	// large positive and negative deltas alternate, so it is checked too.
	var subtotal int64
	for _, l := range lines {
		if subtotal, ok = addChecked(subtotal, l.Amount); !ok {
			return Quote{}, overflowErr("Quantity")
		}
	}
	if s, ok := mulChecked(unit, qty); !ok || s != subtotal {
		return Quote{}, overflowErr("Quantity")
	}

	q := Quote{
		Currency: in.Currency,
		Unit:     unit,
		NetUnit:  unit,
		Quantity: in.Quantity,
		Subtotal: subtotal,
		Total:    subtotal,
	}
	if tier := bestTier(in.Tiers, in.Quantity); tier != nil {
		perPiece, _ := shareOf(unit, tier.DiscountBasisPoints)
		// perPiece ≤ unit, so perPiece × qty ≤ subtotal cannot overflow.
		q.Tier = tier
		q.NetUnit = unit - perPiece
		q.Discount = perPiece * qty
		q.Total = subtotal - q.Discount
		if q.Discount != 0 {
			lines = append(lines, Line{Label: tierLabel(*tier), Amount: -q.Discount})
		}
	}
	q.Lines = lines
	_, q.Deposit = shareOf(q.Total, in.DepositBasisPoints)
	q.Balance = q.Total - q.Deposit
	return q, nil
}

func validate(in Input) error {
	if in.Currency == "" {
		return inputErr("Currency", "currency is required")
	}
	if _, ok := MinorUnitDigits(in.Currency); !ok {
		return inputErr("Currency", "unsupported currency %q", in.Currency)
	}
	if in.Quantity < 1 {
		return inputErr("Quantity", "quantity must be at least 1, got %d", in.Quantity)
	}
	if in.BasePrice < 0 {
		return inputErr("BasePrice", "base price must not be negative, got %d", in.BasePrice)
	}
	for i, t := range in.Tiers {
		if t.MinQuantity < 1 {
			return inputErr(fmt.Sprintf("Tiers[%d].MinQuantity", i),
				"tier minimum quantity must be at least 1, got %d", t.MinQuantity)
		}
		if !validBasisPoints(t.DiscountBasisPoints) {
			return inputErr(fmt.Sprintf("Tiers[%d].DiscountBasisPoints", i),
				"discount must be 0..10000 basis points, got %d", t.DiscountBasisPoints)
		}
	}
	if !validBasisPoints(in.DepositBasisPoints) {
		return inputErr("DepositBasisPoints",
			"deposit must be 0..10000 basis points, got %d", in.DepositBasisPoints)
	}
	return nil
}

func validBasisPoints(bp int) bool { return bp >= 0 && bp <= basisPointsPerUnit }

// bestTier returns a copy of the applicable tier with the largest discount (the smallest
// minimum quantity among equals), or nil when none applies.
func bestTier(tiers []Tier, qty int) *Tier {
	var best *Tier
	for _, t := range tiers {
		if t.MinQuantity > qty {
			continue
		}
		if best == nil || t.DiscountBasisPoints > best.DiscountBasisPoints ||
			(t.DiscountBasisPoints == best.DiscountBasisPoints && t.MinQuantity < best.MinQuantity) {
			c := t
			best = &c
		}
	}
	return best
}

// times appends " × n" to a label for more than one piece.
func times(label string, n int) string {
	if n == 1 {
		return label
	}
	return label + " × " + strconv.Itoa(n)
}

// tierLabel reads "Quantity tier 10+ (−10%)" or "Quantity tier 5+ (−2.5%)".
func tierLabel(t Tier) string {
	return fmt.Sprintf("Quantity tier %d+ (−%s%%)", t.MinQuantity, percent(t.DiscountBasisPoints))
}

// percent formats basis points as a percentage without trailing zeros: 1250 → "12.5".
func percent(bp int) string {
	s := fmt.Sprintf("%d.%02d", bp/100, bp%100)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}
