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
	"github.com/atelier/atelier/server/pageview"
	"github.com/atelier/atelier/server/redisconn"
)

// testStores returns a store on the embedded Redis (connected in process, as the server does)
// and, with REDIS_URL set, one on it, each with the Lua and the optimistic compare-and-set.
func testStores(t testing.TB) map[string]*Store {
	t.Helper()
	embedded, err := redisconn.Open(context.Background(), "")
	require.NoError(t, err)
	t.Cleanup(func() { _ = embedded.Close() })
	rdbs := map[string]*redis.Client{"embedded": embedded.Client}
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

// commandCounter counts the commands a client sends, by name and last argument (so that an
// HGET of a session's state, "hget s", is told from the compare-and-set's "hget v").
type commandCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *commandCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *commandCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		args := cmd.Args()
		c.mu.Lock()
		c.n[fmt.Sprint(cmd.Name(), " ", args[len(args)-1])]++
		c.mu.Unlock()
		return next(ctx, cmd)
	}
}

func (c *commandCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

func (c *commandCounter) count(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[name]
}

// TestReadAtSkipsRedisOnlyForWhatItWrote: two instances (two stores) edit one session. An
// edit at the version this instance wrote is not read back from Redis; everything else is, and
// a remembered state never hides another instance's write, an expiry or a stale version.
func TestReadAtSkipsRedisOnlyForWhatItWrote(t *testing.T) {
	for name, a := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			// Instance b: its own client (counting its HGETs) on the same Redis and prefix.
			opt := *a.rdb.Options()
			rdbB := redis.NewClient(&opt)
			t.Cleanup(func() { _ = rdbB.Close() })
			hgets := &commandCounter{n: map[string]int{}}
			rdbB.AddHook(hgets)
			b := NewStore(rdbB, a.prefix, time.Hour)
			b.optimistic = a.optimistic

			st := &State{ID: NewID(), ProductID: 1, CatalogVersion: 1, Quantity: 1}
			require.NoError(t, b.Create(ctx, st))

			// b edits what it created, then what it wrote: no read of the session.
			for v := 1; v <= 3; v++ {
				got, err := b.ReadAt(ctx, st.ID, v)
				require.NoError(t, err)
				require.Equal(t, v, got.Version)
				got.Quantity = v + 1
				require.NoError(t, b.Replace(ctx, got, v))
			}
			assert.Zero(t, hgets.count("hget s"), "edits at the versions b wrote read nothing back")

			// Another instance writes version 5.
			v4, err := a.ReadAt(ctx, st.ID, 4)
			require.NoError(t, err)
			require.Equal(t, 4, v4.Quantity)
			v4.Quantity = 40
			require.NoError(t, a.Replace(ctx, v4, 4))

			// b still remembers version 4: an edit at 4 is refused with the current version,
			// not written over a's.
			stale, err := b.ReadAt(ctx, st.ID, 4)
			require.NoError(t, err)
			stale.Quantity = 99
			err = b.Replace(ctx, stale, 4)
			require.True(t, fault.Is(err, fault.Conflict), "%v", err)
			assert.Contains(t, err.Error(), "now version 5")

			// An edit at 5 (the customer reloaded) reads a's state from Redis and keeps it.
			before := hgets.count("hget s")
			cur, err := b.ReadAt(ctx, st.ID, 5)
			require.NoError(t, err)
			assert.Equal(t, before+1, hgets.count("hget s"), "version 5 was read from Redis")
			assert.Equal(t, 40, cur.Quantity, "a's write is what b edits")
			cur.Choices = append(cur.Choices, pageview.Choice{Group: "color", Option: "navy"})
			require.NoError(t, b.Replace(ctx, cur, 5))
			got, err := a.Get(ctx, st.ID)
			require.NoError(t, err)
			assert.Equal(t, 6, got.Version)
			assert.Equal(t, 40, got.Quantity)
			assert.Equal(t, []pageview.Choice{{Group: "color", Option: "navy"}}, got.Choices)

			// What ReadAt hands out is a copy: changing it changes nothing remembered.
			mine, err := b.ReadAt(ctx, st.ID, 6)
			require.NoError(t, err)
			mine.Choices[0].Option = "red"
			again, err := b.ReadAt(ctx, st.ID, 6)
			require.NoError(t, err)
			assert.Equal(t, "navy", again.Choices[0].Option)

			// The session expires in Redis: b's remembered version 6 does not bring it back.
			require.NoError(t, a.rdb.Del(ctx, a.key(st.ID)).Err())
			gone, err := b.ReadAt(ctx, st.ID, 6)
			require.NoError(t, err)
			err = b.Replace(ctx, gone, 6)
			require.True(t, fault.Is(err, fault.NotFound), "%v", err)
			exists, err := a.rdb.Exists(ctx, a.key(st.ID)).Result()
			require.NoError(t, err)
			assert.Zero(t, exists, "an expired session stays expired")
			_, err = b.ReadAt(ctx, st.ID, 6)
			assert.True(t, fault.Is(err, fault.NotFound), "forgotten after NOT_FOUND: %v", err)
		})
	}
}

// roundTrips counts a client's round trips to Redis: single commands and pipelines
// (transactions included), one each.
type roundTrips struct{ n atomic.Int32 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmd)
	}
}

func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmds)
	}
}

// TestOptimisticReplaceTakesTwoRoundTrips: the WATCH compare-and-set makes two round trips,
// and one that stops at the version check leaves its connection unwatched. The store's client
// has one connection, so a WATCH left behind would abort the next transaction and show as a
// retry.
func TestOptimisticReplaceTakesTwoRoundTrips(t *testing.T) {
	m := miniredis.RunT(t)
	urls := map[string]string{"embedded": "redis://" + m.Addr()}
	if url := os.Getenv("REDIS_URL"); url != "" {
		urls["real"] = url
	}
	prefix := fmt.Sprintf("atelier-roundtrip-test-%d:", time.Now().UnixNano())
	for name, url := range urls {
		t.Run(name, func(t *testing.T) {
			open := func(pool int) *redis.Client {
				opt, err := redis.ParseURL(url)
				require.NoError(t, err)
				opt.PoolSize = pool
				rdb := redis.NewClient(opt)
				t.Cleanup(func() { _ = rdb.Close() })
				return rdb
			}
			rdb := open(1)
			trips := &roundTrips{}
			rdb.AddHook(trips)
			s := NewStore(rdb, prefix, time.Hour)
			s.UseOptimisticCAS()
			other := NewStore(open(2), prefix, time.Hour)
			ctx := context.Background()
			st := &State{ID: NewID(), ProductID: 1, CatalogVersion: 1, Quantity: 1}
			require.NoError(t, s.Create(ctx, st))
			t.Cleanup(func() { rdb.Del(context.Background(), s.key(st.ID)) })

			// The first replace also dials the connection (go-redis pipelines commands on a
			// pool of their own, so Create has not).
			require.NoError(t, s.Replace(ctx, st.clone(), 1))

			trips.n.Store(0)
			stale := st.clone()
			err := s.Replace(ctx, stale, 1)
			require.True(t, fault.Is(err, fault.Conflict), "%v", err)
			assert.Equal(t, int32(2), trips.n.Load(), "a conflict: WATCH with the read, then UNWATCH")

			// Another instance writes version 3; this store then writes version 4 at once.
			third := st.clone()
			require.NoError(t, other.Replace(ctx, third, 2))
			trips.n.Store(0)
			fourth := st.clone()
			require.NoError(t, s.Replace(ctx, fourth, 3))
			assert.Equal(t, int32(2), trips.n.Load(),
				"a replace: WATCH with the read, then MULTI…EXEC; no WATCH was left on the connection")
			got, err := other.Get(ctx, st.ID)
			require.NoError(t, err)
			assert.Equal(t, 4, got.Version)
		})
	}
}
