package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/redis/go-redis/v9"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/metrics"
)

const (
	// apqPrefix follows the deployment's REDIS_PREFIX in persisted-query keys.
	apqPrefix = "apq:"
	// apqQuotaPrefix follows REDIS_PREFIX in the keys counting what each client has stored.
	apqQuotaPrefix = "apq-quota:"
	// maxPersistedQueryBytes bounds a stored document: the SPA's largest operation with its
	// fragments is about 2.4 KiB (TestSPAOperationsPassEveryLimit), and comments and long
	// strings cost no tokens, so the token limit alone does not bound the bytes.
	maxPersistedQueryBytes = 16 << 10
	// apqTimeout bounds a Redis round trip: a slow Redis must cost a query at most this.
	apqTimeout = 500 * time.Millisecond
	// apqStatsKey is where gqlgen's AutomaticPersistedQuery keeps its stats; ours does too, so
	// extension.GetApqStats works unchanged.
	apqStatsKey = "APQ"
)

// apqLookup is the first half of automatic persisted queries (gqlgen's protocol and errors):
// it fills in the text of a known hash, and checks the hash of a text it is sent. It stores
// nothing: apqStore does, once the document has parsed, validated and passed every limit.
// gqlgen's own extension stores whatever text matches its hash, before it is even parsed.
type apqLookup struct{ cache graphql.Cache[string] }

// apqStore stores a document that came with its hash, after validation and the limits (it is
// registered after them). A document that fails never reaches it.
type apqStore struct{ cache graphql.Cache[string] }

var (
	_ graphql.OperationParameterMutator = apqLookup{}
	_ graphql.OperationContextMutator   = apqStore{}
)

// ExtensionName names the extension.
func (apqLookup) ExtensionName() string { return "AutomaticPersistedQuery" }

// Validate accepts any schema.
func (apqLookup) Validate(graphql.ExecutableSchema) error { return nil }

// ExtensionName names the extension.
func (apqStore) ExtensionName() string { return "AutomaticPersistedQueryStore" }

// Validate accepts any schema.
func (apqStore) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters resolves a hash to its text, or checks a text against its hash.
func (a apqLookup) MutateOperationParameters(
	ctx context.Context, p *graphql.RawParams,
) *gqlerror.Error {
	if p.Extensions["persistedQuery"] == nil {
		return nil
	}
	ext, ok := p.Extensions["persistedQuery"].(map[string]any)
	if !ok {
		return gqlerror.Errorf("invalid APQ extension data")
	}
	hash, ok := ext["sha256Hash"].(string)
	if !ok {
		return gqlerror.Errorf("invalid APQ extension data")
	}
	// The version arrives as a json.Number or a float64, depending on the transport.
	if fmt.Sprint(ext["version"]) != "1" {
		return gqlerror.Errorf("unsupported APQ version")
	}
	sent := p.Query != ""
	if !sent {
		q, ok := a.cache.Get(ctx, hash)
		if !ok {
			err := gqlerror.Errorf("PersistedQueryNotFound")
			errcode.Set(err, "PERSISTED_QUERY_NOT_FOUND")
			return err
		}
		p.Query = q
	} else if sum := sha256.Sum256([]byte(p.Query)); hex.EncodeToString(sum[:]) != hash {
		return gqlerror.Errorf("provided APQ hash does not match query")
	}
	graphql.GetOperationContext(ctx).Stats.SetExtension(apqStatsKey,
		&extension.ApqStats{Hash: hash, SentQuery: sent})
	return nil
}

// MutateOperationContext stores the text of a validated document sent with its hash.
func (a apqStore) MutateOperationContext(
	ctx context.Context, opCtx *graphql.OperationContext,
) *gqlerror.Error {
	stats, _ := opCtx.Stats.GetExtension(apqStatsKey).(*extension.ApqStats)
	if stats == nil || !stats.SentQuery || len(opCtx.RawQuery) > maxPersistedQueryBytes {
		return nil
	}
	a.cache.Add(ctx, stats.Hash, opCtx.RawQuery)
	return nil
}

// apqStoreScript stores ARGV[1] at KEYS[1] for ARGV[2] ms. A document already stored only has
// its TTL renewed, free of charge (every visitor of the SPA sends the same few). A new one is
// charged ARGV[3] bytes to the client's quota at KEYS[2] — ARGV[4] bytes per ARGV[2] ms,
// counted from the client's first store — and not stored when it would exceed it. Returns 1
// when the document is stored, 0 when the quota refused it.
var apqStoreScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
local quota = tonumber(ARGV[4])
if quota > 0 then
  local size = tonumber(ARGV[3])
  local used = redis.call('INCRBY', KEYS[2], size)
  if redis.call('PTTL', KEYS[2]) < 0 then
    redis.call('PEXPIRE', KEYS[2], ARGV[2])
  end
  if used > quota then
    redis.call('DECRBY', KEYS[2], size)
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`)

// apqCache keeps automatic persisted queries in Redis, shared by every instance, with a
// per-client quota of new bytes per TTL (0: none; clients without an address, exempt or in
// process, have none). A Redis failure is a miss (the client then sends the full text) or a
// skipped store: it never fails a query that carries its text.
type apqCache struct {
	rdb     redis.Cmdable
	prefix  string
	ttl     time.Duration
	quota   int64
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

// Add stores the query of a hash (verified by apqLookup) for the TTL, within the client's
// quota.
func (c *apqCache) Add(ctx context.Context, hash, query string) {
	if !isSHA256(hash) || len(query) > maxPersistedQueryBytes {
		return
	}
	addr, quota := auth.ClientAddr(ctx), c.quota
	if addr == "" {
		quota = 0
	}
	ctx, cancel := context.WithTimeout(ctx, apqTimeout)
	defer cancel()
	keys := []string{c.prefix + apqPrefix + hash, c.prefix + apqQuotaPrefix + addr}
	stored, err := apqStoreScript.Run(ctx, c.rdb, keys, query, max(c.ttl.Milliseconds(), 1),
		len(query), quota).Int()
	switch {
	case err != nil:
		c.logger.DebugContext(ctx, "storing persisted query", "err", err)
	case stored == 0:
		c.logger.DebugContext(ctx, "persisted query quota spent", "client", addr)
	}
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
