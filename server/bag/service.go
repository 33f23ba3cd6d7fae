package bag

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/bundle"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/configuration"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/quote"
	"github.com/atelier/atelier/server/shipping"
)

// MaxLines is the most lines a bag holds.
const MaxLines = 20

// Service runs bags.
type Service struct {
	store    *Store
	sessions *configuration.Service
	client   *ent.Client
	now      func() time.Time
}

// NewService returns a Service.
func NewService(store *Store, sessions *configuration.Service, client *ent.Client, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, sessions: sessions, client: client, now: now}
}

// Item is a configuration to price in a quantity.
type Item struct {
	// LineID is the bag line's id ("" outside a bag).
	LineID          string
	ConfigurationID string
	Quantity        int
}

// PricedLine is a bag line as it shows now.
type PricedLine struct {
	Item
	// Result is the configuration at the line's quantity; nil when the configuration expired.
	Result *configuration.Result
	// Product is the line's product (nil when the configuration expired).
	Product *ent.Product
	// Quote is the line's price within the bag (zero when the configuration expired).
	Quote quote.BagLineQuote
	// Problem says why the line cannot be ordered as it is ("" when it can).
	Problem string
}

// Priced is a bag (or a list of items) priced as a whole.
type Priced struct {
	// Bag is the bag priced (nil for items outside a bag).
	Bag      *Bag
	Lines    []PricedLine
	Currency string
	Quote    quote.BagQuote
	// Lead is the lines' lead time built as one order (zero without a priced line).
	Lead quote.LeadTime
	// Delivery is where the bag ships (its own destination, else its first line's) and when
	// it arrives there; nil without a destination or a priced line.
	Delivery *shipping.Delivery
	// Shipped is the bag's total and balance with one shipping line to Delivery's zone
	// (the goods alone without a delivery); the order of the bag to that country totals it.
	Shipped quote.Quote
}

// Shipping is the shipping price of p (0 without a delivery).
func (p *Priced) Shipping() int64 { return p.Shipped.Total - p.Quote.Total }

// Orderable returns an error naming the first thing that keeps p from being ordered: no lines,
// a line that cannot be ordered, or a minimum not reached (BAD_USER_INPUT).
func (p *Priced) Orderable() error {
	if len(p.Lines) == 0 {
		return fault.BadInput("bagId", "the bag is empty")
	}
	for _, l := range p.Lines {
		if l.Problem != "" {
			return fault.BadInput("bagId", "%s", l.Problem).With("lineId", l.LineID)
		}
	}
	if len(p.Quote.Shortfalls) > 0 {
		s := p.Quote.Shortfalls[0]
		return fault.BadInput("quantity", "below the minimum order: %s", s.Message).
			With("minimum", s.Minimum).With("missing", s.Missing)
	}
	return nil
}

// Create starts an empty bag.
func (s *Service) Create(ctx context.Context) (*Priced, error) {
	b, err := s.store.Create(ctx, s.now())
	if err != nil {
		return nil, err
	}
	return &Priced{Bag: b, Lines: []PricedLine{}}, nil
}

// Get returns bag id priced as it shows now.
func (s *Service) Get(ctx context.Context, id string) (*Priced, error) {
	if s.store == nil {
		return nil, fault.New(fault.NotFound, "no bag %q", id)
	}
	b, err := s.store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.priceBag(ctx, b)
}

func validQuantity(q int) error {
	if q < 1 || q > configuration.MaxQuantity {
		return fault.BadInput("quantity", "quantity must be 1 to %d, not %d", configuration.MaxQuantity, q)
	}
	return nil
}

// Add puts quantity pieces of configuration cfgID in bag id; a configuration already in the bag
// gets the pieces added to its line.
func (s *Service) Add(ctx context.Context, id, cfgID string, quantity int) (*Priced, error) {
	if err := validQuantity(quantity); err != nil {
		return nil, err
	}
	res, err := s.sessions.Get(ctx, cfgID)
	if err != nil {
		if fault.Is(err, fault.NotFound) {
			return nil, fault.BadInput("configurationId", "no configuration %q", cfgID)
		}
		return nil, err
	}
	cur, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if cur.Currency != "" && res.Snap.Currency != cur.Currency {
		return nil, fault.BadInput("configurationId",
			"the bag holds prices in %s; this piece is priced in %s", cur.Currency, res.Snap.Currency)
	}
	b, err := s.store.Update(ctx, id, s.now(), func(b *Bag) error {
		for i, l := range b.Lines {
			if l.ConfigurationID == cfgID {
				if err := validQuantity(l.Quantity + quantity); err != nil {
					return err
				}
				b.Lines[i].Quantity += quantity
				return nil
			}
		}
		if len(b.Lines) >= MaxLines {
			return fault.BadInput("bagId", "a bag holds at most %d lines", MaxLines)
		}
		b.Lines = append(b.Lines, Line{ID: newID("ln_", 5), ConfigurationID: cfgID, Quantity: quantity})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.priceBag(ctx, b)
}

// SetQuantity changes the quantity of line lineID of bag id.
func (s *Service) SetQuantity(ctx context.Context, id, lineID string, quantity int) (*Priced, error) {
	if err := validQuantity(quantity); err != nil {
		return nil, err
	}
	b, err := s.store.Update(ctx, id, s.now(), func(b *Bag) error {
		i := slices.IndexFunc(b.Lines, func(l Line) bool { return l.ID == lineID })
		if i < 0 {
			return fault.New(fault.NotFound, "no line %q in the bag", lineID).With("field", "lineId")
		}
		b.Lines[i].Quantity = quantity
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.priceBag(ctx, b)
}

// Remove takes line lineID out of bag id.
func (s *Service) Remove(ctx context.Context, id, lineID string) (*Priced, error) {
	b, err := s.store.Update(ctx, id, s.now(), func(b *Bag) error {
		i := slices.IndexFunc(b.Lines, func(l Line) bool { return l.ID == lineID })
		if i < 0 {
			return fault.New(fault.NotFound, "no line %q in the bag", lineID).With("field", "lineId")
		}
		b.Lines = slices.Delete(b.Lines, i, i+1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.priceBag(ctx, b)
}

func (s *Service) priceBag(ctx context.Context, b *Bag) (*Priced, error) {
	items := make([]Item, len(b.Lines))
	for i, l := range b.Lines {
		items[i] = Item{LineID: l.ID, ConfigurationID: l.ConfigurationID, Quantity: l.Quantity}
	}
	p, err := s.Price(ctx, items)
	if err != nil {
		return nil, err
	}
	p.Bag = b
	dest := b.Destination
	var leads []quote.LeadTime
	for _, l := range p.Lines {
		if l.Result == nil {
			continue
		}
		leads = append(leads, l.Result.View.Lead)
		if dest == "" && l.Result.Delivery != nil {
			// A bag without its own destination ships where its first piece was to.
			dest = l.Result.Delivery.Country
		}
	}
	p.Lead = quote.Together(leads)
	p.Shipped = quote.Quote{Currency: p.Currency, Total: p.Quote.Total, Deposit: p.Quote.Deposit,
		Balance: p.Quote.Balance}
	if dest == "" || len(leads) == 0 {
		return p, nil
	}
	d, shipped, err := s.shipTo(ctx, p, "country", dest)
	if fault.Is(err, fault.BadUserInput) {
		// The zone went away or changed currency since it was chosen: the bag shows no
		// shipping, and checkout says why for the address.
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	p.Delivery, p.Shipped = d, shipped
	return p, nil
}

// ShipTo prices and estimates p shipped to code (an order's address country) instead of the
// bag's own destination; field names the input in errors. The bag is not changed.
func (s *Service) ShipTo(ctx context.Context, p *Priced, field, code string) (*shipping.Delivery, quote.Quote, error) {
	code, err := shipping.Normalize(field, code)
	if err != nil {
		return nil, quote.Quote{}, err
	}
	return s.shipTo(ctx, p, field, code)
}

// shipTo prices and estimates p shipped to code (normalized); field names the input in errors.
func (s *Service) shipTo(ctx context.Context, p *Priced, field, code string) (*shipping.Delivery, quote.Quote, error) {
	zone, err := shipping.ZoneFor(ctx, s.client, field, code)
	if err != nil {
		return nil, quote.Quote{}, err
	}
	goods := quote.Quote{Currency: p.Currency, Total: p.Quote.Total, Deposit: p.Quote.Deposit,
		Balance: p.Quote.Balance}
	return shipping.Apply(p.Lead, goods, zone, code, field)
}

// SetDestination sets the country bag id ships to; "" clears it (the bag then ships where its
// first piece was to). An unknown country, one no zone covers or a zone priced in another
// currency than the bag is BAD_USER_INPUT naming it, and the bag is not changed.
func (s *Service) SetDestination(ctx context.Context, id, code string) (*Priced, error) {
	code = strings.TrimSpace(code)
	if code != "" {
		var err error
		if code, err = shipping.Normalize("country", code); err != nil {
			return nil, err
		}
		cur, err := s.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		zone, err := shipping.ZoneFor(ctx, s.client, "country", code)
		if err != nil {
			return nil, err
		}
		if cur.Currency != "" && zone.Currency != cur.Currency {
			return nil, fault.BadInput("country", "shipping to %s (%s) is priced in %s, not in %s",
				code, zone.Name, zone.Currency, cur.Currency)
		}
	}
	b, err := s.store.Update(ctx, id, s.now(), func(b *Bag) error {
		b.Destination = code
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.priceBag(ctx, b)
}

// Price prices items together, each configuration at its item's quantity, with the product and
// bundle tiers and minimums of every product among them. A configuration that expired is
// reported on its line and left out of the totals.
func (s *Service) Price(ctx context.Context, items []Item) (*Priced, error) {
	p := &Priced{Lines: make([]PricedLine, len(items))}
	var productIDs []int
	for i, it := range items {
		pl := PricedLine{Item: it}
		res, err := s.sessions.At(ctx, it.ConfigurationID, it.Quantity)
		switch {
		case fault.Is(err, fault.NotFound):
			pl.Problem = "this configuration has expired: configure the piece again"
		case err != nil:
			return nil, err
		default:
			pl.Result = res
			if !res.View.Complete {
				pl.Problem = res.Snap.Name + " is not complete yet: " + res.View.Missing()
			}
			if p.Currency == "" {
				p.Currency = res.Snap.Currency
			}
			productIDs = append(productIDs, res.State.ProductID)
		}
		p.Lines[i] = pl
	}
	// The terms of products and bundles are public, as the published catalog is; a draft
	// product cannot be in a configuration.
	sys := auth.System(ctx)
	prods, err := s.client.Product.Query().Where(product.IDIn(productIDs...)).All(sys)
	if err != nil {
		return nil, err
	}
	byID := map[int]*ent.Product{}
	for _, pr := range prods {
		byID[pr.ID] = pr
	}
	bundles, err := s.client.Bundle.Query().
		Where(bundle.HasProductsWith(product.IDIn(productIDs...))).
		WithProducts().Order(ent.Asc(bundle.FieldID)).All(sys)
	if err != nil {
		return nil, err
	}
	in := quote.BagInput{}
	seen := map[int]bool{}
	var priced []int
	for i := range p.Lines {
		pl := &p.Lines[i]
		if pl.Result == nil {
			continue
		}
		pl.Product = byID[pl.Result.State.ProductID]
		snap := pl.Result.Snap
		in.Lines = append(in.Lines, quote.BagLine{
			Product: snap.ProductID, Unit: pl.Result.View.Price.Unit, Quantity: pl.Quantity,
			DepositBasisPoints: snap.DepositBasisPoints,
		})
		priced = append(priced, i)
		if !seen[snap.ProductID] {
			seen[snap.ProductID] = true
			pt := quote.ProductTerms{ID: snap.ProductID, Name: snap.Name, MinQuantity: 1,
				Tiers: tiers(snap.Tiers)}
			if pl.Product != nil {
				pt.MinQuantity = pl.Product.MinOrderQuantity
			}
			in.Products = append(in.Products, pt)
		}
	}
	for _, b := range bundles {
		bt := quote.BundleTerms{ID: b.ID, Name: b.Name, MinQuantity: b.MinQuantity, Tiers: tiers(b.Tiers)}
		for _, pr := range b.Edges.Products {
			bt.Products = append(bt.Products, pr.ID)
		}
		in.Bundles = append(in.Bundles, bt)
	}
	q, err := quote.PriceBag(in)
	if err != nil {
		return nil, err
	}
	for k, i := range priced {
		p.Lines[i].Quote = q.Lines[k]
	}
	p.Quote = q
	return p, nil
}

func tiers(ts []catalog.Tier) []quote.Tier {
	out := make([]quote.Tier, 0, len(ts))
	for _, t := range ts {
		out = append(out, quote.Tier{MinQuantity: t.MinQuantity, DiscountBasisPoints: t.DiscountBasisPoints})
	}
	return out
}
