// Package graph is Atelier's GraphQL layer: the schema in schema/, thin resolvers that call the
// domain packages under server/, and the error presenter.
package graph

import (
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/server/events"
	"github.com/atelier/atelier/server/orders"
	"github.com/atelier/atelier/server/pubsub"
	"github.com/atelier/atelier/server/session"
	"github.com/atelier/atelier/server/studio"
)

// Resolver holds the dependencies of every resolver.
type Resolver struct {
	client   *ent.Client
	catalogs *studio.Store
	sessions *session.Service
	hub      *pubsub.Hub
	orders   *orders.Service
	bus      *events.Bus
	logger   *slog.Logger
	now      func() time.Time
}

// Deps are what NewSchema needs.
type Deps struct {
	// Client is the ent client.
	Client *ent.Client
	// Catalogs serves published catalog snapshots.
	Catalogs *studio.Store
	// Sessions runs configuration sessions.
	Sessions *session.Service
	// Hub fans Redis Pub/Sub out to subscriptions.
	Hub *pubsub.Hub
	// Orders places and runs orders.
	Orders *orders.Service
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
		client: deps.Client, catalogs: deps.Catalogs, sessions: deps.Sessions, hub: deps.Hub,
		orders: deps.Orders, bus: deps.Bus, logger: logger, now: now,
	}
	return NewExecutableSchema(Config{Resolvers: r, Complexity: complexity()})
}

// complexity weighs list fields so the complexity limit bounds the work a query can ask for.
func complexity() ComplexityRoot {
	var c ComplexityRoot
	return c
}
