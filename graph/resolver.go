// Package graph is Atelier's GraphQL layer: the schema in schema/, thin resolvers that call the
// domain packages under server/, and the error presenter.
package graph

import (
	"log/slog"
	"math"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/server/bag"
	"github.com/atelier/atelier/server/configuration"
	"github.com/atelier/atelier/server/events"
	"github.com/atelier/atelier/server/orders"
	"github.com/atelier/atelier/server/pubsub"
	"github.com/atelier/atelier/server/studio"
)

// Resolver holds the dependencies of every resolver.
type Resolver struct {
	client   *ent.Client
	studio   *studio.Store
	sessions *configuration.Service
	hub      *pubsub.Hub
	orders   *orders.Service
	bags     *bag.Service
	bus      *events.Bus
	logger   *slog.Logger
	now      func() time.Time
}

// Deps are what NewSchema needs.
type Deps struct {
	// Client is the ent client.
	Client *ent.Client
	// Studio serves published catalog snapshots.
	Studio *studio.Store
	// Sessions runs configuration sessions.
	Sessions *configuration.Service
	// Hub fans Redis Pub/Sub out to subscriptions.
	Hub *pubsub.Hub
	// Orders places and runs orders.
	Orders *orders.Service
	// Bags keeps customers' bags.
	Bags *bag.Service
	// Bus streams order events.
	Bus *events.Bus
	// Logger receives resolver errors.
	Logger *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// NewSchema builds the executable schema over deps.
func NewSchema(deps Deps) graphql.ExecutableSchema {
	now := deps.Now
	if now == nil {
		now = time.Now
	}
	logger := deps.Logger
	if logger == nil {
		logger = slog.Default()
	}
	r := &Resolver{
		client: deps.Client, studio: deps.Studio, sessions: deps.Sessions, hub: deps.Hub,
		orders: deps.Orders, bags: deps.Bags, bus: deps.Bus, logger: logger, now: now,
	}
	return NewExecutableSchema(Config{Resolvers: r, Complexity: complexity()})
}

// Weights of list fields in the complexity calculation (complexity.go in gqlgen adds one per
// field plus its children; a list multiplies its children by how many items it may hold).
const (
	// pageWithoutBound is what a connection asked for without first or last counts as: ent's
	// Paginate then returns every row, so it must cost like a large page.
	pageWithoutBound = 100
	// listEstimate is what a list with no argument to bound it counts as (option groups of a
	// product, options of a group, events of an order, …): the catalogs and orders of a
	// made-to-order shop hold tens of them, not thousands.
	listEstimate = 10
	// explanationEstimate is what the lists explaining one option or choice count as (the
	// reasons an option is excluded, the choices behind a reason, a fix): a handful.
	explanationEstimate = 3
)

// complexity weighs list fields so the complexity limit bounds the work a query can ask for:
// connections by first/last (or pageWithoutBound), nodes by the ids asked for, and lists
// without arguments by listEstimate.
func complexity() ComplexityRoot {
	var c ComplexityRoot
	list := func(child int) int { return weigh(listEstimate, child) }
	explanation := func(child int) int { return weigh(explanationEstimate, child) }
	page := func(child int, first, last *int) int {
		n := pageWithoutBound
		if first != nil || last != nil {
			n = max(intOrZero(first), intOrZero(last))
		}
		return weigh(n, child)
	}
	c.Query.Products = func(child int, _ *entgql.Cursor[int], first *int, _ *entgql.Cursor[int],
		last *int, _ *ent.ProductOrder, _ *ent.ProductWhereInput,
	) int {
		return page(child, first, last)
	}
	c.Query.Orders = func(child int, _ *entgql.Cursor[int], first *int, _ *entgql.Cursor[int],
		last *int, _ *ent.OrderOrder, _ *ent.OrderWhereInput,
	) int {
		return page(child, first, last)
	}
	c.Query.CatalogChanges = func(child int, _ string, first *int, _ *entgql.Cursor[int]) int {
		return page(child, first, nil)
	}
	c.Query.Nodes = func(child int, ids []string) int { return weigh(len(ids), child) }
	c.Query.Bundles = list
	c.Query.Lint = func(child int, _ string, _ *bool) int { return list(child) }

	c.Bag.Lines = list
	c.Bag.Shortfalls = list
	c.BagLine.Selections = list
	c.Bundle.Products = list
	c.Bundle.Tiers = list
	c.CatalogGroup.Options = list
	c.Compatibility.Groups = list
	c.Configuration.Groups = list
	c.Configuration.Selections = list
	c.ConfigurationGroup.Options = list
	c.ConfigurationOption.Reasons = explanation
	c.ConfigurationPayload.Changes = list
	c.Explanation.Fix = explanation
	c.Explanation.Rules = explanation
	c.Explanation.Selections = explanation
	c.OptionGroup.Options = list
	c.Order.Events = list
	c.Order.Lines = list
	c.OrderLine.PriceLines = list
	c.OrderLine.Selections = list
	c.Order.PriceLines = list
	c.Order.Selections = list
	c.Preview.Layers = list
	c.Price.Lines = list
	c.Price.Tiers = list
	c.Product.DraftGroups = list
	c.Product.OptionGroups = list
	c.Product.PriceRules = list
	c.Product.PriceTiers = list
	c.Product.Rules = list
	c.PublishCatalogPayload.Warnings = list
	c.Reason.Selections = explanation
	c.RuleImpact.Changes = list
	return c
}

// weigh is the complexity of a list of n items of child complexity each, saturated so that
// no product of arguments overflows into a small number.
func weigh(n, child int) int {
	n, child = max(n, 0), max(child, 1)
	if n > (math.MaxInt32-1)/child {
		return math.MaxInt32
	}
	return 1 + n*child
}

func intOrZero(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
