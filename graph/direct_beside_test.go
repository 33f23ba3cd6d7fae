package graph_test

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/stretchr/testify/assert"

	"github.com/atelier/atelier/graph"
)

type fieldMiddleware struct{}

func (fieldMiddleware) ExtensionName() string                   { return "FieldMiddleware" }
func (fieldMiddleware) Validate(graphql.ExecutableSchema) error { return nil }
func (fieldMiddleware) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	return next(ctx)
}

type responseMiddleware struct{}

func (responseMiddleware) ExtensionName() string                   { return "ResponseMiddleware" }
func (responseMiddleware) Validate(graphql.ExecutableSchema) error { return nil }
func (responseMiddleware) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	return next(ctx)
}

// TestDirectBeside: middleware that Direct would bypass is refused beside it; operation-level
// extensions and the ConfigurationEncoder (Configuration fields only) are not.
func TestDirectBeside(t *testing.T) {
	d := graph.NewDirect(graph.Deps{})
	assert.NoError(t, d.Beside(extension.FixedComplexityLimit(10)))
	assert.NoError(t, d.Beside(extension.Introspection{}))
	assert.NoError(t, d.Beside(graph.NewConfigurationEncoder(graph.NewSchema(graph.Deps{}), 0)))
	assert.NoError(t, d.Beside(graph.Loaders{}), "the app installs both")
	assert.ErrorContains(t, d.Beside(fieldMiddleware{}), "FieldMiddleware intercepts fields")
	assert.ErrorContains(t, d.Beside(responseMiddleware{}), "ResponseMiddleware intercepts responses")
}
