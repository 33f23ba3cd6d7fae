package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/paymentrequest"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/testutil"
)

const (
	testWebhookSecret = "whsec_test_atelier"
	testPublishable   = "pk_test_atelier"
)

// moneyStack is an instance taking payments with Stripe (a real stripe-mock) when stripe is
// true, and sending mail to a real mailpit.
type moneyStack struct {
	*stack
	mail *testutil.Mailpit
}

func startMoneyStack(t *testing.T, stripe bool) *moneyStack {
	t.Helper()
	b := newBacking(t)
	mp := testutil.StartMailpit(t)
	env := map[string]string{
		"DATABASE_URL": b.DatabaseURL, "REDIS_URL": b.Redis.URL, "SMTP_URL": mp.SMTPURL,
		"PUBLIC_URL": "https://shop.example", "WORKSHOP_EMAIL": "workshop@atelier.example",
	}
	if stripe {
		env["STRIPE_API_URL"] = testutil.StartStripeMock(t)
		env["STRIPE_SECRET_KEY"] = "sk_test_atelier"
		env["STRIPE_WEBHOOK_SECRET"] = testWebhookSecret
		env["STRIPE_PUBLISHABLE_KEY"] = testPublishable
	}
	s := &stack{testutil.StartApp(t, testutil.AppOptions{
		Env: env, Flags: []string{"-redis-prefix", b.Redis.Prefix},
	})}
	return &moneyStack{stack: s, mail: mp}
}

// signedEvent is a payment_intent.succeeded event signed as Stripe signs it, with secret and
// timestamp at.
func signedEvent(t *testing.T, id, intent string, amount int, secret string, at time.Time) ([]byte, string) {
	t.Helper()
	payload, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "type": "payment_intent.succeeded",
		"api_version": "2099-01-01", "created": at.Unix(),
		"data": map[string]any{"object": map[string]any{
			"id": intent, "object": "payment_intent", "amount": amount, "amount_received": amount,
			"currency": "usd", "status": "succeeded", "metadata": map[string]string{},
		}},
	})
	require.NoError(t, err)
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload: payload, Secret: secret, Timestamp: at,
	})
	return payload, sp.Header
}

// deliver posts a webhook delivery and returns the status code.
func (s *moneyStack) deliver(t *testing.T, payload []byte, signature string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+"/webhooks/stripe", bytes.NewReader(payload))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", signature)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// intentOf returns the provider id of order orderID's latest payment request of kind.
func (s *moneyStack) intentOf(t *testing.T, orderID string, kind paymentrequest.Kind) *ent.PaymentRequest {
	t.Helper()
	req, err := s.App.DB.Client.PaymentRequest.Query().
		Where(paymentrequest.KindEQ(kind), paymentrequest.HasOrderWith(order.ID(orderInt(t, orderID)))).
		Order(ent.Desc(paymentrequest.FieldID)).First(systemCtx())
	require.NoError(t, err)
	return req
}

func (s *moneyStack) payments(t *testing.T) []*ent.Payment {
	t.Helper()
	ps, err := s.App.DB.Client.Payment.Query().All(systemCtx())
	require.NoError(t, err)
	return ps
}

const dueFields = `status amountPaid { amount } amountDue { amount }
  paymentDue { kind amount { amount currency } clientSecret }
  events { seq status kind amount }`

type dueView struct {
	Status     string
	AmountPaid struct{ Amount int }
	AmountDue  struct{ Amount int }
	PaymentDue *struct {
		Kind         string
		Amount       struct{ Amount int }
		ClientSecret string
	}
	Events []struct {
		Seq          int
		Status, Kind string
		Amount       int
	}
}

func (s *moneyStack) order(t *testing.T, id, token string) dueView {
	t.Helper()
	var out struct{ Order dueView }
	s.must(t, `query($id: ID!) { order(id: $id) { `+dueFields+` } }`, vars("id", id), &out, bearer(token)...)
	return out.Order
}

// mailTo returns the messages to address whose subject contains subject.
func mailTo(msgs []testutil.MailSummary, address, subject string) []testutil.MailSummary {
	var out []testutil.MailSummary
	for _, m := range msgs {
		if len(m.To) == 1 && m.To[0].Address == address && strings.Contains(m.Subject, subject) {
			out = append(out, m)
		}
	}
	return out
}

var linkPattern = regexp.MustCompile(`https://shop\.example/orders/(\d+)#(key|signin)=([A-Za-z0-9_\-]+)`)

func TestStripeDepositIsConfirmedByAVerifiedWebhookOnce(t *testing.T) {
	t.Parallel()
	s := startMoneyStack(t, true)
	workshop := staffToken(t, s.stack, stafftoken.RoleWorkshop)

	var settings struct {
		PaymentSettings struct {
			Provider       string
			PublishableKey *string
		}
	}
	s.must(t, `{ paymentSettings { provider publishableKey } }`, nil, &settings)
	assert.Equal(t, "STRIPE", settings.PaymentSettings.Provider)
	require.NotNil(t, settings.PaymentSettings.PublishableKey)
	assert.Equal(t, testPublishable, *settings.PaymentSettings.PublishableKey)

	p := place(t, s.stack, completeConfiguration(t, s.stack, "heritage-sport", 61), "stripe-key-0001")
	deposit := p.Order.DepositDue.Amount
	o := s.order(t, p.Order.ID, p.OrderToken)
	require.NotNil(t, o.PaymentDue, "checkout gets a PaymentIntent for the deposit")
	assert.Equal(t, "DEPOSIT", o.PaymentDue.Kind)
	assert.Equal(t, deposit, o.PaymentDue.Amount.Amount)
	assert.NotEmpty(t, o.PaymentDue.ClientSecret)
	intent := s.intentOf(t, p.Order.ID, paymentrequest.KindDeposit)
	assert.True(t, strings.HasPrefix(intent.ProviderRef, "pi_"), intent.ProviderRef)
	assert.Equal(t, o, s.order(t, p.Order.ID, p.OrderToken), "asking again gives the same intent")

	// The workshop cannot record payments by hand, nor confirm without the money.
	e := s.fail(t, `mutation($in: RecordPaymentInput!) { recordPayment(input: $in) { order { id } } }`,
		vars("in", map[string]any{"orderId": p.Order.ID, "amount": deposit}), bearer(workshop)...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])

	// Forged (another secret), stale (outside the tolerance) and unsigned deliveries: 400, and
	// nothing changes.
	now := time.Now()
	forged, forgedSig := signedEvent(t, "evt_forged", intent.ProviderRef, deposit, "whsec_not_ours", now)
	assert.Equal(t, http.StatusBadRequest, s.deliver(t, forged, forgedSig))
	stale, staleSig := signedEvent(t, "evt_stale", intent.ProviderRef, deposit, testWebhookSecret,
		now.Add(-time.Hour))
	assert.Equal(t, http.StatusBadRequest, s.deliver(t, stale, staleSig))
	good, goodSig := signedEvent(t, "evt_deposit_1", intent.ProviderRef, deposit, testWebhookSecret, now)
	assert.Equal(t, http.StatusBadRequest, s.deliver(t, good, ""))
	tampered := bytes.Replace(good, []byte(fmt.Sprint(deposit)), []byte(fmt.Sprint(deposit*10)), 1)
	assert.Equal(t, http.StatusBadRequest, s.deliver(t, tampered, goodSig))
	o = s.order(t, p.Order.ID, p.OrderToken)
	assert.Equal(t, "PLACED", o.Status)
	assert.Zero(t, o.AmountPaid.Amount)
	assert.Empty(t, s.payments(t))
	n, err := s.App.DB.Client.WebhookEvent.Query().Count(systemCtx())
	require.NoError(t, err)
	assert.Zero(t, n, "a refused delivery is not remembered either")

	// The verified webhook confirms the order; delivered twice, and the same payment reported
	// late by another event, it is still one payment.
	assert.Equal(t, http.StatusOK, s.deliver(t, good, goodSig))
	assert.Equal(t, http.StatusOK, s.deliver(t, good, goodSig))
	late, lateSig := signedEvent(t, "evt_deposit_late", intent.ProviderRef, deposit, testWebhookSecret, now)
	assert.Equal(t, http.StatusOK, s.deliver(t, late, lateSig))
	o = s.order(t, p.Order.ID, p.OrderToken)
	assert.Equal(t, "CONFIRMED", o.Status)
	assert.Equal(t, deposit, o.AmountPaid.Amount)
	assert.Equal(t, p.Order.Total.Amount-deposit, o.AmountDue.Amount)
	assert.Nil(t, o.PaymentDue, "nothing more to pay online until the balance is asked")
	require.Len(t, s.payments(t), 1)
	require.Len(t, o.Events, 3)
	assert.Equal(t, "PAYMENT", o.Events[1].Kind)
	assert.Equal(t, deposit, o.Events[1].Amount)
	assert.Equal(t, "CONFIRMED", o.Events[2].Status)

	// Mail: order received (with the private link) and payment received to the customer; new
	// order and payment to the workshop, each once.
	s.mail.WaitFor(4, 30*time.Second)
	time.Sleep(time.Second) // anything sent twice would arrive now
	msgs := s.mail.Messages()
	require.Len(t, msgs, 4, "%+v", msgs)
	received := mailTo(msgs, "ada@example.com", "Your Atelier order")
	require.Len(t, received, 1)
	require.Len(t, mailTo(msgs, "ada@example.com", "Payment received"), 1)
	require.Len(t, mailTo(msgs, "workshop@atelier.example", "New order"), 1)
	require.Len(t, mailTo(msgs, "workshop@atelier.example", "Payment of"), 1)
	m := s.mail.Message(received[0].ID)
	assert.Contains(t, m.Text, "Dear Ada Lovelace")
	assert.Contains(t, m.HTML, `src="cid:strap-preview.svg"`)
	require.Len(t, m.Inline, 1, "the strap preview is embedded")
	assert.Equal(t, "image/svg+xml", m.Inline[0].ContentType)

	// The emailed link is the private link: it opens the order from any device.
	link := linkPattern.FindStringSubmatch(m.Text)
	require.NotNil(t, link, m.Text)
	assert.Equal(t, p.Order.ID, link[1])
	assert.Equal(t, "key", link[2])
	assert.Equal(t, "CONFIRMED", s.order(t, p.Order.ID, link[3]).Status)
}

func TestStripeBalanceBeforeShippingAndRefundOnCancel(t *testing.T) {
	t.Parallel()
	s := startMoneyStack(t, true)
	workshop := staffToken(t, s.stack, stafftoken.RoleWorkshop)
	c := completeConfiguration(t, s.stack, "heritage-sport", 62)
	payDeposit := func(key string) placed {
		p := place(t, s.stack, c, key)
		intent := s.intentOf(t, p.Order.ID, paymentrequest.KindDeposit)
		ev, sig := signedEvent(t, "evt_"+key, intent.ProviderRef, p.Order.DepositDue.Amount,
			testWebhookSecret, time.Now())
		require.Equal(t, http.StatusOK, s.deliver(t, ev, sig))
		require.Equal(t, "CONFIRMED", s.order(t, p.Order.ID, p.OrderToken).Status)
		return p
	}

	p := payDeposit("balance-key-001")
	for _, st := range []string{"MATERIALS", "CRAFTING", "FINISHING", "QUALITY_CHECK"} {
		advance(t, s.stack, workshop, p.Order.ID, st)
	}
	ship := vars("in", map[string]any{"orderId": p.Order.ID, "to": "SHIPPED", "trackingNumber": "1Z999"})
	const advanceOp = `mutation($in: AdvanceOrderInput!) { advanceOrder(input: $in) { order { id } } }`
	e := s.fail(t, advanceOp, ship, bearer(workshop)...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"], "shipping is refused until paid")

	var asked struct {
		RequestBalance struct {
			PaymentDue struct {
				Kind   string
				Amount struct{ Amount int }
			}
		}
	}
	s.must(t, `mutation($in: RequestBalanceInput!) { requestBalance(input: $in) {
		paymentDue { kind amount { amount } } } }`, vars("in", map[string]any{"orderId": p.Order.ID}),
		&asked, bearer(workshop)...)
	due := p.Order.Total.Amount - p.Order.DepositDue.Amount
	assert.Equal(t, "BALANCE", asked.RequestBalance.PaymentDue.Kind)
	assert.Equal(t, due, asked.RequestBalance.PaymentDue.Amount.Amount)
	o := s.order(t, p.Order.ID, p.OrderToken)
	require.NotNil(t, o.PaymentDue)
	assert.Equal(t, "BALANCE", o.PaymentDue.Kind)
	e = s.fail(t, advanceOp, ship, bearer(workshop)...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"], "asked is not paid")

	balance := s.intentOf(t, p.Order.ID, paymentrequest.KindBalance)
	ev, sig := signedEvent(t, "evt_balance", balance.ProviderRef, due, testWebhookSecret, time.Now())
	require.Equal(t, http.StatusOK, s.deliver(t, ev, sig))
	o = s.order(t, p.Order.ID, p.OrderToken)
	assert.Zero(t, o.AmountDue.Amount)
	s.must(t, advanceOp, ship, nil, bearer(workshop)...)

	// The balance email carries the payment link.
	msgs := s.mail.WaitFor(1, 30*time.Second)
	testutil.Eventually(t, 30*time.Second, func() bool {
		msgs = s.mail.Messages()
		return len(mailTo(msgs, "ada@example.com", "balance due")) == 1
	}, "the balance email")
	m := s.mail.Message(mailTo(msgs, "ada@example.com", "balance due")[0].ID)
	assert.Contains(t, m.Text, "&pay=1")
	assert.Regexp(t, linkPattern, m.Text)

	// Cancelled before CRAFTING: the deposit is refunded through Stripe, recorded as a
	// negative payment and a REFUND event.
	q := payDeposit("refund-key-0001")
	advance(t, s.stack, workshop, q.Order.ID, "CANCELLED", "note", "Customer changed their mind")
	o = s.order(t, q.Order.ID, q.OrderToken)
	assert.Equal(t, "CANCELLED", o.Status)
	assert.Zero(t, o.AmountPaid.Amount)
	kinds := []string{}
	for _, ev := range o.Events {
		kinds = append(kinds, ev.Status+"/"+ev.Kind)
	}
	assert.Equal(t, []string{"PLACED/STATUS", "PLACED/PAYMENT", "CONFIRMED/STATUS",
		"CONFIRMED/REFUND", "CANCELLED/STATUS"}, kinds)
	refunds := 0
	for _, pm := range s.payments(t) {
		if pm.Amount < 0 {
			refunds++
			assert.Equal(t, -q.Order.DepositDue.Amount, int(pm.Amount))
			require.NotNil(t, pm.ProviderRef)
			assert.True(t, strings.HasPrefix(*pm.ProviderRef, "re_"), *pm.ProviderRef)
		}
	}
	assert.Equal(t, 1, refunds)
	testutil.Eventually(t, 30*time.Second, func() bool {
		return len(mailTo(s.mail.Messages(), "ada@example.com", "Refund")) == 1
	}, "the refund email")
}

func TestFindMyOrderAnswersTheSameForUnknownOrders(t *testing.T) {
	t.Parallel()
	s := startMoneyStack(t, false)
	p := place(t, s.stack, completeConfiguration(t, s.stack, "heritage-sport", 63), "find-key-0001")
	var number struct{ Order struct{ Number string } }
	s.must(t, `query($id: ID!) { order(id: $id) { number } }`, vars("id", p.Order.ID), &number,
		bearer(p.OrderToken)...)

	var settings struct{ PaymentSettings struct{ Provider string } }
	s.must(t, `{ paymentSettings { provider } }`, nil, &settings)
	assert.Equal(t, "MANUAL", settings.PaymentSettings.Provider)

	const find = `mutation($in: FindMyOrderInput!) { findMyOrder(input: $in) { message } }`
	ask := func(email, num string) gqlResponse {
		return s.do(t, find, vars("in", map[string]any{"email": email, "orderNumber": num}))
	}
	unknownEmail := ask("nobody@example.com", number.Order.Number)
	unknownOrder := ask("ada@example.com", "AT-0000-0000")
	known := ask("ADA@example.com ", strings.ToLower(number.Order.Number))
	require.Empty(t, known.Errors)
	assert.JSONEq(t, string(known.Data), string(unknownEmail.Data))
	assert.JSONEq(t, string(known.Data), string(unknownOrder.Data))
	assert.Equal(t, unknownEmail.Errors, known.Errors)

	// Only the known one is emailed: a one-time sign-in link.
	var signIn []testutil.MailSummary
	testutil.Eventually(t, 30*time.Second, func() bool {
		signIn = mailTo(s.mail.Messages(), "ada@example.com", "Your link to order")
		return len(signIn) == 1
	}, "the sign-in email")
	assert.Empty(t, mailTo(s.mail.Messages(), "nobody@example.com", ""))
	m := s.mail.Message(signIn[0].ID)
	link := linkPattern.FindStringSubmatch(m.Text)
	require.NotNil(t, link, m.Text)
	assert.Equal(t, "signin", link[2])

	const redeem = `mutation($in: RedeemSignInLinkInput!) { redeemSignInLink(input: $in) { order { id number } orderToken } }`
	var out struct {
		RedeemSignInLink struct {
			Order      struct{ ID, Number string }
			OrderToken string
		}
	}
	s.must(t, redeem, vars("in", map[string]any{"token": link[3]}), &out)
	assert.Equal(t, p.Order.ID, out.RedeemSignInLink.Order.ID)
	assert.Equal(t, "PLACED", s.order(t, p.Order.ID, out.RedeemSignInLink.OrderToken).Status,
		"the token returned opens the order")
	e := s.fail(t, redeem, vars("in", map[string]any{"token": link[3]}))
	assert.Equal(t, "UNAUTHENTICATED", e.Extensions["code"], "a sign-in link works once")

	// Rate limited per address, whether or not the order exists.
	for range 5 {
		ask("ratelimit@example.com", "AT-0000-0000")
	}
	e = s.fail(t, find, vars("in", map[string]any{"email": "ratelimit@example.com", "orderNumber": "AT-0000-0000"}))
	assert.Equal(t, "RATE_LIMITED", e.Extensions["code"])
}
