package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/atelier/atelier/graph"
	"github.com/atelier/atelier/server/config"
)

// spaOperation is one operation of the SPA as urql sends it: the operation followed by every
// fragment it spreads, directly or through other fragments.
type spaOperation struct {
	name, text string
}

// spaOperations reads the SPA's documents from the generated web-client/src/gql/gql.ts (the
// client preset keys its map by each graphql(...) text written in operations.ts and the .tsx
// files) and assembles each operation with its fragments.
func spaOperations(t testing.TB) []spaOperation {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "web-client", "src", "gql", "gql.ts"))
	require.NoError(t, err)
	defer f.Close()
	var texts []string
	in := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "const documents"):
			in = true
		case in && strings.HasPrefix(line, "};"):
			in = false
		case in:
			key := strings.TrimSpace(line)
			end := strings.LastIndex(key, `": `)
			require.Positive(t, end, "unexpected line in gql.ts: %s", line)
			var text string
			require.NoError(t, json.Unmarshal([]byte(key[:end+1]), &text))
			texts = append(texts, text)
		}
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, texts, "no documents found in gql.ts")

	fragments := map[string]string{}
	type op struct {
		name, text string
		doc        *ast.QueryDocument
	}
	var ops []op
	for _, text := range texts {
		doc, err := parser.ParseQuery(&ast.Source{Input: text})
		require.NoError(t, err)
		for _, fr := range doc.Fragments {
			fragments[fr.Name] = text
		}
		for _, o := range doc.Operations {
			ops = append(ops, op{name: o.Name, text: text, doc: doc})
		}
	}
	var out []spaOperation
	for _, o := range ops {
		seen := map[string]bool{}
		var order []string
		var visit func(text string)
		visit = func(text string) {
			doc, err := parser.ParseQuery(&ast.Source{Input: text})
			require.NoError(t, err)
			var spreads []string
			var walk func(ast.SelectionSet)
			walk = func(set ast.SelectionSet) {
				for _, sel := range set {
					switch sel := sel.(type) {
					case *ast.Field:
						walk(sel.SelectionSet)
					case *ast.InlineFragment:
						walk(sel.SelectionSet)
					case *ast.FragmentSpread:
						spreads = append(spreads, sel.Name)
					}
				}
			}
			for _, d := range doc.Operations {
				walk(d.SelectionSet)
			}
			for _, d := range doc.Fragments {
				walk(d.SelectionSet)
			}
			for _, name := range spreads {
				if seen[name] {
					continue
				}
				seen[name] = true
				ft, ok := fragments[name]
				require.True(t, ok, "fragment %s of %s not found", name, o.name)
				order = append(order, ft)
				visit(ft)
			}
		}
		visit(o.text)
		order = slices.Compact(order)
		out = append(out, spaOperation{name: o.name, text: o.text + strings.Join(order, "")})
	}
	return out
}

// defaultLimits are the server's defaults, as config.Load gives them with nothing set.
func defaultLimits(t testing.TB) config.Config {
	t.Helper()
	c, err := config.Load(nil, func(string) string { return "" }, io.Discard)
	require.NoError(t, err)
	return c
}

// TestSPAOperationsPassEveryLimit: every operation the SPA sends (operations.ts and the .tsx
// documents, with their fragments) stays within the default limits, with room to spare.
func TestSPAOperationsPassEveryLimit(t *testing.T) {
	t.Parallel()
	c := defaultLimits(t)
	es := graph.NewSchema(graph.Deps{})
	ops := spaOperations(t)
	require.Greater(t, len(ops), 10, "the SPA's operations were found")
	gate := documentLimit{maxTokens: c.Limits.MaxTokens, maxSelections: c.Limits.MaxSelections}
	shapes := shapeLimit{maxDepth: c.Limits.MaxQueryDepth, maxAliases: c.Limits.MaxAliases,
		maxMutationFields: c.Limits.MaxMutationFields}
	var largest spaOperation
	for _, o := range ops {
		t.Run(o.name, func(t *testing.T) {
			require.Less(t, len(o.text), maxPersistedQueryBytes, "a persisted query may hold it")
			require.Less(t, int64(len(o.text)), c.Limits.MaxBodyBytes/4, "the body limit has room")
			require.Nil(t, gate.MutateOperationParameters(context.Background(),
				&graphql.RawParams{Query: o.text}))
			doc, errs := gqlparser.LoadQueryWithRules(es.Schema(), o.text, rulesWithoutSuggestions())
			require.Empty(t, errs)
			op := doc.Operations.ForName(o.name)
			opCtx := &graphql.OperationContext{Doc: doc, Operation: op}
			require.Nil(t, shapes.MutateOperationContext(context.Background(), opCtx))
			cost := complexity.Calculate(context.Background(), es, op, map[string]any{})
			assert.LessOrEqual(t, cost, c.ComplexityLimit, "within the complexity limit")
			t.Logf("%d bytes, %d selections, complexity %d", len(o.text), countSelections(doc), cost)
		})
		if len(o.text) > len(largest.text) {
			largest = o
		}
	}
	t.Logf("largest: %s, %d bytes", largest.name, len(largest.text))
}

// worstDocuments are the most expensive documents to validate that the default limits admit,
// one per shape that makes validation quadratic (overlapping-fields checks compare every pair
// of fields of one response name, and their sub-selections).
func worstDocuments(maxSelections int) map[string]string {
	var repeated, objects, inline strings.Builder
	names := maxSelections / maxRepeats
	for i := range maxSelections {
		fmt.Fprintf(&repeated, " f%d: __typename", i%names)
	}
	sub := maxSelections/maxRepeats - 1
	for range maxRepeats {
		objects.WriteString(" viewer {")
		for j := range sub {
			fmt.Fprintf(&objects, " f%d: __typename", j)
		}
		objects.WriteString(" }")
	}
	inlineNames := maxSelections / 2 / maxRepeats
	for i := range inlineNames * maxRepeats {
		fmt.Fprintf(&inline, " ... on Query { f%d: __typename }", i%inlineNames)
	}
	var distinct strings.Builder
	for i := range maxSelections - 20 {
		fmt.Fprintf(&distinct, " f%d: __typename", i)
	}
	return map[string]string{
		"repeated names":   "{" + repeated.String() + " }",
		"repeated objects": "{" + objects.String() + " }",
		"inline fragments": "{" + inline.String() + " }",
		"spreads": "{" + strings.Repeat(" ...F", maxRepeats) + " } fragment F on Query {" +
			distinct.String() + " }",
		"nested spreads": "{ ...A ...A ...A } fragment A on Query { ...B ...B ...B } " +
			"fragment B on Query {" + distinct.String() + " }",
	}
}

// BenchmarkValidation measures parsing and validating a document as the handler does (the
// bounds first, then gqlgen's executor without its query cache): the worst documents the
// default limits admit, beside the SPA's largest operation as the baseline.
func BenchmarkValidation(b *testing.B) {
	c := defaultLimits(b)
	es := graph.NewSchema(graph.Deps{})
	exec := executor.New(es)
	exec.SetParserTokenLimit(c.Limits.MaxTokens)
	exec.SetDisableSuggestion(true)
	exec.SetDefaultRulesFn(rulesWithoutSuggestions)
	exec.Use(documentLimit{maxTokens: c.Limits.MaxTokens, maxSelections: c.Limits.MaxSelections})
	docs := worstDocuments(c.Limits.MaxSelections)
	for _, o := range spaOperations(b) {
		if o.name == "SelectOption" {
			docs["baseline: SPA SelectOption"] = o.text
		}
	}
	for name, q := range docs {
		b.Run(name, func(b *testing.B) {
			ctx := graphql.StartOperationTrace(context.Background())
			params := &graphql.RawParams{Query: q, Variables: map[string]any{
				"input": map[string]any{"configurationId": "1", "version": 1, "group": "g",
					"option": "o"},
			}}
			for b.Loop() {
				p := *params
				if _, errs := exec.CreateOperationContext(ctx, &p); len(errs) > 0 {
					b.Fatalf("refused: %v", errs)
				}
			}
		})
	}
}
