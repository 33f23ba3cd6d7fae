package orders

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/orderevent"
	"github.com/atelier/atelier/ent/payment"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/configuration"
	"github.com/atelier/atelier/server/country"
	"github.com/atelier/atelier/server/events"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/jobs"
	"github.com/atelier/atelier/server/mail"
	"github.com/atelier/atelier/server/payments"
	"github.com/atelier/atelier/server/quote"
	"github.com/atelier/atelier/server/txn"
)

// Service places and runs orders.
type Service struct {
	client   *ent.Client
	sessions *configuration.Service
	bus      *events.Bus
	cal      quote.Calendar
	now      func() time.Time
	money
}

// NewService returns a Service; without options it takes payments manually and sends no email.
func NewService(client *ent.Client, sessions *configuration.Service, bus *events.Bus, cal quote.Calendar,
	now func() time.Time, opts ...Option,
) *Service {
	if now == nil {
		now = time.Now
	}
	s := &Service{client: client, sessions: sessions, bus: bus, cal: cal, now: now}
	s.provider = payments.Manual{}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Customer is who orders.
type Customer struct{ Name, Email string }

// Address is where an order ships.
type Address struct {
	Name, Line1, Line2, City, PostalCode, Region, Country string
}

// PlaceInput is an order request.
type PlaceInput struct {
	ConfigurationID string
	Version         int
	IdempotencyKey  string
	Customer        Customer
	Address         Address
}

// Placed is the outcome of placing an order.
type Placed struct {
	Order *ent.Order
	// Token lets the customer follow the order; empty when the order already existed.
	Token string
	// PriceChanged is true when the total differs from what the configuration last showed.
	PriceChanged  bool
	PreviousTotal int64
	// Payment is the deposit to pay online (nil with the manual provider).
	Payment *ent.PaymentRequest
}

// printable reports whether s is text a database stores as given: valid UTF-8 without NUL or
// other control characters (PostgreSQL refuses NUL with 22021).
func printable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}

func validatePlace(in *PlaceInput) error {
	for _, f := range []struct{ name, value string }{
		{"idempotencyKey", in.IdempotencyKey}, {"customer.name", in.Customer.Name},
		{"customer.email", in.Customer.Email}, {"shippingAddress.name", in.Address.Name},
		{"shippingAddress.line1", in.Address.Line1}, {"shippingAddress.line2", in.Address.Line2},
		{"shippingAddress.city", in.Address.City},
		{"shippingAddress.postalCode", in.Address.PostalCode},
		{"shippingAddress.region", in.Address.Region}, {"shippingAddress.country", in.Address.Country},
	} {
		if !printable(f.value) {
			return fault.BadInput(f.name, "%s must not contain control characters", f.name)
		}
	}
	in.IdempotencyKey = strings.TrimSpace(in.IdempotencyKey)
	if n := len(in.IdempotencyKey); n < 8 || n > 200 {
		return fault.BadInput("idempotencyKey", "the idempotency key must be 8 to 200 characters")
	}
	in.Customer.Name = strings.TrimSpace(in.Customer.Name)
	if in.Customer.Name == "" || utf8.RuneCountInString(in.Customer.Name) > 200 {
		return fault.BadInput("customer.name", "a name of 1 to 200 characters is needed")
	}
	addr, err := netmail.ParseAddress(strings.TrimSpace(in.Customer.Email))
	if err != nil || addr.Name != "" || len(addr.Address) > 320 || !strings.Contains(addr.Address, ".") {
		return fault.BadInput("customer.email", "%q is not an e-mail address", in.Customer.Email)
	}
	in.Customer.Email = addr.Address
	a := &in.Address
	for _, f := range []struct {
		name  string
		value *string
		need  bool
	}{
		{"name", &a.Name, true}, {"line1", &a.Line1, true}, {"line2", &a.Line2, false},
		{"city", &a.City, true}, {"postalCode", &a.PostalCode, true}, {"region", &a.Region, false},
		{"country", &a.Country, true},
	} {
		*f.value = strings.TrimSpace(*f.value)
		if f.need && *f.value == "" {
			return fault.BadInput("shippingAddress."+f.name, "the shipping address needs a %s", f.name)
		}
		if utf8.RuneCountInString(*f.value) > 200 {
			return fault.BadInput("shippingAddress."+f.name, "%s is too long", f.name)
		}
	}
	a.Country = strings.ToUpper(a.Country)
	if !country.Valid(a.Country) {
		return fault.BadInput("shippingAddress.country",
			"country must be an assigned ISO 3166-1 alpha-2 code such as FR")
	}
	return nil
}

// Place orders a complete, valid configuration. The server prices it again, freezes a snapshot,
// and records the PLACED event in the same transaction; the same idempotency key always returns
// the same order, also when retries race.
func (s *Service) Place(ctx context.Context, in PlaceInput) (*Placed, error) {
	if err := validatePlace(&in); err != nil {
		return nil, err
	}
	if existing, err := s.byKey(ctx, in); existing != nil || err != nil {
		return existing, err
	}
	res, err := s.sessions.Get(ctx, in.ConfigurationID)
	if err != nil {
		return nil, err
	}
	if res.State.Version != in.Version {
		return nil, configuration.Conflict(res.State.Version)
	}
	if !res.View.Complete {
		return nil, fault.BadInput("configurationId", "the configuration is not complete yet: %s", res.View.Missing())
	}
	p, err := s.client.Product.Get(ctx, res.State.ProductID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := orderable(p, now); err != nil {
		return nil, err
	}
	// The order ships to its address: price and arrival follow that country's zone.
	if res, err = s.sessions.ShipTo(ctx, res, "shippingAddress.country", in.Address.Country); err != nil {
		return nil, err
	}
	snap := snapshotOf(res, p)
	token := auth.NewSecret(auth.OrderTokenPrefix)
	placed, err := s.create(ctx, in, res, p, snap, token, now)
	if ent.IsConstraintError(err) {
		// A concurrent retry with the same key committed first: return its order.
		if existing, kerr := s.byKey(ctx, in); existing != nil || kerr != nil {
			return existing, kerr
		}
	}
	if err != nil {
		return nil, err
	}
	placed.PriceChanged = res.State.LastTotal != placed.Order.Total
	placed.PreviousTotal = res.State.LastTotal
	// The deposit is asked after the order commits; a provider failure does not lose the order:
	// the order page asks again (PaymentDue).
	placed.Payment, _ = s.PaymentDue(ctx, placed.Order)
	return placed, nil
}

// byKey returns the order already placed with in's idempotency key, if any. The lookup reads
// past the order policy (the caller holds the key, not yet a token); what the replay shows of
// the order is then up to the order's field resolvers: its customer's details need its token.
func (s *Service) byKey(ctx context.Context, in PlaceInput) (*Placed, error) {
	o, err := s.client.Order.Query().Where(order.IdempotencyKey(in.IdempotencyKey)).
		Only(auth.System(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if o.ConfigurationID != in.ConfigurationID {
		return nil, fault.New(fault.Conflict, "this idempotency key was used for another configuration")
	}
	return &Placed{Order: o}, nil
}

// orderable checks that p takes orders at now.
func orderable(p *ent.Product, now time.Time) error {
	switch {
	case p.Status != product.StatusActive:
		return fault.BadInput("configurationId", "%s is no longer offered", p.Name)
	case p.OrdersOpenAt != nil && now.Before(*p.OrdersOpenAt):
		return fault.BadInput("configurationId", "orders for %s open on %s", p.Name,
			p.OrdersOpenAt.UTC().Format("2 January 2006 15:04 MST"))
	case p.OrdersCloseAt != nil && !now.Before(*p.OrdersCloseAt):
		return fault.BadInput("configurationId", "orders for %s closed on %s", p.Name,
			p.OrdersCloseAt.UTC().Format("2 January 2006 15:04 MST"))
	}
	return nil
}

// snapshotOf freezes what is ordered, as named and priced now.
func snapshotOf(res *configuration.Result, p *ent.Product) *catalog.OrderSnapshot {
	v, snap, price := res.View, res.Snap, res.Price
	os := &catalog.OrderSnapshot{
		ProductSlug: snap.Slug, ProductName: snap.Name, CatalogVersion: snap.Version,
		Quantity: res.State.Quantity, Currency: snap.Currency,
		Unit: price.Unit, Subtotal: price.Subtotal, Discount: price.Discount,
		Total: price.Total, Deposit: price.Deposit, Balance: price.Balance,
		LeadDaysMin: v.Lead.MinBusinessDays, LeadDaysMax: v.Lead.MaxBusinessDays,
		ShipsEarliest: v.Lead.ShipsEarliest.String(), ShipsLatest: v.Lead.ShipsLatest.String(),
		PreviewSVG: v.Preview.SVG,
	}
	if d := res.Delivery; d != nil {
		os.Shipping = &catalog.OrderShipping{
			Country: d.Country, ZoneID: d.Zone.ID, ZoneName: d.Zone.Name, Price: d.Zone.Price,
			TransitMinDays: d.Zone.Transit.MinDays, TransitMaxDays: d.Zone.Transit.MaxDays,
		}
	}
	for _, l := range price.Lines {
		os.Lines = append(os.Lines, catalog.PriceLine{Label: l.Label, Amount: l.Amount})
	}
	// Page order reads better on an order than the order of the customer's clicks.
	for _, g := range v.Groups {
		for _, ch := range res.State.Choices {
			if ch.Group != g.Group.Key {
				continue
			}
			ov := catalog.OrderedValue{Group: g.Group.Key, GroupName: g.Group.Name, Option: ch.Option, Text: ch.Text}
			for _, o := range g.Options {
				if o.Key == ch.Option {
					ov.OptionName = o.Name
				}
			}
			os.Selections = append(os.Selections, ov)
		}
	}
	return os
}

// numberAlphabet spells order numbers without look-alike characters (no 0/O, 1/I/L).
const numberAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// newNumber returns a human-readable order number such as AT-7K3M-9Q2P.
func newNumber() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	out := make([]byte, 0, 12)
	out = append(out, "AT-"...)
	for i, c := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, numberAlphabet[int(c)%len(numberAlphabet)])
	}
	return string(out)
}

// create stores the order, its first event and the edition count in one transaction, then
// publishes the event.
func (s *Service) create(ctx context.Context, in PlaceInput, res *configuration.Result, p *ent.Product,
	snap *catalog.OrderSnapshot, token string, now time.Time,
) (*Placed, error) {
	var (
		o  *ent.Order
		ev *ent.OrderEvent
	)
	err := txn.RunSQL(ctx, s.client, func(tx *ent.Client, sqlTx *sql.Tx) error {
		if p.EditionLimit != nil {
			// One conditional update both checks and takes the pieces, so concurrent orders can
			// never oversell: the database serialises them on the product row.
			q := res.State.Quantity
			n, err := tx.Product.Update().
				Where(product.ID(p.ID), func(sel *entsql.Selector) {
					// edition_sold + q <= edition_limit, with the dialect's own placeholder.
					sel.Where(entsql.P(func(b *entsql.Builder) {
						b.Ident(sel.C(product.FieldEditionSold)).WriteString(" + ").Arg(q).
							WriteString(" <= ").Ident(sel.C(product.FieldEditionLimit))
					}))
				}).
				AddEditionSold(q).
				Save(ctx)
			if err != nil {
				return fmt.Errorf("reserving edition pieces: %w", err)
			}
			if n == 0 {
				return fault.New(fault.SoldOut, "%s is sold out: every piece of the edition is ordered", p.Name)
			}
		}
		var err error
		o, err = tx.Order.Create().
			SetProductID(p.ID).
			SetNumber(newNumber()).
			SetIdempotencyKey(in.IdempotencyKey).
			SetConfigurationID(in.ConfigurationID).
			SetTokenHash(auth.Hash(token)).
			SetCatalogVersion(snap.CatalogVersion).
			SetQuantity(snap.Quantity).
			SetCurrency(snap.Currency).
			SetTotal(snap.Total).
			SetDepositDue(snap.Deposit).
			SetBalanceDue(snap.Balance).
			SetCustomerName(in.Customer.Name).
			SetCustomerEmail(in.Customer.Email).
			SetShippingAddress(map[string]string{
				"name": in.Address.Name, "line1": in.Address.Line1, "line2": in.Address.Line2,
				"city": in.Address.City, "postalCode": in.Address.PostalCode,
				"region": in.Address.Region, "country": in.Address.Country,
			}).
			SetSnapshot(snap).
			SetShipsEarliest(res.View.Lead.ShipsEarliest.In(s.location())).
			SetShipsLatest(res.View.Lead.ShipsLatest.In(s.location())).
			SetLastSeq(1).
			SetCreatedAt(now).
			SetUpdatedAt(now).
			Save(ctx)
		if err != nil {
			return fmt.Errorf("creating order: %w", err)
		}
		ev, err = tx.OrderEvent.Create().
			SetOrderID(o.ID).SetSeq(1).SetStatus(orderevent.StatusPlaced).
			SetNote(fmt.Sprintf("Order placed: deposit of %s due.", formatMoney(snap.Deposit, snap.Currency))).
			SetActor("customer").SetAt(now).
			Save(ctx)
		if err != nil {
			return fmt.Errorf("recording order event: %w", err)
		}
		return s.enqueue(ctx, sqlTx,
			jobs.Email{Template: mail.OrderReceived, OrderID: o.ID},
			jobs.Email{Template: mail.WorkshopNewOrder, OrderID: o.ID})
	})
	if err != nil {
		return nil, err
	}
	s.bus.Publish(ctx, o.ID, ev)
	return &Placed{Order: o, Token: token}, nil
}

func (s *Service) location() *time.Location {
	if s.cal.Location != nil {
		return s.cal.Location
	}
	return time.UTC
}

// formatMoney renders minor units for a timeline note, e.g. "USD 123.45".
func formatMoney(amount int64, currency string) string {
	digits, ok := quote.MinorUnitDigits(currency)
	if !ok || digits == 0 {
		return fmt.Sprintf("%s %d", currency, amount)
	}
	div := int64(1)
	for range digits {
		div *= 10
	}
	return fmt.Sprintf("%s %d.%0*d", currency, amount/div, digits, amount%div)
}

// Get returns order id if ctx's viewer may read it.
func (s *Service) Get(ctx context.Context, id int) (*ent.Order, error) {
	if err := auth.CanReadOrder(ctx, id); err != nil {
		return nil, err
	}
	o, err := s.client.Order.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "no order %d", id)
	}
	return o, err
}

// AdvanceInput is one build step.
type AdvanceInput struct {
	OrderID        int
	To             order.Status
	Note, Tracking string
}

// Advance moves an order to its next build status, appending the event in the same
// transaction; the ship window is re-estimated as the build progresses.
func (s *Service) Advance(ctx context.Context, in AdvanceInput, actor string) (*ent.Order, *ent.OrderEvent, error) {
	in.Note, in.Tracking = strings.TrimSpace(in.Note), strings.TrimSpace(in.Tracking)
	if utf8.RuneCountInString(in.Note) > 1000 {
		return nil, nil, fault.BadInput("note", "the note is limited to 1000 characters")
	}
	if len(in.Tracking) > 100 {
		return nil, nil, fault.BadInput("trackingNumber", "the tracking number is too long")
	}
	var (
		o       *ent.Order
		ev      *ent.OrderEvent
		refunds []refund
		extra   []*ent.OrderEvent
	)
	if in.To == order.StatusCancelled {
		var err error
		// The provider refunds first (idempotently): if it fails, nothing changes here.
		if refunds, err = s.refundAll(ctx, in.OrderID); err != nil {
			return nil, nil, err
		}
	}
	err := txn.RunSQL(ctx, s.client, func(tx *ent.Client, sqlTx *sql.Tx) error {
		cur, err := tx.Order.Get(ctx, in.OrderID)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "no order %d", in.OrderID)
		}
		if err != nil {
			return err
		}
		if err := s.checkStep(cur, in); err != nil {
			return err
		}
		if len(refunds) > 0 {
			if cur, extra, err = s.recordRefunds(ctx, tx, sqlTx, cur, refunds, actor); err != nil {
				return err
			}
		}
		now := s.now()
		seq := cur.LastSeq + 1
		upd := tx.Order.Update().
			Where(order.ID(cur.ID), order.LastSeq(cur.LastSeq), order.StatusEQ(cur.Status)).
			SetStatus(in.To).SetLastSeq(seq).SetUpdatedAt(now)
		if in.Tracking != "" {
			upd.SetTrackingNumber(in.Tracking)
		}
		s.reestimate(upd, cur, in.To, now)
		n, err := upd.Save(ctx)
		if err != nil {
			return fmt.Errorf("updating order: %w", err)
		}
		if n == 0 {
			return fault.New(fault.Conflict, "the order changed meanwhile: reload it and try again")
		}
		ev, err = tx.OrderEvent.Create().
			SetOrderID(cur.ID).SetSeq(seq).SetStatus(orderevent.Status(in.To)).
			SetNote(in.Note).SetActor(actor).SetTrackingNumber(in.Tracking).SetAt(now).
			Save(ctx)
		if err != nil {
			return fmt.Errorf("recording order event: %w", err)
		}
		if mail.CustomerStatuses[string(in.To)] {
			if err := s.enqueue(ctx, sqlTx, jobs.Email{Template: mail.StatusChanged,
				OrderID: cur.ID, Status: string(in.To)}); err != nil {
				return err
			}
		}
		o, err = tx.Order.Get(ctx, cur.ID)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	for _, e := range extra {
		s.bus.Publish(ctx, o.ID, e)
	}
	s.bus.Publish(ctx, o.ID, ev)
	return o, ev, nil
}

// checkStep validates a build step against the lifecycle and the money received.
func (s *Service) checkStep(cur *ent.Order, in AdvanceInput) error {
	if !CanMove(cur.Status, in.To) {
		return fault.BadInput("to", "an order %s cannot move to %s; allowed next: %s",
			cur.Status, in.To, describeNext(cur.Status)).With("allowed", Next(cur.Status))
	}
	switch in.To {
	case order.StatusConfirmed:
		if cur.AmountPaid < cur.DepositDue {
			return fault.BadInput("to", "the deposit of %s is not paid yet (%s received)",
				formatMoney(cur.DepositDue, cur.Currency), formatMoney(cur.AmountPaid, cur.Currency))
		}
	case order.StatusShipped:
		if cur.AmountPaid < cur.Total {
			return fault.BadInput("to", "the balance of %s is due before shipping",
				formatMoney(cur.Total-cur.AmountPaid, cur.Currency))
		}
		if in.Tracking == "" {
			return fault.BadInput("trackingNumber", "a shipped order needs its tracking number")
		}
	}
	return nil
}

// reestimate sets the ship window still ahead once the order reaches status.
func (s *Service) reestimate(upd *ent.OrderUpdate, cur *ent.Order, status order.Status, now time.Time) {
	today := quote.DateOf(now.In(s.location()))
	if status == order.StatusShipped {
		upd.SetShipsEarliest(today.In(s.location())).SetShipsLatest(today.In(s.location()))
		return
	}
	lo, hi, ok := RemainingDays(status, cur.Snapshot.LeadDaysMin, cur.Snapshot.LeadDaysMax)
	if !ok {
		return
	}
	upd.SetShipsEarliest(s.cal.AddBusinessDays(today, lo).In(s.location())).
		SetShipsLatest(s.cal.AddBusinessDays(today, hi).In(s.location()))
}

// RecordPayment records money the workshop received (manual provider); paying the deposit
// confirms a PLACED order. With an online provider, payments arrive by verified webhook only.
func (s *Service) RecordPayment(ctx context.Context, orderID int, amount int64, reference, actor string) (*ent.Order, error) {
	if s.provider.TakesMoney() {
		return nil, fault.BadInput("orderId", "payments are taken online through %s and arrive "+
			"by its verified notifications; they cannot be recorded by hand", s.provider.Name())
	}
	if amount <= 0 {
		return nil, fault.BadInput("amount", "a payment must be a positive amount in minor units")
	}
	var (
		o   *ent.Order
		evs []*ent.OrderEvent
	)
	err := txn.RunSQL(ctx, s.client, func(tx *ent.Client, sqlTx *sql.Tx) error {
		cur, err := tx.Order.Get(ctx, orderID)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "no order %d", orderID)
		}
		if err != nil {
			return err
		}
		if cur.Status == order.StatusCancelled {
			return fault.BadInput("orderId", "the order is cancelled")
		}
		if due := cur.Total - cur.AmountPaid; amount > due {
			return fault.BadInput("amount", "only %s is still due", formatMoney(due, cur.Currency))
		}
		o, evs, err = s.applyPayment(ctx, tx, sqlTx, cur, paymentIn{
			amount: amount, kind: payment.KindManual, reference: strings.TrimSpace(reference),
			actor: actor,
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, ev := range evs {
		s.bus.Publish(ctx, o.ID, ev)
	}
	return o, nil
}
