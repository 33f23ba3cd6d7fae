package quote_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/quote"
)

// demoInput is a shell cordovan strap with a monogram in USD, tiers at 5/10/20 pieces and
// a 30% deposit.
func demoInput(qty int) quote.Input {
	return quote.Input{
		Currency:  "USD",
		BasePrice: 18500,
		Options: []quote.Line{
			{Label: "Leather: Shell cordovan", Amount: 4500},
			{Label: "Stitching: Natural linen", Amount: 0},
			{Label: "Buckle: Brushed steel", Amount: -500},
		},
		Surcharges: []quote.Line{{Label: "Monogram", Amount: 1500}},
		Quantity:   qty,
		Tiers: []quote.Tier{
			{MinQuantity: 5, DiscountBasisPoints: 500},
			{MinQuantity: 10, DiscountBasisPoints: 1000},
			{MinQuantity: 20, DiscountBasisPoints: 1500},
		},
		DepositBasisPoints: 3000,
	}
}

func TestPrice(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   quote.Input
		want quote.Quote
	}{
		{
			name: "single piece, no tier",
			in:   demoInput(1),
			want: quote.Quote{
				Currency: "USD", Unit: 24000, NetUnit: 24000, Quantity: 1,
				Lines: []quote.Line{
					{Label: "Base strap", Amount: 18500},
					{Label: "Leather: Shell cordovan", Amount: 4500},
					{Label: "Buckle: Brushed steel", Amount: -500},
					{Label: "Monogram", Amount: 1500},
				},
				Subtotal: 24000, Total: 24000, Deposit: 7200, Balance: 16800,
			},
		},
		{
			name: "ten pieces take the 10% tier",
			in:   demoInput(10),
			want: quote.Quote{
				Currency: "USD", Unit: 24000, NetUnit: 21600, Quantity: 10,
				Lines: []quote.Line{
					{Label: "Base strap × 10", Amount: 185000},
					{Label: "Leather: Shell cordovan × 10", Amount: 45000},
					{Label: "Buckle: Brushed steel × 10", Amount: -5000},
					{Label: "Monogram × 10", Amount: 15000},
					{Label: "Quantity tier 10+ (−10%)", Amount: -24000},
				},
				Subtotal: 240000, Discount: 24000, Total: 216000,
				Tier:    &quote.Tier{MinQuantity: 10, DiscountBasisPoints: 1000},
				Deposit: 64800, Balance: 151200,
			},
		},
		{
			name: "discount per piece rounds down, deposit rounds up",
			in: quote.Input{
				Currency: "EUR", BasePrice: 999, Quantity: 3,
				Tiers:              []quote.Tier{{MinQuantity: 2, DiscountBasisPoints: 250}},
				DepositBasisPoints: 3333,
			},
			want: quote.Quote{
				// 999 × 2.5% = 24.975 → 24 per piece; 2925 × 33.33% = 974.9025 → 975.
				Currency: "EUR", Unit: 999, NetUnit: 975, Quantity: 3,
				Lines: []quote.Line{
					{Label: "Base strap × 3", Amount: 2997},
					{Label: "Quantity tier 2+ (−2.5%)", Amount: -72},
				},
				Subtotal: 2997, Discount: 72, Total: 2925,
				Tier:    &quote.Tier{MinQuantity: 2, DiscountBasisPoints: 250},
				Deposit: 975, Balance: 1950,
			},
		},
		{
			name: "unsorted tiers: the best applicable one wins",
			in: quote.Input{
				Currency: "JPY", BasePrice: 30000, BaseLabel: "Dress strap", Quantity: 12,
				Tiers: []quote.Tier{
					{MinQuantity: 10, DiscountBasisPoints: 700},
					{MinQuantity: 5, DiscountBasisPoints: 800},
					{MinQuantity: 20, DiscountBasisPoints: 2000},
				},
			},
			want: quote.Quote{
				Currency: "JPY", Unit: 30000, NetUnit: 27600, Quantity: 12,
				Lines: []quote.Line{
					{Label: "Dress strap × 12", Amount: 360000},
					{Label: "Quantity tier 5+ (−8%)", Amount: -28800},
				},
				Subtotal: 360000, Discount: 28800, Total: 331200,
				Tier:    &quote.Tier{MinQuantity: 5, DiscountBasisPoints: 800},
				Balance: 331200,
			},
		},
		{
			name: "free strap with full prepayment",
			in: quote.Input{
				Currency: "GBP", Quantity: 2, DepositBasisPoints: 10000,
				Options:    []quote.Line{{Amount: 0}},
				Surcharges: []quote.Line{{Amount: 0}},
			},
			want: quote.Quote{
				Currency: "GBP", Quantity: 2,
				Lines: []quote.Line{
					{Label: "Base strap × 2"},
					{Label: "Surcharge × 2"},
				},
			},
		},
		{
			name: "a zero-percent tier applies without a line",
			in: quote.Input{
				Currency: "CHF", BasePrice: 100, Quantity: 5,
				Tiers: []quote.Tier{{MinQuantity: 5}},
			},
			want: quote.Quote{
				Currency: "CHF", Unit: 100, NetUnit: 100, Quantity: 5,
				Lines:    []quote.Line{{Label: "Base strap × 5", Amount: 500}},
				Subtotal: 500, Total: 500, Tier: &quote.Tier{MinQuantity: 5}, Balance: 500,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := quote.Price(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, got.Total, sumLines(got.Lines))
		})
	}
}

func TestPriceErrors(t *testing.T) {
	t.Parallel()
	valid := func(mut func(*quote.Input)) quote.Input {
		in := demoInput(3)
		mut(&in)
		return in
	}
	tests := []struct {
		name     string
		in       quote.Input
		field    string
		overflow bool
	}{
		{"empty currency", valid(func(in *quote.Input) { in.Currency = "" }), "Currency", false},
		{"unknown currency", valid(func(in *quote.Input) { in.Currency = "XYZ" }), "Currency", false},
		{"lower-case currency", valid(func(in *quote.Input) { in.Currency = "usd" }), "Currency", false},
		{"zero quantity", valid(func(in *quote.Input) { in.Quantity = 0 }), "Quantity", false},
		{"negative quantity", valid(func(in *quote.Input) { in.Quantity = -2 }), "Quantity", false},
		{"negative base", valid(func(in *quote.Input) { in.BasePrice = -1 }), "BasePrice", false},
		{
			"negative unit price",
			valid(func(in *quote.Input) { in.Options[2].Amount = -30000 }), "Unit", false,
		},
		{
			"tier below one piece",
			valid(func(in *quote.Input) { in.Tiers[1].MinQuantity = 0 }), "Tiers[1].MinQuantity", false,
		},
		{
			"tier over 100%",
			valid(func(in *quote.Input) { in.Tiers[2].DiscountBasisPoints = 10001 }),
			"Tiers[2].DiscountBasisPoints", false,
		},
		{
			"negative tier",
			valid(func(in *quote.Input) { in.Tiers[0].DiscountBasisPoints = -1 }),
			"Tiers[0].DiscountBasisPoints", false,
		},
		{
			"deposit over 100%",
			valid(func(in *quote.Input) { in.DepositBasisPoints = 10001 }), "DepositBasisPoints", false,
		},
		{
			"negative deposit",
			valid(func(in *quote.Input) { in.DepositBasisPoints = -5 }), "DepositBasisPoints", false,
		},
		{
			"base times quantity overflows",
			valid(func(in *quote.Input) { in.BasePrice = math.MaxInt64 / 2 }), "BasePrice", true,
		},
		{
			"option sum overflows",
			valid(func(in *quote.Input) {
				in.Quantity = 1
				in.BasePrice = math.MaxInt64 - 10
				in.Options = []quote.Line{{Label: "Gold", Amount: 11}}
			}),
			"Options[0].Amount", true,
		},
		{
			"running line sum overflows",
			valid(func(in *quote.Input) {
				in.Quantity = 2
				in.BasePrice = math.MaxInt64 / 2
				in.Options = []quote.Line{{Amount: math.MaxInt64 / 2}, {Amount: -math.MaxInt64 / 2}}
				in.Surcharges = nil
			}),
			"Quantity", true,
		},
		{
			"surcharge times quantity overflows",
			valid(func(in *quote.Input) { in.Surcharges[0].Amount = math.MaxInt64 / 2 }),
			"Surcharges[0].Amount", true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := quote.Price(tt.in)
			require.Error(t, err)
			var inErr *quote.InputError
			require.ErrorAs(t, err, &inErr)
			assert.Equal(t, tt.field, inErr.Field)
			assert.ErrorIs(t, err, quote.ErrInvalidInput)
			assert.Equal(t, tt.overflow, inErr.Err == quote.ErrOverflow)
			assert.Contains(t, err.Error(), tt.field)
		})
	}
}

func TestMinorUnitDigits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code   string
		digits int
		ok     bool
	}{
		{"USD", 2, true},
		{"EUR", 2, true},
		{"JPY", 0, true},
		{"KWD", 3, true},
		{"", 0, false},
		{"usd", 0, false},
		{"BTC", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			digits, ok := quote.MinorUnitDigits(tt.code)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.digits, digits)
		})
	}
}

func sumLines(lines []quote.Line) int64 {
	var s int64
	for _, l := range lines {
		s += l.Amount
	}
	return s
}
