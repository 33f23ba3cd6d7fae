package metrics_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/metrics"
)

func TestNilMetricsRecordNothing(t *testing.T) {
	t.Parallel()
	var m *metrics.Metrics
	m.ObserveOperation("query", "X", time.Millisecond)
	m.Error("NOT_FOUND")
	m.SubscriptionStarted()
	m.SubscriptionEnded()
	m.CacheResult("apq", true)
	m.CacheRecorder("session_view")(false)
	m.DatabaseError("query")
	m.RateLimited()
}

func TestOperationLabelsAreBounded(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	for i := range 150 {
		m.ObserveOperation("query", fmt.Sprintf("Op%d", i), time.Millisecond)
	}
	m.ObserveOperation("query", "", time.Millisecond)
	m.ObserveOperation("query", "not a name!", time.Millisecond)
	out := gather(t, m)
	n := strings.Count(out, "atelier_graphql_operation_duration_seconds{")
	assert.Equal(t, 102, n, "100 names, anonymous and other")
	assert.Contains(t, out, `operation="anonymous"`)
	assert.Contains(t, out, `{operation="other",type="query"} 51`)
}

func TestErrorCodesAreBounded(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.Error("NOT_FOUND")
	m.Error("NOT_FOUND")
	m.Error("")
	m.Error("<script>")
	out := gather(t, m)
	assert.Contains(t, out, `atelier_graphql_errors_total{code="NOT_FOUND"} 2`)
	assert.Contains(t, out, `atelier_graphql_errors_total{code="NONE"} 1`)
	assert.Contains(t, out, `atelier_graphql_errors_total{code="OTHER"} 1`)
}

func TestCacheRecorder(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	rec := m.CacheRecorder("session_view")
	rec(true)
	rec(true)
	rec(false)
	out := gather(t, m)
	assert.Contains(t, out, `atelier_cache_requests_total{cache="session_view",result="hit"} 2`)
	assert.Contains(t, out, `atelier_cache_requests_total{cache="session_view",result="miss"} 1`)
}

func TestRedisHookCountsFailuresNotMisses(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	mr := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1,
		DialTimeout: 200 * time.Millisecond, DisableIdentity: true})
	t.Cleanup(func() { _ = c.Close() })
	c.AddHook(m.RedisHook())
	ctx := context.Background()
	require.ErrorIs(t, c.Get(ctx, "missing").Err(), redis.Nil)
	require.NoError(t, c.Set(ctx, "k", "v", 0).Err())
	require.Error(t, c.HGet(ctx, "k", "f").Err(), "WRONGTYPE: Redis answered")
	assert.NotContains(t, gather(t, m), "atelier_backend_errors_total")

	mr.Close()
	require.Error(t, c.Get(ctx, "k").Err())
	assert.Contains(t, gather(t, m), `atelier_backend_errors_total{backend="redis"`)
}

func TestRegistriesAreIndependent(t *testing.T) {
	t.Parallel()
	a, b := metrics.New(), metrics.New()
	a.Error("CONFLICT")
	assert.NotContains(t, gather(t, b), "CONFLICT")
}

func gather(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	families, err := m.Registry().Gather()
	require.NoError(t, err)
	var b strings.Builder
	for _, f := range families {
		for _, metric := range f.GetMetric() {
			var labels []string
			for _, l := range metric.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			v := metric.GetCounter().GetValue() + metric.GetGauge().GetValue() +
				float64(metric.GetHistogram().GetSampleCount())
			fmt.Fprintf(&b, "%s{%s} %v\n", f.GetName(), strings.Join(labels, ","), v)
		}
	}
	return b.String()
}
