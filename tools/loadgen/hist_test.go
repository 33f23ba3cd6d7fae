package main

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBucketsAreContiguous(t *testing.T) {
	t.Parallel()
	// Every bucket starts right after the previous one ends, and bucketOf maps both edges back.
	var next uint64
	for i := range numBuckets {
		lo, hi := bucketBounds(i)
		require.Equal(t, next, lo, "bucket %d", i)
		require.GreaterOrEqual(t, hi, lo, "bucket %d", i)
		require.Equal(t, i, bucketOf(lo), "low edge of bucket %d", i)
		require.Equal(t, i, bucketOf(hi), "high edge of bucket %d", i)
		next = hi + 1
	}
	assert.Equal(t, uint64(math.MaxInt64), next-1, "the last bucket ends at the largest duration")
}

func TestBucketRelativeError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		v    uint64
	}{
		{"zero", 0},
		{"exact range", 127},
		{"first shared bucket", 128},
		{"one microsecond", 1_000},
		{"one millisecond", 1_000_000},
		{"five milliseconds", 5_000_000},
		{"one second", 1_000_000_000},
		{"one hour", uint64(time.Hour)},
		{"largest", math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lo, hi := bucketBounds(bucketOf(tt.v))
			require.LessOrEqual(t, lo, tt.v)
			require.GreaterOrEqual(t, hi, tt.v)
			assert.LessOrEqual(t, float64(hi-lo), float64(lo)/subCount,
				"bucket [%d, %d] is wider than 1/%d of its values", lo, hi, subCount)
		})
	}
}

// exactQuantile is the nearest-rank quantile of sorted values, the reference for Quantile.
func exactQuantile(sorted []time.Duration, q float64) time.Duration {
	rank := max(int(math.Ceil(q*float64(len(sorted)))), 1)
	return sorted[rank-1]
}

func TestQuantile(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	tests := []struct {
		name   string
		values []time.Duration
		q      float64
		want   time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"single value p50", []time.Duration{3 * ms}, 0.5, 3 * ms},
		{"single value p0", []time.Duration{3 * ms}, 0, 3 * ms},
		{"p100 is the exact max", []time.Duration{1 * ms, 2 * ms, 7*ms + 1}, 1, 7*ms + 1},
		{"p0 is the exact min", []time.Duration{5*ms + 3, 9 * ms}, 0, 5*ms + 3},
		{"small values are exact", []time.Duration{10, 20, 30, 40}, 0.5, 20},
		{"nearest rank rounds up", []time.Duration{10, 20, 30, 40}, 0.51, 30},
		{"p99 of 100 is the 99th", seq(1, 100), 0.99, 99},
		{"p50 of 100 is the 50th", seq(1, 100), 0.5, 50},
		{"one slow outlier shows in p99 of 50", append(seq(1, 49), 1000), 0.99, 1000},
		{"negative counts as zero", []time.Duration{-5, 10}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := NewHistogram()
			for _, v := range tt.values {
				h.Record(v)
			}
			assert.Equal(t, tt.want, h.Quantile(tt.q))
		})
	}
}

func seq(from, to int) []time.Duration {
	var s []time.Duration
	for i := from; i <= to; i++ {
		s = append(s, time.Duration(i))
	}
	return s
}

func TestQuantileMatchesExactWithinPrecision(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		gen  func(r *rand.Rand) time.Duration
	}{
		{"uniform 0.2–5 ms", func(r *rand.Rand) time.Duration {
			return 200*time.Microsecond + time.Duration(r.Int64N(int64(4800*time.Microsecond)))
		}},
		{"exponential, mean 1 ms", func(r *rand.Rand) time.Duration {
			return time.Duration(r.ExpFloat64() * float64(time.Millisecond))
		}},
		{"bimodal with a 40 ms tail", func(r *rand.Rand) time.Duration {
			if r.IntN(100) == 0 {
				return 40*time.Millisecond + time.Duration(r.Int64N(int64(time.Millisecond)))
			}
			return time.Duration(r.Int64N(int64(time.Millisecond)))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(1, 2))
			h := NewHistogram()
			values := make([]time.Duration, 20_000)
			for i := range values {
				values[i] = tt.gen(r)
				h.Record(values[i])
			}
			slices.Sort(values)
			for _, q := range []float64{0, 0.5, 0.9, 0.99, 0.999, 1} {
				want := exactQuantile(values, q)
				got := h.Quantile(q)
				// Never understated, and overstated by at most one bucket width.
				assert.GreaterOrEqual(t, got, want, "q=%v", q)
				assert.LessOrEqual(t, float64(got-want), float64(want)/subCount+1, "q=%v", q)
			}
			assert.Equal(t, values[0], h.Min())
			assert.Equal(t, values[len(values)-1], h.Max())
			assert.Equal(t, uint64(len(values)), h.Count())
		})
	}
}

func TestMerge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b []time.Duration
	}{
		{"both filled", []time.Duration{1, 500, 9000}, []time.Duration{2, 7_000_000}},
		{"empty into filled", []time.Duration{1_000, 2_000}, nil},
		{"filled into empty", nil, []time.Duration{3_000}},
		{"both empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b, all := NewHistogram(), NewHistogram(), NewHistogram()
			for _, v := range tt.a {
				a.Record(v)
				all.Record(v)
			}
			for _, v := range tt.b {
				b.Record(v)
				all.Record(v)
			}
			a.Merge(b)
			assert.Equal(t, all.Count(), a.Count())
			assert.Equal(t, all.Min(), a.Min())
			assert.Equal(t, all.Max(), a.Max())
			assert.Equal(t, all.Mean(), a.Mean())
			for _, q := range []float64{0, 0.5, 0.99, 1} {
				assert.Equal(t, all.Quantile(q), a.Quantile(q), "q=%v", q)
			}
		})
	}
}
