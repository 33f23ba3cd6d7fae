package main

import (
	"math"
	"math/bits"
	"time"
)

// subBits sets the histogram's precision: each power of two is split into 2^subBits linear
// buckets, so a recorded value is known to within 1/2^subBits (0.8%) of itself.
const subBits = 7

const (
	subCount = 1 << subBits
	// numBuckets covers every non-negative int64 nanosecond value.
	numBuckets = (64 - subBits) << subBits
)

// Histogram records latencies in log-linear buckets: exact below 128 ns, then with a relative
// error of at most 1/128. It is not safe for concurrent use: give each worker its own and Merge
// them at the end, so recording never contends on a lock.
type Histogram struct {
	counts   []uint64
	count    uint64
	sum      time.Duration
	min, max time.Duration
}

// NewHistogram returns an empty histogram.
func NewHistogram() *Histogram {
	return &Histogram{counts: make([]uint64, numBuckets), min: math.MaxInt64}
}

// bucketOf returns the bucket holding v nanoseconds.
func bucketOf(v uint64) int {
	if v < subCount {
		return int(v)
	}
	// Shift v so that it keeps subBits+1 significant bits: v>>e is in [subCount, 2*subCount).
	e := bits.Len64(v) - subBits - 1
	return (e+1)<<subBits + int(v>>e) - subCount
}

// bucketBounds returns the smallest and largest value that fall into bucket i.
func bucketBounds(i int) (lo, hi uint64) {
	if i < subCount {
		return uint64(i), uint64(i)
	}
	e := uint(i>>subBits) - 1
	m := uint64(i&(subCount-1)) + subCount
	return m << e, (m+1)<<e - 1
}

// Record adds one latency; negative durations count as zero.
func (h *Histogram) Record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d))]++
	h.count++
	h.sum += d
	h.min = min(h.min, d)
	h.max = max(h.max, d)
}

// Merge adds every value recorded in o.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.count += o.count
	h.sum += o.sum
	h.min = min(h.min, o.min)
	h.max = max(h.max, o.max)
}

// Count is the number of recorded values.
func (h *Histogram) Count() uint64 { return h.count }

// Max is the largest recorded value, exactly; 0 when empty.
func (h *Histogram) Max() time.Duration { return h.max }

// Min is the smallest recorded value, exactly; 0 when empty.
func (h *Histogram) Min() time.Duration {
	if h.count == 0 {
		return 0
	}
	return h.min
}

// Mean is the exact mean; 0 when empty.
func (h *Histogram) Mean() time.Duration {
	if h.count == 0 {
		return 0
	}
	return h.sum / time.Duration(h.count)
}

// Quantile returns the q-quantile (0 ≤ q ≤ 1) by the nearest-rank method: the smallest recorded
// value v such that at least q of all values are ≤ v. It reports the upper edge of v's bucket,
// clamped to the exact min and max, so it never understates a latency; q ≤ 0 gives the exact
// min. 0 when empty.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.count == 0 {
		return 0
	}
	if q <= 0 {
		return h.min
	}
	q = min(q, 1)
	rank := uint64(math.Ceil(q * float64(h.count)))
	rank = max(rank, 1)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			_, hi := bucketBounds(i)
			return min(max(time.Duration(hi), h.min), h.max)
		}
	}
	return h.max
}
