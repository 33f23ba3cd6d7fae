// Package loader reads the lists under a page of records in one batch per list, not once per
// record (issue 13): each response gets its own Loaders (gqlgen's _examples/dataloader, with
// dataloadgen), whose reads run with the caller's context, so every row still passes the read
// policies of server/auth/policy.go. A batch is ent's eager loading of the parents asked for
// (one query for the parents, one per list), so the cost of a page does not grow with its rows.
package loader

import (
	"context"
	"fmt"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/optiongroup"
	"github.com/atelier/atelier/ent/optionvalue"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/orderevent"
	"github.com/atelier/atelier/ent/orderline"
	"github.com/atelier/atelier/ent/pricerule"
	"github.com/atelier/atelier/ent/pricetier"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/ent/rule"
)

// DefaultWait is how long a loader collects keys before it reads them: the sibling resolvers of
// one list start within microseconds of each other, so a short wait gathers them all.
const DefaultWait = 2 * time.Millisecond

// Loaders batch the reads of one response. They cache what they read for the response's
// lifetime only: a new response gets new Loaders.
type Loaders struct {
	client           *ent.Client
	draftGroups      *dataloadgen.Loader[int, []*ent.OptionGroup]
	options          *dataloadgen.Loader[int, []*ent.OptionValue]
	rules            *dataloadgen.Loader[int, []*ent.Rule]
	priceRules       *dataloadgen.Loader[int, []*ent.PriceRule]
	priceTiers       *dataloadgen.Loader[int, []*ent.PriceTier]
	events           *dataloadgen.Loader[int, []*ent.OrderEvent]
	lines            *dataloadgen.Loader[int, []*ent.OrderLine]
	optionProduct    *dataloadgen.Loader[int, *ent.Product]
	priceRuleProduct *dataloadgen.Loader[int, *ent.Product]
}

// New returns loaders reading through client that wait up to wait (DefaultWait when ≤ 0)
// to batch keys.
func New(client *ent.Client, wait time.Duration) *Loaders {
	if wait <= 0 {
		wait = DefaultWait
	}
	opt := dataloadgen.WithWait(wait)
	// Each read takes the keys of a batch; ent's eager loading reads a list for all of them.
	type read[T any] func(context.Context, []int) ([]T, error)
	byProduct := func(with func(*ent.ProductQuery)) read[*ent.Product] {
		return func(ctx context.Context, ids []int) ([]*ent.Product, error) {
			q := client.Product.Query().Where(product.IDIn(ids...))
			with(q)
			return q.All(ctx)
		}
	}
	groupsWithOptions := func(ctx context.Context, ids []int) ([]*ent.OptionGroup, error) {
		return client.OptionGroup.Query().Where(optiongroup.IDIn(ids...)).
			WithOptions(optionOrder).All(ctx)
	}
	ordersWithEvents := func(ctx context.Context, ids []int) ([]*ent.Order, error) {
		return client.Order.Query().Where(order.IDIn(ids...)).
			WithEvents(func(q *ent.OrderEventQuery) { q.Order(ent.Asc(orderevent.FieldSeq)) }).All(ctx)
	}
	ordersWithLines := func(ctx context.Context, ids []int) ([]*ent.Order, error) {
		return client.Order.Query().Where(order.IDIn(ids...)).
			WithLines(func(q *ent.OrderLineQuery) { q.Order(ent.Asc(orderline.FieldPosition)) }).All(ctx)
	}
	optionsWithProduct := func(ctx context.Context, ids []int) ([]*ent.OptionValue, error) {
		return client.OptionValue.Query().Where(optionvalue.IDIn(ids...)).
			WithGroup(func(q *ent.OptionGroupQuery) { q.WithProduct() }).All(ctx)
	}
	priceRulesWithProduct := func(ctx context.Context, ids []int) ([]*ent.PriceRule, error) {
		return client.PriceRule.Query().Where(pricerule.IDIn(ids...)).WithProduct().All(ctx)
	}
	productID := func(p *ent.Product) int { return p.ID }
	return &Loaders{
		client: client,
		draftGroups: dataloadgen.NewLoader(children(
			byProduct(func(q *ent.ProductQuery) { q.WithOptionGroups(groupOrder) }), productID,
			func(p *ent.Product) []*ent.OptionGroup { return p.Edges.OptionGroups }), opt),
		rules: dataloadgen.NewLoader(children(
			byProduct(func(q *ent.ProductQuery) { q.WithRules(ruleOrder) }), productID,
			func(p *ent.Product) []*ent.Rule { return p.Edges.Rules }), opt),
		priceRules: dataloadgen.NewLoader(children(
			byProduct(func(q *ent.ProductQuery) { q.WithPriceRules(priceRuleOrder) }), productID,
			func(p *ent.Product) []*ent.PriceRule { return p.Edges.PriceRules }), opt),
		priceTiers: dataloadgen.NewLoader(children(
			byProduct(func(q *ent.ProductQuery) { q.WithPriceTiers(priceTierOrder) }), productID,
			func(p *ent.Product) []*ent.PriceTier { return p.Edges.PriceTiers }), opt),
		options: dataloadgen.NewLoader(children(groupsWithOptions,
			func(g *ent.OptionGroup) int { return g.ID },
			func(g *ent.OptionGroup) []*ent.OptionValue { return g.Edges.Options }), opt),
		events: dataloadgen.NewLoader(children(ordersWithEvents,
			func(o *ent.Order) int { return o.ID },
			func(o *ent.Order) []*ent.OrderEvent { return o.Edges.Events }), opt),
		lines: dataloadgen.NewLoader(children(ordersWithLines,
			func(o *ent.Order) int { return o.ID },
			func(o *ent.Order) []*ent.OrderLine { return o.Edges.Lines }), opt),
		optionProduct: dataloadgen.NewLoader(parents(optionsWithProduct,
			func(o *ent.OptionValue) int { return o.ID },
			func(o *ent.OptionValue) *ent.Product {
				if o.Edges.Group == nil {
					return nil
				}
				return o.Edges.Group.Edges.Product
			}), opt),
		priceRuleProduct: dataloadgen.NewLoader(parents(priceRulesWithProduct,
			func(r *ent.PriceRule) int { return r.ID },
			func(r *ent.PriceRule) *ent.Product { return r.Edges.Product }), opt),
	}
}

// The orders of the lists, the same as the pages show them.
func groupOrder(q *ent.OptionGroupQuery) {
	q.Order(ent.Asc(optiongroup.FieldPosition), ent.Asc(optiongroup.FieldID))
}

func optionOrder(q *ent.OptionValueQuery) {
	q.Order(ent.Asc(optionvalue.FieldPosition), ent.Asc(optionvalue.FieldID))
}

func ruleOrder(q *ent.RuleQuery) { q.Order(ent.Asc(rule.FieldID)) }

func priceRuleOrder(q *ent.PriceRuleQuery) { q.Order(ent.Asc(pricerule.FieldID)) }

func priceTierOrder(q *ent.PriceTierQuery) { q.Order(ent.Asc(pricetier.FieldMinQuantity)) }

// children turns a read of parents with one list eager-loaded into a batch function keyed by
// parent id. A parent the caller may not read has no rows, as if it had none.
func children[P, C any](read func(context.Context, []int) ([]P, error), id func(P) int,
	list func(P) []C,
) func(context.Context, []int) ([][]C, []error) {
	return func(ctx context.Context, ids []int) ([][]C, []error) {
		rows, err := read(ctx, ids)
		if err != nil {
			return nil, []error{err}
		}
		byID := make(map[int][]C, len(rows))
		for _, p := range rows {
			byID[id(p)] = list(p)
		}
		out := make([][]C, len(ids))
		for i, k := range ids {
			out[i] = byID[k]
			if out[i] == nil {
				out[i] = []C{}
			}
		}
		return out, nil
	}
}

// parents turns a read of records with their product eager-loaded into a batch function keyed
// by record id. A record or product the caller may not read is NOT_FOUND.
func parents[R any](read func(context.Context, []int) ([]R, error), id func(R) int,
	parent func(R) *ent.Product,
) func(context.Context, []int) ([]*ent.Product, []error) {
	return func(ctx context.Context, ids []int) ([]*ent.Product, []error) {
		rows, err := read(ctx, ids)
		if err != nil {
			return nil, []error{err}
		}
		byID := make(map[int]*ent.Product, len(rows))
		for _, r := range rows {
			if p := parent(r); p != nil {
				byID[id(r)] = p
			}
		}
		out := make([]*ent.Product, len(ids))
		errs := make([]error, len(ids))
		for i, k := range ids {
			if out[i] = byID[k]; out[i] == nil {
				errs[i] = &ent.NotFoundError{}
			}
		}
		return out, errs
	}
}

type ctxKey struct{}

// NewContext returns ctx carrying l.
func NewContext(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext returns the loaders in ctx, or nil.
func FromContext(ctx context.Context) *Loaders {
	l, _ := ctx.Value(ctxKey{}).(*Loaders)
	return l
}

// DraftGroups returns a product's draft option groups in page order.
func (l *Loaders) DraftGroups(ctx context.Context, productID int) ([]*ent.OptionGroup, error) {
	return l.draftGroups.Load(ctx, productID)
}

// Options returns a group's draft options in page order.
func (l *Loaders) Options(ctx context.Context, groupID int) ([]*ent.OptionValue, error) {
	return l.options.Load(ctx, groupID)
}

// Rules returns a product's draft compatibility rules.
func (l *Loaders) Rules(ctx context.Context, productID int) ([]*ent.Rule, error) {
	return l.rules.Load(ctx, productID)
}

// PriceRules returns a product's draft surcharges.
func (l *Loaders) PriceRules(ctx context.Context, productID int) ([]*ent.PriceRule, error) {
	return l.priceRules.Load(ctx, productID)
}

// PriceTiers returns a product's draft quantity tiers, smallest quantity first.
func (l *Loaders) PriceTiers(ctx context.Context, productID int) ([]*ent.PriceTier, error) {
	return l.priceTiers.Load(ctx, productID)
}

// Events returns an order's timeline in sequence order.
func (l *Loaders) Events(ctx context.Context, orderID int) ([]*ent.OrderEvent, error) {
	return l.events.Load(ctx, orderID)
}

// Lines returns an order's lines by position.
func (l *Loaders) Lines(ctx context.Context, orderID int) ([]*ent.OrderLine, error) {
	return l.lines.Load(ctx, orderID)
}

// OptionProduct returns the product an option belongs to (through its group).
func (l *Loaders) OptionProduct(ctx context.Context, optionID int) (*ent.Product, error) {
	return l.optionProduct.Load(ctx, optionID)
}

// PriceRuleProduct returns the product a price rule belongs to.
func (l *Loaders) PriceRuleProduct(ctx context.Context, priceRuleID int) (*ent.Product, error) {
	return l.priceRuleProduct.Load(ctx, priceRuleID)
}

// Want says which lists of a page of products PrimeProducts reads ahead.
type Want struct {
	// Groups are the draft option groups; Options their options (and each option's product).
	Groups, Options bool
	// Rules, PriceRules (and each one's product) and PriceTiers are the other draft lists.
	Rules, PriceRules, PriceTiers bool
}

// PrimeProducts reads the wanted lists of a page of products in one query per list and primes
// the loaders with them, so the page's resolvers read nothing more: a batch that does not
// depend on the resolvers of a page starting within the loaders' wait of each other.
func (l *Loaders) PrimeProducts(ctx context.Context, ids []int, w Want) error {
	if w == (Want{}) || len(ids) == 0 {
		return nil
	}
	q := l.client.Product.Query().Where(product.IDIn(ids...))
	if w.Groups {
		q.WithOptionGroups(func(q *ent.OptionGroupQuery) {
			groupOrder(q)
			if w.Options {
				q.WithOptions(optionOrder)
			}
		})
	}
	if w.Rules {
		q.WithRules(ruleOrder)
	}
	if w.PriceRules {
		q.WithPriceRules(priceRuleOrder)
	}
	if w.PriceTiers {
		q.WithPriceTiers(priceTierOrder)
	}
	rows, err := q.All(ctx)
	if err != nil {
		return fmt.Errorf("reading a page of products: %w", err)
	}
	for _, p := range rows {
		l.primeProduct(p, w)
	}
	return nil
}

// primeProduct primes the loaders with the lists of p that w asked for.
func (l *Loaders) primeProduct(p *ent.Product, w Want) {
	if w.Groups {
		l.draftGroups.Prime(p.ID, orEmpty(p.Edges.OptionGroups))
		for _, g := range p.Edges.OptionGroups {
			if !w.Options {
				break
			}
			l.options.Prime(g.ID, orEmpty(g.Edges.Options))
			for _, o := range g.Edges.Options {
				l.optionProduct.Prime(o.ID, p)
			}
		}
	}
	if w.Rules {
		l.rules.Prime(p.ID, orEmpty(p.Edges.Rules))
	}
	if w.PriceRules {
		l.priceRules.Prime(p.ID, orEmpty(p.Edges.PriceRules))
		for _, r := range p.Edges.PriceRules {
			l.priceRuleProduct.Prime(r.ID, p)
		}
	}
	if w.PriceTiers {
		l.priceTiers.Prime(p.ID, orEmpty(p.Edges.PriceTiers))
	}
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
