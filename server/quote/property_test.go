package quote_test

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/quote"
)

// randomInput draws a valid input whose amounts are mostly plausible and sometimes extreme.
func randomInput(r *rand.Rand) quote.Input {
	amount := func() int64 {
		switch r.IntN(10) {
		case 0:
			return r.Int64() - r.Int64() // anywhere in int64, to hunt for overflow
		case 1:
			return r.Int64N(1 << 40)
		default:
			return r.Int64N(100000) - 20000
		}
	}
	in := quote.Input{
		Currency:           []string{"USD", "EUR", "JPY", "KWD"}[r.IntN(4)],
		BasePrice:          max(amount(), 0),
		Quantity:           1 + r.IntN(60),
		DepositBasisPoints: r.IntN(10001),
	}
	for range r.IntN(5) {
		in.Options = append(in.Options, quote.Line{Label: "Option", Amount: amount()})
	}
	for range r.IntN(3) {
		in.Surcharges = append(in.Surcharges, quote.Line{Label: "Rule", Amount: amount()})
	}
	for range r.IntN(4) {
		in.Tiers = append(in.Tiers, quote.Tier{
			MinQuantity:         1 + r.IntN(30),
			DiscountBasisPoints: r.IntN(10001),
		})
	}
	if r.IntN(50) == 0 {
		in.Quantity = math.MaxInt32 + r.IntN(1000)
	}
	return in
}

// oracle prices in with arbitrary precision, following the documented rounding rules. It
// returns nil totals for a negative unit price and ok=false when the subtotal leaves the
// int64 range.
func oracle(in quote.Input) (total, deposit *big.Int, ok bool) {
	qty := big.NewInt(int64(in.Quantity))
	unit := big.NewInt(in.BasePrice)
	for _, l := range append(append([]quote.Line{}, in.Options...), in.Surcharges...) {
		unit.Add(unit, big.NewInt(l.Amount))
	}
	if unit.Sign() < 0 {
		return nil, nil, false
	}
	bp := -1
	for _, t := range in.Tiers {
		if t.MinQuantity <= in.Quantity {
			bp = max(bp, t.DiscountBasisPoints)
		}
	}
	perPiece := new(big.Int)
	if bp > 0 {
		perPiece.Mul(unit, big.NewInt(int64(bp)))
		perPiece.Quo(perPiece, big.NewInt(10000))
	}
	total = new(big.Int).Sub(unit, perPiece)
	total.Mul(total, qty)
	deposit = new(big.Int).Mul(total, big.NewInt(int64(in.DepositBasisPoints)))
	deposit.Add(deposit, big.NewInt(9999))
	deposit.Quo(deposit, big.NewInt(10000))
	subtotal := new(big.Int).Mul(unit, qty)
	return total, deposit, subtotal.IsInt64()
}

func TestPriceProperties(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(20260101, 42))
	priced, overflowed := 0, 0
	for i := range 20000 {
		in := randomInput(r)
		var (
			q   quote.Quote
			err error
		)
		require.NotPanics(t, func() { q, err = quote.Price(in) }, "case %d: %+v", i, in)
		wantTotal, wantDeposit, fits := oracle(in)
		if err != nil {
			require.ErrorIs(t, err, quote.ErrInvalidInput, "case %d", i)
			// Only amounts that really overflow may be rejected as overflow; the checked
			// running sums may also reject some that the exact result would fit.
			if !errors.Is(err, quote.ErrOverflow) {
				require.Nil(t, wantTotal, "case %d: %+v rejected: %v", i, in, err)
			}
			overflowed++
			continue
		}
		require.True(t, fits, "case %d: %+v accepted though it overflows", i, in)
		priced++
		require.Equal(t, q.Total, sumLines(q.Lines), "case %d: lines must sum to total", i)
		require.Equal(t, q.Total, q.Deposit+q.Balance, "case %d", i)
		require.GreaterOrEqual(t, q.Deposit, int64(0), "case %d", i)
		require.LessOrEqual(t, q.Deposit, q.Total, "case %d", i)
		require.Equal(t, q.Subtotal-q.Discount, q.Total, "case %d", i)
		require.Equal(t, q.NetUnit*int64(q.Quantity), q.Total, "case %d", i)
		require.Equal(t, wantTotal.Int64(), q.Total, "case %d: %+v", i, in)
		require.Equal(t, wantDeposit.Int64(), q.Deposit, "case %d: %+v", i, in)
	}
	// The generator must exercise both paths, or the test proves little.
	assert.Greater(t, priced, 10000)
	assert.Greater(t, overflowed, 100)
}

func TestPriceTierMonotonic(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 2000 {
		in := randomInput(r)
		in.BasePrice = r.Int64N(1_000_000)
		in.Options = []quote.Line{{Label: "Leather", Amount: r.Int64N(50_000)}}
		in.Surcharges = nil
		prev := int64(math.MaxInt64)
		for qty := 1; qty <= 40; qty++ {
			in.Quantity = qty
			q, err := quote.Price(in)
			require.NoError(t, err, "case %d qty %d", i, qty)
			require.LessOrEqual(t, q.NetUnit, prev,
				"case %d: %d pieces cost more each than %d (%+v)", i, qty, qty-1, in.Tiers)
			prev = q.NetUnit
		}
	}
}
