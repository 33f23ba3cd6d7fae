package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/server/loader"
)

// Loaders is the handler extension that gives each query response (and each subscription
// event) its own loaders (server/loader), so the lists under a page are read in one batch per
// list with the caller's viewer. Mutations get none: a loader's cache would outlive the first
// of several mutations in one operation, and their payloads hold single records.
type Loaders struct {
	// Client is the ent client the loaders read through (the resolvers' client).
	Client *ent.Client
	// Wait is how long a loader gathers keys (loader.DefaultWait when 0).
	Wait time.Duration
}

var (
	_ graphql.HandlerExtension    = Loaders{}
	_ graphql.ResponseInterceptor = Loaders{}
)

// ExtensionName names the extension.
func (Loaders) ExtensionName() string { return "Loaders" }

// Validate accepts any schema.
func (Loaders) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse installs new loaders for the response.
func (l Loaders) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if op := graphql.GetOperationContext(ctx).Operation; op != nil && op.Operation == ast.Mutation {
		return next(ctx)
	}
	return next(loader.NewContext(ctx, loader.New(l.Client, l.Wait)))
}

// unbatchedWait is the wait of loaders made for one read outside a batched response: there is
// nothing to wait for.
const unbatchedWait = time.Nanosecond

// loaders returns the response's loaders, or new ones for a read outside a batched response
// (a mutation's payload, a handler without the Loaders extension).
func (r *Resolver) loaders(ctx context.Context) *loader.Loaders {
	if l := loader.FromContext(ctx); l != nil {
		return l
	}
	return loader.New(r.client, unbatchedWait)
}
