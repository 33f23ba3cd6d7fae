package graph_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent/shippingzone"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/quote"
)

const deliveryFields = `id version destination
  price { total { amount currency } subtotal { amount } depositDue { amount } balanceDue { amount }
    lines { label amount { amount } } }
  leadTime { shipsEarliest shipsLatest destination shippingZone transitMinDays transitMaxDays
    arrivesEarliest arrivesLatest shipping { amount currency } closureNotice }`

type deliveryLead struct {
	ShipsEarliest, ShipsLatest     string
	Destination, ShippingZone      *string
	TransitMinDays, TransitMaxDays *int
	ArrivesEarliest, ArrivesLatest *string
	Shipping                       *money
	ClosureNotice                  *string
}

type deliveryConfiguration struct {
	ID          string
	Version     int
	Destination *string
	Price       struct {
		Total, Subtotal, DepositDue, BalanceDue money
		Lines                                   []struct {
			Label  string
			Amount money
		}
	}
	LeadTime deliveryLead
}

func setDestination(t *testing.T, s *stack, id string, version int, country string) deliveryConfiguration {
	t.Helper()
	var out struct {
		SetDestination struct{ Configuration deliveryConfiguration }
	}
	s.must(t, `mutation($in: SetDestinationInput!) { setDestination(input: $in) { configuration { `+
		deliveryFields+` } } }`,
		vars("in", map[string]any{"configurationId": id, "version": version, "country": country}), &out)
	return out.SetDestination.Configuration
}

// wantArrival is the arrival window a ship window and a transit give (quote.Arrive is unit
// tested on its own): the API must show exactly it.
func wantArrival(t *testing.T, shipsEarliest, shipsLatest string, lo, hi int) (string, string) {
	t.Helper()
	e, err := quote.ParseDate(shipsEarliest)
	require.NoError(t, err)
	l, err := quote.ParseDate(shipsLatest)
	require.NoError(t, err)
	arr, err := quote.Arrive(e, l, quote.Transit{MinDays: lo, MaxDays: hi})
	require.NoError(t, err)
	return arr.Earliest.String(), arr.Latest.String()
}

func sumLines(c deliveryConfiguration) int {
	sum := 0
	for _, l := range c.Price.Lines {
		sum += l.Amount.Amount
	}
	return sum
}

func TestDestinationGivesArrivalWindowShippingLineAndClosureNotice(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	// A closure from tomorrow (workshop time) for ten days always falls in the build window.
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	today := quote.DateOf(time.Now().In(paris))
	closure := quote.Closure{From: today.AddDays(1), To: today.AddDays(10), Reason: "summer holidays"}
	s := startStack(t, b, b.Redis.URL, "-closures",
		fmt.Sprintf("%s..%s %s", closure.From, closure.To, closure.Reason))

	var zones struct {
		ShippingZones []struct {
			Name           string
			Countries      []string
			RestOfWorld    bool
			TransitMinDays int
			TransitMaxDays int
			Price          money
		}
	}
	s.must(t, `{ shippingZones { name countries restOfWorld transitMinDays transitMaxDays
	  price { amount currency } } }`, nil, &zones)
	require.Len(t, zones.ShippingZones, 4, "the seeded zones")
	eu := zones.ShippingZones[0]
	assert.Equal(t, "European Union", eu.Name)
	assert.Contains(t, eu.Countries, "FR")
	assert.Equal(t, money{Amount: 1500, Currency: "USD"}, eu.Price)
	assert.True(t, zones.ShippingZones[3].RestOfWorld)

	c := completeConfiguration(t, s, "heritage-sport", 3)
	var before struct{ Configuration deliveryConfiguration }
	s.must(t, `query($id: ID!) { configuration(id: $id) { `+deliveryFields+` } }`, vars("id", c.ID), &before)
	assert.Nil(t, before.Configuration.Destination)
	assert.Nil(t, before.Configuration.LeadTime.ArrivesEarliest, "no arrival window without a destination")
	require.NotNil(t, before.Configuration.LeadTime.ClosureNotice)
	assert.Equal(t, closure.Message(), *before.Configuration.LeadTime.ClosureNotice)

	fr := setDestination(t, s, c.ID, c.Version, " fr ")
	assert.Equal(t, c.Version+1, fr.Version)
	require.NotNil(t, fr.Destination)
	assert.Equal(t, "FR", *fr.Destination)
	lt := fr.LeadTime
	require.NotNil(t, lt.ArrivesEarliest)
	assert.Equal(t, "European Union", *lt.ShippingZone)
	assert.Equal(t, 2, *lt.TransitMinDays)
	assert.Equal(t, 4, *lt.TransitMaxDays)
	early, late := wantArrival(t, lt.ShipsEarliest, lt.ShipsLatest, 2, 4)
	assert.Equal(t, early, *lt.ArrivesEarliest)
	assert.Equal(t, late, *lt.ArrivesLatest)
	assert.Equal(t, &money{Amount: 1500, Currency: "USD"}, lt.Shipping)
	assert.Equal(t, closure.Message(), *lt.ClosureNotice)
	// No ship date falls inside the closure.
	for _, d := range []string{lt.ShipsEarliest, lt.ShipsLatest} {
		day, err := quote.ParseDate(d)
		require.NoError(t, err)
		assert.False(t, closure.Contains(day), "%s is inside the closure", d)
	}
	// Shipping is a price line; the lines, and deposit + balance, add up exactly.
	last := fr.Price.Lines[len(fr.Price.Lines)-1]
	assert.Equal(t, "Shipping: European Union", last.Label)
	assert.Equal(t, 1500, last.Amount.Amount)
	assert.Equal(t, before.Configuration.Price.Total.Amount+1500, fr.Price.Total.Amount)
	assert.Equal(t, fr.Price.Total.Amount, sumLines(fr))
	assert.Equal(t, fr.Price.Total.Amount, fr.Price.DepositDue.Amount+fr.Price.BalanceDue.Amount)
	assert.Equal(t, before.Configuration.Price.DepositDue, fr.Price.DepositDue, "shipping is paid with the balance")

	// An unknown country is refused, naming it, and nothing changes.
	e := s.fail(t, `mutation($in: SetDestinationInput!) { setDestination(input: $in) { configuration { id } } }`,
		vars("in", map[string]any{"configurationId": c.ID, "version": fr.Version, "country": "XX"}))
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, `"XX"`)
	// A stale version is a conflict.
	e = s.fail(t, `mutation($in: SetDestinationInput!) { setDestination(input: $in) { configuration { id } } }`,
		vars("in", map[string]any{"configurationId": c.ID, "version": c.Version, "country": "GB"}))
	assert.Equal(t, "CONFLICT", e.Extensions["code"])
	var still struct{ Configuration deliveryConfiguration }
	s.must(t, `query($id: ID!) { configuration(id: $id) { `+deliveryFields+` } }`, vars("id", c.ID), &still)
	assert.Equal(t, fr, still.Configuration, "refused edits change nothing")

	// The order freezes the zone, transit and price of its address country.
	in := placeInput(c, "delivery-key-0001")
	in["version"] = fr.Version
	var out struct {
		PlaceOrder struct {
			Order struct {
				ID         string
				Total      money
				DepositDue money
				BalanceDue money
				PriceLines []struct {
					Label  string
					Amount money
				}
				LeadTime deliveryLead
			}
			OrderToken   string
			PriceChanged bool
		}
	}
	orderDelivery := `id total { amount currency } depositDue { amount } balanceDue { amount }
	  priceLines { label amount { amount } }
	  leadTime { shipsEarliest shipsLatest destination shippingZone transitMinDays transitMaxDays
	    arrivesEarliest arrivesLatest shipping { amount currency } closureNotice }`
	s.must(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { `+orderDelivery+
		` } orderToken priceChanged } }`, vars("in", in), &out)
	o := out.PlaceOrder.Order
	assert.False(t, out.PlaceOrder.PriceChanged, "the configuration showed shipping to FR already")
	assert.Equal(t, fr.Price.Total.Amount, o.Total.Amount)
	sum := 0
	for _, l := range o.PriceLines {
		sum += l.Amount.Amount
	}
	assert.Equal(t, o.Total.Amount, sum, "the order's lines add up to its total")
	assert.Equal(t, o.Total.Amount, o.DepositDue.Amount+o.BalanceDue.Amount)
	assert.Equal(t, "Shipping: European Union", o.PriceLines[len(o.PriceLines)-1].Label)
	assert.Equal(t, lt, o.LeadTime, "the order shows the arrival window the configuration showed")

	// The arrival window is recomputed as the build progresses.
	workshop := staffToken(t, s, stafftoken.RoleWorkshop)
	pay(t, s, workshop, o.ID, o.DepositDue.Amount)
	advance(t, s, workshop, o.ID, "MATERIALS")
	advance(t, s, workshop, o.ID, "CRAFTING")
	var got struct {
		Order struct{ LeadTime deliveryLead }
	}
	s.must(t, `query($id: ID!) { order(id: $id) { leadTime { shipsEarliest shipsLatest destination
	  shippingZone transitMinDays transitMaxDays arrivesEarliest arrivesLatest
	  shipping { amount currency } closureNotice } } }`, vars("id", o.ID), &got, bearer(out.PlaceOrder.OrderToken)...)
	now := got.Order.LeadTime
	early, late = wantArrival(t, now.ShipsEarliest, now.ShipsLatest, 2, 4)
	assert.Equal(t, early, *now.ArrivesEarliest)
	assert.Equal(t, late, *now.ArrivesLatest)
	assert.LessOrEqual(t, *now.ArrivesLatest, *o.LeadTime.ArrivesLatest, "the estimate tightens")
}

func TestOrderShipsToItsAddressCountry(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	c := completeConfiguration(t, s, "heritage-sport", 5)
	fr := setDestination(t, s, c.ID, c.Version, "FR")

	// The address decides: shipping to the United States costs its own price.
	in := placeInput(c, "delivery-key-us01")
	in["version"] = fr.Version
	in["shippingAddress"].(map[string]any)["country"] = "US"
	var out struct {
		PlaceOrder struct {
			Order struct {
				Total      money
				PriceLines []struct{ Label string }
				LeadTime   deliveryLead
			}
			PriceChanged  bool
			PreviousTotal *money
		}
	}
	s.must(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { total { amount }
	  priceLines { label } leadTime { shippingZone arrivesLatest shipping { amount } } }
	  priceChanged previousTotal { amount } } }`, vars("in", in), &out)
	p := out.PlaceOrder
	assert.Equal(t, fr.Price.Total.Amount-1500+2500, p.Order.Total.Amount)
	assert.True(t, p.PriceChanged)
	assert.Equal(t, fr.Price.Total.Amount, p.PreviousTotal.Amount)
	assert.Equal(t, "United States", *p.Order.LeadTime.ShippingZone)
	assert.Equal(t, "Shipping: United States", p.Order.PriceLines[len(p.Order.PriceLines)-1].Label)

	// Without a rest-of-world zone, a country no zone covers is refused, naming it.
	_, err := s.App.DB.Client.ShippingZone.Delete().Where(shippingzone.RestOfWorld(true)).Exec(systemCtx())
	require.NoError(t, err)
	e := s.fail(t, `mutation($in: SetDestinationInput!) { setDestination(input: $in) { configuration { id } } }`,
		vars("in", map[string]any{"configurationId": c.ID, "version": fr.Version, "country": "JP"}))
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "JP")
	in = placeInput(c, "delivery-key-jp01")
	in["version"] = fr.Version
	in["shippingAddress"].(map[string]any)["country"] = "JP"
	e = s.fail(t, placeMutation, vars("in", in))
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "JP")
	assert.Equal(t, "shippingAddress.country", e.Extensions["field"])
}

func TestDesignersManageShippingZones(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	designer := bearer(staffToken(t, s, stafftoken.RoleDesigner))
	const create = `mutation($in: CreateShippingZoneInput!) { createShippingZone(input: $in) {
	  shippingZone { id name countries transitMinDays transitMaxDays price { amount currency } } } }`
	swiss := map[string]any{"name": "Switzerland", "countries": []string{"CH", "LI"},
		"transitMinDays": 1, "transitMaxDays": 3, "currency": "USD", "price": 1800}

	e := s.fail(t, create, vars("in", swiss))
	assert.Contains(t, []any{"UNAUTHENTICATED", "FORBIDDEN"}, e.Extensions["code"], "customers cannot")

	c := completeConfiguration(t, s, "heritage-sport", 9)
	ch := setDestination(t, s, c.ID, c.Version, "CH")
	assert.Equal(t, "Rest of world", *ch.LeadTime.ShippingZone, "before: the fallback zone")

	var out struct {
		CreateShippingZone struct {
			ShippingZone struct {
				ID        string
				Name      string
				Countries []string
				Price     money
			}
		}
	}
	s.must(t, create, vars("in", swiss), &out, designer...)
	zone := out.CreateShippingZone.ShippingZone
	assert.Equal(t, []string{"CH", "LI"}, zone.Countries)

	var got struct{ Configuration deliveryConfiguration }
	read := func() deliveryConfiguration {
		s.must(t, `query($id: ID!) { configuration(id: $id) { `+deliveryFields+` } }`, vars("id", c.ID), &got)
		return got.Configuration
	}
	now := read()
	assert.Equal(t, "Switzerland", *now.LeadTime.ShippingZone)
	assert.Equal(t, 1800, now.LeadTime.Shipping.Amount)
	assert.Equal(t, now.Price.Total.Amount, sumLines(now))

	// A new price shows at once (the cached encodings are keyed by the zone's price too).
	s.must(t, `mutation($id: ID!) { updateShippingZone(id: $id, input: { price: 900 }) {
	  shippingZone { id } } }`, vars("id", zone.ID), nil, designer...)
	assert.Equal(t, 900, read().LeadTime.Shipping.Amount)

	// A country in two zones, or a second rest of world, is refused and nothing is written.
	e = s.fail(t, create, vars("in", map[string]any{"name": "France again", "countries": []string{"FR"},
		"transitMinDays": 1, "transitMaxDays": 2, "price": 100}), designer...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "FR is already in the zone European Union")
	e = s.fail(t, create, vars("in", map[string]any{"name": "Elsewhere", "restOfWorld": true,
		"transitMinDays": 1, "transitMaxDays": 2, "price": 100}), designer...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "Rest of world is already the rest-of-world zone")
	e = s.fail(t, create, vars("in", map[string]any{"name": "Nowhere", "countries": []string{"ZZ"},
		"transitMinDays": 1, "transitMaxDays": 2, "price": 100}), designer...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	e = s.fail(t, `mutation($id: ID!) { updateShippingZone(id: $id, input: { transitMinDays: 5 }) {
	  shippingZone { id } } }`, vars("id", zone.ID), designer...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"], "transit min above max")
	n, err := s.App.DB.Client.ShippingZone.Query().Count(systemCtx())
	require.NoError(t, err)
	assert.Equal(t, 5, n, "the four seeded zones and Switzerland")

	// A zone priced in another currency than the product cannot ship it: refused, unchanged.
	s.must(t, create, vars("in", map[string]any{"name": "Japan", "countries": []string{"JP"},
		"transitMinDays": 3, "transitMaxDays": 6, "currency": "EUR", "price": 2000}), nil, designer...)
	before := read()
	e = s.fail(t, `mutation($in: SetDestinationInput!) { setDestination(input: $in) { configuration { id } } }`,
		vars("in", map[string]any{"configurationId": c.ID, "version": before.Version, "country": "JP"}))
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "priced in EUR, not in USD")
	assert.Equal(t, before, read())

	s.must(t, `mutation($id: ID!) { deleteShippingZone(id: $id) { deletedId } }`, vars("id", zone.ID), nil,
		designer...)
	assert.Equal(t, "Rest of world", *read().LeadTime.ShippingZone, "after: the fallback zone again")
}
