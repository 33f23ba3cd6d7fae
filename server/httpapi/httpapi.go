// Package httpapi builds Atelier's HTTP handler: GraphQL at /query (POST, GET for queries,
// WebSocket with graphql-transport-ws, and SSE), /healthz, /readyz, /metrics, the SPA at /, and
// a dev-only playground. CORS and the WebSocket origin check come from one allow-list. The
// GraphQL endpoint is guarded by depth, alias, complexity and body-size limits, a per-client
// mutation rate limit shared through Redis, and caps on live subscriptions.
package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/redis/go-redis/v9"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/gqlws"
	"github.com/atelier/atelier/server/live"
	"github.com/atelier/atelier/server/metrics"
	"github.com/atelier/atelier/server/ratelimit"
)

// Defaults for limits left at zero in Options where zero cannot mean "off".
const (
	defaultMaxBodyBytes = 64 << 10
	defaultAPQTTL       = 24 * time.Hour
)

// Pinger reports whether a backing service answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// PingFunc adapts a function to Pinger.
type PingFunc func(ctx context.Context) error

// Ping calls f.
func (f PingFunc) Ping(ctx context.Context) error { return f(ctx) }

// Options configure the handler.
type Options struct {
	// Schema is the executable GraphQL schema.
	Schema graphql.ExecutableSchema
	// Extensions are added after the built-in ones (e.g. graph.ConfigurationEncoder).
	Extensions []graphql.HandlerExtension
	// ErrorPresenter and RecoverFunc map errors and panics for clients.
	ErrorPresenter graphql.ErrorPresenterFunc
	RecoverFunc    graphql.RecoverFunc
	// Authenticate returns ctx carrying the viewer of a bearer token ("" for none). An error of
	// the viewer's own refuses a WebSocket connection; over HTTP the request proceeds and
	// operations that need a viewer report it. Nil: no authentication.
	Authenticate func(ctx context.Context, bearer string) (context.Context, error)
	// Recheck checks the viewer of ctx again before each operation of a WebSocket connection,
	// which authenticated only once (see auth.Authenticator.Recheck); nil: no recheck.
	Recheck func(ctx context.Context) (context.Context, error)
	// Logger receives request logs.
	Logger *slog.Logger
	// AllowedOrigins are the browser origins allowed, e.g. https://shop.example.
	AllowedOrigins []string
	// OriginHosts are the same origins as host[:port], for the WebSocket check.
	OriginHosts []string
	// Dev enables the playground and introspection.
	Dev bool
	// ComplexityLimit bounds query complexity.
	ComplexityLimit int
	// MaxDepth and MaxAliases bound an operation's nesting and aliased fields (0: no bound).
	MaxDepth, MaxAliases int
	// MaxTokens and MaxSelections bound a document before validation: its parser tokens and
	// its selections as written (0: no bound).
	MaxTokens, MaxSelections int
	// MaxMutationFields bounds the mutation fields of one operation (0: no bound).
	MaxMutationFields int
	// MaxBodyBytes caps POST bodies and WebSocket messages (0: 64 KiB).
	MaxBodyBytes int64
	// MaxSubscriptionsPerConnection and MaxSubscriptionsPerClient cap live subscriptions per
	// WebSocket connection and per client address on this instance (0: no cap).
	MaxSubscriptionsPerConnection, MaxSubscriptionsPerClient int
	// MaxWebSocketsPerClient caps the open WebSocket connections of one client address on this
	// instance; more are refused with HTTP 429 before the upgrade (0: no cap).
	MaxWebSocketsPerClient int
	// MutationLimiter rate-limits mutations per client address; nil: no limit.
	MutationLimiter *ratelimit.Limiter
	// TrustedProxies are the peers whose X-Forwarded-For / X-Forwarded-Proto are believed.
	TrustedProxies []*net.IPNet
	// ExemptClients are client addresses the per-client limits (mutation rate, subscriptions
	// per client) do not apply to.
	ExemptClients []*net.IPNet
	// APQRedis stores automatic persisted queries under RedisPrefix + "apq:" for APQTTL (0:
	// 24h); nil: an in-process LRU. APQClientQuota bounds the bytes of new documents one
	// client address may store per APQTTL (0: no bound).
	APQRedis       redis.Cmdable
	RedisPrefix    string
	APQTTL         time.Duration
	APQClientQuota int64
	// Metrics receives the metrics; nil records nothing.
	Metrics *metrics.Metrics
	// ServeMetrics serves Metrics at /metrics on this handler.
	ServeMetrics bool
	// Database and Redis are checked by /readyz.
	Database, Redis Pinger
	// Direct serves subscriptions over graphql-transport-ws without gqlgen's per-subscriber
	// execution when it can (nil: gqlgen executes every operation).
	Direct DirectExtension
	// WebDir holds the built SPA; when it has no index.html a placeholder page is served.
	WebDir string
	// Routes are further handlers by pattern, e.g. "POST /webhooks/stripe" (no CORS, no auth:
	// each checks its own callers).
	Routes map[string]http.Handler
}

// DirectExtension is an operation interceptor that serves some subscriptions itself by taking
// the transport's live.Offer (graph.Direct). What it serves skips gqlgen's response and field
// middleware, so it vets every other extension installed beside it.
type DirectExtension interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	// Beside returns why x must not run beside it, or nil.
	Beside(x graphql.HandlerExtension) error
}

// Server is the HTTP handler with its shutdown hooks.
type Server struct {
	http.Handler
	shuttingDown atomic.Bool
	streams      context.Context
	stopStreams  context.CancelFunc
	ws           *gqlws.Transport
	wsCap        *websocketCap
}

// New builds the handler.
func New(o Options) *Server {
	s := &Server{}
	s.streams, s.stopStreams = context.WithCancel(context.Background())
	s.wsCap = &websocketCap{limit: o.MaxWebSocketsPerClient, metrics: o.Metrics,
		byClient: map[string]int{}}
	logger := o.Logger
	if logger == nil {
		logger = slog.Default()
	}

	maxBody := o.MaxBodyBytes
	if maxBody <= 0 {
		maxBody = defaultMaxBodyBytes
	}
	trusted := proxies(o.TrustedProxies)

	gql := handler.New(o.Schema)
	// Every extension goes through use, so that Direct vets it.
	var installed []graphql.HandlerExtension
	use := func(x graphql.HandlerExtension) {
		gql.Use(x)
		installed = append(installed, x)
	}
	// SSE must come before POST: both accept POST, SSE only with Accept: text/event-stream.
	gql.AddTransport(transport.SSE{})
	// graphql-transport-ws (the protocol of the graphql-ws client, which the SPA uses) has a
	// transport of its own, built for many idle subscribers. gqlgen's legacy
	// subscriptions-transport-ws protocol is not served: no client of ours speaks it.
	s.ws = gqlws.New(gqlws.Options{
		InitFunc:     websocketAuth(o.Authenticate),
		CloseCodeFor: initCloseCode,
		InitTimeout:  10 * time.Second,
		PingInterval: 15 * time.Second,
		ReadLimit:    maxBody,
		OriginHosts:  o.OriginHosts,
		Shutdown:     s.streams,
		Logger:       logger,
	})
	gql.AddTransport(s.ws)
	gql.AddTransport(transport.Options{})
	// GET runs queries only: gqlgen refuses mutations over GET (no CSRF through links).
	gql.AddTransport(transport.GET{})
	gql.AddTransport(post{})
	gql.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	gql.SetParserTokenLimit(o.MaxTokens)
	if !o.Dev {
		// "Did you mean …" would name fields, arguments, types and enum values that
		// introspection, off outside -dev, keeps to itself.
		gql.SetDisableSuggestion(true)
		gql.SetValidationRulesFn(rulesWithoutSuggestions)
	}
	// Operation interceptors run in Use order, outermost first: metrics see refused operations.
	use(operationMetrics{metrics: o.Metrics})
	if o.Recheck != nil {
		use(credentialsRecheck{recheck: o.Recheck, metrics: o.Metrics})
	}
	use(&subscriptionCaps{
		perConnection: o.MaxSubscriptionsPerConnection,
		perClient:     o.MaxSubscriptionsPerClient,
		metrics:       o.Metrics,
		byClient:      map[string]int{},
	})
	if o.MutationLimiter != nil {
		use(&mutationRateLimit{limiter: o.MutationLimiter, logger: logger, metrics: o.Metrics})
	}
	// Last interceptor: direct subscriptions pass the caps and counters above first.
	if o.Direct != nil {
		use(countedDirect{DirectExtension: o.Direct, metrics: o.Metrics})
	}
	var apq graphql.Cache[string] = lru.New[string](1000)
	if o.APQRedis != nil {
		ttl := o.APQTTL
		if ttl <= 0 {
			ttl = defaultAPQTTL
		}
		apq = &apqCache{rdb: o.APQRedis, prefix: o.RedisPrefix, ttl: ttl,
			quota: o.APQClientQuota, logger: logger, metrics: o.Metrics}
	}
	// Parameter mutators run in Use order, before parsing: the persisted query's text first,
	// then the bounds that keep validation cheap.
	use(apqLookup{cache: apq})
	use(newDocumentLimit(o.MaxTokens, o.MaxSelections))
	// Context mutators run after validation, in Use order: the cheap shape walk before the
	// complexity calculation, and the persisted-query store last, for documents that passed.
	use(shapeLimit{maxDepth: o.MaxDepth, maxAliases: o.MaxAliases,
		maxMutationFields: o.MaxMutationFields})
	use(newComplexityLimit(o.ComplexityLimit))
	if o.Dev {
		use(extension.Introspection{})
	}
	use(apqStore{cache: apq})
	for _, x := range o.Extensions {
		use(x)
	}
	if o.Direct != nil {
		for _, x := range installed {
			if err := o.Direct.Beside(x); err != nil {
				panic("httpapi.New: " + err.Error())
			}
		}
	}
	presenter := graphql.DefaultErrorPresenter
	if o.ErrorPresenter != nil {
		presenter = o.ErrorPresenter
	}
	gql.SetErrorPresenter(countingPresenter(o.Metrics, presenter))
	if o.RecoverFunc != nil {
		gql.SetRecoverFunc(o.RecoverFunc)
	}

	var api http.Handler = gql
	if o.Authenticate != nil {
		api = authenticate(o.Authenticate, logger, api)
	}
	api = s.streamContext(api)
	api = limitBody(maxBody, api)
	api = trusted.clientAddress(proxies(o.ExemptClients), api)
	api = cors.New(cors.Options{
		AllowedOrigins:   o.AllowedOrigins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:   []string{"Authorization", "Content-Type", "X-Request-ID", "X-Order-Token"},
		ExposedHeaders:   []string{"X-Request-ID"},
		AllowCredentials: false,
		MaxAge:           600,
	}).Handler(api)

	mux := http.NewServeMux()
	mux.Handle("/query", api)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.readyz(o.Database, o.Redis, logger))
	if o.ServeMetrics && o.Metrics != nil {
		mux.Handle("GET /metrics", o.Metrics.Handler())
	}
	if o.Dev {
		mux.Handle("GET /playground", playground.Handler("Atelier", "/query"))
	}
	for pattern, h := range o.Routes {
		mux.Handle(pattern, h)
	}
	mux.Handle("/", spaHandler(o.WebDir))
	s.Handler = requestLog(logger, trusted.securityHeaders(mux))
	return s
}

// BeginShutdown marks the server as draining: /readyz turns false so load balancers stop sending
// traffic, and every open subscription stream is closed with a code that tells clients to
// reconnect (WebSocket 1001 "going away"). Ordinary requests keep running until
// http.Server.Shutdown has drained them.
func (s *Server) BeginShutdown() {
	s.shuttingDown.Store(true)
	s.stopStreams()
}

// WaitStreams returns once every graphql-transport-ws connection has ended after
// BeginShutdown (each is closed with 1001 and given a moment to answer), or with ctx's error.
// http.Server.Shutdown does not wait for hijacked connections; without this the process could
// exit before the close frames leave.
func (s *Server) WaitStreams(ctx context.Context) error { return s.ws.Wait(ctx) }

// streamContext ties long-lived requests (WebSocket upgrades and SSE streams) to the server's
// stream context so BeginShutdown can end them; http.Server.Shutdown does not wait for or close
// hijacked connections. Streams are exempt from the server's read and write timeouts (a
// hijacked WebSocket loses them anyway; an SSE stream has them cleared here), and each
// WebSocket connection gets its subscription counter and a place under the per-client cap,
// held until the connection ends.
func (s *Server) streamContext(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isStream(r) {
			next.ServeHTTP(w, r)
			return
		}
		if s.shuttingDown.Load() {
			http.Error(w, "server is shutting down", http.StatusServiceUnavailable)
			return
		}
		if r.Header.Get("Upgrade") == "" {
			rc := http.NewResponseController(w)
			_ = rc.SetReadDeadline(time.Time{})
			_ = rc.SetWriteDeadline(time.Time{})
		}
		ctx, cancel := context.WithCancel(withConnSubscriptions(r.Context()))
		stop := context.AfterFunc(s.streams, cancel)
		defer stop()
		defer cancel()
		if r.Header.Get("Upgrade") != "" {
			release, ok := s.wsCap.acquire(auth.ClientAddr(ctx))
			if !ok {
				s.wsCap.refuse(w)
				return
			}
			// gqlws serves the connection after this request returns and releases the place
			// when it ends; gqlgen's transport serves it within the request.
			var h *gqlws.Handoff
			ctx, h = gqlws.WithHandoff(ctx, release)
			defer func() {
				if !h.Adopted() {
					release()
				}
			}()
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// isStream matches what gqlgen's WebSocket and SSE transports accept.
func isStream(r *http.Request) bool {
	return r.Header.Get("Upgrade") != "" ||
		strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// readyz reports which backend is down, never why: dial errors name internal addresses, so
// they go to the log.
func (s *Server) readyz(db, redis Pinger, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		status := map[string]any{}
		ready := true
		check := func(name string, p Pinger) {
			if p == nil {
				return
			}
			if err := p.Ping(ctx); err != nil {
				ready = false
				status[name] = map[string]any{"ok": false}
				logger.WarnContext(ctx, "readiness check failed", "backend", name, "err", err)
				return
			}
			status[name] = map[string]any{"ok": true}
		}
		check("database", db)
		check("redis", redis)
		if s.shuttingDown.Load() {
			ready = false
			status["shuttingDown"] = true
		}
		status["ready"] = ready
		code := http.StatusOK
		if !ready {
			code = http.StatusServiceUnavailable
		}
		writeJSON(w, code, status)
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// countedDirect counts the subscriptions its Direct serves.
type countedDirect struct {
	DirectExtension
	metrics *metrics.Metrics
}

// InterceptOperation serves through Direct and counts the offers it takes.
func (d countedDirect) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	h := d.DirectExtension.InterceptOperation(ctx, next)
	if offer := live.OfferFrom(ctx); offer != nil && offer.Taken() {
		d.metrics.DirectSubscription()
	}
	return h
}
