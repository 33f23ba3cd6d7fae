package httpapi

import (
	"context"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/redis/go-redis/v9"

	"github.com/atelier/atelier/server/metrics"
)

const (
	// apqPrefix follows the deployment's REDIS_PREFIX in persisted-query keys.
	apqPrefix = "apq:"
	// maxPersistedQueryBytes keeps oversized documents out of Redis: the APQ extension stores a
	// query before it is parsed, and the SPA's largest operation is a few KiB.
	maxPersistedQueryBytes = 64 << 10
	// apqTimeout bounds a Redis round trip: a slow Redis must cost a query at most this.
	apqTimeout = 500 * time.Millisecond
)

// apqCache keeps automatic persisted queries in Redis, shared by every instance. A Redis
// failure is a miss (the client then sends the full text) or a skipped store: it never fails a
// query that carries its text.
type apqCache struct {
	rdb     redis.Cmdable
	prefix  string
	ttl     time.Duration
	logger  *slog.Logger
	metrics *metrics.Metrics
}

var _ graphql.Cache[string] = (*apqCache)(nil)

// Get returns the query of a sha256 hash.
func (c *apqCache) Get(ctx context.Context, hash string) (string, bool) {
	if !isSHA256(hash) {
		return "", false
	}
	ctx, cancel := context.WithTimeout(ctx, apqTimeout)
	defer cancel()
	q, err := c.rdb.Get(ctx, c.prefix+apqPrefix+hash).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		c.logger.DebugContext(ctx, "reading persisted query", "err", err)
	}
	hit := err == nil
	c.metrics.CacheResult("apq", hit)
	return q, hit
}

// Add stores the query of a hash (verified by the extension) for the TTL.
func (c *apqCache) Add(ctx context.Context, hash, query string) {
	if !isSHA256(hash) || len(query) > maxPersistedQueryBytes {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, apqTimeout)
	defer cancel()
	if err := c.rdb.Set(ctx, c.prefix+apqPrefix+hash, query, c.ttl).Err(); err != nil {
		c.logger.DebugContext(ctx, "storing persisted query", "err", err)
	}
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
