package faulttest_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/orderevent"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/db"
	"github.com/atelier/atelier/server/testutil"
)

// A server process killed with SIGKILL in the middle of placeOrder and advanceOrder: after a new
// process starts on the same database and Redis, no order lacks its PLACED event, every order's
// timeline is seq 1..last_seq without gaps, its status is its last event's, idempotent
// placeOrder retries succeed with the same order, and each key has exactly one order.
func TestSIGKILLMidWrite(t *testing.T) {
	dbURL := testutil.DatabaseURL(t)
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		// Sessions must outlive the process: the in-process Redis dies with it.
		redisURL = testutil.StartRedisServer(t).URL
	}
	pfx := prefix(t)
	token := staffToken(t, dbURL)
	c1 := startChild(t, dbURL, redisURL, pfx)

	// Orders the workshop moves along, and complete configurations to order, prepared first.
	const advancing, placing = 4, 16
	var moving []placed
	for range advancing {
		moving = append(moving, placeOrder(t, c1.URL))
	}
	cfgs := make([]configuration, placing)
	for i := range cfgs {
		cfgs[i] = completeConfiguration(t, c1.URL)
	}
	keys := make([]string, placing)
	for i := range keys {
		keys[i] = fmt.Sprintf("kill-%d-%d", time.Now().UnixNano(), i)
	}

	// Fire: every key placed by two concurrent callers, the workshop advancing in loops, and a
	// SIGKILL at a random moment in the middle of it.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	before := map[string]string{} // key → order id answered before the kill
	var placedOK, placedFailed, stepsOK, stepsFailed int
	for i := range placing {
		for range 2 {
			wg.Go(func() {
				time.Sleep(time.Duration(rand.IntN(60)) * time.Millisecond)
				r, err := post(ctx, c1.URL, "", placeMutation, placeVars(cfgs[i], keys[i]))
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					placedFailed++
					return
				}
				p, err := decodePlaced(r)
				if err != nil {
					placedFailed++
					t.Errorf("placeOrder %s before the kill: %v", keys[i], err)
					return
				}
				placedOK++
				if id, ok := before[keys[i]]; ok && id != p.ID {
					t.Errorf("key %s answered with orders %s and %s", keys[i], id, p.ID)
				}
				before[keys[i]] = p.ID
			})
		}
	}
	for _, o := range moving {
		wg.Go(func() {
			for i := 0; i < 200 && ctx.Err() == nil; i++ {
				r, err := step(ctx, c1.URL, token, o, lifecycle(i))
				mu.Lock()
				if err != nil {
					stepsFailed++
					mu.Unlock()
					return // the server is gone
				}
				if len(r.Errors) > 0 {
					t.Errorf("%s on order %s before the kill: %+v", lifecycle(i), o.ID, r.Errors)
					mu.Unlock()
					return
				}
				stepsOK++
				mu.Unlock()
			}
		})
	}
	time.Sleep(time.Duration(30+rand.IntN(370)) * time.Millisecond)
	require.NoError(t, c1.cmd.Process.Kill())
	err := c1.wait(10 * time.Second)
	require.Error(t, err, "SIGKILL")
	wg.Wait()
	t.Logf("before the kill: %d placeOrder answered, %d cut off; %d workshop steps answered, %d cut off",
		placedOK, placedFailed, stepsOK, stepsFailed)

	// A new process on the same database and Redis.
	c2 := startChild(t, dbURL, redisURL, pfx)
	for i, key := range keys {
		var p placed
		testutil.Eventually(t, 10*time.Second, func() bool {
			r, err := post(context.Background(), c2.URL, "", placeMutation, placeVars(cfgs[i], key))
			if err != nil {
				return false
			}
			p, err = decodePlaced(r)
			require.NoError(t, err, "idempotent retry of %s after the kill", key)
			return true
		}, "placeOrder retry after the kill")
		if id, ok := before[key]; ok {
			require.Equal(t, id, p.ID, "retry of %s returns the order answered before the kill", key)
		}
	}
	// The workshop continues on every order: the next step is accepted.
	for _, o := range moving {
		var cur struct {
			Order struct {
				AllowedTransitions []string `json:"allowedTransitions"`
			} `json:"order"`
		}
		must(t, c2.URL, token, `query($id: ID!) { order(id: $id) { allowedTransitions } }`,
			map[string]any{"id": o.ID}, &cur)
		require.NotEmpty(t, cur.Order.AllowedTransitions)
	}

	// The database's view.
	d, err := db.Open(context.Background(), dbURL, false)
	require.NoError(t, err)
	defer d.Close()
	checkTimelines(t, d.Client)
	for _, key := range keys {
		n, err := d.Client.Order.Query().Where(order.IdempotencyKey(key)).
			Count(auth.System(t.Context()))
		require.NoError(t, err)
		require.Equal(t, 1, n, "orders with key %s", key)
	}
}

// checkTimelines asserts every order's events are seq 1..last_seq, the first PLACED, and the
// order's status is its last event's.
func checkTimelines(t *testing.T, client *ent.Client) {
	t.Helper()
	orders, err := client.Order.Query().WithEvents().All(auth.System(t.Context()))
	require.NoError(t, err)
	require.NotEmpty(t, orders)
	total := 0
	for _, o := range orders {
		evs := o.Edges.Events
		sort.Slice(evs, func(i, j int) bool { return evs[i].Seq < evs[j].Seq })
		require.NotEmpty(t, evs, "order %d has no event", o.ID)
		require.Equal(t, orderevent.StatusPlaced, evs[0].Status, "order %d's first event", o.ID)
		for i, e := range evs {
			require.Equal(t, i+1, e.Seq, "order %d: seq without gaps or duplicates", o.ID)
		}
		require.Equal(t, o.LastSeq, len(evs), "order %d: last_seq is the number of events", o.ID)
		require.Equal(t, string(o.Status), string(evs[len(evs)-1].Status), "order %d: status is the last event's", o.ID)
		total += len(evs)
	}
	t.Logf("%d orders, %d events: every timeline complete", len(orders), total)
}
