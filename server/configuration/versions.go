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

// productVersions caches each product's current catalog version for revalidation, which runs
// on every read and every edit of a session: without it each configure step costs a product
// query.
//
// Staleness: a publish made through this process's ent client is seen at once (a hook on
// product mutations, Service.ProductHook, empties the cache and keeps it from filling again for one TTL, which also
// covers the publish transaction's commit). A publish made by another server instance is seen
// within one TTL (1 s by default): for that long a session on this instance may still be read
// and edited on the previous version — exactly as if the customer had acted a moment before
// the publish. Orders are not affected: placing an order reads the product itself.
type productVersions struct {
	client *ent.Client
	ttl    time.Duration

	mu    sync.Mutex
	cache map[int]cachedVersion
	// quietUntil: nothing is cached before then (a product changed here recently).
	quietUntil time.Time
}

type cachedVersion struct {
	version int
	at      time.Time
}

func newProductVersions(client *ent.Client, ttl time.Duration) *productVersions {
	return &productVersions{client: client, ttl: ttl, cache: map[int]cachedVersion{}}
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

// current returns the current catalog version of product id.
func (pv *productVersions) current(ctx context.Context, id int) (int, error) {
	if pv.ttl > 0 {
		pv.mu.Lock()
		e, ok := pv.cache[id]
		pv.mu.Unlock()
		if ok && time.Since(e.at) < pv.ttl {
			return e.version, nil
		}
	}
	start := time.Now()
	v, err := pv.client.Product.Query().Where(product.ID(id)).
		Select(product.FieldCatalogVersion).Int(ctx)
	if err != nil {
		return 0, fmt.Errorf("loading product: %w", err)
	}
	if pv.ttl > 0 {
		pv.mu.Lock()
		// A value read before a local product change must not be kept past it.
		if start.After(pv.quietUntil) {
			pv.cache[id] = cachedVersion{version: v, at: start}
		}
		pv.mu.Unlock()
	}
	return v, nil
}
