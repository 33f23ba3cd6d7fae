package shipping_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/quote"
	"github.com/atelier/atelier/server/shipping"
)

func zone(name string, rest bool, lo, hi int, countries ...string) *ent.ShippingZone {
	return &ent.ShippingZone{Name: name, Countries: countries, RestOfWorld: rest,
		TransitMinDays: lo, TransitMaxDays: hi, Currency: "USD", Price: 1000}
}

func TestCheckZones(t *testing.T) {
	t.Parallel()
	eu := zone("EU", false, 2, 4, "FR", "DE")
	world := zone("World", true, 5, 9)
	for _, tt := range []struct {
		name  string
		zones []*ent.ShippingZone
		err   string
	}{
		{"disjoint zones and one fallback", []*ent.ShippingZone{eu, zone("UK", false, 1, 2, "GB"), world}, ""},
		{"a country in two zones", []*ent.ShippingZone{eu, zone("France", false, 1, 2, "FR")},
			"FR is already in the zone EU"},
		{"two fallbacks", []*ent.ShippingZone{world, zone("Elsewhere", true, 1, 2)},
			"World is already the rest-of-world zone"},
		{"transit out of order", []*ent.ShippingZone{zone("Slow", false, 5, 2, "US")}, "Slow: the longest transit"},
		{"unsupported currency", []*ent.ShippingZone{{Name: "X", Currency: "XYZ"}}, `unsupported currency "XYZ"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := shipping.CheckZones(tt.zones)
			if tt.err == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.True(t, fault.Is(err, fault.BadUserInput))
			assert.Contains(t, err.Error(), tt.err)
		})
	}
}

func TestApply(t *testing.T) {
	t.Parallel()
	q, err := quote.Price(quote.Input{Currency: "USD", BasePrice: 12900, Quantity: 1, DepositBasisPoints: 3000})
	require.NoError(t, err)
	ships, err := quote.ParseDate("2027-07-30") // a Friday
	require.NoError(t, err)
	lead := quote.LeadTime{ShipsEarliest: ships, ShipsLatest: ships}
	z := shipping.Zone{Name: "EU", Currency: "USD", Price: 1500, Transit: quote.Transit{MinDays: 1, MaxDays: 3}}
	d, priced, err := shipping.Apply(lead, q, z, "FR", "country")
	require.NoError(t, err)
	assert.Equal(t, "2027-08-02", d.Arrival.Earliest.String(), "over the weekend")
	assert.Equal(t, "2027-08-04", d.Arrival.Latest.String())
	assert.Equal(t, q.Total+1500, priced.Total)
	assert.Equal(t, "Shipping: EU", priced.Lines[len(priced.Lines)-1].Label)

	z.Currency = "EUR"
	_, _, err = shipping.Apply(lead, q, z, "FR", "country")
	require.Error(t, err)
	assert.True(t, fault.Is(err, fault.BadUserInput))
}

func TestClosureNotice(t *testing.T) {
	t.Parallel()
	d := func(s string) quote.Date { v, _ := quote.ParseDate(s); return v }
	assert.Empty(t, shipping.ClosureNotice(nil))
	assert.Equal(t, "The workshop is closed 1–21 August (summer holidays). The workshop is closed on 24 August",
		shipping.ClosureNotice([]quote.Closure{
			{From: d("2027-08-01"), To: d("2027-08-21"), Reason: "summer holidays"},
			{From: d("2027-08-24"), To: d("2027-08-24")},
		}))
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	code, err := shipping.Normalize("country", " fr ")
	require.NoError(t, err)
	assert.Equal(t, "FR", code)
	_, err = shipping.Normalize("country", "XX")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"XX"`)
}
