package httpapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"mime"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/live"
	"github.com/atelier/atelier/server/metrics"
	"github.com/atelier/atelier/server/ratelimit"
)

// Error codes of the limits, next to gqlgen's own COMPLEXITY_LIMIT_EXCEEDED.
const (
	codeDepthLimit        = "DEPTH_LIMIT_EXCEEDED"
	codeAliasLimit        = "ALIAS_LIMIT_EXCEEDED"
	codeSubscriptionLimit = "SUBSCRIPTION_LIMIT_EXCEEDED"
	codeTooLarge          = "REQUEST_TOO_LARGE"
	codeBatch             = "BATCH_NOT_SUPPORTED"
	codeMutationLimit     = "MUTATION_LIMIT_EXCEEDED"
)

// shapeLimit refuses operations nested deeper than maxDepth, with more than maxAliases aliased
// fields (fragments expanded), or with more than maxMutationFields mutation fields; 0 switches
// a bound off. It runs after validation, so fragments exist and have no cycles.
type shapeLimit struct {
	maxDepth, maxAliases, maxMutationFields int
}

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = shapeLimit{}

// ExtensionName names the extension.
func (shapeLimit) ExtensionName() string { return "ShapeLimit" }

// Validate accepts any schema.
func (shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext measures the operation and refuses it when it is over a bound.
func (l shapeLimit) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation == nil {
		return nil
	}
	w := shapeWalker{doc: opCtx.Doc, memo: map[string]shape{}}
	s := w.selections(opCtx.Operation.SelectionSet)
	if l.maxDepth > 0 && s.depth > l.maxDepth {
		err := gqlerror.Errorf("operation has depth %d, which exceeds the limit of %d", s.depth, l.maxDepth)
		errcode.Set(err, codeDepthLimit)
		return err
	}
	if l.maxAliases > 0 && s.aliases > l.maxAliases {
		err := gqlerror.Errorf("operation has %d aliases, which exceeds the limit of %d", s.aliases, l.maxAliases)
		errcode.Set(err, codeAliasLimit)
		return err
	}
	if l.maxMutationFields > 0 && opCtx.Operation.Operation == ast.Mutation {
		if n := mutationFields(opCtx.Doc, opCtx.Operation); n > l.maxMutationFields {
			err := gqlerror.Errorf("operation has %d mutation fields, which exceeds the limit of %d",
				n, l.maxMutationFields)
			errcode.Set(err, codeMutationLimit)
			return err
		}
	}
	return nil
}

// mutationFields counts the mutations an operation runs: its root fields other than
// __typename, through fragments (each counted once per spread, each walked once).
func mutationFields(doc *ast.QueryDocument, op *ast.OperationDefinition) int {
	memo := map[string]int{}
	var count func(ast.SelectionSet) int
	count = func(set ast.SelectionSet) int {
		n := 0
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				if !strings.HasPrefix(sel.Name, "__") {
					n++
				}
			case *ast.InlineFragment:
				n += count(sel.SelectionSet)
			case *ast.FragmentSpread:
				c, ok := memo[sel.Name]
				if !ok {
					memo[sel.Name] = 0 // a cycle (refused by validation already) adds nothing
					if f := doc.Fragments.ForName(sel.Name); f != nil {
						c = count(f.SelectionSet)
					}
					memo[sel.Name] = c
				}
				n += c
			}
			// Saturate: spreads can multiply.
			n = min(n, math.MaxInt32)
		}
		return n
	}
	return count(op.SelectionSet)
}

type shape struct{ depth, aliases int }

// shapeWalker measures selection sets, each fragment once however often it is spread (a
// document of nested spreads would otherwise take exponential time to walk).
type shapeWalker struct {
	doc  *ast.QueryDocument
	memo map[string]shape
}

func (w *shapeWalker) selections(set ast.SelectionSet) shape {
	var s shape
	add := func(c shape) {
		s.depth = max(s.depth, c.depth)
		// Saturate: a spread fragment counts once per use, which can multiply.
		s.aliases = min(s.aliases+c.aliases, math.MaxInt32)
	}
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			var c shape
			// Introspection fields answer only with -dev and their standard query nests deep:
			// they add no depth, but their aliases count (`a: __typename` costs like any field).
			if !strings.HasPrefix(sel.Name, "__") {
				c = w.selections(sel.SelectionSet)
				c.depth++
			}
			if sel.Alias != "" && sel.Alias != sel.Name {
				c.aliases++
			}
			add(c)
		case *ast.InlineFragment:
			add(w.selections(sel.SelectionSet))
		case *ast.FragmentSpread:
			add(w.fragment(sel.Name))
		}
	}
	return s
}

func (w *shapeWalker) fragment(name string) shape {
	if s, ok := w.memo[name]; ok {
		return s
	}
	w.memo[name] = shape{} // a cycle (refused by validation already) adds nothing
	var s shape
	if f := w.doc.Fragments.ForName(name); f != nil {
		s = w.selections(f.SelectionSet)
	}
	w.memo[name] = s
	return s
}

// limitBody caps POST bodies at maxBytes with a clear 413, refuses batched (JSON array)
// bodies, which gqlgen does not execute, with a clear 400, and JSON bodies that are not a
// GraphQL request with a clean 400 BAD_REQUEST (gqlgen's own message echoes the body and Go
// type names).
func limitBody(maxBytes int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Body == nil {
			next.ServeHTTP(w, r)
			return
		}
		tooLarge := func() {
			writeGraphQLError(w, http.StatusRequestEntityTooLarge, codeTooLarge,
				fmt.Sprintf("request body is larger than the limit of %d bytes", maxBytes))
		}
		if r.ContentLength > maxBytes {
			tooLarge()
			return
		}
		// Sized from Content-Length when it is given: one allocation instead of ReadAll's doublings.
		buf := bytes.NewBuffer(make([]byte, 0, max(r.ContentLength, 0)+bytes.MinRead))
		_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxBytes))
		body := buf.Bytes()
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				tooLarge()
				return
			}
			writeGraphQLError(w, http.StatusBadRequest, "BAD_REQUEST", "could not read the request body")
			return
		}
		if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '[' {
			writeGraphQLError(w, http.StatusBadRequest, codeBatch,
				"batched operations are not supported: send one operation per request")
			return
		}
		params, ok := graphQLRequest(r, body)
		if !ok {
			writeGraphQLError(w, http.StatusBadRequest, "BAD_REQUEST", "the request body is not "+
				"a GraphQL request: a JSON object with query, operationName, variables and "+
				"extensions is expected")
			return
		}
		if params != nil {
			// Decoded once: the POST transport takes these instead of decoding the body again.
			r = r.WithContext(context.WithValue(r.Context(), decodedParamsKey{}, params))
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// graphQLRequest reports whether a JSON body (as gqlgen's POST and SSE transports read it)
// decodes as a GraphQL request, and returns its parameters, decoded as the POST transport
// decodes them, for that transport (decodedParams); bodies of other media types are left to
// gqlgen (nil, true).
func graphQLRequest(r *http.Request, body []byte) (*graphql.RawParams, bool) {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/json" {
		return nil, true
	}
	var params graphql.RawParams
	if !decodeParams(body, &params) && decodeParamsSlowly(body, &params) != nil {
		return nil, false
	}
	return &params, true
}

// decodedParamsKey is the context key of the parameters limitBody decoded.
type decodedParamsKey struct{}

// decodedParams returns the parameters limitBody decoded from r's body, if it did.
func decodedParams(r *http.Request) (*graphql.RawParams, bool) {
	p, ok := r.Context().Value(decodedParamsKey{}).(*graphql.RawParams)
	return p, ok
}

func writeGraphQLError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{
		"message": msg, "extensions": map[string]any{"code": code},
	}}})
}

// refuse answers an operation with one error without running it. OneShot: a streaming
// transport would otherwise ask for the next response forever.
func refuse(m *metrics.Metrics, code, msg string, ext map[string]any) graphql.ResponseHandler {
	extensions := map[string]any{"code": code}
	for k, v := range ext {
		extensions[k] = v
	}
	m.Error(code)
	return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{Message: msg, Extensions: extensions}}})
}

func operationType(ctx context.Context) ast.Operation {
	if !graphql.HasOperationContext(ctx) {
		return ""
	}
	opCtx := graphql.GetOperationContext(ctx)
	if opCtx.Operation == nil {
		return ""
	}
	return opCtx.Operation.Operation
}

// limiterTimeout bounds the limiter's Redis round trip: a slow Redis must not hold mutations.
const limiterTimeout = time.Second

// mutationRateLimit spends one unit of the client address's budget per mutation field (an
// operation of 5 aliased mutations spends 5) and refuses the operation with RATE_LIMITED when
// the budget does not cover it. When Redis fails it lets mutations through.
type mutationRateLimit struct {
	limiter *ratelimit.Limiter
	logger  *slog.Logger
	metrics *metrics.Metrics
	// lastWarn throttles the fail-open warning to one per warnEvery.
	lastWarn atomic.Int64
}

const warnEvery = 10 * time.Second

// ExtensionName names the extension.
func (*mutationRateLimit) ExtensionName() string { return "MutationRateLimit" }

// Validate accepts any schema.
func (*mutationRateLimit) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation counts mutation fields against the client's budget.
func (l *mutationRateLimit) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	addr := auth.ClientAddr(ctx)
	if operationType(ctx) != ast.Mutation || addr == "" {
		return next(ctx)
	}
	opCtx := graphql.GetOperationContext(ctx)
	n := max(mutationFields(opCtx.Doc, opCtx.Operation), 1)
	lctx, cancel := context.WithTimeout(ctx, limiterTimeout)
	res, err := l.limiter.AllowN(lctx, addr, n)
	cancel()
	if err != nil {
		now := time.Now().UnixNano()
		if last := l.lastWarn.Load(); now-last > int64(warnEvery) && l.lastWarn.CompareAndSwap(last, now) {
			l.logger.WarnContext(ctx, "rate limiter unavailable: letting mutations through", "err", err)
		}
		return next(ctx)
	}
	if !res.Allowed {
		l.metrics.RateLimited()
		secs := int(math.Ceil(res.RetryAfter.Seconds()))
		secs = max(secs, 1)
		return refuse(l.metrics, string(fault.RateLimited),
			fmt.Sprintf("too many changes from your address: try again in %d s", secs),
			map[string]any{"retryAfter": secs})
	}
	return next(ctx)
}

// connSubscriptions counts the live subscriptions of one WebSocket connection.
type connSubscriptions struct{ n atomic.Int64 }

type connSubscriptionsKey struct{}

func withConnSubscriptions(ctx context.Context) context.Context {
	return context.WithValue(ctx, connSubscriptionsKey{}, &connSubscriptions{})
}

// subscriptionCaps bounds live subscriptions per WebSocket connection and per client address
// on this instance (0: no bound), refusing extra ones with SUBSCRIPTION_LIMIT_EXCEEDED, and
// tracks the active-subscriptions gauge.
type subscriptionCaps struct {
	perConnection, perClient int
	metrics                  *metrics.Metrics

	mu       sync.Mutex
	byClient map[string]int
}

// ExtensionName names the extension.
func (*subscriptionCaps) ExtensionName() string { return "SubscriptionCaps" }

// Validate accepts any schema.
func (*subscriptionCaps) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation admits or refuses a subscription and releases it when it ends (its
// context is cancelled when the client stops it, the connection closes or the stream ends).
func (c *subscriptionCaps) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if operationType(ctx) != ast.Subscription {
		return next(ctx)
	}
	conn, _ := ctx.Value(connSubscriptionsKey{}).(*connSubscriptions)
	if conn != nil {
		if n := conn.n.Add(1); c.perConnection > 0 && n > int64(c.perConnection) {
			conn.n.Add(-1)
			return refuse(c.metrics, codeSubscriptionLimit, fmt.Sprintf(
				"too many subscriptions on this connection (limit %d)", c.perConnection), nil)
		}
	}
	addr := auth.ClientAddr(ctx)
	if addr != "" {
		c.mu.Lock()
		if c.perClient > 0 && c.byClient[addr] >= c.perClient {
			c.mu.Unlock()
			if conn != nil {
				conn.n.Add(-1)
			}
			return refuse(c.metrics, codeSubscriptionLimit, fmt.Sprintf(
				"too many subscriptions from your address (limit %d)", c.perClient), nil)
		}
		c.byClient[addr]++
		c.mu.Unlock()
	}
	c.metrics.SubscriptionStarted()
	// On the operation's lifetime: a registration on ctx would keep every value of the
	// operation alive as long as the subscription.
	context.AfterFunc(live.Lifetime(ctx), func() {
		c.metrics.SubscriptionEnded()
		if conn != nil {
			conn.n.Add(-1)
		}
		if addr != "" {
			c.mu.Lock()
			if c.byClient[addr]--; c.byClient[addr] <= 0 {
				delete(c.byClient, addr)
			}
			c.mu.Unlock()
		}
	})
	return next(ctx)
}

// operationMetrics observes the duration of queries and mutations (subscriptions are counted
// by subscriptionCaps instead: their duration is the client's choice).
type operationMetrics struct{ metrics *metrics.Metrics }

// ExtensionName names the extension.
func (operationMetrics) ExtensionName() string { return "OperationMetrics" }

// Validate accepts any schema.
func (operationMetrics) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation times the operation up to its (first) response.
func (o operationMetrics) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := operationType(ctx)
	if op == "" || op == ast.Subscription {
		return next(ctx)
	}
	opCtx := graphql.GetOperationContext(ctx)
	start := opCtx.Stats.OperationStart
	if start.IsZero() {
		start = time.Now()
	}
	name := opCtx.OperationName
	if name == "" {
		name = opCtx.Operation.Name
	}
	responses := next(ctx)
	var once sync.Once
	return func(ctx context.Context) *graphql.Response {
		r := responses(ctx)
		once.Do(func() { o.metrics.ObserveOperation(string(op), name, time.Since(start)) })
		return r
	}
}

// countingPresenter counts every presented error by its extensions.code.
func countingPresenter(m *metrics.Metrics, inner graphql.ErrorPresenterFunc) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		e := inner(ctx, err)
		if e != nil {
			code, _ := e.Extensions["code"].(string)
			m.Error(code)
		}
		return e
	}
}
