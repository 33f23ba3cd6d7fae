package configuration

import (
	"context"
	"slices"
	"strings"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/pageview"
	"github.com/atelier/atelier/server/quote"
	"github.com/atelier/atelier/server/shipping"
	"github.com/atelier/atelier/server/studio"
)

// MaxQuantity is the most pieces one configuration may ask for.
const MaxQuantity = 500

// Result is a session state with everything it shows.
type Result struct {
	State *State
	// Catalog is the compiled catalog version the view was computed on; Snap is its snapshot.
	Catalog *pageview.Published
	Snap    *catalog.Snapshot
	View    *pageview.View
	Changes []pageview.Change
	// Price is the view's price, with the shipping line once a destination is known: the price
	// the customer is shown and orders at.
	Price quote.Quote
	// Delivery is the destination with its zone and arrival window; nil without a destination.
	Delivery *shipping.Delivery
}

// Service runs configuration sessions.
type Service struct {
	store  *Store
	client *ent.Client
	studio *studio.Store
	cal    quote.Calendar
	now    func() time.Time

	views    *lru.Cache[viewKey, *pageview.View]
	versions *productVersions
}

// viewKey identifies a computed view: the same catalog, choices, quantity and ship-date day
// always give the same view.
type viewKey struct {
	product, version, quantity int
	day                        string
	choices                    string
}

// Options configure a Service.
type Options struct {
	Store    *Store
	Client   *ent.Client
	Studio   *studio.Store
	Calendar quote.Calendar
	Now      func() time.Time
	// ViewCacheSize bounds the computed-view cache (default 10,000 entries).
	ViewCacheSize int
	// VersionTTL is how long a product's current catalog version is trusted when revalidating
	// sessions (default 1 s; negative: ask the database every time). See productVersions.
	VersionTTL time.Duration
}

// NewService returns a Service.
func NewService(o Options) *Service {
	size := o.ViewCacheSize
	if size <= 0 {
		size = 10000
	}
	views, _ := lru.New[viewKey, *pageview.View](size)
	now := o.Now
	if now == nil {
		now = time.Now
	}
	ttl := o.VersionTTL
	if ttl == 0 {
		ttl = defaultVersionTTL
	}
	return &Service{
		store: o.Store, client: o.Client, studio: o.Studio, cal: o.Calendar, now: now,
		views: views, versions: newProductVersions(o.Client, ttl),
	}
}

// ProductHook is the ent hook that keeps the cached catalog versions of products honest: a
// product changed through this process's client is read again at once. Register it on the
// client's products (client.Product.Use) where the client's hooks are set up.
func (s *Service) ProductHook() ent.Hook { return s.versions.hook }

// Product returns product id as the caller may read it, for the configuration's product field:
// from the configure path's cache of product rows (productVersions: a change is seen at once
// on this instance, within VersionTTL on others).
func (s *Service) Product(ctx context.Context, id int) (*ent.Product, error) {
	return s.versions.product(ctx, id)
}

// Catalog returns the compiled catalog (productID, version).
func (s *Service) Catalog(ctx context.Context, productID, version int) (*pageview.Published, error) {
	return s.studio.Compiled(ctx, productID, version)
}

// currentProduct loads a product customers can configure.
func (s *Service) currentProduct(ctx context.Context, id int) (*ent.Product, error) {
	p, err := s.client.Product.Query().
		Where(product.ID(id), product.StatusEQ(product.StatusActive), product.CatalogVersionGT(0)).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "no product %d to configure", id).With("field", "productId")
	}
	return p, err
}

func validQuantity(q int) error {
	if q < 1 || q > MaxQuantity {
		return fault.BadInput("quantity", "quantity must be 1 to %d, not %d", MaxQuantity, q)
	}
	return nil
}

// Start opens a new session on the current catalog of productID.
func (s *Service) Start(ctx context.Context, productID, quantity int) (*Result, error) {
	if err := validQuantity(quantity); err != nil {
		return nil, err
	}
	p, err := s.currentProduct(ctx, productID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	st := &State{
		ID: NewID(), ProductID: p.ID, CatalogVersion: p.CatalogVersion, Quantity: quantity,
		CreatedAt: now, UpdatedAt: now,
	}
	res, err := s.result(ctx, st, nil)
	if err != nil {
		return nil, err
	}
	st.LastTotal = res.Price.Total
	if err := s.store.Create(ctx, st); err != nil {
		return nil, err
	}
	return res, nil
}

// Get returns session id, first moving it to the current catalog version if it is pinned to an
// older one (choices that no longer fit are dropped and reported in the notices).
func (s *Service) Get(ctx context.Context, id string) (*Result, error) {
	st, err := s.store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	st, err = s.revalidate(ctx, st)
	if err != nil {
		return nil, err
	}
	return s.result(ctx, st, nil)
}

// At returns session id as it shows for quantity pieces, without changing the session (a bag
// line orders a configuration in its own quantity).
func (s *Service) At(ctx context.Context, id string, quantity int) (*Result, error) {
	if err := validQuantity(quantity); err != nil {
		return nil, err
	}
	res, err := s.Get(ctx, id)
	if err != nil || res.State.Quantity == quantity {
		return res, err
	}
	st := *res.State
	st.Quantity = quantity
	return s.result(ctx, &st, nil)
}

func (s *Service) revalidate(ctx context.Context, st *State) (*State, error) {
	current, err := s.versions.current(ctx, st.ProductID)
	if err != nil {
		return nil, err
	}
	if current <= st.CatalogVersion {
		return st, nil
	}
	cat, err := s.Catalog(ctx, st.ProductID, current)
	if err != nil {
		return nil, err
	}
	kept, notices := cat.Revalidate(st.Choices)
	next := *st
	next.CatalogVersion = current
	next.Choices = kept
	next.Notices = append(slices.Clone(st.Notices), notices...)
	if len(notices) == 0 {
		next.Notices = append(next.Notices, "The catalog was updated; your choices all still fit.")
	}
	next.UpdatedAt = s.now()
	if err := s.store.Replace(ctx, &next, st.Version); err != nil {
		if fault.Is(err, fault.Conflict) {
			// Another reader revalidated first: theirs is the same result.
			return s.store.Get(ctx, st.ID)
		}
		return nil, err
	}
	return &next, nil
}

// Edit is one customer edit of a session's choices.
type Edit func(cat *pageview.Published, choices []pageview.Choice) ([]pageview.Choice, []pageview.Change, error)

// Update applies edit to session id at version expected, atomically: a stale version, or a
// concurrent update that lands first, gets CONFLICT with the current version.
func (s *Service) Update(ctx context.Context, id string, expected int, edit Edit, quantity *int) (*Result, error) {
	return s.update(ctx, id, expected, edit, quantity, nil)
}

// SetDestination sets the country session id ships to (empty clears it), at version expected:
// the price gains the zone's shipping line and the lead time its arrival window. A country
// that is not an ISO code, or that no shipping zone covers, is BAD_USER_INPUT naming it.
func (s *Service) SetDestination(ctx context.Context, id string, expected int, code string) (*Result, error) {
	if strings.TrimSpace(code) != "" {
		var err error
		if code, err = shipping.Normalize("country", code); err != nil {
			return nil, err
		}
	} else {
		code = ""
	}
	return s.update(ctx, id, expected, nil, nil, &code)
}

// ShipTo returns res priced and estimated for shipping to code (an order's address country)
// instead of the session's own destination; field names the input in errors. The session
// is not changed.
func (s *Service) ShipTo(ctx context.Context, res *Result, field, code string) (*Result, error) {
	code, err := shipping.Normalize(field, code)
	if err != nil {
		return nil, err
	}
	zone, err := shipping.ZoneFor(ctx, s.client, field, code)
	if err != nil {
		return nil, err
	}
	d, price, err := shipping.Apply(res.View.Lead, res.View.Price, zone, code, field)
	if err != nil {
		return nil, err
	}
	out := *res
	out.Price, out.Delivery = price, d
	return &out, nil
}

func (s *Service) update(ctx context.Context, id string, expected int, edit Edit, quantity *int,
	destination *string,
) (*Result, error) {
	if quantity != nil {
		if err := validQuantity(*quantity); err != nil {
			return nil, err
		}
	}
	// ReadAt, not Get: the Replace below slides the TTL and checks that the session is still at
	// the version read; when this process knows the session at that version, that Replace is
	// the step's only round trip to Redis.
	st, err := s.store.ReadAt(ctx, id, expected)
	if err != nil {
		return nil, err
	}
	if st.Version != expected {
		return nil, Conflict(st.Version)
	}
	if st, err = s.revalidate(ctx, st); err != nil {
		return nil, err
	}
	if st.Version != expected {
		// The catalog moved on under the customer: they must see the revalidated state first.
		return nil, Conflict(st.Version)
	}
	cat, err := s.Catalog(ctx, st.ProductID, st.CatalogVersion)
	if err != nil {
		return nil, err
	}
	next := *st
	var changes []pageview.Change
	if edit != nil {
		next.Choices, changes, err = edit(cat, slices.Clone(st.Choices))
		if err != nil {
			return nil, err
		}
	}
	if quantity != nil {
		next.Quantity = *quantity
	}
	if destination != nil {
		next.Destination = *destination
	}
	next.Notices = nil
	next.UpdatedAt = s.now()
	res, err := s.result(ctx, &next, changes)
	if err != nil {
		return nil, err
	}
	if destination != nil && *destination != "" && res.Delivery == nil {
		// A new destination must ship: say why not (no zone, another currency) and keep the
		// session as it was.
		if _, err := s.ShipTo(ctx, res, "country", *destination); err != nil {
			return nil, err
		}
	}
	next.LastTotal = res.Price.Total
	if err := s.store.Replace(ctx, &next, expected); err != nil {
		return nil, err
	}
	return res, nil
}

// result computes (or takes from the cache) the view of st.
func (s *Service) result(ctx context.Context, st *State, changes []pageview.Change) (*Result, error) {
	cat, err := s.Catalog(ctx, st.ProductID, st.CatalogVersion)
	if err != nil {
		return nil, err
	}
	now := s.now()
	key := viewKey{
		product: st.ProductID, version: st.CatalogVersion, quantity: st.Quantity,
		day: quote.DateOf(now.In(s.location())).String(), choices: canonical(st.Choices),
	}
	view, ok := s.views.Get(key)
	if !ok {
		view, err = cat.Evaluate(st.Choices, st.Quantity, now, s.cal)
		if err != nil {
			return nil, err
		}
		s.views.Add(key, view)
	}
	res := &Result{State: st, Catalog: cat, Snap: cat.Snap, View: view, Changes: changes, Price: view.Price}
	if st.Destination != "" {
		if shipped, err := s.ShipTo(ctx, res, "country", st.Destination); err == nil {
			res = shipped
		} else if !fault.Is(err, fault.BadUserInput) {
			return nil, err
		}
		// A destination no zone covers any more (a zone was changed since) shows no arrival
		// window; the customer chooses again, and an order asks for its address country.
	}
	return res, nil
}

func (s *Service) location() *time.Location {
	if s.cal.Location != nil {
		return s.cal.Location
	}
	return time.UTC
}

// canonical is an order-independent key of choices.
func canonical(choices []pageview.Choice) string {
	parts := make([]string, 0, len(choices))
	for _, c := range choices {
		parts = append(parts, c.Group+"\x00"+c.Option+"\x00"+c.Text)
	}
	slices.Sort(parts)
	return strings.Join(parts, "\x01")
}
