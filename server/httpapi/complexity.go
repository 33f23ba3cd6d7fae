package httpapi

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// complexityLimit is gqlgen's extension.FixedComplexityLimit — the same calculation, error,
// error code and ComplexityStats — that remembers an operation's complexity when the variables
// cannot change it. Calculating walks the whole operation and builds every field's arguments
// from the variables; for the SPA's configure step that was ~3 % of the step's CPU, spent on
// a number that is the same on every step.
//
// The variables change a complexity only through the arguments of a field whose complexity
// function the schema sets (the others count one per field plus their children, whatever
// their arguments). So an operation is remembered, by parsed document and operation name,
// when no field whose arguments use a variable had its complexity computed by such a function
// (matched by field name, over-cautiously).
type complexityLimit struct {
	limit int
	es    graphql.ExecutableSchema
	known *lru.Cache[complexityKey, int]
}

// complexityKey is an operation of a parsed document (gqlgen keeps parsed documents in its
// query cache, so the same text gives the same document while it stays there; the key keeps
// it alive, so its address is not reused).
type complexityKey struct {
	doc *ast.QueryDocument
	op  string
}

// complexityCacheSize matches gqlgen's parsed-document cache.
const complexityCacheSize = 1000

func newComplexityLimit(limit int) *complexityLimit {
	known, _ := lru.New[complexityKey, int](complexityCacheSize)
	return &complexityLimit{limit: limit, known: known}
}

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = (*complexityLimit)(nil)

// ExtensionName is gqlgen's, so extension.GetComplexityStats reads the stats.
func (*complexityLimit) ExtensionName() string { return "ComplexityLimit" }

// Validate keeps the schema.
func (c *complexityLimit) Validate(schema graphql.ExecutableSchema) error {
	if schema == nil {
		return errors.New("complexityLimit: no schema")
	}
	c.es = schema
	return nil
}

// MutateOperationContext refuses an operation over the limit, as FixedComplexityLimit does.
func (c *complexityLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	n := c.complexity(ctx, oc)
	oc.Stats.SetExtension("ComplexityLimit", &extension.ComplexityStats{Complexity: n, ComplexityLimit: c.limit})
	if n > c.limit {
		err := gqlerror.Errorf("operation has complexity %d, which exceeds the limit of %d", n, c.limit)
		errcode.Set(err, "COMPLEXITY_LIMIT_EXCEEDED")
		return err
	}
	return nil
}

func (c *complexityLimit) complexity(ctx context.Context, oc *graphql.OperationContext) int {
	op := oc.Doc.Operations.ForName(oc.OperationName)
	key := complexityKey{doc: oc.Doc, op: oc.OperationName}
	if n, ok := c.known.Get(key); ok {
		return n
	}
	rec := &recordingComplexity{ExecutableSchema: c.es, variableArgs: map[string]bool{}}
	fieldsWithVariables(oc.Doc, op.SelectionSet, rec.variableArgs, map[string]bool{})
	n := complexity.Calculate(ctx, rec, op, oc.Variables)
	if !rec.dependsOnVariables {
		c.known.Add(key, n)
	}
	return n
}

// recordingComplexity notes whether a field whose arguments use variables was weighed by a
// complexity function of the schema's.
type recordingComplexity struct {
	graphql.ExecutableSchema
	variableArgs       map[string]bool
	dependsOnVariables bool
}

func (r *recordingComplexity) Complexity(ctx context.Context, typeName, field string,
	childComplexity int, args map[string]any,
) (int, bool) {
	n, ok := r.ExecutableSchema.Complexity(ctx, typeName, field, childComplexity, args)
	if ok && r.variableArgs[field] {
		r.dependsOnVariables = true
	}
	return n, ok
}

// fieldsWithVariables adds to names the fields below sel (fragments included) with an
// argument that uses a variable.
func fieldsWithVariables(doc *ast.QueryDocument, sel ast.SelectionSet, names, seen map[string]bool) {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			for _, a := range s.Arguments {
				if usesVariable(a.Value) {
					names[s.Name] = true
				}
			}
			fieldsWithVariables(doc, s.SelectionSet, names, seen)
		case *ast.InlineFragment:
			fieldsWithVariables(doc, s.SelectionSet, names, seen)
		case *ast.FragmentSpread:
			if !seen[s.Name] {
				seen[s.Name] = true
				if f := doc.Fragments.ForName(s.Name); f != nil {
					fieldsWithVariables(doc, f.SelectionSet, names, seen)
				}
			}
		}
	}
}

// usesVariable reports whether v is or holds a variable.
func usesVariable(v *ast.Value) bool {
	if v == nil {
		return false
	}
	if v.Kind == ast.Variable {
		return true
	}
	for _, c := range v.Children {
		if usesVariable(c.Value) {
			return true
		}
	}
	return false
}
