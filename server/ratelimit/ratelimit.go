// Package ratelimit is a fixed-window rate limiter kept in Redis, so that every server instance
// sharing the Redis shares each client's budget.
package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// keyPrefix follows the deployment's REDIS_PREFIX in every limiter key.
const keyPrefix = "ratelimit:"

// windowScript counts ARGV[2] hits in the current window of KEYS[1] and returns the count
// and the milliseconds until the window ends. The window starts with the first hit (INCRBY
// then PEXPIRE in one script, so a key can never be left without an expiry).
var windowScript = redis.NewScript(`
local n = redis.call('INCRBY', KEYS[1], ARGV[2])
if n == tonumber(ARGV[2]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`)

// Limiter allows Limit hits per Window for each key.
type Limiter struct {
	rdb    redis.Scripter
	prefix string
	limit  int
	window time.Duration
}

// Result is the outcome of one hit.
type Result struct {
	// Allowed reports whether the hit is within the budget.
	Allowed bool
	// Remaining is how many more hits the window allows.
	Remaining int
	// RetryAfter is how long until the window ends (when the budget is back).
	RetryAfter time.Duration
}

// New returns a limiter of limit hits per window, with keys under prefix (the deployment's
// REDIS_PREFIX plus a name, e.g. "atelier:" + "mutation"). A limit of 0 allows everything.
func New(rdb redis.Scripter, prefix string, limit int, window time.Duration) *Limiter {
	return &Limiter{rdb: rdb, prefix: prefix, limit: limit, window: window}
}

// Allow counts one hit for key. When Redis fails it returns the error with an allowing Result:
// callers fail open, as a limiter outage must not stop the shop.
func (l *Limiter) Allow(ctx context.Context, key string) (Result, error) {
	return l.AllowN(ctx, key, 1)
}

// AllowN counts n hits (at least 1) for key at once: the result allows them all or none. Like
// Allow, it fails open.
func (l *Limiter) AllowN(ctx context.Context, key string, n int) (Result, error) {
	if l == nil || l.limit <= 0 {
		return Result{Allowed: true}, nil
	}
	window := max(l.window.Milliseconds(), 1)
	res, err := windowScript.Run(ctx, l.rdb, []string{l.prefix + keyPrefix + key}, window,
		max(n, 1)).Int64Slice()
	if err != nil {
		return Result{Allowed: true}, fmt.Errorf("counting rate-limit hit: %w", err)
	}
	if len(res) != 2 {
		return Result{Allowed: true}, fmt.Errorf("counting rate-limit hit: unexpected reply %v", res)
	}
	used, ttl := int(res[0]), time.Duration(res[1])*time.Millisecond
	return Result{Allowed: used <= l.limit, Remaining: max(l.limit-used, 0), RetryAfter: ttl}, nil
}
