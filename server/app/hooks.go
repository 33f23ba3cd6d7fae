package app

import (
	"context"
	"time"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/server/configuration"
	"github.com/atelier/atelier/server/db"
	"github.com/atelier/atelier/server/metrics"
	"github.com/atelier/atelier/server/studio"
)

// UseHooks registers every ent hook and interceptor of a client, in this one place, when the
// client is set up: the catalog audit trail on every client (every catalog edit, from any
// entry point, lands in it); with sessions, their product-version invalidation; with metrics,
// the count of failed queries and mutations. Call it once per client, before its first write.
func UseHooks(client *ent.Client, sessions *configuration.Service, m *metrics.Metrics) {
	client.Use(studio.AuditHook(time.Now))
	if m != nil {
		countDatabaseErrors(client, m)
	}
	if sessions != nil {
		client.Product.Use(sessions.ProductHook())
	}
}

// OpenDB opens the database behind rawURL (migrating it with migrateSchema) with the hooks of
// UseHooks that need no running App: for the admin commands and tests.
func OpenDB(ctx context.Context, rawURL string, migrateSchema bool) (*db.DB, error) {
	d, err := db.Open(ctx, rawURL, migrateSchema)
	if err != nil {
		return nil, err
	}
	UseHooks(d.Client, nil, nil)
	return d, nil
}
