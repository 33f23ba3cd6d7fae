// Package metrics holds Atelier's Prometheus metrics in a registry of each App's own (several
// instances run in one test binary, so the global default registry is never used).
//
// Every method is safe on a nil *Metrics, which records nothing: packages can take one
// optionally.
package metrics

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
)

const namespace = "atelier"

// Operation-name labels: a client chooses its operation names, so only the first
// maxOperationNames distinct ones get a label of their own; the rest share otherOperation.
const (
	maxOperationNames  = 100
	maxErrorCodes      = 40
	anonymousOperation = "anonymous"
	otherOperation     = "other"
)

// namePattern is what a GraphQL name looks like (and a sane error code).
var namePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// Metrics are the metrics of one App.
type Metrics struct {
	registry      *prometheus.Registry
	operations    *prometheus.HistogramVec
	errors        *prometheus.CounterVec
	subscriptions prometheus.Gauge
	direct        prometheus.Counter
	backend       *prometheus.CounterVec
	cache         *prometheus.CounterVec
	rateLimited   prometheus.Counter

	mu     sync.Mutex
	names  map[string]struct{}
	codes  map[string]struct{}
	dbStat bool
}

// New returns metrics registered in a fresh registry, with the Go runtime and process
// collectors.
func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		operations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "graphql_operation_duration_seconds",
			Help:    "Time to execute a GraphQL query or mutation, by operation type and name.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"type", "operation"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "graphql_errors_total",
			Help: "GraphQL errors sent to clients, by extensions.code.",
		}, []string{"code"}),
		subscriptions: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Name: "graphql_active_subscriptions",
			Help: "Subscriptions currently open on this instance (WebSocket and SSE).",
		}),
		direct: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "graphql_direct_subscriptions_total",
			Help: "Subscriptions served without a gqlgen execution per event (orderEvents over WebSocket).",
		}),
		backend: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "backend_errors_total",
			Help: "Failed calls to a backing service (redis, database), by kind of call.",
		}, []string{"backend", "op"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "cache_requests_total",
			Help: "Cache look-ups by cache and result (hit or miss); hit ratio = hit / total.",
		}, []string{"cache", "result"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "rate_limited_total",
			Help: "Mutations refused by the per-client rate limit.",
		}),
		names: map[string]struct{}{},
		codes: map[string]struct{}{},
	}
	m.registry.MustRegister(m.operations, m.errors, m.subscriptions, m.direct, m.backend, m.cache,
		m.rateLimited, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is where the metrics live, for tests and extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// ObserveOperation records the duration of a query or mutation.
func (m *Metrics) ObserveOperation(opType, name string, d time.Duration) {
	if m == nil {
		return
	}
	m.operations.WithLabelValues(opType, m.operationLabel(name)).Observe(d.Seconds())
}

// operationLabel bounds the label set: anonymous, the first maxOperationNames names, other.
func (m *Metrics) operationLabel(name string) string {
	if name == "" {
		return anonymousOperation
	}
	if !namePattern.MatchString(name) {
		return otherOperation
	}
	return m.bounded(m.names, name, maxOperationNames, otherOperation)
}

func (m *Metrics) bounded(seen map[string]struct{}, v string, limit int, other string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := seen[v]; ok {
		return v
	}
	if len(seen) >= limit {
		return other
	}
	seen[v] = struct{}{}
	return v
}

// Error counts one error sent to a client with its extensions.code ("" for none).
func (m *Metrics) Error(code string) {
	if m == nil {
		return
	}
	switch {
	case code == "":
		code = "NONE"
	case !namePattern.MatchString(code):
		code = "OTHER"
	default:
		code = m.bounded(m.codes, code, maxErrorCodes, "OTHER")
	}
	m.errors.WithLabelValues(code).Inc()
}

// RateLimited counts one mutation refused by the rate limit.
func (m *Metrics) RateLimited() {
	if m == nil {
		return
	}
	m.rateLimited.Inc()
}

// SubscriptionStarted and SubscriptionEnded track open subscriptions.
func (m *Metrics) SubscriptionStarted() {
	if m == nil {
		return
	}
	m.subscriptions.Inc()
}

// DirectSubscription counts a subscription served directly, without gqlgen executing it.
func (m *Metrics) DirectSubscription() {
	if m == nil {
		return
	}
	m.direct.Inc()
}

// SubscriptionEnded is the counterpart of SubscriptionStarted.
func (m *Metrics) SubscriptionEnded() {
	if m == nil {
		return
	}
	m.subscriptions.Dec()
}

// CacheResult counts one look-up in the named cache (a fixed name in code, e.g. "apq" or
// "session_view"), a hit or a miss.
func (m *Metrics) CacheResult(cache string, hit bool) {
	if m == nil {
		return
	}
	result := "miss"
	if hit {
		result = "hit"
	}
	m.cache.WithLabelValues(cache, result).Inc()
}

// CacheRecorder returns CacheResult bound to one cache, for a package that should not import
// this one: pass it as a plain func(hit bool).
func (m *Metrics) CacheRecorder(cache string) func(hit bool) {
	return func(hit bool) { m.CacheResult(cache, hit) }
}

// DatabaseError counts a failed database call of kind op (e.g. "query", "mutation").
func (m *Metrics) DatabaseError(op string) {
	if m == nil {
		return
	}
	m.backend.WithLabelValues("database", op).Inc()
}

// WatchDB exports the connection-pool statistics of db (once per Metrics).
func (m *Metrics) WatchDB(db *sql.DB) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.dbStat {
		return
	}
	m.dbStat = true
	m.registry.MustRegister(collectors.NewDBStatsCollector(db, "atelier"))
}

// RedisHook returns a go-redis hook that counts Redis commands, pipelines and dials that failed
// to reach Redis (timeouts, refused connections, a closed pool); redis.Nil (a miss) and error
// replies from the server are not failures.
func (m *Metrics) RedisHook() redis.Hook { return redisHook{m: m} }

type redisHook struct{ m *Metrics }

func (h redisHook) redisError(op string, err error) {
	if err == nil || h.m == nil || errors.Is(err, redis.Nil) || errors.Is(err, context.Canceled) {
		return
	}
	// A reply from the server (NOSCRIPT before EVAL, the CLIENT SETINFO handshake that an
	// older server refuses, WRONGTYPE …) means Redis answered: only failures to reach it count.
	// Replies that say Redis cannot serve (restarting, out of memory, a replica) still count.
	var reply redis.Error
	if errors.As(err, &reply) && !unavailableReply(err) {
		return
	}
	h.m.backend.WithLabelValues("redis", op).Inc()
}

func unavailableReply(err error) bool {
	for _, p := range []string{"LOADING", "BUSY", "OOM", "READONLY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN"} {
		if redis.HasErrorPrefix(err, p) {
			return true
		}
	}
	return false
}

// DialHook counts failed dials.
func (h redisHook) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := next(ctx, network, addr)
		h.redisError("dial", err)
		return c, err
	}
}

// ProcessHook counts failed commands.
func (h redisHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		h.redisError("command", err)
		return err
	}
}

// ProcessPipelineHook counts failed pipelines (once per pipeline).
func (h redisHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		h.redisError("pipeline", err)
		return err
	}
}
