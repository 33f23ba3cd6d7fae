package configuration

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/fault"
)

// testStores returns a store on the embedded Redis and, with REDIS_URL set, one on it, each
// with the Lua and the optimistic compare-and-set.
func testStores(t testing.TB) map[string]*Store {
	t.Helper()
	m := miniredis.RunT(t)
	rdbs := map[string]*redis.Client{"embedded": redis.NewClient(&redis.Options{Addr: m.Addr()})}
	if url := os.Getenv("REDIS_URL"); url != "" {
		opt, err := redis.ParseURL(url)
		require.NoError(t, err)
		rdbs["real"] = redis.NewClient(opt)
	}
	prefix := fmt.Sprintf("atelier-session-test-%d:", time.Now().UnixNano())
	out := map[string]*Store{}
	for name, rdb := range rdbs {
		t.Cleanup(func() {
			keys, _ := rdb.Keys(context.Background(), prefix+"*").Result()
			if len(keys) > 0 {
				rdb.Del(context.Background(), keys...)
			}
			_ = rdb.Close()
		})
		out[name+"/lua"] = NewStore(rdb, prefix, time.Hour)
		s := NewStore(rdb, prefix, time.Hour)
		s.UseOptimisticCAS()
		out[name+"/optimistic"] = s
	}
	return out
}

func TestReplaceNeverLosesAnUpdate(t *testing.T) {
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := &State{ID: NewID(), ProductID: 1, CatalogVersion: 1, Quantity: 1}
			require.NoError(t, s.Create(ctx, st))

			// Every writer starts from the same version: exactly one may win.
			const writers = 8
			var won atomic.Int32
			var wg sync.WaitGroup
			for i := range writers {
				wg.Go(func() {
					next := *st
					next.Quantity = i + 2
					err := s.Replace(ctx, &next, 1)
					if err == nil {
						won.Add(1)
						return
					}
					assert.True(t, fault.Is(err, fault.Conflict), "%v", err)
				})
			}
			wg.Wait()
			assert.Equal(t, int32(1), won.Load())
			got, err := s.Get(ctx, st.ID)
			require.NoError(t, err)
			assert.Equal(t, 2, got.Version)

			// A stale version is refused with the current one; a missing session is NOT_FOUND.
			err = s.Replace(ctx, got, 1)
			require.True(t, fault.Is(err, fault.Conflict), "%v", err)
			assert.Contains(t, err.Error(), "now version 2")
			missing := *got
			missing.ID = NewID()
			err = s.Replace(ctx, &missing, 2)
			assert.True(t, fault.Is(err, fault.NotFound), "%v", err)

			// Serial updates all land.
			for v := 2; v < 6; v++ {
				next := *got
				require.NoError(t, s.Replace(ctx, &next, v))
			}
			got, err = s.Get(ctx, st.ID)
			require.NoError(t, err)
			assert.Equal(t, 6, got.Version)
		})
	}
}

// BenchmarkReplace compares the two compare-and-set implementations per backend.
func BenchmarkReplace(b *testing.B) {
	for name, s := range testStores(b) {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			st := &State{ID: NewID(), ProductID: 1, CatalogVersion: 1, Quantity: 1}
			require.NoError(b, s.Create(ctx, st))
			b.ReportAllocs()
			for b.Loop() {
				require.NoError(b, s.Replace(ctx, st, st.Version))
			}
		})
	}
}

// TestRedisDownIsUnavailable: a Redis that went away (pooled connections cut, new ones
// refused) is UNAVAILABLE, recognised by the errors' types rather than their text.
func TestRedisDownIsUnavailable(t *testing.T) {
	m := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	s := NewStore(rdb, "atelier-session-down:", time.Hour)
	ctx := context.Background()
	st := &State{ID: NewID(), ProductID: 1, CatalogVersion: 1, Quantity: 1}
	require.NoError(t, s.Create(ctx, st)) // leaves a pooled connection to be cut
	m.Close()
	for _, what := range []string{"cut connection", "refused connection"} {
		_, err := s.Get(ctx, st.ID)
		require.True(t, fault.Is(err, fault.Unavailable), "%s: %v", what, err)
	}
}
