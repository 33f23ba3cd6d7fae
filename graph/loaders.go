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
func (l Loaders) InterceptResponse(ctx context.Context,
	next graphql.ResponseHandler,
) *graphql.Response {
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

// primeDraftLists reads ahead the draft lists a designer's page of products asks for (the
// studio's product page), in one query per list.
func (r *Resolver) primeDraftLists(ctx context.Context, conn *ent.ProductConnection) error {
	l := loader.FromContext(ctx)
	if l == nil || conn == nil || len(conn.Edges) == 0 || r.designer(ctx) != nil {
		return nil
	}
	var want loader.Want
	opCtx := graphql.GetOperationContext(ctx)
	page := graphql.GetFieldContext(ctx).Field.Selections
	for _, edges := range fieldsNamed(opCtx, page, "edges", "ProductConnection") {
		for _, node := range fieldsNamed(opCtx, edges.Selections, "node", "ProductEdge") {
			for _, f := range graphql.CollectFields(opCtx, node.Selections, []string{"Product", "Node"}) {
				switch f.Name {
				case "draftGroups":
					want.Groups = true
					want.Options = want.Options ||
						len(fieldsNamed(opCtx, f.Selections, "options", "OptionGroup", "Node")) > 0
				case "rules":
					want.Rules = true
				case "priceRules":
					want.PriceRules = true
				case "priceTiers":
					want.PriceTiers = true
				}
			}
		}
	}
	ids := make([]int, 0, len(conn.Edges))
	for _, e := range conn.Edges {
		ids = append(ids, e.Node.ID)
	}
	return l.PrimeProducts(ctx, ids, want)
}

// fieldsNamed returns the fields of sel (fragments merged) whose name is name.
func fieldsNamed(opCtx *graphql.OperationContext, sel ast.SelectionSet, name string,
	satisfies ...string,
) []graphql.CollectedField {
	var out []graphql.CollectedField
	for _, f := range graphql.CollectFields(opCtx, sel, satisfies) {
		if f.Name == name {
			out = append(out, f)
		}
	}
	return out
}
