package graph_test

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/ent/shippingzone"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/graph"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/seed"
	"github.com/atelier/atelier/server/studio"
	"github.com/atelier/atelier/server/testutil"
)

// A designer's write and its audit record commit together: when the audit record cannot be
// written, the write itself is rolled back (create, update and delete alike), and when it can,
// both are there.
func TestDesignerWriteAndItsAuditRecordCommitTogether(t *testing.T) {
	t.Parallel()
	d := testutil.OpenDB(t)
	// The audit store fails on demand: the designer's write has happened in the transaction by
	// the time the hook runs, so only a shared transaction can undo it.
	var auditDown atomic.Bool
	d.Client.CatalogChange.Use(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if auditDown.Load() {
				return nil, errors.New("audit store unavailable")
			}
			return next.Mutate(ctx, m)
		})
	})
	_, err := seed.Run(systemCtx(), d.Client, time.Now())
	require.NoError(t, err)
	logger := slog.New(slog.DiscardHandler)
	srv := handler.New(graph.NewSchema(graph.Deps{
		Client: d.Client, Studio: studio.NewStore(d.Client), Logger: logger,
	}))
	srv.AddTransport(transport.POST{})
	srv.SetErrorPresenter(graph.ErrorPresenter(logger))
	api := client.New(srv)
	asDesigner := func(r *client.Request) {
		r.HTTP = r.HTTP.WithContext(auth.NewContext(r.HTTP.Context(),
			&auth.Viewer{Name: "Dana", Role: stafftoken.RoleDesigner}))
	}
	ctx := systemCtx()
	p := d.Client.Product.Query().Where(product.Slug("heritage-sport")).OnlyX(ctx)
	rule := d.Client.Rule.Create().SetProductID(p.ID).SetKey("tx-test").
		SetExpression("leather = calf -> edge != turned").SetMessage("m").SaveX(ctx)
	changes := func() int { return d.Client.CatalogChange.Query().CountX(ctx) }

	createProduct := `mutation { createProduct(input: {slug: "tx-strap", name: "Tx strap",
		basePrice: 10000, buildDaysMin: 5, buildDaysMax: 8}) { product { id slug } } }`
	updateProduct := `mutation($id: ID!) { updateProduct(id: $id, input: {name: "Renamed"}) {
		product { id name } } }`
	deleteRule := `mutation($id: ID!) { deleteRule(id: $id) { deletedId } }`
	// A shipping zone's change is audited the same way, though it belongs to no product.
	createZone := `mutation { createShippingZone(input: {name: "Tx zone", countries: ["NO"],
		transitMinDays: 1, transitMaxDays: 2, price: 100}) { shippingZone { id } } }`
	zone := d.Client.ShippingZone.Query().Where(shippingzone.Name("United Kingdom")).OnlyX(ctx)
	updateZone := `mutation($id: ID!) { updateShippingZone(id: $id, input: {price: 2100}) {
		shippingZone { id } } }`
	deleteZone := `mutation($id: ID!) { deleteShippingZone(id: $id) { deletedId } }`
	usZone := d.Client.ShippingZone.Query().Where(shippingzone.Name("United States")).OnlyX(ctx)
	run := func(q string, vars ...client.Option) error {
		var out map[string]any
		return api.Post(q, &out, append(vars, asDesigner)...)
	}

	auditDown.Store(true)
	before := changes()
	require.Error(t, run(createProduct))
	require.Error(t, run(updateProduct, client.Var("id", id(p.ID))))
	require.Error(t, run(deleteRule, client.Var("id", id(rule.ID))))
	require.Error(t, run(createZone))
	require.Error(t, run(updateZone, client.Var("id", id(zone.ID))))
	require.Error(t, run(deleteZone, client.Var("id", id(usZone.ID))))
	assert.False(t, d.Client.ShippingZone.Query().Where(shippingzone.Name("Tx zone")).ExistX(ctx),
		"the zone was created without its audit record")
	assert.Equal(t, zone.Price, d.Client.ShippingZone.GetX(ctx, zone.ID).Price,
		"the zone was changed without its audit record")
	assert.True(t, d.Client.ShippingZone.Query().Where(shippingzone.ID(usZone.ID)).ExistX(ctx),
		"the zone was deleted without its audit record")
	assert.False(t, d.Client.Product.Query().Where(product.Slug("tx-strap")).ExistX(ctx),
		"the product was created without its audit record")
	assert.Equal(t, p.Name, d.Client.Product.GetX(ctx, p.ID).Name,
		"the product was renamed without its audit record")
	_, err = d.Client.Rule.Get(ctx, rule.ID)
	assert.NoError(t, err, "the rule was deleted without its audit record")
	assert.Equal(t, before, changes())

	auditDown.Store(false)
	require.NoError(t, run(createProduct))
	require.NoError(t, run(updateProduct, client.Var("id", id(p.ID))))
	require.NoError(t, run(deleteRule, client.Var("id", id(rule.ID))))
	require.NoError(t, run(createZone))
	require.NoError(t, run(updateZone, client.Var("id", id(zone.ID))))
	require.NoError(t, run(deleteZone, client.Var("id", id(usZone.ID))))
	assert.True(t, d.Client.Product.Query().Where(product.Slug("tx-strap")).ExistX(ctx))
	assert.Equal(t, "Renamed", d.Client.Product.GetX(ctx, p.ID).Name)
	assert.EqualValues(t, 2100, d.Client.ShippingZone.GetX(ctx, zone.ID).Price)
	assert.Equal(t, before+6, changes())
}
