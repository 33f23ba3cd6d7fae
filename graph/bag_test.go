package graph_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent/catalogchange"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/orderline"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/db"
	"github.com/atelier/atelier/server/quote"
)

const bagFields = `id pieces orderable subtotal { amount currency } discount { amount } total { amount }
  deposit { amount } balance { amount } shortfalls { name minimum have missing message }
  goodsTotal { amount } shipping { amount currency } destination
  delivery { minBusinessDays maxBusinessDays shipsEarliest shipsLatest destination shippingZone
    transitMinDays transitMaxDays arrivesEarliest arrivesLatest shipping { amount currency } closureNotice }
  lines { id configurationId quantity productName previewSvg unitPrice { amount } subtotal { amount }
    discount { amount } total { amount } discountLabel problem selections { group option } }`

type bagJSON struct {
	ID                                          string
	Pieces                                      int
	Orderable                                   bool
	Subtotal, Discount, Total, Deposit, Balance money
	GoodsTotal                                  money
	Shipping                                    *money
	Destination                                 *string
	Delivery                                    *struct {
		MinBusinessDays, MaxBusinessDays int
		deliveryLead
	}
	Shortfalls []struct {
		Name                   string
		Minimum, Have, Missing int
		Message                string
	}
	Lines []struct {
		ID, ConfigurationID, ProductName, PreviewSVG string
		Quantity                                     int
		UnitPrice, Subtotal, Discount, Total         money
		DiscountLabel, Problem                       *string
	}
}

func createBag(t *testing.T, s *stack) bagJSON {
	t.Helper()
	var out struct{ CreateBag struct{ Bag bagJSON } }
	s.must(t, `mutation { createBag { bag { `+bagFields+` } } }`, nil, &out)
	return out.CreateBag.Bag
}

func addToBag(t *testing.T, s *stack, bagID, cfgID string, qty int) bagJSON {
	t.Helper()
	var out struct{ AddToBag struct{ Bag bagJSON } }
	s.must(t, `mutation($in: AddToBagInput!) { addToBag(input: $in) { bag { `+bagFields+` } } }`,
		vars("in", map[string]any{"bagId": bagID, "configurationId": cfgID, "quantity": qty}), &out)
	return out.AddToBag.Bag
}

func setBagLine(t *testing.T, s *stack, bagID, lineID string, qty int) bagJSON {
	t.Helper()
	var out struct{ UpdateBagLine struct{ Bag bagJSON } }
	s.must(t, `mutation($in: UpdateBagLineInput!) { updateBagLine(input: $in) { bag { `+bagFields+` } } }`,
		vars("in", map[string]any{"bagId": bagID, "lineId": lineID, "quantity": qty}), &out)
	return out.UpdateBagLine.Bag
}

func bagOrderInput(bagID, key string) map[string]any {
	in := placeInput(configurationJSON{}, key)
	delete(in, "configurationId")
	delete(in, "version")
	in["bagId"] = bagID
	return in
}

const placeBagMutation = `mutation($in: PlaceBagOrderInput!) { placeBagOrder(input: $in) {
  order { ` + orderFields + ` lines { position quantity productName unitPrice { amount } discount { amount }
  total { amount } selections { group option } priceLines { label amount { amount } } previewSvg } }
  orderToken } }`

type bagOrder struct {
	Order struct {
		orderView
		Lines []struct {
			Position, Quantity      int
			ProductName, PreviewSVG string
			UnitPrice, Discount     money
			Total                   money
			Selections              []struct{ Group string }
			PriceLines              []struct{ Label string }
		}
	}
	OrderToken string
}

func TestBagOfThreeLinesFromTwoProductsChecksOutAsOneOrder(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	sport1 := completeConfiguration(t, s, "heritage-sport", 21)
	sport2 := completeConfiguration(t, s, "heritage-sport", 22)
	dress := completeConfiguration(t, s, "atelier-dress", 23)

	bg := createBag(t, s)
	assert.Regexp(t, `^bag_[a-z2-7]{32}$`, bg.ID)
	assert.Empty(t, bg.Lines)
	assert.False(t, bg.Orderable, "an empty bag cannot be ordered")
	addToBag(t, s, bg.ID, sport1.ID, 1)
	addToBag(t, s, bg.ID, sport2.ID, 2)
	bg = addToBag(t, s, bg.ID, dress.ID, 5)
	require.Len(t, bg.Lines, 3)
	bg = setBagLine(t, s, bg.ID, bg.Lines[2].ID, 1)
	assert.Equal(t, 4, bg.Pieces)
	assert.True(t, bg.Orderable)
	var sum int
	for _, l := range bg.Lines {
		assert.Nil(t, l.Problem)
		assert.Contains(t, l.PreviewSVG, "<svg")
		assert.Equal(t, l.UnitPrice.Amount*l.Quantity-l.Discount.Amount, l.Total.Amount)
		sum += l.Total.Amount
	}
	assert.Equal(t, bg.GoodsTotal.Amount, sum)
	assert.Nil(t, bg.Destination, "no destination yet: none of the configurations has one")
	assert.Nil(t, bg.Shipping)
	assert.Equal(t, bg.GoodsTotal, bg.Total, "without a destination the bag costs its goods")
	assert.Equal(t, bg.Total.Amount, bg.Deposit.Amount+bg.Balance.Amount)
	require.NotNil(t, bg.Delivery, "the build window shows before a destination")
	assert.Nil(t, bg.Delivery.ArrivesEarliest)

	// The bag survives: read again by its id (another device, a reload).
	var again struct{ Bag bagJSON }
	s.must(t, `query($id: ID!) { bag(id: $id) { `+bagFields+` } }`, vars("id", bg.ID), &again)
	assert.Equal(t, bg, again.Bag)

	// A line removed and added back.
	var removed struct{ RemoveBagLine struct{ Bag bagJSON } }
	s.must(t, `mutation($in: RemoveBagLineInput!) { removeBagLine(input: $in) { bag { `+bagFields+` } } }`,
		vars("in", map[string]any{"bagId": bg.ID, "lineId": bg.Lines[0].ID}), &removed)
	require.Len(t, removed.RemoveBagLine.Bag.Lines, 2)
	bg = addToBag(t, s, bg.ID, sport1.ID, 1)
	require.Len(t, bg.Lines, 3)

	// The order ships to France (the address): the bag shows that first.
	bg = setBagDestination(t, s, bg.ID, "FR")
	require.NotNil(t, bg.Shipping)
	assert.Equal(t, money{Amount: 1500, Currency: "USD"}, *bg.Shipping, "the European Union zone, once for the bag")
	assert.Equal(t, bg.GoodsTotal.Amount+bg.Shipping.Amount, bg.Total.Amount)

	var out struct {
		PlaceBagOrder struct {
			bagOrder
			PriceChanged bool
		}
	}
	s.must(t, strings.Replace(placeBagMutation, "orderToken", "orderToken priceChanged", 1),
		vars("in", bagOrderInput(bg.ID, "bag-checkout-0001")), &out)
	o := out.PlaceBagOrder.Order
	require.NotEmpty(t, out.PlaceBagOrder.OrderToken)
	assert.False(t, out.PlaceBagOrder.PriceChanged, "the bag showed shipping to France")
	assert.Equal(t, "PLACED", o.Status)
	assert.Equal(t, 4, o.Quantity)
	assert.Equal(t, bg.Total.Amount, o.Total.Amount, "the server priced the bag as it showed, shipping included")
	assert.Equal(t, bg.Deposit.Amount, o.DepositDue.Amount, "one deposit for the whole bag")
	assert.Equal(t, bg.Balance.Amount, o.BalanceDue.Amount, "shipping is paid with the balance")
	require.Len(t, o.Lines, 3)
	sum = 0
	for i, l := range o.Lines {
		assert.Equal(t, i, l.Position)
		assert.Equal(t, bg.Lines[i].ProductName, l.ProductName)
		assert.Equal(t, bg.Lines[i].Total.Amount, l.Total.Amount)
		assert.NotEmpty(t, l.Selections)
		sum += l.Total.Amount
	}
	// One shipping price line for the order, not on its lines: lines + shipping = total.
	require.NotEmpty(t, o.PriceLines)
	last := o.PriceLines[len(o.PriceLines)-1]
	assert.Equal(t, "Shipping: European Union", last.Label)
	assert.Equal(t, 1500, last.Amount.Amount)
	assert.Equal(t, o.Total.Amount, sum+last.Amount.Amount)
	priceLines := 0
	for _, l := range o.PriceLines {
		priceLines += l.Amount.Amount
	}
	assert.Equal(t, o.Total.Amount, priceLines, "the order's price lines add up to its total")
	require.Len(t, o.Events, 1)
	// The order as a whole (emails, lists) names every line's choices.
	assert.Len(t, o.Selections, len(o.Lines[0].Selections)+len(o.Lines[1].Selections)+len(o.Lines[2].Selections))
	assert.Contains(t, o.Selections[0].GroupName, "1. Heritage Sport · ")

	// The same key replays the same order; another bag cannot reuse it.
	var replay struct{ PlaceBagOrder bagOrder }
	s.must(t, `mutation($in: PlaceBagOrderInput!) { placeBagOrder(input: $in) { order { id } orderToken } }`,
		vars("in", bagOrderInput(bg.ID, "bag-checkout-0001")), &replay)
	assert.Equal(t, o.ID, replay.PlaceBagOrder.Order.ID)
	assert.Empty(t, replay.PlaceBagOrder.OrderToken)
	other := createBag(t, s)
	addToBag(t, s, other.ID, dress.ID, 1)
	e := s.fail(t, placeBagMutation, vars("in", bagOrderInput(other.ID, "bag-checkout-0001")))
	assert.Equal(t, "CONFLICT", e.Extensions["code"])

	// The customer reads every line with the order's token; so does the workshop.
	var read struct{ Order bagOrder }
	s.must(t, `query($id: ID!) { order(id: $id) { lines { position productName } } }`,
		vars("id", o.ID), &read.Order, bearer(out.PlaceBagOrder.OrderToken)...)
	workshop := staffToken(t, s, stafftoken.RoleWorkshop)
	var queue struct {
		Orders struct {
			Edges []struct {
				Node struct {
					Lines []struct{ ProductName string }
				}
			}
		}
	}
	s.must(t, `{ orders(first: 5) { edges { node { lines { productName } } } } }`, nil, &queue,
		bearer(workshop)...)
	require.Len(t, queue.Orders.Edges, 1)
	assert.Len(t, queue.Orders.Edges[0].Node.Lines, 3)

	// A single configuration still orders through placeOrder, as a one-line order.
	single := place(t, s, completeConfiguration(t, s, "atelier-dress", 24), "single-key-0001")
	n, err := s.App.DB.Client.OrderLine.Query().
		Where(orderline.HasOrderWith(order.Number(single.Order.Number))).Count(systemCtx())
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

func setBagDestination(t *testing.T, s *stack, bagID, country string) bagJSON {
	t.Helper()
	var out struct{ SetBagDestination struct{ Bag bagJSON } }
	s.must(t, `mutation($in: SetBagDestinationInput!) { setBagDestination(input: $in) { bag { `+bagFields+` } } }`,
		vars("in", map[string]any{"bagId": bagID, "country": country}), &out)
	return out.SetBagDestination.Bag
}

// TestBagDestinationGivesArrivalWindowAndShipping: a bag ships once, after its slowest line,
// to its destination's zone; it takes its first piece's destination until it has its own; a
// country it cannot ship to changes nothing; the order's total is what the bag showed.
func TestBagDestinationGivesArrivalWindowAndShipping(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	today := quote.DateOf(time.Now().In(paris))
	closure := quote.Closure{From: today.AddDays(1), To: today.AddDays(10), Reason: "summer holidays"}
	s := startStack(t, b, b.Redis.URL, "-closures",
		fmt.Sprintf("%s..%s %s", closure.From, closure.To, closure.Reason))

	sport := completeConfiguration(t, s, "heritage-sport", 31)
	dress := completeConfiguration(t, s, "atelier-dress", 32)
	// The first piece was to ship to Germany in the configurator.
	setDestination(t, s, sport.ID, sport.Version, "DE")
	bg := createBag(t, s)
	addToBag(t, s, bg.ID, sport.ID, 1)
	bg = addToBag(t, s, bg.ID, dress.ID, 3)
	require.NotNil(t, bg.Destination)
	assert.Equal(t, "DE", *bg.Destination, "the bag ships where its first piece was to")
	require.NotNil(t, bg.Shipping)
	assert.Equal(t, bg.GoodsTotal.Amount+bg.Shipping.Amount, bg.Total.Amount)
	assert.Equal(t, bg.Total.Amount, bg.Deposit.Amount+bg.Balance.Amount)

	// The window is the slowest line's: ship dates no earlier than either line's.
	var lines []deliveryLead
	for _, id := range []string{sport.ID, dress.ID} {
		var c struct{ Configuration deliveryConfiguration }
		s.must(t, `query($id: ID!) { configuration(id: $id) { `+deliveryFields+` } }`, vars("id", id), &c)
		lines = append(lines, c.Configuration.LeadTime)
	}
	d := bg.Delivery
	require.NotNil(t, d)
	assert.Equal(t, max(lines[0].ShipsEarliest, lines[1].ShipsEarliest), d.ShipsEarliest)
	require.NotNil(t, d.ArrivesEarliest)
	require.NotNil(t, d.ShippingZone)
	assert.Equal(t, "European Union", *d.ShippingZone)
	early, late := wantArrival(t, d.ShipsEarliest, d.ShipsLatest, *d.TransitMinDays, *d.TransitMaxDays)
	assert.Equal(t, early, *d.ArrivesEarliest)
	assert.Equal(t, late, *d.ArrivesLatest)
	assert.Equal(t, bg.Shipping, d.Shipping)
	require.NotNil(t, d.ClosureNotice)
	assert.Equal(t, closure.Message(), *d.ClosureNotice)

	// Another zone: the bag's own destination wins over its first piece's.
	us := setBagDestination(t, s, bg.ID, " us ")
	require.NotNil(t, us.Destination)
	assert.Equal(t, "US", *us.Destination)
	require.NotNil(t, us.Delivery.ShippingZone)
	assert.NotEqual(t, "European Union", *us.Delivery.ShippingZone)
	assert.Equal(t, us.GoodsTotal.Amount+us.Shipping.Amount, us.Total.Amount)

	// Refused countries name themselves and change nothing.
	for _, c := range []string{"XX", "France"} {
		e := s.fail(t, `mutation($in: SetBagDestinationInput!) { setBagDestination(input: $in) { bag { id } } }`,
			vars("in", map[string]any{"bagId": bg.ID, "country": c}))
		assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"], c)
		assert.Contains(t, e.Message, strings.ToUpper(c))
	}
	var again struct{ Bag bagJSON }
	s.must(t, `query($id: ID!) { bag(id: $id) { `+bagFields+` } }`, vars("id", bg.ID), &again)
	assert.Equal(t, us, again.Bag)

	// Ordered to France while the bag showed the United States: the order says the total moved.
	var out struct {
		PlaceBagOrder struct {
			Order         struct{ Total money }
			PriceChanged  bool
			PreviousTotal *money
		}
	}
	s.must(t, `mutation($in: PlaceBagOrderInput!) { placeBagOrder(input: $in) {
	  order { total { amount } } priceChanged previousTotal { amount } } }`,
		vars("in", bagOrderInput(bg.ID, "bag-dest-0001")), &out)
	p := out.PlaceBagOrder
	assert.Equal(t, us.GoodsTotal.Amount+1500, p.Order.Total.Amount, "shipped to France")
	assert.Equal(t, p.Order.Total.Amount != us.Total.Amount, p.PriceChanged)
	if p.PriceChanged {
		assert.Equal(t, us.Total.Amount, p.PreviousTotal.Amount)
	}

	// Cleared: the bag ships where its first piece was to again.
	cleared := setBagDestination(t, s, bg.ID, "")
	require.NotNil(t, cleared.Destination)
	assert.Equal(t, "DE", *cleared.Destination)
}

func TestBagErrors(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	e := s.fail(t, `{ bag(id: "bag_nope") { id } }`, nil)
	assert.Equal(t, "NOT_FOUND", e.Extensions["code"])
	bg := createBag(t, s)
	e = s.fail(t, `mutation($in: AddToBagInput!) { addToBag(input: $in) { bag { id } } }`,
		vars("in", map[string]any{"bagId": bg.ID, "configurationId": "cfg_nope", "quantity": 1}))
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	c := start(t, s, "heritage-sport")
	e = s.fail(t, `mutation($in: AddToBagInput!) { addToBag(input: $in) { bag { id } } }`,
		vars("in", map[string]any{"bagId": bg.ID, "configurationId": c.ID, "quantity": 0}))
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	bg = addToBag(t, s, bg.ID, c.ID, 1)
	require.NotNil(t, bg.Lines[0].Problem, "an incomplete configuration says so")
	assert.False(t, bg.Orderable)
	e = s.fail(t, placeBagMutation, vars("in", bagOrderInput(bg.ID, "incomplete-bag-01")))
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "not complete")
	e = s.fail(t, `mutation($in: UpdateBagLineInput!) { updateBagLine(input: $in) { bag { id } } }`,
		vars("in", map[string]any{"bagId": bg.ID, "lineId": "ln_nope", "quantity": 2}))
	assert.Equal(t, "NOT_FOUND", e.Extensions["code"])
	n, err := s.App.DB.Client.Order.Query().Count(systemCtx())
	require.NoError(t, err)
	assert.Zero(t, n)
}

// capsule creates, as a designer, a bundle of the two seeded products with a minimum of 5 and
// tiers at 5, 10 and 20 pieces.
func capsule(t *testing.T, s *stack) {
	t.Helper()
	designer := staffToken(t, s, stafftoken.RoleDesigner)
	in := map[string]any{
		"name": "Capsule", "minQuantity": 5,
		"productIds": []string{productID(t, s, "heritage-sport"), productID(t, s, "atelier-dress")},
		"tiers": []map[string]any{
			{"minQuantity": 5, "discountBasisPoints": 500},
			{"minQuantity": 10, "discountBasisPoints": 1000},
			{"minQuantity": 20, "discountBasisPoints": 1500},
		},
	}
	var out struct {
		CreateBundle struct {
			Bundle struct {
				Name     string
				Products []struct{ Slug string }
				Tiers    []struct{ MinQuantity, DiscountBasisPoints int }
			}
		}
	}
	s.must(t, `mutation($in: BundleInput!) { createBundle(input: $in) { bundle { name products { slug }
	  tiers { minQuantity discountBasisPoints } } } }`, vars("in", in), &out, bearer(designer)...)
	assert.Len(t, out.CreateBundle.Bundle.Products, 2)
	assert.Len(t, out.CreateBundle.Bundle.Tiers, 3)
	e := s.fail(t, `mutation($in: BundleInput!) { createBundle(input: $in) { bundle { id } } }`, vars("in", in))
	assert.Equal(t, "UNAUTHENTICATED", e.Extensions["code"])
	in["minQuantity"] = 0
	e = s.fail(t, `mutation($in: BundleInput!) { createBundle(input: $in) { bundle { id } } }`, vars("in", in),
		bearer(designer)...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	// The designer's write is audited like every catalog edit, in its transaction.
	n, err := s.App.DB.Client.CatalogChange.Query().Where(catalogchange.Entity("Bundle")).Count(systemCtx())
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

func TestBundleMinimumAndTiers(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	capsule(t, s)
	sport := completeConfiguration(t, s, "heritage-sport", 31)
	dress := completeConfiguration(t, s, "atelier-dress", 32)
	bg := createBag(t, s)
	addToBag(t, s, bg.ID, sport.ID, 3)
	bg = addToBag(t, s, bg.ID, dress.ID, 1)

	// 4 pieces: refused, the bag says what is missing.
	require.Len(t, bg.Shortfalls, 1)
	assert.Equal(t, "1 more piece from the Capsule to reach the minimum of 5", bg.Shortfalls[0].Message)
	assert.False(t, bg.Orderable)
	assert.Zero(t, bg.Discount.Amount)
	e := s.fail(t, placeBagMutation, vars("in", bagOrderInput(bg.ID, "capsule-at-four")))
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "1 more piece from the Capsule to reach the minimum of 5")
	// placeOrder of one configuration of a bundled product counts the same minimum.
	e = s.fail(t, placeMutation, vars("in", placeInput(sport, "capsule-single-01")))
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "minimum of 5")

	// Tiers across the bundle at 4, 5, 10 and 20 pieces: one discount for the bundle, shared by
	// the lines, which add up to the total.
	for _, tt := range []struct{ sport, dress, bp int }{{3, 1, 0}, {3, 2, 500}, {4, 6, 1000}, {13, 7, 1500}} {
		bg = setBagLine(t, s, bg.ID, bg.Lines[0].ID, tt.sport)
		bg = setBagLine(t, s, bg.ID, bg.Lines[1].ID, tt.dress)
		subtotal := bg.Lines[0].UnitPrice.Amount*tt.sport + bg.Lines[1].UnitPrice.Amount*tt.dress
		assert.Equal(t, subtotal, bg.Subtotal.Amount)
		assert.Equal(t, subtotal*tt.bp/10000, bg.Discount.Amount, "%d pieces", tt.sport+tt.dress)
		assert.Equal(t, bg.Subtotal.Amount-bg.Discount.Amount, bg.Total.Amount)
		assert.Equal(t, bg.Total.Amount, bg.Lines[0].Total.Amount+bg.Lines[1].Total.Amount)
		if tt.bp > 0 {
			require.NotNil(t, bg.Lines[0].DiscountLabel)
			assert.Contains(t, *bg.Lines[0].DiscountLabel, "Capsule")
		}
	}

	// 5 pieces: accepted.
	bg = setBagLine(t, s, bg.ID, bg.Lines[0].ID, 4)
	bg = setBagLine(t, s, bg.ID, bg.Lines[1].ID, 1)
	assert.Equal(t, 5, bg.Pieces)
	assert.Empty(t, bg.Shortfalls)
	var out struct{ PlaceBagOrder bagOrder }
	s.must(t, placeBagMutation, vars("in", bagOrderInput(bg.ID, "capsule-at-five")), &out)
	assert.Nil(t, bg.Shipping, "the bag has no destination")
	assert.Equal(t, bg.Total.Amount+1500, out.PlaceBagOrder.Order.Total.Amount, "the goods shipped to France")
	assert.Len(t, out.PlaceBagOrder.Order.Lines, 2)

	// A product's own minimum counts every line of it.
	_, err := s.App.DB.Client.Bundle.Delete().Exec(systemCtx())
	require.NoError(t, err)
	require.NoError(t, s.App.DB.Client.Product.Update().Where(product.Slug("heritage-sport")).
		SetMinOrderQuantity(3).Exec(systemCtx()))
	one := createBag(t, s)
	one = addToBag(t, s, one.ID, sport.ID, 2)
	require.Len(t, one.Shortfalls, 1)
	assert.Equal(t, "1 more piece of Heritage Sport to reach the minimum of 3", one.Shortfalls[0].Message)
}

func TestBagCheckoutsNeverOversellAnEdition(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s1 := startStack(t, b, b.Redis.URL)
	s2 := startStack(t, b, b.Redis.URL)
	ctx := systemCtx()
	require.NoError(t, s1.App.DB.Client.Product.Update().Where(product.Slug("atelier-dress")).
		SetEditionLimit(50).Exec(ctx))
	c1 := completeConfiguration(t, s1, "atelier-dress", 41)
	c2 := completeConfiguration(t, s1, "atelier-dress", 42)

	const buyers = 100
	bags := make([]string, buyers)
	for i := range buyers {
		bg := createBag(t, s1)
		addToBag(t, s1, bg.ID, c1.ID, 1+i%3)
		if i%2 == 0 {
			addToBag(t, s1, bg.ID, c2.ID, 1+(i/2)%3)
		}
		bags[i] = bg.ID
	}
	var (
		wg               sync.WaitGroup
		mu               sync.Mutex
		okCount, soldOut int
		other            []string
	)
	for i := range buyers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := []*stack{s1, s2}[i%2].do(t, `mutation($in: PlaceBagOrderInput!) { placeBagOrder(input: $in) { order { id } } }`,
				vars("in", bagOrderInput(bags[i], fmt.Sprintf("edition-bag-%03d", i))))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case len(r.Errors) == 0:
				okCount++
			case r.Errors[0].Extensions["code"] == "SOLD_OUT":
				soldOut++
			default:
				other = append(other, r.Errors[0].Message)
			}
		}()
	}
	wg.Wait()
	assert.Empty(t, other)
	assert.Equal(t, buyers, okCount+soldOut)
	assert.Positive(t, soldOut)
	p, err := s1.App.DB.Client.Product.Query().Where(product.Slug("atelier-dress")).Only(ctx)
	require.NoError(t, err)
	lines, err := s1.App.DB.Client.OrderLine.Query().All(ctx)
	require.NoError(t, err)
	pieces := 0
	for _, l := range lines {
		pieces += l.Quantity
	}
	assert.LessOrEqual(t, pieces, 50, "never more pieces than the edition")
	assert.Equal(t, pieces, p.EditionSold, "every line's pieces are counted")
	assert.Greater(t, pieces, 45, "the edition sells out")
	n, err := s1.App.DB.Client.Order.Query().Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, okCount, n)
}

func TestOrdersWithoutLinesReadAsOneLine(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	p := place(t, s, completeConfiguration(t, s, "heritage-sport", 51), "old-order-key-01")
	ctx := systemCtx()
	// The order as written before orders had lines.
	_, err := s.App.DB.Client.OrderLine.Delete().Exec(ctx)
	require.NoError(t, err)
	n, err := db.BackfillOrderLines(ctx, s.App.DB.Client)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = db.BackfillOrderLines(ctx, s.App.DB.Client)
	require.NoError(t, err)
	assert.Zero(t, n, "idempotent")
	var got struct{ Order bagOrder }
	s.must(t, `query($id: ID!) { order(id: $id) { lines { position quantity productName total { amount }
	  selections { group } } } }`, vars("id", p.Order.ID), &got.Order, bearer(p.OrderToken)...)
	require.Len(t, got.Order.Order.Lines, 1)
	l := got.Order.Order.Lines[0]
	assert.Equal(t, p.Order.Quantity, l.Quantity)
	assert.Equal(t, p.Order.Total.Amount, l.Total.Amount)
	assert.Equal(t, len(p.Order.Selections), len(l.Selections))
}

// TestDesignersDeleteABundle deletes a capsule: only a designer may; the bag no longer counts
// its minimum; the products stay; the deletion is audited; a second delete is NOT_FOUND.
func TestDesignersDeleteABundle(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	capsule(t, s)
	designer := staffToken(t, s, stafftoken.RoleDesigner)
	workshop := staffToken(t, s, stafftoken.RoleWorkshop)
	var list struct{ Bundles []struct{ ID, Name string } }
	s.must(t, `{ bundles { id name } }`, nil, &list)
	require.Len(t, list.Bundles, 1)
	id := list.Bundles[0].ID

	bg := createBag(t, s)
	bg = addToBag(t, s, bg.ID, completeConfiguration(t, s, "heritage-sport", 41).ID, 2)
	require.Len(t, bg.Shortfalls, 1, "the capsule's minimum counts while it exists")

	const del = `mutation($id: ID!) { deleteBundle(id: $id) { deletedId } }`
	e := s.fail(t, del, vars("id", id), bearer(workshop)...)
	assert.Equal(t, "FORBIDDEN", e.Extensions["code"])
	e = s.fail(t, del, vars("id", id))
	assert.Equal(t, "UNAUTHENTICATED", e.Extensions["code"])
	var out struct{ DeleteBundle struct{ DeletedID string } }
	s.must(t, del, vars("id", id), &out, bearer(designer)...)
	assert.Equal(t, id, out.DeleteBundle.DeletedID)
	e = s.fail(t, del, vars("id", id), bearer(designer)...)
	assert.Equal(t, "NOT_FOUND", e.Extensions["code"])

	s.must(t, `{ bundles { id name } }`, nil, &list)
	assert.Empty(t, list.Bundles)
	assert.NotEmpty(t, productID(t, s, "heritage-sport"), "the products stay")
	bg = setBagLine(t, s, bg.ID, bg.Lines[0].ID, 2)
	assert.Empty(t, bg.Shortfalls, "no capsule, no capsule minimum")
	assert.True(t, bg.Orderable)

	n, err := s.App.DB.Client.CatalogChange.Query().
		Where(catalogchange.Entity("Bundle"), catalogchange.Action("DELETE")).Count(systemCtx())
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the deletion is in the audit trail")
}
