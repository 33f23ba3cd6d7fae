package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent/orderevent"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/graph"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/events"
	"github.com/atelier/atelier/server/orders"
	"github.com/atelier/atelier/server/quote"
	"github.com/atelier/atelier/server/studio"
)

// directRig is gqlgen's executor and a Direct over the same dependencies, on a running stack
// whose mutations publish the events both see.
type directRig struct {
	s      *stack
	bus    *events.Bus
	exec   *executor.Executor
	direct *graph.Direct
	authn  *auth.Authenticator
}

func newDirectRig(t *testing.T) *directRig {
	t.Helper()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	logger := slog.New(slog.DiscardHandler)
	client := s.App.DB.Client
	bus := events.NewBus(client, s.App.Hub, b.Redis.Prefix, logger)
	deps := graph.Deps{
		Client:   client,
		Studio:   studio.NewStore(client),
		Sessions: s.App.Sessions,
		Hub:      s.App.Hub,
		Orders:   orders.NewService(client, s.App.Sessions, bus, quote.Calendar{}, nil),
		Bus:      bus,
		Logger:   logger,
	}
	exec := executor.New(graph.NewSchema(deps))
	exec.SetErrorPresenter(graph.ErrorPresenter(logger))
	exec.SetRecoverFunc(graph.RecoverFunc(logger))
	return &directRig{s: s, bus: bus, exec: exec, direct: graph.NewDirect(deps), authn: auth.NewAuthenticator(client, nil)}
}

// as returns a context of the viewer of token ("" for anonymous), ended at cleanup.
func (r *directRig) as(t *testing.T, token string) context.Context {
	t.Helper()
	ctx, cancel := context.WithCancel(systemCtx())
	t.Cleanup(cancel)
	ctx, err := r.authn.Context(ctx, token)
	require.NoError(t, err)
	return ctx
}

// operation parses, validates and coerces an operation as the handler does (variables decoded
// from JSON with numbers kept as json.Number).
func (r *directRig) operation(t *testing.T, ctx context.Context, query, name string, vars map[string]any) *graphql.OperationContext {
	t.Helper()
	raw, err := json.Marshal(vars)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v map[string]any
	require.NoError(t, dec.Decode(&v))
	opCtx, errs := r.exec.CreateOperationContext(graphql.StartOperationTrace(ctx), &graphql.RawParams{Query: query, OperationName: name, Variables: v})
	require.Empty(t, errs)
	return opCtx
}

// subscribeDirect runs SubscribeDirect; its payloads arrive on the channel.
func (r *directRig) subscribeDirect(t *testing.T, ctx context.Context, query, name string, vars map[string]any) (<-chan []byte, bool) {
	t.Helper()
	opCtx := r.operation(t, ctx, query, name, vars)
	out := make(chan []byte, 256)
	ok := r.direct.SubscribeDirect(graphql.WithOperationContext(ctx, opCtx), func(p []byte) {
		select {
		case out <- p:
		default:
			panic("the test's buffer is full") // never with the few events sent here
		}
	})
	return out, ok
}

// subscribeGqlgen executes the operation with gqlgen; each response arrives on the channel as
// json.Marshal encodes it.
func (r *directRig) subscribeGqlgen(t *testing.T, ctx context.Context, query, name string, vars map[string]any) <-chan []byte {
	t.Helper()
	opCtx := r.operation(t, ctx, query, name, vars)
	next, ctx := r.exec.DispatchOperation(ctx, opCtx)
	out := make(chan []byte, 256)
	go func() {
		defer close(out)
		for {
			resp := next(ctx)
			if resp == nil {
				return
			}
			b, err := json.Marshal(resp) // now: resp.Data is reused by the next response
			if err != nil {
				panic(err)
			}
			select {
			case out <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func receive(t *testing.T, c <-chan []byte, n int) [][]byte {
	t.Helper()
	var got [][]byte
	timeout := time.After(20 * time.Second)
	for len(got) < n {
		select {
		case p, ok := <-c:
			require.True(t, ok, "stream ended after %d of %d payloads", len(got), n)
			got = append(got, p)
		case <-timeout:
			require.FailNow(t, "timed out", "%d of %d payloads", len(got), n)
		}
	}
	return got
}

// Notes a JSON encoder must escape: quotes, backslash, control characters, HTML, U+2028.
const (
	trickyNote    = "Leather \"chosen\" \\ cut\nnext:\t<b>edge</b> & paint \x01 — café ✂ 日本 \u2028 end"
	trickyLive    = "Stitching “saddle” <x> & y\\z\r\n\"done\""
	trickyActor   = "Zoë \"Z\" O'Brien <workshop>"
	trickyTracker = "1Z<99>&\"\\/"
)

// directDocuments are the shapes compared with gqlgen; skip is how many events after skips.
// The first is the SPA's own subscription (web-client's useOrderEvents, as its client sends it):
// it must stay on Direct's path.
func directDocuments(t *testing.T, orderID string) []struct {
	name, query, op string
	vars            map[string]any
	skip            int
} {
	spa := spaOperations(t)["orderEvents"].Query
	require.Contains(t, spa, "orderEvents(", "tools/loadgen/spa_operations.json holds the SPA's subscription")
	return []struct {
		name, query, op string
		vars            map[string]any
		skip            int
	}{
		{name: "the SPA's", query: spa, vars: vars("orderId", orderID, "after", 0)},
		{name: "the SPA's after 2", query: spa, vars: vars("orderId", orderID, "after", 2), skip: 2},
		{name: "aliases, __typename, fragments", query: `
subscription Timeline($id: ID!) {
  timeline: orderEvents(orderId: $id) {
    __typename
    kind: __typename
    ...Bits
    n: seq
    ... on Node { id nodeId: id }
    ... { actor }
    seq
    note
    n: seq
    ...Bits
  }
}
fragment Bits on OrderEvent { status when: at note trackingNumber id }`, vars: vars("id", orderID)},
		{name: "literal arguments, negative after", query: fmt.Sprintf(
			`subscription { orderEvents(orderId: %q, after: -5) { id seq actor at } }`, orderID)},
		{name: "operation chosen by name", query: `query Q { __typename }
subscription S($id: ID!) { orderEvents(orderId: $id) { ... on OrderEvent { status } seq ... on Node { ... on OrderEvent { at } } } }`,
			op: "S", vars: vars("id", orderID)},
	}
}

// TestDirectSendsGqlgensBytes compares, byte for byte, what SubscribeDirect sends with what
// gqlgen's executor produces for the same documents and events: replayed and live events,
// notes needing escapes and a time that is not UTC.
func TestDirectSendsGqlgensBytes(t *testing.T) {
	t.Parallel()
	r := newDirectRig(t)
	s := r.s
	workshop := staffToken(t, s, stafftoken.RoleWorkshop)
	p := place(t, s, completeConfiguration(t, s, "heritage-sport", 51), "direct-key-0001")
	pay(t, s, workshop, p.Order.ID, p.Order.DepositDue.Amount)           // seq 2 paid, 3 CONFIRMED
	advance(t, s, workshop, p.Order.ID, "MATERIALS", "note", trickyNote) // seq 4
	docs := directDocuments(t, p.Order.ID)
	const total = 6

	type pair struct{ direct, gqlgen <-chan []byte }
	open := func(ctx context.Context) []pair {
		var ps []pair
		for _, d := range docs {
			c, ok := r.subscribeDirect(t, ctx, d.query, d.op, d.vars)
			require.True(t, ok, "%s: not served", d.name)
			ps = append(ps, pair{c, r.subscribeGqlgen(t, ctx, d.query, d.op, d.vars)})
		}
		return ps
	}
	compare := func(ps []pair) [][][]byte {
		var all [][][]byte
		for i, d := range docs {
			direct := receive(t, ps[i].direct, total-d.skip)
			want := receive(t, ps[i].gqlgen, total-d.skip)
			for j := range want {
				assert.Equal(t, string(want[j]), string(direct[j]), "%s: event %d", d.name, d.skip+j+1)
			}
			all = append(all, direct)
		}
		return all
	}

	// Live: seq 1–4 are replayed, then 5 and 6 are published while everyone listens.
	live, stop := context.WithCancel(r.as(t, p.OrderToken))
	ps := open(live)
	advance(t, s, workshop, p.Order.ID, "CRAFTING", "note", trickyLive) // seq 5
	ist := time.FixedZone("IST", 5*3600+30*60)
	ctx := systemCtx()
	ev, err := s.App.DB.Client.OrderEvent.Create().SetOrderID(orderInt(t, p.Order.ID)).SetSeq(6).
		SetStatus(orderevent.StatusFinishing).SetNote(trickyNote).SetActor(trickyActor).
		SetTrackingNumber(trickyTracker).SetProofNumber(3).
		SetAt(time.Date(2025, 2, 3, 4, 5, 6, 789000000, ist)).Save(ctx)
	require.NoError(t, err)
	r.bus.Publish(ctx, orderInt(t, p.Order.ID), ev) // seq 6
	got := compare(ps)
	stop()

	// The golden bytes, so the comparison cannot pass on two equal mistakes.
	assert.Equal(t, `{"data":{"orderEvents":{"seq":6,"status":"FINISHING","kind":"STATUS","amount":0,`+
		`"note":"Leather \"chosen\" \\ cut\nnext:\t\u003cb\u003eedge\u003c/b\u003e \u0026 paint \u0001 — café ✂ 日本 \u2028 end",`+
		`"at":"2025-02-03T04:05:06.789+05:30","trackingNumber":"1Z\u003c99\u003e\u0026\"\\/","proofNumber":3}}}`,
		string(got[0][5]))
	assert.True(t, strings.HasPrefix(string(got[2][0]),
		`{"data":{"timeline":{"__typename":"OrderEvent","kind":"OrderEvent","status":"PLACED","when":"`), "%s", got[2][0])

	// Subscribers of one document share the encoding of a live event.
	for j := 4; j < total; j++ {
		assert.Same(t, &got[0][j][0], &got[1][j-2][0], "seq %d is encoded once for every subscriber", j+1)
	}

	// Replay: all six events come from the database.
	replay, stop := context.WithCancel(r.as(t, p.OrderToken))
	defer stop()
	compare(open(replay))
}

// TestDirectDeclines checks that every operation Direct does not serve, or that fails, is left
// to gqlgen: SubscribeDirect returns false and sends nothing.
func TestDirectDeclines(t *testing.T) {
	t.Parallel()
	r := newDirectRig(t)
	s := r.s
	c := completeConfiguration(t, s, "heritage-sport", 52)
	p1 := place(t, s, c, "direct-decline-01")
	p2 := place(t, s, c, "direct-decline-02")
	workshop := staffToken(t, s, stafftoken.RoleWorkshop)
	const events = `subscription($id: ID!) { orderEvents(orderId: $id) { seq } }`

	tests := []struct {
		name, token, query string
		id                 string
		code               string // gqlgen's error, when the operation fails
	}{
		{name: "selects order", token: p1.OrderToken, id: p1.Order.ID,
			query: `subscription($id: ID!) { orderEvents(orderId: $id) { seq order { id } } }`},
		{name: "@include on a field", token: p1.OrderToken, id: p1.Order.ID,
			query: `subscription($id: ID!) { orderEvents(orderId: $id) { seq note @include(if: true) } }`},
		{name: "@skip on a fragment", token: p1.OrderToken, id: p1.Order.ID,
			query: `subscription($id: ID!) { orderEvents(orderId: $id) { seq ... on OrderEvent @skip(if: false) { note } } }`},
		{name: "@include on the root field", token: p1.OrderToken, id: p1.Order.ID,
			query: `subscription($id: ID!) { orderEvents(orderId: $id) @include(if: true) { seq } }`},
		{name: "a query", token: p1.OrderToken, id: p1.Order.ID,
			query: `query($id: ID!) { order(id: $id) { id } }`},
		{name: "another subscription", token: p1.OrderToken, id: p1.Order.ID,
			query: `subscription($id: ID!) { configurationUpdated(id: $id) { id } }`},
		{name: "unknown order", token: workshop, id: "999999", query: events, code: "NOT_FOUND"},
		{name: "malformed id", token: workshop, id: "abc", query: events, code: "NOT_FOUND"},
		{name: "another customer's order", token: p1.OrderToken, id: p2.Order.ID, query: events, code: "FORBIDDEN"},
		{name: "anonymous", id: p1.Order.ID, query: events, code: "UNAUTHENTICATED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := r.as(t, tt.token)
			v := vars("id", tt.id)
			c, ok := r.subscribeDirect(t, ctx, tt.query, "", v)
			assert.False(t, ok)
			assert.Empty(t, c, "nothing is sent")
			if tt.code == "" {
				return
			}
			// gqlgen then reports the error.
			var resp gqlResponse
			require.NoError(t, json.Unmarshal(receive(t, r.subscribeGqlgen(t, ctx, tt.query, "", v), 1)[0], &resp))
			require.NotEmpty(t, resp.Errors)
			assert.Equal(t, tt.code, resp.Errors[0].Extensions["code"])
		})
	}

	t.Run("no operation context", func(t *testing.T) {
		assert.False(t, r.direct.SubscribeDirect(systemCtx(), func([]byte) { t.Error("sent") }))
	})
	t.Run("served", func(t *testing.T) { // the control: the same rig serves the plain shape
		ctx, stop := context.WithCancel(r.as(t, p1.OrderToken))
		defer stop()
		c, ok := r.subscribeDirect(t, ctx, events, "", vars("id", p1.Order.ID))
		require.True(t, ok)
		assert.JSONEq(t, `{"data":{"orderEvents":{"seq":1}}}`, string(receive(t, c, 1)[0]))
	})
}

// TestDirectSharesOneEncoding: many subscribers of one document receive one encoding of each
// live event (the bus hands them all the same event).
func TestDirectSharesOneEncoding(t *testing.T) {
	t.Parallel()
	r := newDirectRig(t)
	s := r.s
	workshop := staffToken(t, s, stafftoken.RoleWorkshop)
	p := place(t, s, completeConfiguration(t, s, "heritage-sport", 53), "direct-share-01")
	const (
		query       = `subscription OrderEvents($orderId: ID!, $after: Int) { orderEvents(orderId: $orderId, after: $after) { seq status kind amount note at trackingNumber } }`
		subscribers = 200
	)
	ctx := r.as(t, p.OrderToken)
	var streams []<-chan []byte
	for range subscribers {
		c, ok := r.subscribeDirect(t, ctx, query, "OrderEvents", vars("orderId", p.Order.ID, "after", 1))
		require.True(t, ok)
		streams = append(streams, c)
	}
	want := r.subscribeGqlgen(t, ctx, query, "OrderEvents", vars("orderId", p.Order.ID, "after", 1))
	pay(t, s, workshop, p.Order.ID, p.Order.DepositDue.Amount) // seq 2, live
	first := receive(t, streams[0], 1)[0]
	assert.Equal(t, string(receive(t, want, 1)[0]), string(first))
	for i, c := range streams[1:] {
		got := receive(t, c, 1)[0]
		require.Equal(t, string(first), string(got), "subscriber %d", i+1)
		assert.Same(t, &first[0], &got[0], "subscriber %d got its own encoding", i+1)
	}
}

func orderInt(t *testing.T, id string) int {
	t.Helper()
	var n int
	_, err := fmt.Sscan(id, &n)
	require.NoError(t, err)
	return n
}
