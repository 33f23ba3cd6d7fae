package events_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/orderevent"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/events"
	"github.com/atelier/atelier/server/pubsub"
	"github.com/atelier/atelier/server/testutil"
)

// env is a Bus over a fresh database and a Redis of the test's own.
type env struct {
	client *ent.Client
	bus    *events.Bus
	redis  *testutil.Redis
}

func newEnv(t testing.TB) *env {
	t.Helper()
	d := testutil.OpenDB(t)
	r := testutil.OpenRedis(t)
	return &env{client: d.Client, bus: newBus(t, d.Client, r.Client, r.Prefix), redis: r}
}

func newBus(t testing.TB, client *ent.Client, rdb *redis.Client, prefix string) *events.Bus {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(testutil.LogWriter{T: t}, &slog.HandlerOptions{
		Level: slog.LevelWarn,
	}))
	hub := pubsub.NewHub(rdb, logger)
	t.Cleanup(func() { _ = hub.Close() })
	return events.NewBus(client, hub, prefix, logger)
}

// newOrder stores an order without events and returns its ID.
func (e *env) newOrder(t testing.TB) int {
	t.Helper()
	ctx := context.Background()
	n := time.Now().UnixNano()
	p, err := e.client.Product.Create().SetSlug(fmt.Sprintf("p-%d", n)).SetName("P").
		SetBasePrice(1).SetBuildDaysMin(1).SetBuildDaysMax(2).Save(ctx)
	require.NoError(t, err)
	o, err := e.client.Order.Create().SetProductID(p.ID).SetNumber(fmt.Sprintf("T-%d", n)).
		SetIdempotencyKey(fmt.Sprintf("k-%d", n)).SetTokenHash(fmt.Appendf(nil, "h-%d", n)).
		SetCatalogVersion(1).SetQuantity(1).SetCurrency("USD").SetTotal(100).
		SetDepositDue(30).SetBalanceDue(70).SetCustomerName("Test").
		SetCustomerEmail("test@example.com").SetSnapshot(&catalog.OrderSnapshot{}).
		SetShipsEarliest(time.Now()).SetShipsLatest(time.Now()).
		SetStatus(order.StatusPlaced).Save(ctx)
	require.NoError(t, err)
	return o.ID
}

// store commits events with the given seqs without publishing them.
func (e *env) store(t testing.TB, orderID int, seqs ...int) []*ent.OrderEvent {
	t.Helper()
	var evs []*ent.OrderEvent
	for _, s := range seqs {
		ev, err := e.client.OrderEvent.Create().SetOrderID(orderID).SetSeq(s).
			SetStatus(orderevent.StatusCrafting).SetNote(fmt.Sprintf("event %d", s)).
			Save(context.Background())
		require.NoError(t, err)
		evs = append(evs, ev)
	}
	return evs
}

// commit stores events and publishes them, as the order service does after its commit.
func (e *env) commit(t testing.TB, orderID int, seqs ...int) {
	t.Helper()
	e.bus.Publish(context.Background(), orderID, e.store(t, orderID, seqs...)...)
}

// recorder is a deliver callback that keeps what it receives and fails the test when it is
// called concurrently.
type recorder struct {
	t    testing.TB
	busy atomic.Bool
	mu   sync.Mutex
	evs  []*ent.OrderEvent
}

func (r *recorder) deliver(ev *ent.OrderEvent) {
	if !r.busy.CompareAndSwap(false, true) {
		r.t.Error("deliver called concurrently for one Join")
	}
	r.mu.Lock()
	r.evs = append(r.evs, ev)
	r.mu.Unlock()
	r.busy.Store(false)
}

func (r *recorder) events() []*ent.OrderEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*ent.OrderEvent(nil), r.evs...)
}

func (r *recorder) seqs() []int {
	var s []int
	for _, ev := range r.events() {
		s = append(s, ev.Seq)
	}
	return s
}

// waitFor waits until r has received as many events as want, then checks they are exactly want.
func (r *recorder) waitFor(t testing.TB, want ...int) {
	t.Helper()
	waitAll(t, []*recorder{r}, want...)
}

// waitAll waits until every recorder has received as many events as want, then checks that
// each received exactly want.
func waitAll(t testing.TB, rs []*recorder, want ...int) {
	t.Helper()
	for _, r := range rs {
		testutil.Eventually(t, 10*time.Second, func() bool { return len(r.seqs()) >= len(want) },
			fmt.Sprintf("waiting for %v, got %v", want, r.seqs()))
	}
	// A duplicate would arrive right behind the last event: give it the chance to.
	time.Sleep(20 * time.Millisecond)
	for _, r := range rs {
		require.Equal(t, want, r.seqs())
	}
}

func join(t testing.TB, ctx context.Context, bus *events.Bus, orderID, after int) *recorder {
	t.Helper()
	r := &recorder{t: t}
	require.NoError(t, bus.Join(ctx, orderID, after, r.deliver))
	return r
}

func seqRange(from, to int) []int {
	var s []int
	for i := from; i <= to; i++ {
		s = append(s, i)
	}
	return s
}

func TestJoinReplaysThenDeliversLive(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	oid := e.newOrder(t)
	e.commit(t, oid, 1, 2, 3)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	r := join(t, ctx, e.bus, oid, 1)
	// The stored events are delivered before Join returns.
	assert.Equal(t, []int{2, 3}, r.seqs())
	e.commit(t, oid, 4)
	e.commit(t, oid, 5, 6)
	r.waitFor(t, 2, 3, 4, 5, 6)
	assert.Equal(t, "event 5", r.events()[3].Note, "the event carried through Redis is complete")

	// A publication that arrives again (another instance, a retry) is not delivered twice.
	evs, err := e.client.OrderEvent.Query().Where(orderevent.Seq(5)).All(ctx)
	require.NoError(t, err)
	e.bus.Publish(ctx, oid, evs...)
	e.commit(t, oid, 7)
	r.waitFor(t, 2, 3, 4, 5, 6, 7)
}

// An event committed right after Join returns reaches the member, however busy Redis is: the
// group's subscription is live before the member reads the database.
func TestJoinSubscribesBeforeReading(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	orders := make([]int, 40)
	for i := range orders {
		orders[i] = e.newOrder(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	members := make([]*recorder, len(orders))
	var wg sync.WaitGroup
	for i, oid := range orders {
		wg.Go(func() {
			r := &recorder{t: t}
			if err := e.bus.Join(ctx, oid, 0, r.deliver); err != nil {
				t.Error(err)
				return
			}
			members[i] = r
			ev, err := e.client.OrderEvent.Create().SetOrderID(oid).SetSeq(1).
				SetStatus(orderevent.StatusCrafting).Save(ctx)
			if err != nil {
				t.Error(err)
				return
			}
			e.bus.Publish(ctx, oid, ev)
		})
	}
	wg.Wait()
	require.False(t, t.Failed())
	// Nothing after the event would reveal its loss: it must arrive by itself.
	waitAll(t, members, 1)
}

func TestJoinManyMembersShareEachLiveEvent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	oid := e.newOrder(t)
	e.commit(t, oid, 1, 2)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	members := make([]*recorder, 200)
	for i := range members {
		members[i] = join(t, ctx, e.bus, oid, 0)
	}
	assert.Equal(t, 1, e.bus.Groups(), "one group for the order")
	e.commit(t, oid, 3, 4, 5)
	waitAll(t, members, 1, 2, 3, 4, 5)
	first := members[0].events()
	for _, r := range members[1:] {
		got := r.events()
		for i := 2; i < 5; i++ {
			require.Same(t, first[i], got[i], "live event %d is one pointer for every member",
				got[i].Seq)
		}
	}
}

// Not parallel: it counts the process's goroutines, which parallel tests would disturb.
func TestJoinCostsNoGoroutinePerMember(t *testing.T) {
	e := newEnv(t)
	oid := e.newOrder(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	members := []*recorder{join(t, ctx, e.bus, oid, 0)}
	before := runtime.NumGoroutine()
	for range 500 {
		members = append(members, join(t, ctx, e.bus, oid, 0))
	}
	// The database driver runs a short-lived goroutine per query; what stays counts.
	testutil.Eventually(t, 5*time.Second, func() bool { return runtime.NumGoroutine()-before < 10 },
		"no goroutine stays per member")
	e.commit(t, oid, 1)
	waitAll(t, members, 1)
}

func TestJoinRepairsGapFromDatabase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	oid := e.newOrder(t)
	e.commit(t, oid, 1, 2, 3)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	members := []*recorder{join(t, ctx, e.bus, oid, 0), join(t, ctx, e.bus, oid, 0)}

	// 4 is stored but its publication is lost; 5 reveals the gap.
	lost := e.store(t, oid, 4)
	e.commit(t, oid, 5)
	waitAll(t, members, 1, 2, 3, 4, 5)
	// The members fell behind together and caught up with one read: they share its events.
	assert.Same(t, members[0].events()[3], members[1].events()[3])

	// The lost publication turning up late is not delivered again.
	e.bus.Publish(ctx, oid, lost...)
	e.commit(t, oid, 6)
	waitAll(t, members, 1, 2, 3, 4, 5, 6)
}

// A resync from the hub (here handed to the group directly) makes every member re-read what was
// stored meanwhile, even though no later event reveals a gap.
func TestJoinResyncReadsWhatWasMissed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	oid := e.newOrder(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	members := []*recorder{join(t, ctx, e.bus, oid, 0), join(t, ctx, e.bus, oid, 0)}
	e.commit(t, oid, 1)
	e.store(t, oid, 2, 3)
	require.True(t, e.bus.Handle(oid, pubsub.Message{Resync: true}))
	waitAll(t, members, 1, 2, 3)
	// An unreadable payload is handled the same way.
	e.store(t, oid, 4)
	require.True(t, e.bus.Handle(oid, pubsub.Message{Payload: "{not json"}))
	waitAll(t, members, 1, 2, 3, 4)
	e.commit(t, oid, 5)
	waitAll(t, members, 1, 2, 3, 4, 5)
}

// Redis made unreachable under the hub (a TCP proxy is cut) while another instance publishes:
// once the hub resubscribes, its resync brings the members what they missed.
func TestJoinCatchesUpAfterRedisOutage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	target := ""
	if e.redis.Mini != nil {
		target = e.redis.Mini.Addr()
	} else {
		u, err := url.Parse(e.redis.URL)
		require.NoError(t, err)
		target = u.Host
	}
	proxy := testutil.StartProxy(t, target)
	opts, err := redis.ParseURL(e.redis.URL)
	require.NoError(t, err)
	opts.Addr = proxy.Addr
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { _ = rdb.Close() })
	// This instance listens through the proxy; e.bus plays another instance that publishes.
	bus := newBus(t, e.client, rdb, e.redis.Prefix)

	oid := e.newOrder(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	members := []*recorder{join(t, ctx, bus, oid, 0), join(t, ctx, bus, oid, 0)}
	e.commit(t, oid, 1)
	waitAll(t, members, 1)

	proxy.Cut()
	e.commit(t, oid, 2, 3) // Lost for this instance.
	time.Sleep(300 * time.Millisecond)
	proxy.Restore(t)
	waitAll(t, members, 1, 2, 3)
	testutil.Eventually(t, 10*time.Second, func() bool {
		e.commit(t, oid, len(members[0].seqs())+1)
		time.Sleep(50 * time.Millisecond)
		return len(members[0].seqs()) > 3
	}, "live events flow again")
	n := len(members[0].seqs())
	waitAll(t, members, seqRange(1, n)...)
}

func TestJoinEndsWithItsContext(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	oid := e.newOrder(t)
	ctx, cancel := context.WithCancel(context.Background())
	stayCtx, stay := context.WithCancel(context.Background())
	defer stay()
	r := join(t, ctx, e.bus, oid, 0)
	other := join(t, stayCtx, e.bus, oid, 0)
	e.commit(t, oid, 1)
	r.waitFor(t, 1)

	cancel()
	e.commit(t, oid, 2)
	other.waitFor(t, 1, 2)
	assert.Equal(t, []int{1}, r.seqs(), "nothing is delivered after the context ends")
	assert.Equal(t, 1, e.bus.Groups(), "the group lives while a member remains")

	require.Error(t, e.bus.Join(ctx, oid, 0, func(*ent.OrderEvent) {
		t.Error("nothing is delivered to a Join whose context has ended")
	}), "a Join whose context has ended fails")
	stay()
	testutil.Eventually(t, 5*time.Second, func() bool { return e.bus.Groups() == 0 },
		"the group is removed with its last member")
	e.commit(t, oid, 3)

	// Joining again subscribes again, however quickly members come and go.
	for range 20 {
		c, done := context.WithCancel(context.Background())
		join(t, c, e.bus, oid, 3)
		done()
	}
	again := join(t, context.Background(), e.bus, oid, 1)
	again.waitFor(t, 2, 3)
	e.commit(t, oid, 4)
	again.waitFor(t, 2, 3, 4)
	assert.Equal(t, []int{1}, r.seqs())
}

func TestJoinFailsOnDatabaseError(t *testing.T) {
	t.Parallel()
	d := testutil.OpenDB(t)
	r := testutil.OpenRedis(t)
	bus := newBus(t, d.Client, r.Client, r.Prefix)
	require.NoError(t, d.Client.Close())

	err := bus.Join(context.Background(), 1, 0, func(*ent.OrderEvent) {
		t.Error("nothing is delivered from a failed Join")
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "reading order events")
	testutil.Eventually(t, 5*time.Second, func() bool { return bus.Groups() == 0 },
		"a failed Join leaves no group behind")
}

// BenchmarkJoinFanout offers one live event to 10,000 members of one order through the group's
// fan-out (without Redis: the message is handed to the group as the hub would), and reports
// what a member costs in memory.
func BenchmarkJoinFanout(b *testing.B) {
	const members = 10_000
	e := newEnv(b)
	oid := e.newOrder(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out []*ent.OrderEvent
	deliver := func(ev *ent.OrderEvent) { out = append(out, ev) }

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	for range members {
		if err := e.bus.Join(ctx, oid, 0, deliver); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	joined := time.Since(start)

	at := time.Now()
	seq := 0
	b.ReportAllocs()
	for b.Loop() {
		seq++
		payload := fmt.Sprintf(`{"id":%d,"seq":%d,"status":"CRAFTING","at":%q}`, seq, seq,
			at.Format(time.RFC3339Nano))
		out = out[:0]
		e.bus.Handle(oid, pubsub.Message{Payload: payload})
		if len(out) != members {
			b.Fatalf("delivered %d of %d", len(out), members)
		}
	}
	// Reported after the loop: b.Loop's first call discards metrics reported before it.
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/members, "heap-B/member")
	b.ReportMetric(float64(joined.Nanoseconds())/members, "join-ns/member")
}
