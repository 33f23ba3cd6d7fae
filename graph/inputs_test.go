package graph_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/testutil"
)

// cursor encodes c as a client would send it.
func cursor(t *testing.T, c entgql.Cursor[int]) string {
	t.Helper()
	var b bytes.Buffer
	c.MarshalGQL(&b)
	return strings.Trim(b.String(), `"`)
}

// TestClientMistakesAreNamedNotInternal sends every client mistake the attack found reported as
// INTERNAL (or UNAVAILABLE): each must come back with the right code naming the field, change
// nothing, and write no ERROR log line.
func TestClientMistakesAreNamedNotInternal(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	logs := &testutil.LockedBuffer{}
	s := &stack{testutil.StartApp(t, testutil.AppOptions{
		Env:   map[string]string{"DATABASE_URL": b.DatabaseURL, "REDIS_URL": b.Redis.URL},
		Flags: []string{"-redis-prefix", b.Redis.Prefix}, Log: logs,
	})}
	designer := bearer(staffToken(t, s, stafftoken.RoleDesigner))
	c := completeConfiguration(t, s, "heritage-sport", 61)
	withInput := func(edit func(in map[string]any)) map[string]any {
		in := placeInput(c, "mistake-key-0001")
		edit(in)
		return vars("in", in)
	}
	addr := func(k, v string) func(map[string]any) {
		return func(in map[string]any) { in["shippingAddress"].(map[string]any)[k] = v }
	}
	ctx := systemCtx()
	client := s.App.DB.Client
	pid := client.Product.Query().Where(product.Slug("heritage-sport")).OnlyIDX(ctx)
	// A discount that takes the unit price below zero, in the draft.
	client.PriceRule.Create().SetProductID(pid).SetLabel("Too generous").SetCondition("leather = calf").
		SetAmount(-1_000_000).SaveX(auth.NewContext(ctx, &auth.Viewer{Name: "t", Role: stafftoken.RoleDesigner}))

	cases := []struct {
		name, query string
		vars        map[string]any
		headers     []string
		code, field string
	}{
		{"non-numeric productId", `mutation($in: CreateOptionGroupInput!) {
			createOptionGroup(input: $in) { optionGroup { id } } }`,
			vars("in", map[string]any{"productID": "abc", "key": "k", "name": "n"}), designer,
			"BAD_USER_INPUT", "input.productID"},
		{"non-numeric productId literal", `{ compatibility(productId: "abc", selections: []) { complete } }`,
			nil, nil, "NOT_FOUND", ""},
		{"introspection without -dev", `{ __schema { queryType { name } } }`, nil, nil, "FORBIDDEN", ""},
		{"introspection of a type", `{ __type(name: "Order") { name } }`, nil, nil, "FORBIDDEN", ""},
		{"NUL in the name", placeMutation, withInput(func(in map[string]any) {
			in["customer"].(map[string]any)["name"] = "Ada\x00"
		}), nil, "BAD_USER_INPUT", "customer.name"},
		{"NUL in the address", placeMutation, withInput(addr("line1", "12\x00 Rue")), nil,
			"BAD_USER_INPUT", "shippingAddress.line1"},
		{"NUL in the idempotency key", placeMutation, withInput(func(in map[string]any) {
			in["idempotencyKey"] = "mistake-\x00-0001"
		}), nil, "BAD_USER_INPUT", "idempotencyKey"},
		{"country XX", placeMutation, withInput(addr("country", "XX")), nil,
			"BAD_USER_INPUT", "shippingAddress.country"},
		{"empty not", `{ products(where: {not: {}}) { totalCount } }`, nil, nil, "BAD_USER_INPUT", "where"},
		{"garbage cursor", `{ products(after: "garbage") { totalCount } }`, nil, nil,
			"BAD_USER_INPUT", "after"},
		{"crafted cursor", `query($c: Cursor) { products(after: $c) { totalCount } }`,
			vars("c", cursor(t, entgql.Cursor[int]{ID: 1, Value: map[string]any{"x": []int{1}}})), nil,
			"BAD_USER_INPUT", "after"},
		{"money above 2^53", `mutation($in: CreateProductInput!) { createProduct(input: $in) { product { id } } }`,
			vars("in", map[string]any{"slug": fmt.Sprintf("big-%d", time.Now().UnixNano()), "name": "Big",
				"basePrice": int64(1)<<53 + 1, "buildDaysMin": 1, "buildDaysMax": 2}), designer,
			"BAD_USER_INPUT", "base_price"},
		{"negative unit price", `mutation($in: PublishCatalogInput!) { publishCatalog(input: $in) { version } }`,
			vars("in", map[string]any{"productId": fmt.Sprint(pid)}), designer, "BAD_USER_INPUT", "productId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := s.fail(t, tc.query, tc.vars, tc.headers...)
			assert.Equal(t, tc.code, e.Extensions["code"], e.Message)
			if tc.field != "" {
				assert.Equal(t, tc.field, e.Extensions["field"], e.Message)
			}
			if tc.name == "negative unit price" {
				assert.Contains(t, fmt.Sprint(e.Extensions["findings"]), "NEGATIVE_PRICE")
			}
		})
	}
	n, err := client.Order.Query().Where(order.CustomerEmail("ada@example.com")).Count(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "no mistake placed an order")
	assert.False(t, client.Product.Query().Where(product.Name("Big")).ExistX(ctx), "nothing created")
	assert.Equal(t, 1, client.Product.GetX(ctx, pid).CatalogVersion, "nothing published")
	assert.NotContains(t, logs.String(), `"level":"ERROR"`, "client mistakes are no server errors")
}

// TestPlaceOrderReplayNeedsTheOrderToken replays placeOrder with the configuration id and key
// but without the order token: the customer's details are FORBIDDEN, the number and status are
// shown; with the token everything is. DESIGNER reads no order.
func TestPlaceOrderReplayNeedsTheOrderToken(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	c := completeConfiguration(t, s, "heritage-sport", 62)
	first := place(t, s, c, "replay-key-0001")
	require.NotEmpty(t, first.OrderToken)
	assert.Equal(t, "Ada Lovelace", first.Order.CustomerName, "the creator sees what they typed")

	const replay = `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) {
	  order { id number status customerName customerEmail shippingAddress { line1 } } orderToken } }`
	for _, field := range []string{"customerName", "customerEmail", "shippingAddress"} {
		r := s.do(t, strings.Replace(replay, "customerName customerEmail shippingAddress { line1 }",
			map[string]string{"customerName": "customerName", "customerEmail": "customerEmail",
				"shippingAddress": "shippingAddress { line1 }"}[field], 1),
			vars("in", placeInput(c, "replay-key-0001")))
		require.NotEmpty(t, r.Errors, field)
		assert.Equal(t, "FORBIDDEN", r.Errors[0].Extensions["code"], field)
		assert.Equal(t, field, r.Errors[0].Extensions["field"])
		assert.NotContains(t, string(r.Data), "ada@example.com")
		assert.NotContains(t, string(r.Data), "Rue de la Paix")
	}
	var light struct {
		PlaceOrder struct {
			Order      struct{ ID, Number, Status string }
			OrderToken string
		}
	}
	s.must(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id number status } orderToken } }`,
		vars("in", placeInput(c, "replay-key-0001")), &light)
	assert.Equal(t, first.Order.ID, light.PlaceOrder.Order.ID, "the replay names the same order")
	assert.Empty(t, light.PlaceOrder.OrderToken)

	var full struct {
		PlaceOrder struct {
			Order struct {
				CustomerEmail   string
				ShippingAddress struct{ Line1 string }
			}
		}
	}
	s.must(t, replay, vars("in", placeInput(c, "replay-key-0001")), &full, bearer(first.OrderToken)...)
	assert.Equal(t, "ada@example.com", full.PlaceOrder.Order.CustomerEmail)
	assert.Equal(t, "12 Rue de la Paix", full.PlaceOrder.Order.ShippingAddress.Line1)

	e := s.fail(t, `query($id: ID!) { order(id: $id) { number } }`, vars("id", first.Order.ID),
		bearer(staffToken(t, s, stafftoken.RoleDesigner))...)
	assert.Equal(t, "FORBIDDEN", e.Extensions["code"], "orders are for the workshop and their customer")
	var asWorkshop struct {
		Order struct{ CustomerEmail string }
	}
	s.must(t, `query($id: ID!) { order(id: $id) { customerEmail } }`, vars("id", first.Order.ID),
		&asWorkshop, bearer(staffToken(t, s, stafftoken.RoleWorkshop))...)
	assert.Equal(t, "ada@example.com", asWorkshop.Order.CustomerEmail)
}
