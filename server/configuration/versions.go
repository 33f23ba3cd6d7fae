package configuration

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/product"
)

// defaultVersionTTL is how long a product's current catalog version is trusted without asking
// the database again.
const defaultVersionTTL = time.Second

// productVersions caches each product's row for the configure path, which needs it on every
// read and every edit of a session (its current catalog version, to revalidate the session,
// and the product a configuration shows): without it each configure step costs product
// queries.
//
// Staleness: a change made through this process's ent client is seen at once (a hook on
// product mutations, Service.ProductHook, empties the cache and keeps it from filling again for
// one TTL, which also covers the change's commit). A change made by another server instance is
// seen within one TTL (1 s by default): for that long a session on this instance may still be
// read and edited on the previous version, and show the product's previous name — exactly as if
// the customer had acted a moment before the change. Orders are not affected: placing an order
// reads the product itself.
//
// Read policies: rows are read through the caller's context (ProductPolicy applies) and
// shared only where every viewer may read them: a DRAFT row, which only designers read, is
// always read again through the caller's own context (see public).
type productVersions struct {
	client *ent.Client
	ttl    time.Duration

	mu    sync.Mutex
	cache map[int]cachedProduct
	// quietUntil: nothing is cached before then (a product changed here recently).
	quietUntil time.Time
}

type cachedProduct struct {
	row *ent.Product
	at  time.Time
}

func newProductVersions(client *ent.Client, ttl time.Duration) *productVersions {
	return &productVersions{client: client, ttl: ttl, cache: map[int]cachedProduct{}}
}

// hook empties the cache around every product mutation and keeps it from filling again for
// one TTL; the application registers it on the client with its other hooks.
func (pv *productVersions) hook(next ent.Mutator) ent.Mutator {
	if pv.ttl <= 0 {
		return next
	}
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		pv.invalidate()
		v, err := next.Mutate(ctx, m)
		pv.invalidate()
		return v, err
	})
}

func (pv *productVersions) invalidate() {
	pv.mu.Lock()
	clear(pv.cache)
	pv.quietUntil = time.Now().Add(pv.ttl)
	pv.mu.Unlock()
}

// public reports whether every viewer may read row: ProductPolicy lets everyone read the
// products that are not DRAFT (TestCachedProductsFollowTheReadPolicy holds the two together).
func public(row *ent.Product) bool { return row.Status != product.StatusDraft }

// product returns product id as ctx's viewer reads it: a cached row when it is fresh and
// public, else the row read through ctx (and cached). The row is the caller's copy.
func (pv *productVersions) product(ctx context.Context, id int) (*ent.Product, error) {
	if pv.ttl > 0 {
		pv.mu.Lock()
		e, ok := pv.cache[id]
		pv.mu.Unlock()
		if ok && time.Since(e.at) < pv.ttl && public(e.row) {
			row := *e.row
			return &row, nil
		}
	}
	start := time.Now()
	row, err := pv.client.Product.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if pv.ttl > 0 {
		shared := *row
		pv.mu.Lock()
		// A row read before a local product change must not be kept past it.
		if start.After(pv.quietUntil) {
			pv.cache[id] = cachedProduct{row: &shared, at: start}
		}
		pv.mu.Unlock()
	}
	return row, nil
}

// current returns the current catalog version of product id.
func (pv *productVersions) current(ctx context.Context, id int) (int, error) {
	row, err := pv.product(ctx, id)
	if err != nil {
		return 0, fmt.Errorf("loading product: %w", err)
	}
	return row.CatalogVersion, nil
}
