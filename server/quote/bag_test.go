package quote_test

import (
	"math/rand/v2"
	"testing"
	"testing/quick"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/quote"
)

// capsule is two products grouped in a bundle with a minimum of 5 and tiers at 5, 10 and 20.
func capsule(strap, keyring int) quote.BagInput {
	return quote.BagInput{
		Lines: []quote.BagLine{
			{Product: 1, Unit: 12_000, Quantity: strap, DepositBasisPoints: 3000},
			{Product: 2, Unit: 3_333, Quantity: keyring, DepositBasisPoints: 3000},
		},
		Products: []quote.ProductTerms{
			{ID: 1, Name: "Heritage Sport", MinQuantity: 1},
			{ID: 2, Name: "Keyring", MinQuantity: 1},
		},
		Bundles: []quote.BundleTerms{{
			ID: 9, Name: "Capsule", Products: []int{1, 2}, MinQuantity: 5,
			Tiers: []quote.Tier{
				{MinQuantity: 5, DiscountBasisPoints: 500},
				{MinQuantity: 10, DiscountBasisPoints: 1000},
				{MinQuantity: 20, DiscountBasisPoints: 1500},
			},
		}},
	}
}

func TestPriceBagTiersAcrossABundle(t *testing.T) {
	tests := []struct {
		name             string
		strap, keyring   int
		bp               int
		shortfall        string
		discountExpected int64
	}{
		{"4 pieces: below the minimum, no tier", 3, 1, 0,
			"1 more piece from the Capsule to reach the minimum of 5", 0},
		{"5 pieces: 5%", 3, 2, 500, "", (3*12_000 + 2*3_333) * 500 / 10_000},
		{"10 pieces: 10%", 4, 6, 1000, "", (4*12_000 + 6*3_333) * 1000 / 10_000},
		{"20 pieces: 15%", 13, 7, 1500, "", (13*12_000 + 7*3_333) * 1500 / 10_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := quote.PriceBag(capsule(tt.strap, tt.keyring))
			require.NoError(t, err)
			assert.Equal(t, tt.strap+tt.keyring, q.Pieces)
			assert.Equal(t, int64(tt.strap*12_000+tt.keyring*3_333), q.Subtotal)
			assert.Equal(t, tt.discountExpected, q.Discount, "one rounding for the whole bundle")
			assert.Equal(t, q.Subtotal-q.Discount, q.Total)
			var sum int64
			for _, l := range q.Lines {
				sum += l.Total
				if tt.bp == 0 {
					assert.Nil(t, l.Tier)
				} else {
					require.NotNil(t, l.Tier)
					assert.Equal(t, tt.bp, l.Tier.DiscountBasisPoints)
				}
			}
			assert.Equal(t, q.Total, sum)
			if tt.shortfall == "" {
				assert.Empty(t, q.Shortfalls)
			} else {
				require.Len(t, q.Shortfalls, 1)
				assert.Equal(t, tt.shortfall, q.Shortfalls[0].Message)
				assert.Equal(t, 9, q.Shortfalls[0].Bundle)
			}
		})
	}
}

func TestPriceBagLabelsTheTier(t *testing.T) {
	q, err := quote.PriceBag(capsule(6, 4))
	require.NoError(t, err)
	assert.Equal(t, "Capsule 10+ (−10%)", q.Lines[0].Label)
}

func TestProductMinimumCountsEveryLineAndItsBundle(t *testing.T) {
	in := quote.BagInput{
		Lines: []quote.BagLine{
			{Product: 1, Unit: 100, Quantity: 2},
			{Product: 1, Unit: 150, Quantity: 2},
		},
		Products: []quote.ProductTerms{{ID: 1, Name: "Heritage Sport", MinQuantity: 5}},
	}
	q, err := quote.PriceBag(in)
	require.NoError(t, err)
	require.Len(t, q.Shortfalls, 1)
	assert.Equal(t, "1 more piece of Heritage Sport to reach the minimum of 5", q.Shortfalls[0].Message)
	in.Lines = append(in.Lines, quote.BagLine{Product: 2, Unit: 10, Quantity: 1})
	in.Bundles = []quote.BundleTerms{{ID: 3, Name: "Capsule", Products: []int{1, 2}, MinQuantity: 1}}
	q, err = quote.PriceBag(in)
	require.NoError(t, err)
	assert.Empty(t, q.Shortfalls, "bundling similar pieces meets the minimum")
}

// TestPriceBagProperties: for random bags, every amount is an integer within its line, the
// lines add up to the totals, and each line's discount is its tier's exact share within two
// minor units.
func TestPriceBagProperties(t *testing.T) {
	f := func(seed uint64) bool {
		r := rand.New(rand.NewPCG(seed, 11))
		in := quote.BagInput{}
		nProducts := 1 + r.IntN(4)
		for p := 1; p <= nProducts; p++ {
			pt := quote.ProductTerms{ID: p, Name: "P", MinQuantity: 1 + r.IntN(6)}
			for range r.IntN(3) {
				pt.Tiers = append(pt.Tiers, quote.Tier{MinQuantity: 1 + r.IntN(20), DiscountBasisPoints: r.IntN(5000)})
			}
			in.Products = append(in.Products, pt)
		}
		for b := 1; b <= r.IntN(3); b++ {
			bt := quote.BundleTerms{ID: 100 + b, Name: "B", MinQuantity: 1 + r.IntN(10)}
			for p := 1; p <= nProducts; p++ {
				if r.IntN(2) == 0 {
					bt.Products = append(bt.Products, p)
				}
			}
			for range 1 + r.IntN(3) {
				bt.Tiers = append(bt.Tiers, quote.Tier{MinQuantity: 1 + r.IntN(30), DiscountBasisPoints: r.IntN(10001)})
			}
			in.Bundles = append(in.Bundles, bt)
		}
		for range 1 + r.IntN(8) {
			unit := r.Int64N(1_000_000)
			if r.IntN(5) == 0 {
				unit = r.Int64N(quote.MaxAmount)
			}
			in.Lines = append(in.Lines, quote.BagLine{
				Product: 1 + r.IntN(nProducts), Unit: unit, Quantity: 1 + r.IntN(30),
				DepositBasisPoints: r.IntN(10001),
			})
		}
		q, err := quote.PriceBag(in)
		if err != nil {
			t.Logf("seed %d: %v", seed, err)
			return false
		}
		var sub, disc, total, dep int64
		for i, l := range q.Lines {
			if l.Subtotal != in.Lines[i].Unit*int64(in.Lines[i].Quantity) || l.Discount < 0 ||
				l.Discount > l.Subtotal || l.Total != l.Subtotal-l.Discount ||
				l.Deposit < 0 || l.Deposit > l.Total {
				t.Logf("seed %d: line %d %+v", seed, i, l)
				return false
			}
			if l.Tier != nil {
				// The exact share of the tier: the group rounds down (less than one unit), the
				// allocation by one unit either way.
				exact := float64(l.Subtotal) * float64(l.Tier.DiscountBasisPoints) / 10000
				if d := float64(l.Discount) - exact; d >= 1+exact*1e-12 || d <= -2-exact*1e-12 {
					t.Logf("seed %d: line %d discount %d, exact %f", seed, i, l.Discount, exact)
					return false
				}
			} else if l.Discount != 0 {
				return false
			}
			sub += l.Subtotal
			disc += l.Discount
			total += l.Total
			dep += l.Deposit
		}
		return sub == q.Subtotal && disc == q.Discount && total == q.Total && dep == q.Deposit &&
			q.Total == q.Subtotal-q.Discount && q.Balance == q.Total-q.Deposit
	}
	require.NoError(t, quick.Check(f, &quick.Config{MaxCount: 3000}))
}

func TestAllocateAddsUpExactly(t *testing.T) {
	f := func(amount uint32, raw []uint32) bool {
		weights := make([]int64, len(raw))
		var sum int64
		for i, w := range raw {
			weights[i] = int64(w)
			sum += int64(w)
		}
		if len(weights) == 0 {
			return true
		}
		a := int64(amount)
		if sum > 0 {
			a %= sum + 1
		}
		shares := quote.Allocate(a, weights)
		var got int64
		for i, s := range shares {
			if s < 0 || (sum > 0 && s > weights[i]) {
				return false
			}
			got += s
		}
		return got == a
	}
	require.NoError(t, quick.Check(f, &quick.Config{MaxCount: 5000}))
	assert.Equal(t, []int64{34, 33, 33}, quote.Allocate(100, []int64{1, 1, 1}))
}
