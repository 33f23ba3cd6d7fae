package ratelimit_test

import (
	"context"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/ratelimit"
	"github.com/atelier/atelier/server/testutil"
)

func TestLimiterCountsAWindow(t *testing.T) {
	t.Parallel()
	r := testutil.OpenRedis(t)
	ctx := context.Background()
	l := ratelimit.New(r.Client, r.Prefix+"mutation:", 3, time.Minute)
	for i := range 3 {
		res, err := l.Allow(ctx, "192.0.2.1")
		require.NoError(t, err)
		assert.True(t, res.Allowed, "hit %d", i+1)
		assert.Equal(t, 2-i, res.Remaining)
	}
	res, err := l.Allow(ctx, "192.0.2.1")
	require.NoError(t, err)
	assert.False(t, res.Allowed, "the fourth hit is over the budget")
	assert.Greater(t, res.RetryAfter, 50*time.Second)
	assert.LessOrEqual(t, res.RetryAfter, time.Minute)

	other, err := l.Allow(ctx, "192.0.2.2")
	require.NoError(t, err)
	assert.True(t, other.Allowed, "each key has its own budget")
}

func TestLimiterWindowEnds(t *testing.T) {
	t.Parallel()
	m := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: m.Addr()})
	t.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()
	l := ratelimit.New(c, "t:", 1, time.Minute)
	res, err := l.Allow(ctx, "a")
	require.NoError(t, err)
	require.True(t, res.Allowed)
	res, err = l.Allow(ctx, "a")
	require.NoError(t, err)
	require.False(t, res.Allowed)
	m.FastForward(time.Minute + time.Millisecond)
	res, err = l.Allow(ctx, "a")
	require.NoError(t, err)
	assert.True(t, res.Allowed, "a new window has a new budget")
}

func TestLimiterSharedAcrossInstances(t *testing.T) {
	t.Parallel()
	r := testutil.OpenRedis(t)
	ctx := context.Background()
	a := ratelimit.New(r.Client, r.Prefix+"m:", 2, time.Minute)
	b := ratelimit.New(r.Client, r.Prefix+"m:", 2, time.Minute)
	res, err := a.Allow(ctx, "x")
	require.NoError(t, err)
	require.True(t, res.Allowed)
	res, err = b.Allow(ctx, "x")
	require.NoError(t, err)
	require.True(t, res.Allowed)
	res, err = a.Allow(ctx, "x")
	require.NoError(t, err)
	assert.False(t, res.Allowed, "both limiters spend one budget")
}

func TestLimiterFailsOpen(t *testing.T) {
	t.Parallel()
	m := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: m.Addr(), MaxRetries: -1})
	t.Cleanup(func() { _ = c.Close() })
	m.Close()
	l := ratelimit.New(c, "t:", 1, time.Minute)
	res, err := l.Allow(context.Background(), "a")
	require.Error(t, err)
	assert.True(t, res.Allowed, "an unreachable Redis allows the hit")
}

func TestZeroLimitAllowsEverything(t *testing.T) {
	t.Parallel()
	l := ratelimit.New(nil, "t:", 0, time.Minute)
	for range 5 {
		res, err := l.Allow(context.Background(), "a")
		require.NoError(t, err)
		assert.True(t, res.Allowed)
	}
}
