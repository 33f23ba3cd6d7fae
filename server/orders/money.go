package orders

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/orderevent"
	"github.com/atelier/atelier/ent/payment"
	"github.com/atelier/atelier/ent/paymentrequest"
	"github.com/atelier/atelier/ent/webhookevent"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/bag"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/jobs"
	"github.com/atelier/atelier/server/mail"
	"github.com/atelier/atelier/server/payments"
	"github.com/atelier/atelier/server/ratelimit"
	"github.com/atelier/atelier/server/txn"
)

// Queue inserts emails in the transaction of the change they announce.
type Queue interface {
	Enqueue(ctx context.Context, tx *sql.Tx, emails ...jobs.Email) error
}

// money is what the Service takes payments and sends messages with.
type money struct {
	provider payments.Provider
	queue    Queue
	// findLimit and findByClient bound "find my order" per email address and per client.
	findLimit, findByClient *ratelimit.Limiter
}

// Option configures a Service.
type Option func(*Service)

// WithProvider takes payments through p (default: payments.Manual).
func WithProvider(p payments.Provider) Option {
	return func(s *Service) { s.provider = p }
}

// WithQueue sends the order's emails through q (default: none sent).
func WithQueue(q Queue) Option {
	return func(s *Service) { s.queue = q }
}

// WithFindLimits rate-limits "find my order" per email address and per client address.
func WithFindLimits(byEmail, byClient *ratelimit.Limiter) Option {
	return func(s *Service) { s.findLimit, s.findByClient = byEmail, byClient }
}

// Provider is how the Service takes payments.
func (s *Service) Provider() payments.Provider { return s.provider }

// enqueue inserts emails in sqlTx, when the Service sends email.
func (s *Service) enqueue(ctx context.Context, sqlTx *sql.Tx, emails ...jobs.Email) error {
	if s.queue == nil {
		return nil
	}
	return s.queue.Enqueue(ctx, sqlTx, emails...)
}

// paymentIn is money received (or refunded, negative) for an order.
type paymentIn struct {
	amount      int64
	kind        payment.Kind
	reference   string
	providerRef string
	actor       string
}

// applyPayment records in against cur inside a transaction: the payment, the order's new amount
// paid, a PAYMENT (or REFUND) event on the timeline, CONFIRMED when a placed order's deposit is
// now paid, and the emails. It returns the order after and the events to publish.
func (s *Service) applyPayment(ctx context.Context, tx *ent.Client, sqlTx *sql.Tx, cur *ent.Order,
	in paymentIn,
) (*ent.Order, []*ent.OrderEvent, error) {
	now := s.now()
	create := tx.Payment.Create().SetOrderID(cur.ID).SetAmount(in.amount).SetKind(in.kind).
		SetReference(in.reference).SetRecordedBy(in.actor).SetAt(now)
	if in.providerRef != "" {
		create.SetProviderRef(in.providerRef)
	}
	if err := create.Exec(ctx); err != nil {
		return nil, nil, fmt.Errorf("recording payment: %w", err)
	}
	paid := cur.AmountPaid + in.amount
	confirm := in.amount > 0 && cur.Status == order.StatusPlaced && paid >= cur.DepositDue
	seq := cur.LastSeq + 1
	upd := tx.Order.Update().
		Where(order.ID(cur.ID), order.AmountPaid(cur.AmountPaid), order.LastSeq(cur.LastSeq)).
		SetAmountPaid(paid).SetLastSeq(seq).SetUpdatedAt(now)
	if confirm {
		upd.SetStatus(order.StatusConfirmed).SetLastSeq(seq + 1)
	}
	n, err := upd.Save(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("updating order: %w", err)
	}
	if n == 0 {
		return nil, nil, fault.New(fault.Conflict, "the order changed meanwhile: reload it and try again")
	}
	kind, note := orderevent.KindPayment, fmt.Sprintf("Payment received: %s.",
		mail.Format(in.amount, cur.Currency))
	if in.amount < 0 {
		kind, note = orderevent.KindRefund, fmt.Sprintf("Refunded: %s.",
			mail.Format(-in.amount, cur.Currency))
	}
	ev, err := tx.OrderEvent.Create().
		SetOrderID(cur.ID).SetSeq(seq).SetStatus(orderevent.Status(cur.Status)).SetKind(kind).
		SetAmount(abs(in.amount)).SetNote(note).SetActor(in.actor).SetAt(now).
		Save(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("recording order event: %w", err)
	}
	evs := []*ent.OrderEvent{ev}
	if confirm {
		ev, err = tx.OrderEvent.Create().
			SetOrderID(cur.ID).SetSeq(seq + 1).SetStatus(orderevent.StatusConfirmed).
			SetNote("Deposit received: your strap is scheduled for the workshop.").
			SetActor(in.actor).SetAt(now).
			Save(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("recording order event: %w", err)
		}
		evs = append(evs, ev)
	}
	emails := []jobs.Email{{Template: mail.Refunded, OrderID: cur.ID, Amount: -in.amount}}
	if in.amount > 0 {
		emails = []jobs.Email{
			{Template: mail.PaymentReceived, OrderID: cur.ID, Amount: in.amount},
			{Template: mail.WorkshopPayment, OrderID: cur.ID, Amount: in.amount},
		}
	}
	if err := s.enqueue(ctx, sqlTx, emails...); err != nil {
		return nil, nil, err
	}
	o, err := tx.Order.Get(ctx, cur.ID)
	if err != nil {
		return nil, nil, err
	}
	return o, evs, nil
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// PaymentDue returns the open payment request of o the customer can pay online, asking the
// provider for the deposit when a placed order has none yet; nil when nothing is to be paid
// online (the manual provider, or nothing asked).
func (s *Service) PaymentDue(ctx context.Context, o *ent.Order) (*ent.PaymentRequest, error) {
	if !s.provider.TakesMoney() {
		return nil, nil
	}
	// The caller may read o already (the resolver checked, or placeOrder created it).
	ctx = auth.System(ctx)
	open, err := s.client.PaymentRequest.Query().
		Where(paymentrequest.HasOrderWith(order.ID(o.ID)),
			paymentrequest.StatusEQ(paymentrequest.StatusOpen)).
		Order(ent.Desc(paymentrequest.FieldID)).First(ctx)
	if err == nil {
		return open, nil
	}
	if !ent.IsNotFound(err) {
		return nil, err
	}
	if o.Status != order.StatusPlaced || o.AmountPaid >= o.DepositDue {
		return nil, nil
	}
	return s.ask(ctx, nil, o, payments.Deposit, o.DepositDue-o.AmountPaid)
}

// ask creates a payment intent for amount and stores it as an open request (in tx when given).
func (s *Service) ask(ctx context.Context, tx *ent.Client, o *ent.Order, kind payments.Kind,
	amount int64,
) (*ent.PaymentRequest, error) {
	intent, err := s.provider.CreateIntent(ctx, payments.IntentInput{
		OrderID: o.ID, OrderNumber: o.Number, Kind: kind, Amount: amount, Currency: o.Currency,
		Email: o.CustomerEmail,
		// The same order, kind and amount already paid: the same intent, however often asked.
		IdempotencyKey: fmt.Sprintf("atelier-%d-%s-%d-%d", o.ID, kind, amount, o.AmountPaid),
	})
	if err != nil {
		return nil, fault.Wrap(fault.Unavailable, err,
			"the payment service is not answering; try again shortly")
	}
	if tx == nil {
		tx = s.client
	}
	return tx.PaymentRequest.Create().SetOrderID(o.ID).SetKind(paymentrequest.Kind(kind)).
		SetAmount(amount).SetProviderRef(intent.Ref).SetClientSecret(intent.ClientSecret).
		SetCreatedAt(s.now()).Save(ctx)
}

// ApplyPaymentEvent applies a verified provider event exactly once: its id is stored in the
// same transaction as its effect, and a payment intent is recorded as at most one payment
// whatever events report it, so deliveries repeated, late or out of order change nothing more.
func (s *Service) ApplyPaymentEvent(ctx context.Context, ev *payments.Event) error {
	// A verified provider event acts for no caller: it reads and writes as System.
	ctx = auth.System(ctx)
	var (
		o   *ent.Order
		evs []*ent.OrderEvent
	)
	err := txn.RunSQL(ctx, s.client, func(tx *ent.Client, sqlTx *sql.Tx) error {
		seen, err := tx.WebhookEvent.Query().Where(webhookevent.EventID(ev.ID)).Exist(ctx)
		if err != nil || seen {
			return err
		}
		if err := tx.WebhookEvent.Create().SetEventID(ev.ID).SetType(ev.Type).
			SetReceivedAt(s.now()).Exec(ctx); err != nil {
			return fmt.Errorf("recording webhook event: %w", err)
		}
		if !ev.Succeeded() || ev.PaymentRef == "" || ev.Amount <= 0 {
			return nil
		}
		recorded, err := tx.Payment.Query().Where(payment.ProviderRef(ev.PaymentRef)).Exist(ctx)
		if err != nil || recorded {
			return err
		}
		req, err := tx.PaymentRequest.Query().
			Where(paymentrequest.ProviderRef(ev.PaymentRef)).WithOrder().
			Order(ent.Desc(paymentrequest.FieldID)).First(ctx)
		if err != nil && !ent.IsNotFound(err) {
			return err
		}
		orderID, kind := ev.OrderID, payment.KindDeposit
		if ev.Kind == payments.Balance {
			kind = payment.KindBalance
		}
		if req != nil && req.Edges.Order != nil {
			orderID, kind = req.Edges.Order.ID, payment.Kind(req.Kind)
		}
		cur, err := tx.Order.Get(ctx, orderID)
		if ent.IsNotFound(err) {
			return nil // not one of ours: nothing to apply
		}
		if err != nil {
			return err
		}
		if !strings.EqualFold(cur.Currency, ev.Currency) {
			return fmt.Errorf("payment %s is in %s, order %s in %s", ev.PaymentRef, ev.Currency,
				cur.Number, cur.Currency)
		}
		o, evs, err = s.applyPayment(ctx, tx, sqlTx, cur, paymentIn{
			amount: ev.Amount, kind: kind, reference: ev.PaymentRef, providerRef: ev.PaymentRef,
			actor: s.provider.Name(),
		})
		if err != nil {
			return err
		}
		if req != nil {
			return tx.PaymentRequest.UpdateOneID(req.ID).SetStatus(paymentrequest.StatusPaid).Exec(ctx)
		}
		return nil
	})
	if ent.IsConstraintError(err) {
		// A concurrent delivery of the same event (or intent) committed first.
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range evs {
		s.bus.Publish(ctx, o.ID, e)
	}
	return nil
}

// balanceStatuses are the statuses in which the workshop may ask for the balance.
var balanceStatuses = map[order.Status]bool{
	order.StatusConfirmed: true, order.StatusProofSent: true, order.StatusRevisionRequested: true,
	order.StatusApproved: true, order.StatusMaterials: true, order.StatusCrafting: true,
	order.StatusFinishing: true, order.StatusQualityCheck: true,
}

// RequestBalance asks the customer for what is still due before shipping: a new payment intent
// with the online provider, and an email with the payment link in every case.
func (s *Service) RequestBalance(ctx context.Context, orderID int,
) (*ent.Order, *ent.PaymentRequest, error) {
	o, err := s.client.Order.Get(ctx, orderID)
	if ent.IsNotFound(err) {
		return nil, nil, fault.New(fault.NotFound, "no order %d", orderID)
	}
	if err != nil {
		return nil, nil, err
	}
	due := o.Total - o.AmountPaid
	switch {
	case !balanceStatuses[o.Status]:
		return nil, nil, fault.BadInput("orderId", "the balance is asked once the order is "+
			"confirmed and before it ships; this order is %s", o.Status)
	case due <= 0:
		return nil, nil, fault.BadInput("orderId", "the order is paid in full")
	}
	var req *ent.PaymentRequest
	err = txn.RunSQL(ctx, s.client, func(tx *ent.Client, sqlTx *sql.Tx) error {
		if s.provider.TakesMoney() {
			// Earlier requests are replaced: the customer pays what is due now.
			if err := tx.PaymentRequest.Update().
				Where(paymentrequest.HasOrderWith(order.ID(o.ID)),
					paymentrequest.StatusEQ(paymentrequest.StatusOpen)).
				SetStatus(paymentrequest.StatusCancelled).Exec(ctx); err != nil {
				return err
			}
			var err error
			if req, err = s.ask(ctx, tx, o, payments.Balance, due); err != nil {
				return err
			}
		}
		return s.enqueue(ctx, sqlTx, jobs.Email{Template: mail.BalanceDue, OrderID: o.ID, Amount: due})
	})
	if err != nil {
		return nil, nil, err
	}
	return o, req, nil
}

// refund is money the provider gave back, to record.
type refund struct {
	paymentRef, refundRef string
	amount                int64
}

// refundAll refunds, through the provider, every online payment of order orderID not refunded
// yet, after checking the order may be cancelled. Each refund is idempotent (keyed by the
// payment), so a retry after a failure refunds nothing twice.
func (s *Service) refundAll(ctx context.Context, orderID int) ([]refund, error) {
	if !s.provider.TakesMoney() {
		return nil, nil
	}
	cur, err := s.client.Order.Get(ctx, orderID)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "no order %d", orderID)
	}
	if err != nil {
		return nil, err
	}
	if err := s.checkStep(cur, AdvanceInput{OrderID: orderID, To: order.StatusCancelled}); err != nil {
		return nil, err
	}
	paid, err := s.client.Payment.Query().
		Where(payment.HasOrderWith(order.ID(orderID))).Order(ent.Asc(payment.FieldID)).All(ctx)
	if err != nil {
		return nil, err
	}
	refunded := map[string]bool{}
	for _, p := range paid {
		if p.Kind == payment.KindRefund {
			refunded[p.Reference] = true
		}
	}
	var out []refund
	for _, p := range paid {
		if p.Amount <= 0 || p.ProviderRef == nil || refunded[*p.ProviderRef] {
			continue
		}
		id, err := s.provider.Refund(ctx, payments.RefundInput{
			PaymentRef: *p.ProviderRef, Amount: p.Amount,
			IdempotencyKey: fmt.Sprintf("atelier-refund-%d", p.ID),
		})
		if err != nil {
			return nil, fault.Wrap(fault.Unavailable, err,
				"the payment service did not refund; the order is not cancelled, try again shortly")
		}
		out = append(out, refund{paymentRef: *p.ProviderRef, refundRef: id, amount: p.Amount})
	}
	return out, nil
}

// recordRefunds records refunds as negative payments of cur, each once.
func (s *Service) recordRefunds(ctx context.Context, tx *ent.Client, sqlTx *sql.Tx, cur *ent.Order,
	refunds []refund, actor string,
) (*ent.Order, []*ent.OrderEvent, error) {
	var evs []*ent.OrderEvent
	for _, r := range refunds {
		done, err := tx.Payment.Query().Where(payment.ProviderRef(r.refundRef)).Exist(ctx)
		if err != nil {
			return nil, nil, err
		}
		if done {
			continue
		}
		var more []*ent.OrderEvent
		cur, more, err = s.applyPayment(ctx, tx, sqlTx, cur, paymentIn{
			amount: -r.amount, kind: payment.KindRefund, reference: r.paymentRef,
			providerRef: r.refundRef, actor: actor,
		})
		if err != nil {
			return nil, nil, err
		}
		evs = append(evs, more...)
	}
	return cur, evs, nil
}

// errNotFoundQuietly is never shown: "find my order" answers the same whether or not it found.
var errNotFoundQuietly = errors.New("no such order")

// FindMyOrder emails a one-time, expiring sign-in link to the customer of order number when
// email is theirs. It answers the same whether or not the order exists (nil, or RATE_LIMITED
// for too many attempts), so nobody learns which orders exist.
func (s *Service) FindMyOrder(ctx context.Context, email, number, client string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	number = strings.ToUpper(strings.TrimSpace(number))
	if email == "" || len(email) > 320 {
		return fault.BadInput("email", "the email address the order was placed with is needed")
	}
	if number == "" || len(number) > 40 {
		return fault.BadInput("orderNumber", "the order number (e.g. AT-7K3M-9Q2P) is needed")
	}
	if err := s.limitFind(ctx, "email:"+email); err != nil {
		return err
	}
	if client != "" {
		if err := s.limitFind(ctx, "client:"+client); err != nil {
			return err
		}
	}
	// Anonymous by design: the lookup is System work whose answer never reaches the caller.
	ctx = auth.System(ctx)
	err := txn.RunSQL(ctx, s.client, func(tx *ent.Client, sqlTx *sql.Tx) error {
		o, err := tx.Order.Query().Where(order.Number(number)).Only(ctx)
		if ent.IsNotFound(err) {
			return errNotFoundQuietly
		}
		if err != nil {
			return err
		}
		if !strings.EqualFold(o.CustomerEmail, email) {
			return errNotFoundQuietly
		}
		return s.enqueue(ctx, sqlTx, jobs.Email{Template: mail.SignIn, OrderID: o.ID})
	})
	if errors.Is(err, errNotFoundQuietly) {
		return nil
	}
	return err
}

func (s *Service) limitFind(ctx context.Context, key string) error {
	l := s.findLimit
	if strings.HasPrefix(key, "client:") {
		l = s.findByClient
	}
	if l == nil {
		return nil
	}
	// A limiter outage fails open (Allow says so): it must not stop customers finding orders.
	res, _ := l.Allow(ctx, key)
	if !res.Allowed {
		return fault.New(fault.RateLimited, "too many attempts: try again in %s",
			res.RetryAfter.Round(time.Second)).
			With("retryAfter", int(res.RetryAfter.Seconds()+0.999))
	}
	return nil
}

// WithBags reads customers' bags from b for PlaceBag (default: none, so every bag is unknown).
func WithBags(b *bag.Service) Option {
	return func(s *Service) { s.bags = b }
}
