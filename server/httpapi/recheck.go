package httpapi

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/metrics"
)

type connAuthKey struct{}

// withConnAuth marks ctx as authenticated once for a whole WebSocket connection.
func withConnAuth(ctx context.Context) context.Context {
	return context.WithValue(ctx, connAuthKey{}, true)
}

// credentialsRecheck checks the credentials of a WebSocket connection again before each of its
// operations: the connection authenticated once, at connection_init, and a staff token revoked
// since (by `atelier token revoke` on any instance) must stop working at once, as it does over
// HTTP where every request authenticates. Operations over HTTP are not checked twice.
type credentialsRecheck struct {
	recheck func(context.Context) (context.Context, error)
	metrics *metrics.Metrics
}

var _ interface {
	graphql.OperationInterceptor
	graphql.HandlerExtension
} = credentialsRecheck{}

// ExtensionName names the extension.
func (credentialsRecheck) ExtensionName() string { return "CredentialsRecheck" }

// Validate accepts any schema.
func (credentialsRecheck) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation runs the operation with the viewer as it is now.
func (c credentialsRecheck) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if on, _ := ctx.Value(connAuthKey{}).(bool); !on {
		return next(ctx)
	}
	ctx, err := c.recheck(ctx)
	if err != nil {
		return refuse(c.metrics, string(fault.Unavailable), "cannot check credentials right now", nil)
	}
	return next(ctx)
}
