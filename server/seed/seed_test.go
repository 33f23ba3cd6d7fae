package seed_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/seed"
	"github.com/atelier/atelier/server/shipping"
	"github.com/atelier/atelier/server/testutil"
)

type counts struct{ products, groups, options, rules, priceRules, tiers, versions int }

func count(t *testing.T, c *ent.Client) counts {
	t.Helper()
	ctx := context.Background()
	var out counts
	var err error
	out.products, err = c.Product.Query().Count(ctx)
	require.NoError(t, err)
	out.groups, err = c.OptionGroup.Query().Count(ctx)
	require.NoError(t, err)
	out.options, err = c.OptionValue.Query().Count(ctx)
	require.NoError(t, err)
	out.rules, err = c.Rule.Query().Count(ctx)
	require.NoError(t, err)
	out.priceRules, err = c.PriceRule.Query().Count(ctx)
	require.NoError(t, err)
	out.tiers, err = c.PriceTier.Query().Count(ctx)
	require.NoError(t, err)
	out.versions, err = c.CatalogVersion.Query().Count(ctx)
	require.NoError(t, err)
	return out
}

func TestSeedIsIdempotent(t *testing.T) {
	t.Parallel()
	d := testutil.OpenDB(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

	first, err := seed.Run(ctx, d.Client, now)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"heritage-sport", "atelier-dress"}, first.Created)
	after := count(t, d.Client)

	second, err := seed.Run(ctx, d.Client, now)
	require.NoError(t, err)
	assert.Empty(t, second.Created)
	assert.ElementsMatch(t, first.Created, second.Skipped)
	assert.Equal(t, after, count(t, d.Client), "a second seed changes nothing")
}

func TestSeedCatalogMeetsTheBrief(t *testing.T) {
	t.Parallel()
	d := testutil.OpenDB(t)
	ctx := context.Background()
	_, err := seed.Run(ctx, d.Client, time.Now())
	require.NoError(t, err)

	products, err := d.Client.Product.Query().WithCatalogVersions().All(ctx)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(products), 2)
	for _, p := range products {
		t.Run(p.Slug, func(t *testing.T) {
			assert.Equal(t, product.StatusActive, p.Status)
			assert.Equal(t, 1, p.CatalogVersion)
			assert.GreaterOrEqual(t, p.BasePrice, int64(9000))
			assert.LessOrEqual(t, p.BasePrice, int64(20000))
			assert.GreaterOrEqual(t, p.BuildDaysMin, 3)
			assert.LessOrEqual(t, p.BuildDaysMax, 7)
			require.Len(t, p.Edges.CatalogVersions, 1)
			snap := p.Edges.CatalogVersions[0].Snapshot
			assert.GreaterOrEqual(t, len(snap.Groups), 8)
			options := 0
			for _, g := range snap.Groups {
				options += len(g.Options)
			}
			assert.GreaterOrEqual(t, options, 40)
			assert.GreaterOrEqual(t, len(snap.Rules), 12)
			mins := []int{}
			for _, tier := range snap.Tiers {
				mins = append(mins, tier.MinQuantity)
			}
			assert.Equal(t, []int{5, 10, 20}, mins)
		})
	}
}

func TestSeedShippingZones(t *testing.T) {
	t.Parallel()
	d := testutil.OpenDB(t)
	ctx := auth.System(context.Background())
	for range 2 { // idempotent: the zones are created once
		_, err := seed.Run(ctx, d.Client, time.Now())
		require.NoError(t, err)
	}
	zones, err := d.Client.ShippingZone.Query().All(ctx)
	require.NoError(t, err)
	require.Len(t, zones, 4)
	require.NoError(t, shipping.CheckZones(zones), "no country in two zones, one rest of world")
	for _, code := range []string{"FR", "GB", "US", "JP"} {
		z, err := shipping.ZoneFor(ctx, d.Client, "country", code)
		require.NoError(t, err, code)
		assert.Positive(t, z.Price, code)
	}
}
