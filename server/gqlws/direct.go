package gqlws

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Direct serves some subscriptions without gqlgen's executor: no goroutine and no execution
// per subscriber, typically one encoding per event shared by every subscriber.
type Direct interface {
	// SubscribeDirect starts serving the operation of ctx (graphql.GetOperationContext) when it
	// can: each result goes to send as the JSON payload of a next message ({"data":…}), from one
	// goroutine at a time and without blocking, until ctx is done. It returns false, having
	// started nothing, for operations it does not serve, including failing ones: gqlgen then
	// executes them and reports their errors.
	SubscribeDirect(ctx context.Context, send func(payload []byte)) bool
}

// directCall is what the transport offers an operation: a way to send results directly.
type directCall struct {
	send  func([]byte)
	taken bool
}

type directKey struct{}

type lifetimeKey struct{}

// Lifetime returns a context that ends with the operation of ctx but carries none of its
// values. Register what outlives an operation's start on it (context.AfterFunc, a Join): a
// registration on ctx itself keeps the whole operation context (document, variables, trace)
// alive for as long as the subscription lasts. Outside this transport it returns ctx.
func Lifetime(ctx context.Context) context.Context {
	if l, ok := ctx.Value(lifetimeKey{}).(context.Context); ok {
		return l
	}
	return ctx
}

// Interceptor returns the gqlgen extension that hands this transport's subscriptions to d.
// Register it after every other operation interceptor so that the limits and counters before
// it apply to direct subscriptions too.
func Interceptor(d Direct) graphql.HandlerExtension { return interceptor{d: d} }

type interceptor struct{ d Direct }

var _ interface {
	graphql.OperationInterceptor
	graphql.HandlerExtension
} = interceptor{}

// ExtensionName names the extension.
func (interceptor) ExtensionName() string { return "DirectSubscriptions" }

// Validate accepts any schema.
func (interceptor) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation serves a subscription directly when the transport offers it and d takes
// it; the transport then pulls nothing from the returned handler.
func (i interceptor) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	call, _ := ctx.Value(directKey{}).(*directCall)
	if call == nil || !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	op := graphql.GetOperationContext(ctx).Operation
	if op == nil || op.Operation != ast.Subscription || !i.d.SubscribeDirect(ctx, call.send) {
		return next(ctx)
	}
	call.taken = true
	return func(context.Context) *graphql.Response { return nil }
}
