package quote

import (
	"errors"
	"math"
	"math/bits"
)

// basisPointsPerUnit is 100% in basis points.
const basisPointsPerUnit = 10000

// addChecked returns a + b and whether it fits in an int64.
func addChecked(a, b int64) (int64, bool) {
	if (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b) {
		return 0, false
	}
	return a + b, true
}

// mulChecked returns a × b and whether it fits in an int64.
func mulChecked(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	if (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	c := a * b
	if c/b != a {
		return 0, false
	}
	return c, true
}

// shareOf returns floor and ceil of amount × bp / 10000 for 0 ≤ amount and 0 ≤ bp ≤ 10000.
// The product is taken in 128 bits, so it never overflows, and the results never exceed
// amount.
func shareOf(amount int64, bp int) (floor, ceil int64) {
	hi, lo := bits.Mul64(uint64(amount), uint64(bp))
	// hi < basisPointsPerUnit because amount < 2^63 and bp ≤ 10000, so Div64 cannot panic.
	q, r := bits.Div64(hi, lo, basisPointsPerUnit)
	floor = int64(q)
	ceil = floor
	if r != 0 {
		ceil++
	}
	return floor, ceil
}

// MaxAmount is the largest magnitude, in minor units, of any amount a client or designer enters
// (10^11: a billion in a two-decimal currency). It keeps every sum far from overflow and every
// amount exact in clients that read JSON numbers as doubles (below 2^53).
const MaxAmount int64 = 100_000_000_000

// ErrAmountOutOfRange is returned by CheckAmount.
var ErrAmountOutOfRange = errors.New(
	"amount out of range: at most 100000000000 minor units either way")

// CheckAmount is the one validator of money inputs (prices, surcharges, discounts, payments): it
// refuses amounts whose magnitude exceeds MaxAmount.
func CheckAmount(amount int64) error {
	if amount > MaxAmount || amount < -MaxAmount {
		return ErrAmountOutOfRange
	}
	return nil
}
