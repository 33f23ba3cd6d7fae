package graph_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/auth"
)

// A staff token revoked on another instance stops working at once on a WebSocket connection
// that authenticated with it before (issue 12, item 3): the next operation is UNAUTHENTICATED
// and changes nothing, as a revoked token is over HTTP.
func TestRevokedStaffTokenStopsWorkingOnAnOpenWebSocket(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	a := startStack(t, b, b.Redis.URL)
	other := startStack(t, b, b.Redis.URL)
	token, row, err := auth.CreateStaffToken(context.Background(), a.App.DB.Client, "Wes",
		stafftoken.RoleWorkshop)
	require.NoError(t, err)
	p := place(t, a, completeConfiguration(t, a, "heritage-sport", 23), "revoke-key-001")
	pay(t, a, token, p.Order.ID, p.Order.DepositDue.Amount)

	ws := a.ws(t, map[string]any{"authorization": "Bearer " + token})
	const advanceOp = `mutation($in: AdvanceOrderInput!) { advanceOrder(input: $in) { event { seq status } } }`
	ws.Subscribe("1", advanceOp, vars("in", map[string]any{"orderId": p.Order.ID, "to": "MATERIALS"}))
	var out struct {
		AdvanceOrder struct{ Event struct{ Status string } }
	}
	ws.nextData("1", &out)
	require.Equal(t, "MATERIALS", out.AdvanceOrder.Event.Status, "the token works before revocation")
	require.Equal(t, "complete", ws.Next()["type"])

	// Revoked through another instance's database client, as `atelier token revoke` would.
	require.NoError(t, auth.RevokeStaffToken(context.Background(), other.App.DB.Client, row.ID, time.Now()))

	ws.Subscribe("2", advanceOp, vars("in", map[string]any{"orderId": p.Order.ID, "to": "CANCELLED"}))
	msg := ws.Next()
	require.Equal(t, "next", msg["type"], "message: %v", msg)
	assert.Equal(t, "UNAUTHENTICATED", errorCode(msg), "after revocation: %v", msg)
	id, err := strconv.Atoi(p.Order.ID)
	require.NoError(t, err)
	o, err := a.App.DB.Client.Order.Get(auth.System(context.Background()), id)
	require.NoError(t, err)
	assert.Equal(t, order.StatusMaterials, o.Status, "the revoked token changed nothing")

	// A workshop query on the same connection is refused too.
	ws.Subscribe("3", `{ orders(first: 1) { totalCount } }`, nil)
	msg = ws.Next()
	for msg["id"] != "3" {
		msg = ws.Next()
	}
	assert.Equal(t, "UNAUTHENTICATED", errorCode(msg), "a query after revocation: %v", msg)
}

// errorCode returns extensions.code of the first error of a next message, or "".
func errorCode(m map[string]any) string {
	payload, _ := m["payload"].(map[string]any)
	errs, _ := payload["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	ext, _ := errs[0].(map[string]any)["extensions"].(map[string]any)
	code, _ := ext["code"].(string)
	return code
}
