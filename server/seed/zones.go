package seed

import (
	"context"
	"fmt"

	"github.com/atelier/atelier/ent"
)

type zoneDef struct {
	Name                   string
	Countries              []string
	RestOfWorld            bool
	TransitMin, TransitMax int
	Price                  int64
}

// zones are the demo shipping zones, priced in USD like the demo products.
var zones = []zoneDef{
	{Name: "European Union", Countries: []string{
		"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
		"IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
	}, TransitMin: 2, TransitMax: 4, Price: 1500},
	{Name: "United Kingdom", Countries: []string{"GB"}, TransitMin: 3, TransitMax: 5, Price: 2000},
	{Name: "United States", Countries: []string{"US"}, TransitMin: 4, TransitMax: 7, Price: 2500},
	{Name: "Rest of world", RestOfWorld: true, TransitMin: 6, TransitMax: 12, Price: 4500},
}

// seedZones creates the demo shipping zones when there are none yet.
func seedZones(ctx context.Context, client *ent.Client) (bool, error) {
	n, err := client.ShippingZone.Query().Count(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	builders := make([]*ent.ShippingZoneCreate, 0, len(zones))
	for _, z := range zones {
		builders = append(builders, client.ShippingZone.Create().
			SetName(z.Name).SetCountries(z.Countries).SetRestOfWorld(z.RestOfWorld).
			SetTransitMinDays(z.TransitMin).SetTransitMaxDays(z.TransitMax).
			SetCurrency("USD").SetPrice(z.Price))
	}
	if err := client.ShippingZone.CreateBulk(builders...).Exec(ctx); err != nil {
		if ent.IsConstraintError(err) {
			return false, nil // a concurrent seeder created them
		}
		return false, fmt.Errorf("creating shipping zones: %w", err)
	}
	return true, nil
}
