package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/optiongroup"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/auth"
)

// viewers are the identities of the authorization matrix.
type viewers struct {
	anonymous, customer, designer, workshop, revoked []string
}

func newViewers(t *testing.T, s *stack) viewers {
	t.Helper()
	p := place(t, s, completeConfiguration(t, s, "heritage-sport", 21), "matrix-key-0001")
	revoked := staffToken(t, s, stafftoken.RoleDesigner)
	rows, err := auth.ListStaffTokens(systemCtx(), s.App.DB.Client)
	require.NoError(t, err)
	require.NoError(t, auth.RevokeStaffToken(systemCtx(), s.App.DB.Client, rows[0].ID, time.Now()))
	return viewers{
		anonymous: nil,
		customer:  bearer(p.OrderToken),
		designer:  bearer(staffToken(t, s, stafftoken.RoleDesigner)),
		workshop:  bearer(staffToken(t, s, stafftoken.RoleWorkshop)),
		revoked:   bearer(revoked),
	}
}

// fixture gives an operation fresh records to act on.
type fixture struct {
	t       *testing.T
	s       *stack
	product *ent.Product
}

func (f fixture) client() *ent.Client { return f.s.App.DB.Client }

func (f fixture) group() *ent.OptionGroup {
	return f.client().OptionGroup.Query().Where(optiongroup.HasProductWith(product.ID(f.product.ID)),
		optiongroup.Key("lining")).OnlyX(systemCtx())
}

// fixtureSeq makes the keys and quantities fixtures create unique (a clock can repeat itself
// modulo anything, and two equal tier quantities violate a unique index).
var fixtureSeq atomic.Int64

func (f fixture) newRule() *ent.Rule {
	return f.client().Rule.Create().SetProductID(f.product.ID).SetKey(fmt.Sprintf("r%d", fixtureSeq.Add(1))).
		SetExpression("leather = calf -> edge != turned").SetMessage("m").SaveX(systemCtx())
}

func (f fixture) newPriceRule() *ent.PriceRule {
	return f.client().PriceRule.Create().SetProductID(f.product.ID).SetLabel("x").SetCondition("leather = calf").
		SetAmount(100).SaveX(systemCtx())
}

func (f fixture) newTier() *ent.PriceTier {
	return f.client().PriceTier.Create().SetProductID(f.product.ID).SetMinQuantity(int(fixtureSeq.Add(1)) + 30).
		SetDiscountBasisPoints(100).SaveX(systemCtx())
}

func (f fixture) order() *ent.Order {
	return f.client().Order.Query().FirstX(systemCtx())
}

func id(v int) string { return fmt.Sprint(v) }

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	who := newViewers(t, s)
	ctx := systemCtx()
	f := fixture{t: t, s: s, product: s.App.DB.Client.Product.Query().Where(product.Slug("heritage-sport")).OnlyX(ctx)}
	pid := id(f.product.ID)

	type op struct {
		name  string
		query string
		vars  func() map[string]any
		role  string // DESIGNER, WORKSHOP or STAFF (either)
	}
	ops := []op{
		{"createProduct", `mutation($in: CreateProductInput!) { createProduct(input: $in) { product { id } } }`,
			func() map[string]any {
				return vars("in", map[string]any{"slug": fmt.Sprintf("p-%d", time.Now().UnixNano()), "name": "P",
					"basePrice": 10000, "buildDaysMin": 3, "buildDaysMax": 5})
			}, "DESIGNER"},
		{"updateProduct", `mutation($id: ID!) { updateProduct(id: $id, input: {description: "d"}) { product { id } } }`,
			func() map[string]any { return vars("id", pid) }, "DESIGNER"},
		{"archiveProduct", `mutation($id: ID!) { archiveProduct(id: $id) { product { id } } }`,
			func() map[string]any {
				p := f.client().Product.Create().SetSlug(fmt.Sprintf("a-%d", time.Now().UnixNano())).SetName("A").
					SetBasePrice(1).SetBuildDaysMin(1).SetBuildDaysMax(2).SaveX(ctx)
				return vars("id", id(p.ID))
			}, "DESIGNER"},
		{"createOptionGroup", `mutation($in: CreateOptionGroupInput!) { createOptionGroup(input: $in) { optionGroup { id } } }`,
			func() map[string]any {
				return vars("in", map[string]any{"productID": pid, "key": fmt.Sprintf("g%d", time.Now().UnixNano()),
					"name": "G", "required": false})
			}, "DESIGNER"},
		{"updateOptionGroup", `mutation($id: ID!) { updateOptionGroup(id: $id, input: {name: "Lining"}) { optionGroup { id } } }`,
			func() map[string]any { return vars("id", id(f.group().ID)) }, "DESIGNER"},
		{"archiveOptionGroup", `mutation($id: ID!) { archiveOptionGroup(id: $id) { optionGroup { id } } }`,
			func() map[string]any {
				g := f.client().OptionGroup.Create().SetProductID(f.product.ID).SetKey(fmt.Sprintf("x%d", time.Now().UnixNano())).
					SetName("X").SetRequired(false).SaveX(ctx)
				return vars("id", id(g.ID))
			}, "DESIGNER"},
		{"createOption", `mutation($in: CreateOptionValueInput!) { createOption(input: $in) { option { id } } }`,
			func() map[string]any {
				return vars("in", map[string]any{"groupID": id(f.group().ID), "key": fmt.Sprintf("o%d", time.Now().UnixNano()),
					"name": "O", "priceDelta": 100})
			}, "DESIGNER"},
		{"updateOption", `mutation($id: ID!) { updateOption(id: $id, input: {priceDelta: 1600}) { option { id } } }`,
			func() map[string]any { return vars("id", id(f.group().QueryOptions().FirstIDX(ctx))) }, "DESIGNER"},
		{"archiveOption", `mutation($id: ID!) { archiveOption(id: $id) { option { id } } }`,
			func() map[string]any {
				o := f.client().OptionValue.Create().SetGroupID(f.group().ID).SetKey(fmt.Sprintf("z%d", time.Now().UnixNano())).
					SetName("Z").SaveX(ctx)
				return vars("id", id(o.ID))
			}, "DESIGNER"},
		{"createRule", `mutation($in: CreateRuleInput!) { createRule(input: $in) { rule { id } } }`,
			func() map[string]any {
				return vars("in", map[string]any{"productID": pid, "key": fmt.Sprintf("k%d", time.Now().UnixNano()),
					"expression": "buckle = pin -> hardware != rose-gold", "message": "m"})
			}, "DESIGNER"},
		{"updateRule", `mutation($id: ID!) { updateRule(id: $id, input: {message: "n"}) { rule { id } } }`,
			func() map[string]any { return vars("id", id(f.newRule().ID)) }, "DESIGNER"},
		{"deleteRule", `mutation($id: ID!) { deleteRule(id: $id) { deletedId } }`,
			func() map[string]any { return vars("id", id(f.newRule().ID)) }, "DESIGNER"},
		{"createPriceRule", `mutation($in: CreatePriceRuleInput!) { createPriceRule(input: $in) { priceRule { id } } }`,
			func() map[string]any {
				return vars("in", map[string]any{"productID": pid, "label": "L", "condition": "leather = suede", "amount": 500})
			}, "DESIGNER"},
		{"updatePriceRule", `mutation($id: ID!) { updatePriceRule(id: $id, input: {amount: 700}) { priceRule { id } } }`,
			func() map[string]any { return vars("id", id(f.newPriceRule().ID)) }, "DESIGNER"},
		{"deletePriceRule", `mutation($id: ID!) { deletePriceRule(id: $id) { deletedId } }`,
			func() map[string]any { return vars("id", id(f.newPriceRule().ID)) }, "DESIGNER"},
		{"createPriceTier", `mutation($in: CreatePriceTierInput!) { createPriceTier(input: $in) { priceTier { id } } }`,
			func() map[string]any {
				return vars("in", map[string]any{"productID": pid, "minQuantity": int(time.Now().UnixNano()%1000) + 2000,
					"discountBasisPoints": 200})
			}, "DESIGNER"},
		{"updatePriceTier", `mutation($id: ID!) { updatePriceTier(id: $id, input: {discountBasisPoints: 300}) { priceTier { id } } }`,
			func() map[string]any { return vars("id", id(f.newTier().ID)) }, "DESIGNER"},
		{"deletePriceTier", `mutation($id: ID!) { deletePriceTier(id: $id) { deletedId } }`,
			func() map[string]any { return vars("id", id(f.newTier().ID)) }, "DESIGNER"},
		{"publishCatalog", `mutation($id: ID!) { publishCatalog(input: {productId: $id}) { version } }`,
			func() map[string]any { return vars("id", pid) }, "DESIGNER"},
		{"explain", `query($id: ID!) { explain(productId: $id, selections: [{group: "leather", option: "suede"}], group: "edge", option: "painted") { state } }`,
			func() map[string]any { return vars("id", pid) }, "DESIGNER"},
		{"compatibilityMatrix", `query($id: ID!) { compatibilityMatrix(productId: $id, groupA: "leather", groupB: "edge") { a } }`,
			func() map[string]any { return vars("id", pid) }, "DESIGNER"},
		{"lint", `query($id: ID!) { lint(productId: $id) { code } }`,
			func() map[string]any { return vars("id", pid) }, "DESIGNER"},
		{"ruleImpact", `query($id: ID!) { ruleImpact(productId: $id, expression: "leather = calf -> buckle = pin") { countAfter } }`,
			func() map[string]any { return vars("id", pid) }, "DESIGNER"},
		{"draft compatibility", `query($id: ID!) { compatibility(productId: $id, selections: [], draft: true) { completions } }`,
			func() map[string]any { return vars("id", pid) }, "DESIGNER"},
		{"catalogChanges", `query($id: ID!) { catalogChanges(productId: $id, first: 5) { totalCount } }`,
			func() map[string]any { return vars("id", pid) }, "DESIGNER"},
		{"catalogDiff", `query($id: ID!) { catalogDiff(productId: $id) { action } }`,
			func() map[string]any { return vars("id", pid) }, "DESIGNER"},
		{"draft rules", `{ product(slug: "heritage-sport") { rules { id } } }`,
			func() map[string]any { return nil }, "DESIGNER"},
		{"recordPayment", `mutation($id: ID!) { recordPayment(input: {orderId: $id, amount: 1}) { order { id } } }`,
			func() map[string]any { return vars("id", id(f.order().ID)) }, "WORKSHOP"},
		{"advanceOrder", `mutation($id: ID!) { advanceOrder(input: {orderId: $id, to: CANCELLED}) { order { id } } }`,
			func() map[string]any {
				o := place(t, s, completeConfiguration(t, s, "heritage-sport", uint64(time.Now().UnixNano())),
					fmt.Sprintf("adv-%d", time.Now().UnixNano()))
				return vars("id", o.Order.ID)
			}, "WORKSHOP"},
		{"orders", `{ orders(first: 5) { totalCount } }`, func() map[string]any { return nil }, "WORKSHOP"},
	}
	type viewer struct {
		name    string
		headers []string
		want    func(role string) string // "" = allowed
	}
	deny := func(code string) func(string) string { return func(string) string { return code } }
	viewersList := []viewer{
		{"anonymous", who.anonymous, deny("UNAUTHENTICATED")},
		{"customer", who.customer, deny("FORBIDDEN")},
		{"revoked", who.revoked, deny("UNAUTHENTICATED")},
		{"designer", who.designer, func(role string) string {
			if role == "DESIGNER" {
				return ""
			}
			return "FORBIDDEN"
		}},
		{"workshop", who.workshop, func(role string) string {
			if role == "WORKSHOP" {
				return ""
			}
			return "FORBIDDEN"
		}},
	}
	for _, o := range ops {
		for _, v := range viewersList {
			t.Run(o.name+"/"+v.name, func(t *testing.T) {
				r := s.do(t, o.query, o.vars(), v.headers...)
				want := v.want(o.role)
				if want == "" {
					assert.Empty(t, r.Errors, "%s as %s", o.name, v.name)
					return
				}
				require.NotEmpty(t, r.Errors, "%s as %s must be refused", o.name, v.name)
				assert.Equal(t, want, r.Errors[0].Extensions["code"], r.Errors[0].Message)
			})
		}
	}
}

func TestPublishIsLintGatedAndRevalidatesSessions(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	designer := bearer(staffToken(t, s, stafftoken.RoleDesigner))
	pid := productID(t, s, "heritage-sport")
	c := start(t, s, "heritage-sport")
	c = edit(t, s, "selectOption", sel(c, "buckle", "butterfly")).Configuration

	// A required group with no option would leave customers stuck: refused.
	var g struct {
		CreateOptionGroup struct{ OptionGroup struct{ ID string } }
	}
	s.must(t, `mutation($in: CreateOptionGroupInput!) { createOptionGroup(input: $in) { optionGroup { id } } }`,
		vars("in", map[string]any{"productID": pid, "key": "keeper", "name": "Keeper", "required": true}), &g, designer...)
	e := s.fail(t, `mutation($id: ID!) { publishCatalog(input: {productId: $id}) { version } }`, vars("id", pid), designer...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, fmt.Sprint(e.Extensions["findings"]), "EMPTY_REQUIRED_GROUP")
	var after struct{ Product struct{ CatalogVersion int } }
	s.must(t, `{ product(slug: "heritage-sport") { catalogVersion } }`, nil, &after)
	assert.Equal(t, 1, after.Product.CatalogVersion, "nothing was published")

	// A rule with a syntax error is refused on save, with its position.
	e = s.fail(t, `mutation($in: CreateRuleInput!) { createRule(input: $in) { rule { id } } }`,
		vars("in", map[string]any{"productID": pid, "key": "bad", "expression": "buckle = \n  -> x", "message": "m"}), designer...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.EqualValues(t, 2, e.Extensions["line"])
	assert.NotNil(t, e.Extensions["column"])

	// Fix the draft: give the group options, forbid the butterfly clasp, and publish.
	s.must(t, `mutation($id: ID!) { archiveOptionGroup(id: $id) { optionGroup { id } } }`,
		vars("id", g.CreateOptionGroup.OptionGroup.ID), nil, designer...)
	s.must(t, `mutation($in: CreateRuleInput!) { createRule(input: $in) { rule { id } } }`,
		vars("in", map[string]any{"productID": pid, "key": "no-butterfly", "expression": "buckle != butterfly",
			"message": "The butterfly clasp is out of stock."}), nil, designer...)
	// Before publishing, the diff against version 1 names the new rule and nothing else.
	const diffQuery = `query($id: ID!) { catalogDiff(productId: $id) { action entity key field before after } }`
	type diffEntry struct {
		Action, Entity, Key  string
		Field, Before, After *string
	}
	var diff struct{ CatalogDiff []diffEntry }
	s.must(t, diffQuery, vars("id", pid), &diff, designer...)
	require.Len(t, diff.CatalogDiff, 1)
	assert.Equal(t, diffEntry{Action: "ADDED", Entity: "Rule", Key: "no-butterfly"}, diff.CatalogDiff[0])
	var pub struct {
		PublishCatalog struct {
			Version  int
			Warnings []struct{ Code string }
		}
	}
	s.must(t, `mutation($id: ID!) { publishCatalog(input: {productId: $id}) { version warnings { code } } }`,
		vars("id", pid), &pub, designer...)
	assert.Equal(t, 2, pub.PublishCatalog.Version)
	s.must(t, diffQuery, vars("id", pid), &diff, designer...)
	assert.Empty(t, diff.CatalogDiff, "the draft is what was just published")

	// The open session is revalidated against version 2.
	var got struct{ Configuration configurationJSON }
	s.must(t, `query($id: ID!) { configuration(id: $id) {`+configurationFields+` } }`, vars("id", c.ID), &got)
	assert.Equal(t, 2, got.Configuration.CatalogVersion)
	assert.Empty(t, got.Configuration.Selections)
	require.NotEmpty(t, got.Configuration.Notices)
	assert.Contains(t, got.Configuration.Notices[0], "Butterfly")
	assert.Equal(t, "EXCLUDED", got.Configuration.state("buckle", "butterfly"))

	// Every change is in the audit trail, newest first, with who made it.
	var changes struct {
		CatalogChanges struct {
			Edges []struct {
				Node struct {
					Actor, Entity, Action string
					Before, After         *string
				}
			}
		}
	}
	s.must(t, `query($id: ID!) { catalogChanges(productId: $id, first: 10) { edges { node { actor entity action before after } } } }`,
		vars("id", pid), &changes, designer...)
	require.GreaterOrEqual(t, len(changes.CatalogChanges.Edges), 4)
	newest := changes.CatalogChanges.Edges[0].Node
	assert.Equal(t, "PUBLISH", newest.Action)
	assert.Equal(t, "Test DESIGNER", newest.Actor)
	archived := changes.CatalogChanges.Edges[2].Node
	assert.Equal(t, "OptionGroup", archived.Entity)
	assert.Equal(t, "UPDATE", archived.Action)
	require.NotNil(t, archived.Before)
	require.NotNil(t, archived.After)
	var was, now map[string]any
	require.NoError(t, json.Unmarshal([]byte(*archived.Before), &was))
	require.NoError(t, json.Unmarshal([]byte(*archived.After), &now))
	assert.Equal(t, true, was["active"])
	assert.NotEqual(t, true, now["active"], "archived (false is omitted from the JSON)")
}

func TestDesignerQueriesAgreeWithEachOther(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	designer := bearer(staffToken(t, s, stafftoken.RoleDesigner))
	pid := productID(t, s, "atelier-dress")

	type compat struct {
		Compatibility struct {
			Completions string
			Groups      []struct {
				Group   struct{ Key string }
				Options []struct {
					Option struct{ Key string }
					State  string
				}
			}
		}
	}
	compatibility := func(sel []map[string]any) compat {
		if sel == nil {
			sel = []map[string]any{}
		}
		var out compat
		s.must(t, `query($id: ID!, $sel: [SelectionInput!]!) { compatibility(productId: $id, selections: $sel) {
			completions groups { group { key } options { option { key } state } } } }`,
			vars("id", pid, "sel", sel), &out)
		return out
	}
	stateIn := func(c compat, group, option string) string {
		for _, g := range c.Compatibility.Groups {
			for _, o := range g.Options {
				if g.Group.Key == group && o.Option.Key == option {
					return o.State
				}
			}
		}
		return "MISSING"
	}

	// The public compatibility query shows what the customer's configuration shows.
	c := start(t, s, "atelier-dress")
	c = edit(t, s, "selectOption", sel(c, "leather", "alligator")).Configuration
	cc := compatibility([]map[string]any{{"group": "leather", "option": "alligator"}})
	assert.Equal(t, c.Completions, cc.Compatibility.Completions)
	for _, g := range c.Groups {
		for _, o := range g.Options {
			assert.Equal(t, o.State, stateIn(cc, g.Group.Key, o.Option.Key), "%s=%s", g.Group.Key, o.Option.Key)
		}
	}

	// The matrix agrees with propagation: a pair is allowed iff, with a chosen, b is possible.
	var m struct {
		CompatibilityMatrix struct {
			A, B    []string
			Allowed [][]bool
		}
	}
	s.must(t, `query($id: ID!) { compatibilityMatrix(productId: $id, groupA: "leather", groupB: "edge") { a b allowed } }`,
		vars("id", pid), &m, designer...)
	for i, a := range m.CompatibilityMatrix.A {
		row := compatibility([]map[string]any{{"group": "leather", "option": a}})
		for j, bKey := range m.CompatibilityMatrix.B {
			st := stateIn(row, "edge", bKey)
			assert.Equal(t, m.CompatibilityMatrix.Allowed[i][j], st == "AVAILABLE" || st == "FORCED", "%s × %s", a, bKey)
		}
	}

	// Explain is minimal: dropping any selection of the conflict set frees the option.
	selections := []map[string]any{{"group": "leather", "option": "alligator"}, {"group": "colour", "option": "black"},
		{"group": "buckle", "option": "pin"}}
	var ex struct {
		Explain struct {
			State      string
			Selections []selection
			Rules      []struct{ Key, Message string }
		}
	}
	s.must(t, `query($id: ID!, $sel: [SelectionInput!]!) { explain(productId: $id, selections: $sel, group: "stitch_pattern", option: "cross") {
		state selections { group option text } rules { key message } } }`, vars("id", pid, "sel", selections), &ex, designer...)
	require.Equal(t, "EXCLUDED", ex.Explain.State)
	require.NotEmpty(t, ex.Explain.Selections)
	assert.Equal(t, []string{"alligator-edge", "painted-no-cross"}, ruleKeys(ex.Explain.Rules))
	for _, drop := range ex.Explain.Selections {
		var rest []map[string]any
		for _, s := range selections {
			if s["group"] != drop.Group {
				rest = append(rest, s)
			}
		}
		assert.NotEqual(t, "EXCLUDED", stateIn(compatibility(rest), "stitch_pattern", "cross"), "without %s", drop.Group)
	}

	// Rule impact counts match the count after the rule is in force.
	var imp struct {
		RuleImpact struct{ CountBefore, CountAfter string }
	}
	s.must(t, `query($id: ID!) { ruleImpact(productId: $id, expression: "buckle = pin") { countBefore countAfter } }`,
		vars("id", pid), &imp, designer...)
	assert.Equal(t, compatibility(nil).Compatibility.Completions, imp.RuleImpact.CountBefore)
	assert.Equal(t, compatibility([]map[string]any{{"group": "buckle", "option": "pin"}}).Compatibility.Completions,
		imp.RuleImpact.CountAfter)
}

// Editing a rule previews its impact against the draft without the rule being edited: the
// rule measured in its own place changes what it changes, not nothing.
func TestRuleImpactOfAnEditedRule(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	designer := bearer(staffToken(t, s, stafftoken.RoleDesigner))
	pid := productID(t, s, "heritage-sport")
	type impact struct {
		RuleImpact struct {
			CountBefore, CountAfter string
			Changes                 []struct{ Group, Option, Before, After string }
		}
	}
	const q = `query($id: ID!, $e: String!, $r: ID, $d: Boolean) {
		ruleImpact(productId: $id, expression: $e, draft: $d, replacing: $r) {
			countBefore countAfter changes { group option before after } } }`
	const expr = "buckle != butterfly"
	var added impact
	s.must(t, q, vars("id", pid, "e", expr, "d", true), &added, designer...)
	require.NotEqual(t, added.RuleImpact.CountBefore, added.RuleImpact.CountAfter)

	var created struct {
		CreateRule struct{ Rule struct{ ID string } }
	}
	s.must(t, `mutation($in: CreateRuleInput!) { createRule(input: $in) { rule { id } } }`,
		vars("in", map[string]any{"productID": pid, "key": "no-butterfly", "expression": expr,
			"message": "The butterfly clasp is out of stock."}), &created, designer...)
	rid := created.CreateRule.Rule.ID

	// As a new rule, the same expression now changes nothing: the draft already holds it.
	var again impact
	s.must(t, q, vars("id", pid, "e", expr, "d", true), &again, designer...)
	assert.Equal(t, added.RuleImpact.CountAfter, again.RuleImpact.CountBefore)
	assert.Equal(t, again.RuleImpact.CountBefore, again.RuleImpact.CountAfter)

	// In place of itself, it changes what it changed when it was added.
	var same impact
	s.must(t, q, vars("id", pid, "e", expr, "d", true, "r", rid), &same, designer...)
	assert.Equal(t, added.RuleImpact, same.RuleImpact)

	// Edited into a weaker rule, the baseline is still the draft without it.
	var weaker impact
	s.must(t, q, vars("id", pid, "e", "buckle = butterfly -> edge != turned", "d", true, "r", rid), &weaker, designer...)
	assert.Equal(t, added.RuleImpact.CountBefore, weaker.RuleImpact.CountBefore)

	// Disabled, the rule is not in the draft's catalog: the baseline is the draft as it is.
	s.must(t, `mutation($id: ID!) { updateRule(id: $id, input: {enabled: false}) { rule { id } } }`,
		vars("id", rid), nil, designer...)
	var disabled impact
	s.must(t, q, vars("id", pid, "e", expr, "d", true, "r", rid), &disabled, designer...)
	assert.Equal(t, added.RuleImpact, disabled.RuleImpact)

	// Mistakes are named: the published catalog has no rule being edited; a rule of another
	// product is not found; a syntax error points at the expression.
	e := s.fail(t, q, vars("id", pid, "e", expr, "r", rid), designer...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Equal(t, "replacing", e.Extensions["field"])
	e = s.fail(t, q, vars("id", productID(t, s, "atelier-dress"), "e", expr, "d", true, "r", rid), designer...)
	assert.Equal(t, "NOT_FOUND", e.Extensions["code"])
	e = s.fail(t, q, vars("id", pid, "e", "buckle = ", "d", true, "r", rid), designer...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Equal(t, "expression", e.Extensions["field"])
	e = s.fail(t, q, vars("id", pid, "e", expr, "d", true, "r", rid), bearer(staffToken(t, s, stafftoken.RoleWorkshop))...)
	assert.Equal(t, "FORBIDDEN", e.Extensions["code"])
}

func ruleKeys(rules []struct{ Key, Message string }) []string {
	out := make([]string, 0, len(rules))
	for _, r := range rules {
		out = append(out, r.Key)
	}
	slices.Sort(out)
	return out
}

// A new product is a draft: hidden from customers and the workshop until it is published, but
// listed for designers, who shape it in the studio.
func TestDraftProductsAreListedForDesignersOnly(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	designer := bearer(staffToken(t, s, stafftoken.RoleDesigner))
	workshop := bearer(staffToken(t, s, stafftoken.RoleWorkshop))
	s.must(t, `mutation($in: CreateProductInput!) { createProduct(input: $in) { product { id } } }`,
		vars("in", map[string]any{"slug": "draft-strap", "name": "Draft strap", "basePrice": 10000,
			"buildDaysMin": 5, "buildDaysMax": 8}), nil, designer...)
	slugs := func(headers ...string) []string {
		var out struct {
			Products struct {
				Edges []struct{ Node struct{ Slug string } }
			}
		}
		s.must(t, `{ products(first: 50) { edges { node { slug } } } }`, nil, &out, headers...)
		var got []string
		for _, e := range out.Products.Edges {
			got = append(got, e.Node.Slug)
		}
		return got
	}
	assert.Contains(t, slugs(designer...), "draft-strap")
	assert.NotContains(t, slugs(), "draft-strap")
	assert.NotContains(t, slugs(workshop...), "draft-strap")
	assert.Contains(t, slugs(), "heritage-sport")
}
