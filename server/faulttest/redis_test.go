package faulttest_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/testutil"
)

// Redis stopped and restarted under load: configuration steps answer UNAVAILABLE while it is
// down and resume on the same session afterwards; the database stays the source of truth for
// orders, so advanceOrder keeps working, and a subscriber connected through the outage gets
// every event exactly once, in seq order, including those committed while Redis was down.
func TestRedisOutageUnderLoad(t *testing.T) {
	rs := testutil.StartPersistentRedisServer(t)
	dbURL := testutil.DatabaseURL(t)
	token := staffToken(t, dbURL)
	inst := startInstance(t, dbURL, rs.URL, prefix(t))

	o := placeOrder(t, inst.URL)
	sub := subscribe(t, inst.URL, o.Token, o.ID, 0)
	sub.waitSeq(t, 1, 10*time.Second)

	// A session half way through, to continue after the outage.
	cfg := startConfiguration(t, inst.URL)
	op, in := nextChoice(cfg)
	r, err := choose(context.Background(), inst.URL, op, in)
	require.NoError(t, err)
	require.Empty(t, r.Errors)
	cfg = decodeConfig(t, op, r)

	// Background load: configuration sessions read over and over, and order reads.
	ctx, stopLoad := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var loadOK, loadUnavailable, loadOther atomic.Int64
	var otherMu sync.Mutex
	var others []string
	for range 4 {
		wg.Go(func() {
			for ctx.Err() == nil {
				r, err := post(ctx, inst.URL, "", `query($id: ID!) { configuration(id: $id) { id version } }`,
					map[string]any{"id": cfg.ID})
				switch {
				case ctx.Err() != nil:
				case err != nil:
					loadOther.Add(1)
					otherMu.Lock()
					others = append(others, err.Error())
					otherMu.Unlock()
				case len(r.Errors) == 0:
					loadOK.Add(1)
				case r.code() == "UNAVAILABLE":
					loadUnavailable.Add(1)
				default:
					loadOther.Add(1)
					otherMu.Lock()
					others = append(others, r.code()+": "+r.Errors[0].Message)
					otherMu.Unlock()
				}
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
	stopAndCount := func() {
		stopLoad()
		wg.Wait()
	}
	defer stopAndCount()

	// One event before the outage.
	seq, redisDown := 1, false
	advance := func(i int) {
		t.Helper()
		r, err := step(context.Background(), inst.URL, token, o, lifecycle(i))
		require.NoError(t, err)
		require.Empty(t, r.Errors, "%s (Redis down: %v)", lifecycle(i), redisDown)
		seq += eventsOf(lifecycle(i))
	}
	advance(0)
	sub.waitSeq(t, seq, 10*time.Second)

	rs.Stop()
	redisDown = true
	downAt := time.Now()

	// Configuration steps: UNAVAILABLE, not INTERNAL, while Redis is down.
	op, in = nextChoice(cfg)
	testutil.Eventually(t, 10*time.Second, func() bool {
		r, err := choose(context.Background(), inst.URL, op, in)
		return err == nil && r.code() == "UNAVAILABLE"
	}, "a configuration step answers UNAVAILABLE while Redis is down")
	r, err = choose(context.Background(), inst.URL, op, in)
	require.NoError(t, err)
	require.Len(t, r.Errors, 1)
	require.Equal(t, "UNAVAILABLE", r.code(), "configuration step while Redis is down: %+v", r.Errors)

	// The workshop goes on: the database is the source of truth.
	for i := 1; i <= 3; i++ {
		start := time.Now()
		advance(i)
		t.Logf("%s while Redis is down took %s", lifecycle(i), time.Since(start).Round(time.Millisecond))
	}
	time.Sleep(300 * time.Millisecond)

	rs.Start()
	redisDown = false
	t.Logf("Redis was down for %s", time.Since(downAt).Round(time.Millisecond))

	// The same session continues with the version it had.
	var next configuration
	testutil.Eventually(t, 15*time.Second, func() bool {
		r, err := choose(context.Background(), inst.URL, op, in)
		if err != nil || len(r.Errors) > 0 {
			return false
		}
		next = decodeConfig(t, op, r)
		return true
	}, "the configuration step succeeds once Redis is back")
	require.Equal(t, cfg.ID, next.ID)
	require.Equal(t, cfg.Version+1, next.Version, "version continuity across the outage")

	// The subscriber catches up on the events committed during the outage, then gets new ones.
	sub.waitSeq(t, seq, 20*time.Second)
	advance(4)
	sub.waitSeq(t, seq, 10*time.Second)
	time.Sleep(200 * time.Millisecond)
	requireExactly(t, sub.events(), seq)

	stopAndCount()
	t.Logf("background load: %d ok, %d UNAVAILABLE, %d other", loadOK.Load(), loadUnavailable.Load(), loadOther.Load())
	require.Zero(t, loadOther.Load(), "background requests failed otherwise than UNAVAILABLE: %v", others)
	require.Positive(t, loadUnavailable.Load(), "the load saw the outage")
}
