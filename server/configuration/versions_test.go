package configuration_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/configuration"
	"github.com/atelier/atelier/server/testutil"
)

// TestCachedProductsFollowTheReadPolicy: the configure path's cached product rows
// (Service.Product) give every viewer exactly what the read policy gives them, whoever's read
// filled the cache: a product of each status, read by each kind of viewer after each kind of
// viewer warmed the cache. A change through the client is seen at once, and a row handed out is
// the caller's own.
func TestCachedProductsFollowTheReadPolicy(t *testing.T) {
	t.Parallel()
	d := testutil.OpenDB(t)
	sys := auth.System(context.Background())
	viewers := map[string]context.Context{
		"anonymous": context.Background(),
		"customer":  auth.NewContext(context.Background(), &auth.Viewer{OrderID: 1}),
		"workshop":  auth.NewContext(context.Background(), &auth.Viewer{Name: "W", Role: stafftoken.RoleWorkshop}),
		"designer":  auth.NewContext(context.Background(), &auth.Viewer{Name: "D", Role: stafftoken.RoleDesigner}),
	}
	var ids []int
	for i, status := range []product.Status{product.StatusDraft, product.StatusActive, product.StatusArchived} {
		p, err := d.Client.Product.Create().SetSlug(fmt.Sprintf("policy-%d", i)).
			SetName("Strap " + string(status)).SetBasePrice(10000).SetBuildDaysMin(3).SetBuildDaysMax(5).
			SetStatus(status).SetCatalogVersion(1).Save(sys)
		require.NoError(t, err)
		ids = append(ids, p.ID)
	}
	for _, id := range ids {
		for warmer, warmCtx := range viewers {
			for reader, readCtx := range viewers {
				svc := configuration.NewService(configuration.Options{Client: d.Client, VersionTTL: time.Hour})
				_, _ = svc.Product(warmCtx, id)
				got, gotErr := svc.Product(readCtx, id)
				want, wantErr := d.Client.Product.Get(readCtx, id)
				what := fmt.Sprintf("product %d read by %s after %s", id, reader, warmer)
				if wantErr != nil {
					require.Error(t, gotErr, what)
					require.Equal(t, ent.IsNotFound(wantErr), ent.IsNotFound(gotErr), what)
					continue
				}
				require.NoError(t, gotErr, what)
				require.Equal(t, want.ID, got.ID, what)
				require.Equal(t, want.Name, got.Name, what)
				require.Equal(t, want.Status, got.Status, what)
			}
		}
	}

	svc := configuration.NewService(configuration.Options{Client: d.Client, VersionTTL: time.Hour})
	d.Client.Product.Use(svc.ProductHook())
	active := ids[1]
	row, err := svc.Product(context.Background(), active)
	require.NoError(t, err)
	row.Name = "changed by the caller"
	again, err := svc.Product(context.Background(), active)
	require.NoError(t, err)
	require.Equal(t, "Strap ACTIVE", again.Name, "a row handed out is the caller's copy")
	require.NoError(t, d.Client.Product.UpdateOneID(active).SetName("Strap renamed").Exec(sys))
	renamed, err := svc.Product(context.Background(), active)
	require.NoError(t, err)
	require.Equal(t, "Strap renamed", renamed.Name, "a change through this client is seen at once")
}
