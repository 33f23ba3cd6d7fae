package orders

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	netmail "net/mail"
	"slices"
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
	"github.com/atelier/atelier/server/bag"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/configuration"
	"github.com/atelier/atelier/server/country"
	"github.com/atelier/atelier/server/events"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/jobs"
	"github.com/atelier/atelier/server/mail"
	"github.com/atelier/atelier/server/payments"
	"github.com/atelier/atelier/server/quote"
	"github.com/atelier/atelier/server/shipping"
	"github.com/atelier/atelier/server/txn"
)

// Service places and runs orders.
type Service struct {
	client   *ent.Client
	sessions *configuration.Service
	bus      *events.Bus
	cal      quote.Calendar
	now      func() time.Time
	// bags prices what is ordered as a whole (tiers, minimums) and reads bags for PlaceBag.
	bags   *bag.Service
	photos *Photos
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
	s.bags = bag.NewService(nil, sessions, client, now)
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

// Place orders a complete, valid configuration as a one-line order. The server prices it
// again, checks the product's and its bundles' minimums, freezes a snapshot, and records the
// PLACED event in the same transaction; the same idempotency key always returns the same order,
// also when retries race.
func (s *Service) Place(ctx context.Context, in PlaceInput) (*Placed, error) {
	if err := validatePlace(&in); err != nil {
		return nil, err
	}
	if existing, err := s.byKey(ctx, in.IdempotencyKey, in.ConfigurationID); existing != nil || err != nil {
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
	// Minimums count the one configuration as a bag of one line would.
	priced, err := s.bags.Price(ctx, []bag.Item{{ConfigurationID: in.ConfigurationID,
		Quantity: res.State.Quantity}})
	if err != nil {
		return nil, err
	}
	if err := priced.Orderable(); err != nil {
		return nil, err
	}
	line := SnapshotOf(res, p)
	snap, err := shipped(line, res.Delivery)
	if err != nil {
		return nil, err
	}
	d := &draft{
		in: in, source: in.ConfigurationID, snap: snap,
		shipsEarliest: res.View.Lead.ShipsEarliest, shipsLatest: res.View.Lead.ShipsLatest,
		lines: []lineDraft{{
			product: p, configurationID: in.ConfigurationID, quantity: line.Quantity,
			unit: line.Unit, discount: line.Discount, total: line.Total, snap: line,
		}},
	}
	placed, err := s.placeDraft(ctx, d, now)
	if err != nil {
		return nil, err
	}
	placed.PriceChanged = res.State.LastTotal != placed.Order.Total
	placed.PreviousTotal = res.State.LastTotal
	return placed, nil
}

// placeDraft stores d (a concurrent retry with the same key returns its order) and asks for the
// deposit.
func (s *Service) placeDraft(ctx context.Context, d *draft, now time.Time) (*Placed, error) {
	token := auth.NewSecret(auth.OrderTokenPrefix)
	placed, err := s.create(ctx, d, token, now)
	if ent.IsConstraintError(err) {
		// A concurrent retry with the same key committed first: return its order.
		if existing, kerr := s.byKey(ctx, d.in.IdempotencyKey, d.source); existing != nil || kerr != nil {
			return existing, kerr
		}
	}
	if err != nil {
		return nil, err
	}
	// The deposit is asked after the order commits; a provider failure does not lose the order:
	// the order page asks again (PaymentDue).
	placed.Payment, _ = s.PaymentDue(ctx, placed.Order)
	return placed, nil
}

// byKey returns the order already placed with in's idempotency key, if any. The lookup reads
// past the order policy (the caller holds the key, not yet a token); what the replay shows of
// the order is then up to the order's field resolvers: its customer's details need its token.
func (s *Service) byKey(ctx context.Context, key, source string) (*Placed, error) {
	o, err := s.client.Order.Query().Where(order.IdempotencyKey(key)).
		Only(auth.System(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if o.ConfigurationID != source {
		return nil, fault.New(fault.Conflict, "this idempotency key was used for another configuration or bag")
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

// SnapshotOf freezes what is ordered, as named and priced now: the goods, without shipping
// (an order adds its shipping once, with shipped).
func SnapshotOf(res *configuration.Result, p *ent.Product) *catalog.OrderSnapshot {
	v, snap, price := res.View, res.Snap, res.View.Price
	os := &catalog.OrderSnapshot{
		ProductSlug: snap.Slug, ProductName: snap.Name, CatalogVersion: snap.Version,
		Quantity: res.State.Quantity, Currency: snap.Currency,
		Unit: price.Unit, Subtotal: price.Subtotal, Discount: price.Discount,
		Total: price.Total, Deposit: price.Deposit, Balance: price.Balance,
		LeadDaysMin: v.Lead.MinBusinessDays, LeadDaysMax: v.Lead.MaxBusinessDays,
		ShipsEarliest: v.Lead.ShipsEarliest.String(), ShipsLatest: v.Lead.ShipsLatest.String(),
		PreviewSVG: v.Preview.SVG,
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

// shipped returns snap as an order shipping to d: the zone, its transit and price frozen, and
// the price as one line that the total and the balance carry (the deposit does not change).
// Without a destination snap is returned as it is.
func shipped(snap *catalog.OrderSnapshot, d *shipping.Delivery) (*catalog.OrderSnapshot, error) {
	if d == nil {
		return snap, nil
	}
	out := *snap
	total, err := quote.AddShipping(quote.Quote{Total: snap.Total, Balance: snap.Balance},
		shipping.Label(d.Zone), d.Zone.Price)
	if err != nil {
		return nil, fault.BadInput("shippingAddress.country", "%v", err)
	}
	out.Total, out.Balance = total.Total, total.Balance
	out.Lines = append(slices.Clone(snap.Lines), catalog.PriceLine{Label: total.Lines[0].Label, Amount: d.Zone.Price})
	out.Shipping = &catalog.OrderShipping{
		Country: d.Country, ZoneID: d.Zone.ID, ZoneName: d.Zone.Name, Price: d.Zone.Price,
		TransitMinDays: d.Zone.Transit.MinDays, TransitMaxDays: d.Zone.Transit.MaxDays,
	}
	return &out, nil
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

// draft is an order about to be stored: its lines, each priced and frozen, and the order as a
// whole. Place and PlaceBag build one; create stores it.
type draft struct {
	in PlaceInput
	// source is the configuration (one-line order) or the bag the order was placed from.
	source string
	lines  []lineDraft
	// snap is the order as a whole: for one line, the line's snapshot; for several, their sum
	// (see bagSnapshot).
	snap                       *catalog.OrderSnapshot
	shipsEarliest, shipsLatest quote.Date
}

// lineDraft is one line of a draft.
type lineDraft struct {
	product               *ent.Product
	configurationID       string
	quantity              int
	unit, discount, total int64
	snap                  *catalog.OrderSnapshot
}

// requiresApproval reports whether any piece of d waits for the customer to approve a proof
// of its design before production.
func (d *draft) requiresApproval() bool {
	for _, l := range d.lines {
		if l.product.RequiresApproval {
			return true
		}
	}
	return false
}

// reserveEditions takes the pieces of d's limited editions, product by product in id order
// (so that concurrent orders lock rows in the same order and never deadlock). One conditional
// update per product both checks and takes its pieces, counting every line of the product, so
// concurrent orders can never oversell: the database serialises them on the product row.
func reserveEditions(ctx context.Context, tx *ent.Client, d *draft) error {
	pieces := map[int]int{}
	byID := map[int]*ent.Product{}
	for _, l := range d.lines {
		if l.product.EditionLimit != nil {
			pieces[l.product.ID] += l.quantity
			byID[l.product.ID] = l.product
		}
	}
	ids := make([]int, 0, len(pieces))
	for id := range pieces {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		q := pieces[id]
		n, err := tx.Product.Update().
			Where(product.ID(id), func(sel *entsql.Selector) {
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
			return fault.New(fault.SoldOut, "%s is sold out: every piece of the edition is ordered",
				byID[id].Name)
		}
	}
	return nil
}

// create stores the order, its lines, its first event and the edition counts in one
// transaction, then publishes the event.
func (s *Service) create(ctx context.Context, d *draft, token string, now time.Time) (*Placed, error) {
	var (
		o  *ent.Order
		ev *ent.OrderEvent
	)
	in, snap := d.in, d.snap
	err := txn.RunSQL(ctx, s.client, func(tx *ent.Client, sqlTx *sql.Tx) error {
		if err := reserveEditions(ctx, tx, d); err != nil {
			return err
		}
		var err error
		o, err = tx.Order.Create().
			SetProductID(d.lines[0].product.ID).
			SetNumber(newNumber()).
			SetIdempotencyKey(in.IdempotencyKey).
			SetConfigurationID(d.source).
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
			SetShipsEarliest(d.shipsEarliest.In(s.location())).
			SetShipsLatest(d.shipsLatest.In(s.location())).
			SetRequiresApproval(d.requiresApproval()).
			SetLastSeq(1).
			SetCreatedAt(now).
			SetUpdatedAt(now).
			Save(ctx)
		if err != nil {
			return fmt.Errorf("creating order: %w", err)
		}
		lines := make([]*ent.OrderLineCreate, len(d.lines))
		for i, l := range d.lines {
			lines[i] = tx.OrderLine.Create().SetOrderID(o.ID).SetProductID(l.product.ID).
				SetPosition(i).SetConfigurationID(l.configurationID).SetQuantity(l.quantity).
				SetUnitPrice(l.unit).SetDiscount(l.discount).SetTotal(l.total).SetSnapshot(l.snap)
		}
		if err := tx.OrderLine.CreateBulk(lines...).Exec(ctx); err != nil {
			return fmt.Errorf("creating order lines: %w", err)
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
	// PhotoIDs are photos uploaded before, posted with the step.
	PhotoIDs []int
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
	if err := checkPhotoCount(in.PhotoIDs); err != nil {
		return nil, nil, err
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
		if err := AttachPhotos(ctx, tx, cur.ID, ev.ID, in.PhotoIDs); err != nil {
			return err
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
	switch op := Via(in.To); {
	case op == OpApprove || op == OpRevise:
		// The decision is the customer's alone: nobody answers a proof on their behalf.
		return fault.New(fault.Forbidden, "only the customer moves an order to %s, with %s and "+
			"their order token", in.To, op)
	case op != OpAdvance && CanMove(cur.Status, in.To, cur.RequiresApproval):
		return fault.BadInput("to", "an order moves to %s with %s", in.To, op).
			With("allowed", Moves(cur.Status, cur.RequiresApproval))
	}
	if !CanMove(cur.Status, in.To, cur.RequiresApproval) {
		why := ""
		if in.To == order.StatusMaterials && cur.RequiresApproval {
			why = " before the customer approves a proof of the design"
		}
		return fault.BadInput("to", "an order %s cannot move to %s%s; allowed next: %s",
			cur.Status, in.To, why, describeNext(cur.Status, cur.RequiresApproval)).
			With("allowed", Next(cur.Status, cur.RequiresApproval))
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
