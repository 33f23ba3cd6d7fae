package graph_test

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/auth"
)

const orderFields = `id number status quantity currency customerName total { amount currency }
  depositDue { amount } balanceDue { amount } amountPaid { amount } trackingNumber
  selections { group groupName option optionName text } priceLines { label amount { amount } }
  leadTime { minBusinessDays maxBusinessDays shipsEarliest shipsLatest } previewSvg
  events { seq status kind amount note actor } allowedTransitions shippingAddress { city country }
  amountDue { amount }`

type orderView struct {
	ID, Number, Status, Currency, CustomerName, TrackingNumber string
	Quantity                                                   int
	Total, DepositDue, BalanceDue, AmountPaid                  money
	Selections                                                 []struct {
		Group, GroupName   string
		Option, OptionName *string
		Text               *string
	}
	PriceLines []struct {
		Label  string
		Amount money
	}
	LeadTime struct {
		MinBusinessDays, MaxBusinessDays int
		ShipsEarliest, ShipsLatest       string
	}
	PreviewSVG string `json:"previewSvg"`
	Events     []struct {
		Seq                       int
		Status, Kind, Note, Actor string
		Amount                    int
	}
	AmountDue          struct{ Amount int }
	AllowedTransitions []string
	ShippingAddress    struct{ City, Country string }
}

// staffToken creates a staff token on s's database.
func staffToken(t *testing.T, s *stack, role stafftoken.Role) string {
	t.Helper()
	token, _, err := auth.CreateStaffToken(systemCtx(), s.App.DB.Client, "Test "+string(role), role)
	require.NoError(t, err)
	return token
}

func bearer(token string) []string { return []string{"Authorization", "Bearer " + token} }

// completeConfiguration walks a new configuration of slug to completion.
func completeConfiguration(t *testing.T, s *stack, slug string, seed uint64) configurationJSON {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	c := start(t, s, slug)
	chosen := map[string]bool{}
	for step := 0; !c.Complete; step++ {
		require.Less(t, step, 40)
		c = walkStep(t, s, rng, c, chosen)
	}
	return c
}

type placed struct {
	Order         orderView
	OrderToken    string
	PriceChanged  bool
	PreviousTotal *money
}

func placeInput(c configurationJSON, key string) map[string]any {
	return map[string]any{
		"configurationId": c.ID, "version": c.Version, "idempotencyKey": key,
		"customer": map[string]any{"name": "Ada Lovelace", "email": "ada@example.com"},
		"shippingAddress": map[string]any{"name": "Ada Lovelace", "line1": "12 Rue de la Paix",
			"city": "Paris", "postalCode": "75002", "country": "fr"},
	}
}

const placeMutation = `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) {
  order { ` + orderFields + ` } orderToken priceChanged previousTotal { amount } } }`

func place(t *testing.T, s *stack, c configurationJSON, key string) placed {
	t.Helper()
	var out struct{ PlaceOrder placed }
	s.must(t, placeMutation, vars("in", placeInput(c, key)), &out)
	return out.PlaceOrder
}

func advance(t *testing.T, s *stack, token, orderID, to string, extra ...any) orderView {
	t.Helper()
	in := map[string]any{"orderId": orderID, "to": to}
	for k, v := range vars(extra...) {
		in[k] = v
	}
	var out struct {
		AdvanceOrder struct {
			Order orderView
			Event struct {
				Seq    int
				Status string
			}
		}
	}
	s.must(t, `mutation($in: AdvanceOrderInput!) { advanceOrder(input: $in) { order { `+orderFields+` } event { seq status } } }`,
		vars("in", in), &out, bearer(token)...)
	require.Equal(t, to, out.AdvanceOrder.Event.Status)
	return out.AdvanceOrder.Order
}

func pay(t *testing.T, s *stack, token, orderID string, amount int) orderView {
	t.Helper()
	var out struct{ RecordPayment struct{ Order orderView } }
	s.must(t, `mutation($in: RecordPaymentInput!) { recordPayment(input: $in) { order { `+orderFields+` } } }`,
		vars("in", map[string]any{"orderId": orderID, "amount": amount, "reference": "test"}), &out, bearer(token)...)
	return out.RecordPayment.Order
}

func TestOrderJourneyFromConfigurationToDelivered(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	workshop := staffToken(t, s, stafftoken.RoleWorkshop)

	c := completeConfiguration(t, s, "heritage-sport", 3)
	// The customer chose France as the destination: the configuration shows its shipping.
	c.Version = setDestination(t, s, c.ID, c.Version, "FR").Version
	var shown struct{ Configuration configurationJSON }
	s.must(t, `query($id: ID!) { configuration(id: $id) { `+configurationFields+` } }`, vars("id", c.ID), &shown)
	c.Price = shown.Configuration.Price
	p := place(t, s, c, "journey-key-0001")
	require.NotEmpty(t, p.OrderToken)
	assert.Regexp(t, `^AT-[2-9A-Z]{4}-[2-9A-Z]{4}$`, p.Order.Number)
	assert.Equal(t, "PLACED", p.Order.Status)
	assert.False(t, p.PriceChanged)
	assert.Equal(t, c.Price.Total.Amount, p.Order.Total.Amount, "the server priced it as the session showed")
	assert.Equal(t, c.Price.DepositDue.Amount, p.Order.DepositDue.Amount)
	assert.Equal(t, p.Order.Total.Amount, p.Order.DepositDue.Amount+p.Order.BalanceDue.Amount)
	assert.Equal(t, len(c.Selections), len(p.Order.Selections))
	assert.Contains(t, p.Order.PreviewSVG, "<svg")
	assert.Equal(t, "FR", p.Order.ShippingAddress.Country)
	require.Len(t, p.Order.Events, 1)
	assert.Equal(t, "PLACED", p.Order.Events[0].Status)

	// The customer reads their order with the token.
	var got struct{ Order orderView }
	s.must(t, `query($id: ID!) { order(id: $id) { `+orderFields+` } }`, vars("id", p.Order.ID), &got,
		bearer(p.OrderToken)...)
	assert.Equal(t, p.Order.Number, got.Order.Number)

	// The workshop cannot confirm before the deposit is paid.
	e := s.fail(t, `mutation($in: AdvanceOrderInput!) { advanceOrder(input: $in) { order { id } } }`,
		vars("in", map[string]any{"orderId": p.Order.ID, "to": "CONFIRMED"}), bearer(workshop)...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "deposit")

	o := pay(t, s, workshop, p.Order.ID, p.Order.DepositDue.Amount)
	assert.Equal(t, "CONFIRMED", o.Status, "paying the deposit confirms the order")
	for _, st := range []string{"MATERIALS", "CRAFTING", "FINISHING", "QUALITY_CHECK"} {
		o = advance(t, s, workshop, p.Order.ID, st, "note", "Now "+st)
		assert.Equal(t, st, o.Status)
	}
	e = s.fail(t, `mutation($in: AdvanceOrderInput!) { advanceOrder(input: $in) { order { id } } }`,
		vars("in", map[string]any{"orderId": p.Order.ID, "to": "SHIPPED", "trackingNumber": "1Z999"}), bearer(workshop)...)
	assert.Contains(t, e.Message, "balance")
	o = pay(t, s, workshop, p.Order.ID, p.Order.BalanceDue.Amount)
	assert.Equal(t, p.Order.Total.Amount, o.AmountPaid.Amount)
	o = advance(t, s, workshop, p.Order.ID, "SHIPPED", "trackingNumber", "1Z999AA10123456784")
	assert.Equal(t, "1Z999AA10123456784", o.TrackingNumber)
	assert.Equal(t, o.LeadTime.ShipsEarliest, o.LeadTime.ShipsLatest, "once shipped, the ship date is known")
	assert.LessOrEqual(t, o.LeadTime.ShipsLatest, p.Order.LeadTime.ShipsLatest, "the estimate tightens")
	o = advance(t, s, workshop, p.Order.ID, "DELIVERED")
	assert.Empty(t, o.AllowedTransitions)

	s.must(t, `query($id: ID!) { order(id: $id) { `+orderFields+` } }`, vars("id", p.Order.ID), &got,
		bearer(p.OrderToken)...)
	// Each payment is an event of its own on the timeline, the status unchanged.
	want := []string{"PLACED", "PLACED PAYMENT", "CONFIRMED", "MATERIALS", "CRAFTING", "FINISHING",
		"QUALITY_CHECK", "QUALITY_CHECK PAYMENT", "SHIPPED", "DELIVERED"}
	require.Len(t, got.Order.Events, len(want))
	for i, ev := range got.Order.Events {
		assert.Equal(t, i+1, ev.Seq)
		status, kind, _ := strings.Cut(want[i], " ")
		assert.Equal(t, status, ev.Status)
		assert.Equal(t, cmp.Or(kind, "STATUS"), ev.Kind)
	}
	assert.Equal(t, p.Order.DepositDue.Amount, got.Order.Events[1].Amount)
	assert.Equal(t, p.Order.BalanceDue.Amount, got.Order.Events[7].Amount)
	assert.Zero(t, got.Order.AmountDue.Amount, "paid in full")
	assert.Equal(t, "Test WORKSHOP", got.Order.Events[2].Actor)

	// Later catalog changes never alter the order.
	ctx := systemCtx()
	_, err := s.App.DB.Client.OptionValue.Update().SetName("Renamed").Save(ctx)
	require.NoError(t, err)
	var again struct{ Order orderView }
	s.must(t, `query($id: ID!) { order(id: $id) { `+orderFields+` } }`, vars("id", p.Order.ID), &again,
		bearer(p.OrderToken)...)
	assert.Equal(t, got.Order.Selections, again.Order.Selections)
}

func TestIllegalTransitionsNameTheAllowedStates(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	workshop := staffToken(t, s, stafftoken.RoleWorkshop)
	p := place(t, s, completeConfiguration(t, s, "heritage-sport", 4), "illegal-key-01")
	tests := []struct{ to, allowed string }{
		{"CRAFTING", "CONFIRMED, CANCELLED"},
		{"DELIVERED", "CONFIRMED, CANCELLED"},
		{"PLACED", "CONFIRMED, CANCELLED"},
	}
	for _, tt := range tests {
		e := s.fail(t, `mutation($in: AdvanceOrderInput!) { advanceOrder(input: $in) { order { id } } }`,
			vars("in", map[string]any{"orderId": p.Order.ID, "to": tt.to}), bearer(workshop)...)
		assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
		assert.Contains(t, e.Message, "allowed next: "+tt.allowed)
	}
	pay(t, s, workshop, p.Order.ID, p.Order.DepositDue.Amount)
	advance(t, s, workshop, p.Order.ID, "MATERIALS")
	advance(t, s, workshop, p.Order.ID, "CRAFTING")
	e := s.fail(t, `mutation($in: AdvanceOrderInput!) { advanceOrder(input: $in) { order { id } } }`,
		vars("in", map[string]any{"orderId": p.Order.ID, "to": "CANCELLED"}), bearer(workshop)...)
	assert.Contains(t, e.Message, "allowed next: FINISHING", "no cancelling once crafting started")
	advance(t, s, workshop, p.Order.ID, "FINISHING")
	advance(t, s, workshop, p.Order.ID, "QUALITY_CHECK")
	o := advance(t, s, workshop, p.Order.ID, "CRAFTING", "note", "Rework: edge paint")
	assert.Equal(t, []string{"FINISHING"}, o.AllowedTransitions)
	assert.Len(t, o.Events, 8, "seven status events and the deposit's payment event")
}

func TestPlaceOrderIsIdempotentUnderConcurrentRetries(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s1 := startStack(t, b, b.Redis.URL)
	s2 := startStack(t, b, b.Redis.URL)
	c := completeConfiguration(t, s1, "heritage-sport", 5)
	const retries = 50
	var wg sync.WaitGroup
	ids := make(chan string, retries)
	tokens := make(chan string, retries)
	for i := range retries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Replays without the token name the order but not its customer: ask for that.
			r := []*stack{s1, s2}[i%2].do(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) {
			  order { id number status } orderToken } }`, vars("in", placeInput(c, "same-key-for-all")))
			if !assert.Empty(t, r.Errors) {
				return
			}
			var out struct{ PlaceOrder placed }
			assert.NoError(t, jsonUnmarshal(r.Data, &out))
			ids <- out.PlaceOrder.Order.ID
			if out.PlaceOrder.OrderToken != "" {
				tokens <- out.PlaceOrder.OrderToken
			}
		}()
	}
	wg.Wait()
	close(ids)
	close(tokens)
	distinct := map[string]bool{}
	for id := range ids {
		distinct[id] = true
	}
	assert.Len(t, distinct, 1, "every retry returns the same order")
	assert.Len(t, tokens, 1, "the token is returned once, to the request that created the order")
	n, err := s1.App.DB.Client.Order.Query().Where(order.IdempotencyKey("same-key-for-all")).Count(systemCtx())
	require.NoError(t, err)
	assert.Equal(t, 1, n)

	other := completeConfiguration(t, s1, "heritage-sport", 6)
	e := s1.fail(t, placeMutation, vars("in", placeInput(other, "same-key-for-all")))
	assert.Equal(t, "CONFLICT", e.Extensions["code"], "a key cannot order another configuration")
}

func TestLimitedEditionNeverOversells(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s1 := startStack(t, b, b.Redis.URL)
	s2 := startStack(t, b, b.Redis.URL)
	ctx := systemCtx()
	require.NoError(t, s1.App.DB.Client.Product.Update().Where(product.Slug("atelier-dress")).
		SetEditionLimit(50).Exec(ctx))
	c := completeConfiguration(t, s1, "atelier-dress", 8)

	const buyers = 200
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
			r := []*stack{s1, s2}[i%2].do(t, placeMutation, vars("in", placeInput(c, fmt.Sprintf("edition-buyer-%03d", i))))
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
	assert.Equal(t, 50, okCount)
	assert.Equal(t, 150, soldOut)
	n, err := s1.App.DB.Client.Order.Query().Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 50, n)
	var p struct {
		Product struct{ EditionRemaining *int }
	}
	s1.must(t, `{ product(slug: "atelier-dress") { editionRemaining } }`, nil, &p)
	require.NotNil(t, p.Product.EditionRemaining)
	assert.Equal(t, 0, *p.Product.EditionRemaining)
}

func TestClosedPreOrderWindowIsRefused(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	c := completeConfiguration(t, s, "heritage-sport", 9)
	require.NoError(t, s.App.DB.Client.Product.Update().Where(product.Slug("heritage-sport")).
		SetOrdersCloseAt(time.Now().Add(-time.Hour)).Exec(systemCtx()))
	e := s.fail(t, placeMutation, vars("in", placeInput(c, "window-key-01")))
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "closed on")
}

func TestOrderEventsAcrossInstancesWithoutGapOrDuplicate(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	a := startStack(t, b, b.Redis.URL)
	bb := startStack(t, b, b.Redis.URL)
	workshop := staffToken(t, a, stafftoken.RoleWorkshop)
	p := place(t, a, completeConfiguration(t, a, "heritage-sport", 11), "events-key-001")
	const sub = `subscription($id: ID!, $after: Int) { orderEvents(orderId: $id, after: $after) { seq status note } }`
	type event struct {
		OrderEvents struct {
			Seq    int
			Status string
		}
	}

	ws := a.ws(t, map[string]any{"authorization": "Bearer " + p.OrderToken})
	ws.Subscribe("1", sub, vars("id", p.Order.ID, "after", 0))
	var ev event
	ws.nextData("1", &ev)
	require.Equal(t, 1, ev.OrderEvents.Seq, "stored events are replayed first")

	// seq 2 the payment, seq 3 CONFIRMED, on instance B: the payment arrives live too.
	pay(t, bb, workshop, p.Order.ID, p.Order.DepositDue.Amount)
	ws.nextData("1", &ev)
	assert.Equal(t, 2, ev.OrderEvents.Seq)
	assert.Equal(t, "PLACED", ev.OrderEvents.Status)
	ws.nextData("1", &ev)
	assert.Equal(t, 3, ev.OrderEvents.Seq)
	assert.Equal(t, "CONFIRMED", ev.OrderEvents.Status)

	// Away: two events happen while no subscription is open.
	ws.Conn.CloseNow()
	advance(t, bb, workshop, p.Order.ID, "MATERIALS")
	advance(t, bb, workshop, p.Order.ID, "CRAFTING")

	ws = a.ws(t, map[string]any{"authorization": "Bearer " + p.OrderToken})
	ws.Subscribe("2", sub, vars("id", p.Order.ID, "after", 3))
	for _, want := range []string{"MATERIALS", "CRAFTING"} {
		ws.nextData("2", &ev)
		assert.Equal(t, want, ev.OrderEvents.Status)
	}
	advance(t, bb, workshop, p.Order.ID, "FINISHING")
	ws.nextData("2", &ev)
	assert.Equal(t, 6, ev.OrderEvents.Seq, "then live, with no gap and no repeat")
	assert.Equal(t, "FINISHING", ev.OrderEvents.Status)

	// Both subscriptions were served directly (one encoding per event for every subscriber);
	// a selection Direct does not serve goes through gqlgen, with the same events.
	assert.Equal(t, "2", a.metric(t, "atelier_graphql_direct_subscriptions_total"))
	ws.Subscribe("3", `subscription($id: ID!) { orderEvents(orderId: $id, after: 5) { seq order { number } } }`,
		vars("id", p.Order.ID))
	var full struct {
		OrderEvents struct {
			Seq   int
			Order struct{ Number string }
		}
	}
	ws.nextData("3", &full)
	assert.Equal(t, 6, full.OrderEvents.Seq)
	assert.NotEmpty(t, full.OrderEvents.Order.Number)
	assert.Equal(t, "2", a.metric(t, "atelier_graphql_direct_subscriptions_total"))
}

func TestOrderAccessIsLimitedToItsCustomerAndStaff(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	p1 := place(t, s, completeConfiguration(t, s, "heritage-sport", 12), "access-key-001")
	p2 := place(t, s, completeConfiguration(t, s, "heritage-sport", 13), "access-key-002")
	q := `query($id: ID!) { order(id: $id) { number } }`
	tests := []struct {
		name    string
		headers []string
		code    string
	}{
		{"anonymous", nil, "UNAUTHENTICATED"},
		{"another order's token", bearer(p1.OrderToken), "FORBIDDEN"},
		{"a forged token", bearer("atl_order_forged"), "UNAUTHENTICATED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := s.fail(t, q, vars("id", p2.Order.ID), tt.headers...)
			assert.Equal(t, tt.code, e.Extensions["code"])
		})
	}
	s.must(t, q, vars("id", p2.Order.ID), nil, bearer(p2.OrderToken)...)
	s.must(t, q, vars("id", p2.Order.ID), nil, bearer(staffToken(t, s, stafftoken.RoleWorkshop))...)
	e := s.fail(t, q, vars("id", p2.Order.ID), bearer(staffToken(t, s, stafftoken.RoleDesigner))...)
	assert.Equal(t, "FORBIDDEN", e.Extensions["code"], "orders are for the workshop and their customer")

	// Nor can the token subscribe to another order.
	ws := s.ws(t, map[string]any{"authorization": "Bearer " + p1.OrderToken})
	ws.Subscribe("1", `subscription($id: ID!) { orderEvents(orderId: $id) { seq } }`, vars("id", p2.Order.ID))
	msg := ws.Next()
	assert.Contains(t, fmt.Sprint(msg["payload"]), "FORBIDDEN", "%v", msg)
	assert.Nil(t, msg["payload"].(map[string]any)["data"], "no event is sent")
}

func TestOrderEventsOverSSE(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	workshop := staffToken(t, s, stafftoken.RoleWorkshop)
	p := place(t, s, completeConfiguration(t, s, "heritage-sport", 31), "sse-key-00001")

	body := strings.NewReader(fmt.Sprintf(`{"query":"subscription { orderEvents(orderId: \"%s\") { seq status } }"}`, p.Order.ID))
	req, err := http.NewRequest(http.MethodPost, s.URL+"/query", body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+p.OrderToken)
	ctx, cancel := context.WithTimeout(systemCtx(), 20*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	events := make(chan string, 8)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if line, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				events <- line
			}
		}
		close(events)
	}()
	next := func() string {
		select {
		case e := <-events:
			return e
		case <-ctx.Done():
			t.Fatal("no SSE event")
			return ""
		}
	}
	assert.Contains(t, next(), `"status":"PLACED"`)
	pay(t, s, workshop, p.Order.ID, p.Order.DepositDue.Amount)
	assert.Contains(t, next(), `"seq":2,"status":"PLACED"`, "the payment, first")
	assert.Contains(t, next(), `"seq":3,"status":"CONFIRMED"`)
}

func TestWorkshopQueueFiltersAndOrders(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	workshop := staffToken(t, s, stafftoken.RoleWorkshop)
	c := completeConfiguration(t, s, "heritage-sport", 41)
	first := place(t, s, c, "queue-key-0001")
	second := place(t, s, c, "queue-key-0002")
	place(t, s, c, "queue-key-0003")
	pay(t, s, workshop, second.Order.ID, second.Order.DepositDue.Amount)

	type queue struct {
		Orders struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID, Status string } }
		}
	}
	var placed, confirmed queue
	s.must(t, `{ orders(first: 10, where: {status: PLACED}) { totalCount edges { node { id status } } } }`,
		nil, &placed, bearer(workshop)...)
	assert.Equal(t, 2, placed.Orders.TotalCount)
	assert.Equal(t, first.Order.ID, placed.Orders.Edges[0].Node.ID, "oldest first by default")
	s.must(t, `{ orders(first: 10, where: {status: CONFIRMED}) { totalCount edges { node { id status } } } }`,
		nil, &confirmed, bearer(workshop)...)
	require.Equal(t, 1, confirmed.Orders.TotalCount)
	assert.Equal(t, second.Order.ID, confirmed.Orders.Edges[0].Node.ID)

	var page queue
	s.must(t, `{ orders(first: 2, orderBy: {field: CREATED_AT, direction: DESC}) { totalCount edges { node { id } } } }`,
		nil, &page, bearer(workshop)...)
	assert.Equal(t, 3, page.Orders.TotalCount)
	assert.Len(t, page.Orders.Edges, 2)
}
