package graph_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent/stafftoken"
)

// The workshop's queue hears of every new order and every status change, from any instance.
func TestOrderQueueChangedAcrossInstances(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	a := startStack(t, b, b.Redis.URL)
	other := startStack(t, b, b.Redis.URL)
	workshop := staffToken(t, a, stafftoken.RoleWorkshop)
	c := completeConfiguration(t, a, "heritage-sport", 23)

	ws := a.ws(t, map[string]any{"authorization": "Bearer " + workshop})
	ws.Subscribe("q", `subscription { orderQueueChanged { orderId status } }`, nil)
	type change struct {
		OrderQueueChanged struct {
			OrderID *string
			Status  *string
		}
	}
	next := func() (string, string) {
		t.Helper()
		var ch change
		ws.nextData("q", &ch)
		require.NotNil(t, ch.OrderQueueChanged.OrderID)
		require.NotNil(t, ch.OrderQueueChanged.Status)
		return *ch.OrderQueueChanged.OrderID, *ch.OrderQueueChanged.Status
	}

	// The first change has no order: the subscription is live, read the whole queue now.
	var first change
	ws.nextData("q", &first)
	require.Nil(t, first.OrderQueueChanged.OrderID)
	require.Nil(t, first.OrderQueueChanged.Status)

	p := place(t, other, c, "queue-live-0001")
	id, status := next()
	assert.Equal(t, p.Order.ID, id)
	assert.Equal(t, "PLACED", status)

	pay(t, other, workshop, p.Order.ID, p.Order.DepositDue.Amount)
	// The payment is an event of its own (the order is still PLACED), then the order confirms.
	id, status = next()
	assert.Equal(t, p.Order.ID, id)
	assert.Equal(t, "PLACED", status)
	id, status = next()
	assert.Equal(t, p.Order.ID, id)
	assert.Equal(t, "CONFIRMED", status)

	advance(t, a, workshop, p.Order.ID, "MATERIALS")
	_, status = next()
	assert.Equal(t, "MATERIALS", status)
}

// Only the workshop follows the queue: a designer or a customer is refused with FORBIDDEN or
// UNAUTHENTICATED, and no subscription is opened.
func TestOrderQueueChangedIsForTheWorkshop(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	designer := staffToken(t, s, stafftoken.RoleDesigner)
	for name, tc := range map[string]struct {
		init map[string]any
		code string
	}{
		"designer": {map[string]any{"authorization": "Bearer " + designer}, "FORBIDDEN"},
		"customer": {map[string]any{}, "UNAUTHENTICATED"},
	} {
		t.Run(name, func(t *testing.T) {
			ws := s.ws(t, tc.init)
			ws.Subscribe("q", `subscription { orderQueueChanged { orderId } }`, nil)
			// gqlgen reports a resolver's refusal as a result with errors, then completes.
			msg := ws.Next()
			require.Equal(t, "next", msg["type"], "message: %v", msg)
			payload := msg["payload"].(map[string]any)
			require.Nil(t, payload["data"])
			errs, _ := payload["errors"].([]any)
			require.NotEmpty(t, errs)
			ext := errs[0].(map[string]any)["extensions"].(map[string]any)
			assert.Equal(t, tc.code, ext["code"])
			assert.Equal(t, "complete", ws.Next()["type"])
		})
	}
}
