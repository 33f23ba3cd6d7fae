package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/catalogchange"
	"github.com/atelier/atelier/ent/optiongroup"
	"github.com/atelier/atelier/ent/optionvalue"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/orderevent"
	"github.com/atelier/atelier/ent/pricerule"
	"github.com/atelier/atelier/ent/pricetier"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/ent/rule"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/graph"
	"github.com/atelier/atelier/server/auth"
)

// nodeTypes lists the object types that implement Node, read from the generated schema: a new
// Node type appears here without anyone editing this test.
func nodeTypes() []string {
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	var out []string
	for _, d := range s.GetPossibleTypes(s.Types["Node"]) {
		out = append(out, d.Name)
	}
	sort.Strings(out)
	return out
}

// TestEveryNodeTypeHasAReadPolicy walks every Node type × every kind of caller through node,
// nodes and an edge: anonymous callers, customers and revoked staff read the published catalog
// and their own order only; DESIGNER the catalog with its drafts and audit trail; WORKSHOP the
// orders. A Node type without a case here fails the test: give it a policy in
// server/auth/policy.go and a case below.
func TestEveryNodeTypeHasAReadPolicy(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	ctx := systemCtx()
	c := s.App.DB.Client

	// Two customers with an order each, staff of both roles, a revoked designer.
	pa := place(t, s, completeConfiguration(t, s, "heritage-sport", 41), "policy-key-a-0001")
	pb := place(t, s, completeConfiguration(t, s, "heritage-sport", 42), "policy-key-b-0001")
	revoked := staffToken(t, s, stafftoken.RoleDesigner)
	rows, err := auth.ListStaffTokens(ctx, c)
	require.NoError(t, err)
	require.NoError(t, auth.RevokeStaffToken(ctx, c, rows[0].ID, time.Now()))
	callers := map[string][]string{
		"anonymous":     nil,
		"customer":      bearer(pa.OrderToken),
		"otherCustomer": bearer(pb.OrderToken),
		"designer":      bearer(staffToken(t, s, stafftoken.RoleDesigner)),
		"workshop":      bearer(staffToken(t, s, stafftoken.RoleWorkshop)),
		"revoked":       bearer(revoked),
	}

	// A draft product with a draft of every catalog record, created as a designer would.
	designerCtx := auth.NewContext(ctx, &auth.Viewer{Name: "Dana", Role: stafftoken.RoleDesigner})
	draft := c.Product.Create().SetSlug(fmt.Sprintf("secret-%d", time.Now().UnixNano())).
		SetName("Secret Prototype").SetBasePrice(1000).SetBuildDaysMin(1).SetBuildDaysMax(2).
		SaveX(designerCtx)
	g := c.OptionGroup.Create().SetProductID(draft.ID).SetKey("leather").SetName("Leather").
		SaveX(designerCtx)
	o := c.OptionValue.Create().SetGroupID(g.ID).SetKey("calf").SetName("Calf").SaveX(designerCtx)
	r := c.Rule.Create().SetProductID(draft.ID).SetKey("r1").
		SetExpression("leather = calf -> leather = calf").
		SetMessage("m").SaveX(designerCtx)
	pr := c.PriceRule.Create().SetProductID(draft.ID).SetLabel("x").SetCondition("leather = calf").
		SetAmount(100).SaveX(designerCtx)
	tier := c.PriceTier.Create().SetProductID(draft.ID).SetMinQuantity(5).SetDiscountBasisPoints(100).
		SaveX(designerCtx)
	change := c.CatalogChange.Query().Where(catalogchange.HasProductWith(product.ID(draft.ID))).
		FirstX(ctx)
	published := c.Product.Query().Where(product.Slug("heritage-sport")).OnlyX(ctx)
	pubGroup := c.OptionGroup.Query().Where(optiongroup.HasProductWith(product.ID(published.ID))).
		FirstX(ctx)
	orderA := c.Order.Query().Where(order.IdempotencyKey("policy-key-a-0001")).OnlyX(ctx)
	eventA := c.OrderEvent.Query().Where(orderevent.HasOrderWith(order.ID(orderA.ID))).FirstX(ctx)
	photoA := c.Photo.Create().SetOrderID(orderA.ID).SetEventID(eventA.ID).SetKey("orders/x/policy").
		SetWidth(4).SetHeight(3).SetThumbWidth(4).SetThumbHeight(3).SetContentType("image/jpeg").
		SetBytes(1).SaveX(ctx)

	designerOnly := []string{"designer"}
	everyone := []string{"anonymous", "customer", "otherCustomer", "designer", "workshop", "revoked"}
	ownOrder := []string{"customer", "workshop"}
	type record struct {
		name    string
		id      int
		readers []string
	}
	capsule := c.Bundle.Create().SetName("Capsule").AddProductIDs(published.ID).SaveX(ctx)
	cases := map[string][]record{
		"Bundle": {{"a bundle (capsule collection)", capsule.ID, everyone}},
		"Product": {{"published product", published.ID, everyone},
			{"draft product", draft.ID, designerOnly}},
		"OptionGroup": {{"draft group", g.ID, designerOnly},
			{"group of a published product", pubGroup.ID, designerOnly}},
		"OptionValue": {{"draft option", o.ID, designerOnly},
			{"option of a published product", c.OptionValue.Query().
				Where(optionvalue.HasGroupWith(optiongroup.ID(pubGroup.ID))).FirstIDX(ctx), designerOnly}},
		"Rule": {{"draft rule", r.ID, designerOnly},
			{"rule of a published product", c.Rule.Query().
				Where(rule.HasProductWith(product.ID(published.ID))).FirstIDX(ctx), designerOnly}},
		"PriceRule": {{"draft price rule", pr.ID, designerOnly},
			{"price rule of a published product", c.PriceRule.Query().
				Where(pricerule.HasProductWith(product.ID(published.ID))).FirstIDX(ctx), designerOnly}},
		"PriceTier": {{"draft tier", tier.ID, designerOnly},
			{"tier of a published product", c.PriceTier.Query().
				Where(pricetier.HasProductWith(product.ID(published.ID))).FirstIDX(ctx), designerOnly}},
		"CatalogChange": {{"audit trail entry", change.ID, designerOnly}},
		"Order":         {{"an order", orderA.ID, ownOrder}},
		"OrderEvent":    {{"an order's event", eventA.ID, ownOrder}},
		"Photo":         {{"a photo of an order", photoA.ID, ownOrder}},
		"ShippingZone": {{"a shipping zone (the destination picker lists them)",
			c.ShippingZone.Query().FirstIDX(ctx), everyone}},
	}
	var covered []string
	for typ := range cases {
		covered = append(covered, typ)
	}
	sort.Strings(covered)
	require.Equal(t, nodeTypes(), covered,
		"every Node type needs a read policy (server/auth/policy.go) and a case here")

	for typ, records := range cases {
		for _, rec := range records {
			for who, headers := range callers {
				t.Run(typ+"/"+rec.name+"/"+who, func(t *testing.T) {
					id := strconv.Itoa(rec.id)
					allowed := slices.Contains(rec.readers, who)
					res := s.do(t, `query($id: ID!) { node(id: $id) { __typename id } }`,
						vars("id", id), headers...)
					var one struct {
						Node *struct {
							Typename string `json:"__typename"`
							ID       string
						} `json:"node"`
					}
					require.NoError(t, json.Unmarshal(res.Data, &one))
					if allowed {
						require.Empty(t, res.Errors)
						require.NotNil(t, one.Node)
						assert.Equal(t, typ, one.Node.Typename)
					} else {
						assert.Nil(t, one.Node, "node(id) must not show %s to %s", rec.name, who)
						require.NotEmpty(t, res.Errors)
						assert.Equal(t, "NOT_FOUND", res.Errors[0].Extensions["code"])
					}
					res = s.do(t, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
						vars("ids", []string{id, strconv.Itoa(published.ID)}), headers...)
					var many struct{ Nodes []*struct{ ID string } }
					require.NoError(t, json.Unmarshal(res.Data, &many))
					require.Len(t, many.Nodes, 2)
					assert.Equal(t, allowed, many.Nodes[0] != nil, "nodes shows %s to %s", rec.name, who)
					assert.NotNil(t, many.Nodes[1], "the published product is public")
				})
			}
		}
	}

	// Edges pass the same policies: a draft group's product for the designer only, and no
	// way to it for anyone else; the published catalog names no draft.
	edge := `query($id: ID!) { node(id: $id) { ... on OptionGroup { product { name status } } } }`
	var viaEdge struct {
		Node struct{ Product struct{ Name, Status string } }
	}
	s.must(t, edge, vars("id", strconv.Itoa(g.ID)), &viaEdge, callers["designer"]...)
	assert.Equal(t, "Secret Prototype", viaEdge.Node.Product.Name)
	for who, headers := range callers {
		if who == "designer" {
			continue
		}
		res := s.do(t, edge, vars("id", strconv.Itoa(g.ID)), headers...)
		assert.NotContains(t, string(res.Data), "Secret", who)
		e := s.fail(t, `query($id: ID!) { compatibility(productId: $id, selections: []) { complete } }`,
			vars("id", strconv.Itoa(draft.ID)), headers...)
		assert.Equal(t, "NOT_FOUND", e.Extensions["code"], who)
		assert.NotContains(t, e.Message, "Secret", "compatibility must not name the draft to %s", who)
		var list struct {
			Products struct {
				Edges []struct{ Node struct{ Name string } }
			}
		}
		s.must(t, `{ products(first: 50) { edges { node { name } } } }`, nil, &list, headers...)
		for _, e := range list.Products.Edges {
			assert.NotEqual(t, "Secret Prototype", e.Node.Name, who)
		}
	}

	// The ent client itself applies them: a service query with a customer's viewer sees no draft.
	customerCtx := auth.NewContext(t.Context(), &auth.Viewer{OrderID: orderA.ID})
	_, err = c.Noder(customerCtx, draft.ID)
	assert.True(t, ent.IsNotFound(err), "the draft product is not found for a customer: %v", err)
	n, err := c.Order.Query().Count(customerCtx)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "a customer's queries see their own order only")
}
