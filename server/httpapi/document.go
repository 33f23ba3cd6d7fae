package httpapi

import (
	"context"
	"crypto/sha256"
	"unsafe"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// codeSelectionLimit refuses a document with too many selections, before validation.
const codeSelectionLimit = "SELECTION_LIMIT_EXCEEDED"

// maxRepeats bounds how often one response name may occur in a selection set, inline
// fragments and spreads expanded. Validation compares every pair of fields of the same name
// (and their sub-selections), so this, with the selection limit, bounds its pairs to about
// selections × maxRepeats instead of selections². Real documents repeat a name a few times at
// most (a field beside a fragment that asks for it too).
const maxRepeats = 10

// documentLimit bounds a document before gqlgen validates it: validation costs grow with the
// square of the selections (overlapping-fields checks compare pairs), so the depth, alias and
// complexity limits, which run after validation, come too late. The document is parsed with a
// token limit (linear work), its selections — fields, inline fragments and spreads as
// written, fragments counted once — are counted (0 switches a bound off), and no response
// name may repeat more than maxRepeats times in one selection set. gqlgen's executor
// parses again with the same token limit (SetParserTokenLimit), so a document that passes here
// parses there.
//
// The verdict depends on the text alone, so the texts that passed are remembered (passed, when
// set, by SHA-256 so that memory stays bounded whatever their size): the SPA sends the same few
// documents on every step, and parsing its ~3 KB configure document again was ~6 % of a step's
// CPU. Refused texts are not kept.
type documentLimit struct {
	maxTokens, maxSelections int
	passed                   *lru.Cache[[sha256.Size]byte, struct{}]
}

// passedDocumentsCacheSize bounds the texts documentLimit remembers (gqlgen's parsed-document
// cache holds as many).
const passedDocumentsCacheSize = 1000

func newDocumentLimit(maxTokens, maxSelections int) documentLimit {
	passed, _ := lru.New[[sha256.Size]byte, struct{}](passedDocumentsCacheSize)
	return documentLimit{maxTokens: maxTokens, maxSelections: maxSelections, passed: passed}
}

var _ interface {
	graphql.OperationParameterMutator
	graphql.HandlerExtension
} = documentLimit{}

// ExtensionName names the extension.
func (documentLimit) ExtensionName() string { return "DocumentLimit" }

// Validate accepts any schema.
func (documentLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters refuses a document over a bound. It runs after the persisted
// query lookup, which fills in the text of a hash.
func (l documentLimit) MutateOperationParameters(
	_ context.Context, p *graphql.RawParams,
) *gqlerror.Error {
	if p.Query == "" || (l.maxTokens <= 0 && l.maxSelections <= 0) {
		return nil
	}
	if l.passed == nil {
		return l.check(p.Query)
	}
	// Hashed in place: the digest keeps nothing of its input.
	sum := sha256.Sum256(unsafe.Slice(unsafe.StringData(p.Query), len(p.Query)))
	if l.passed.Contains(sum) {
		return nil
	}
	if err := l.check(p.Query); err != nil {
		return err
	}
	l.passed.Add(sum, struct{}{})
	return nil
}

// check parses query and applies the bounds.
func (l documentLimit) check(query string) *gqlerror.Error {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, l.maxTokens)
	if err != nil {
		var gqlErr *gqlerror.Error
		if e, ok := err.(*gqlerror.Error); ok {
			gqlErr = e
		} else {
			gqlErr = gqlerror.Errorf("could not parse the document")
		}
		errcode.Set(gqlErr, errcode.ParseFailed)
		return gqlErr
	}
	if l.maxSelections <= 0 {
		return nil
	}
	if name, n := mostRepeated(doc); n > maxRepeats {
		err := gqlerror.Errorf("document asks for %q %d times in one selection set, which "+
			"exceeds the limit of %d", name, n, maxRepeats)
		errcode.Set(err, codeSelectionLimit)
		return err
	}
	if n := countSelections(doc); n > l.maxSelections {
		err := gqlerror.Errorf("document has %d selections, which exceeds the limit of %d",
			n, l.maxSelections)
		errcode.Set(err, codeSelectionLimit)
		return err
	}
	return nil
}

// countSelections counts the selections of a document as written: every field, inline
// fragment and fragment spread of its operations and fragment definitions.
func countSelections(doc *ast.QueryDocument) int {
	var count func(ast.SelectionSet) int
	count = func(set ast.SelectionSet) int {
		n := len(set)
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				n += count(sel.SelectionSet)
			case *ast.InlineFragment:
				n += count(sel.SelectionSet)
			}
		}
		return n
	}
	n := 0
	for _, op := range doc.Operations {
		n += count(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		n += count(f.SelectionSet)
	}
	return n
}

// mostRepeated returns the response name repeated most often in one selection set of doc,
// inline fragments and spreads expanded (a fragment spread twice counts twice), and how often.
func mostRepeated(doc *ast.QueryDocument) (string, int) {
	var (
		topName string
		top     int
		memo    = map[string]map[string]int{}
		keys    func(ast.SelectionSet) map[string]int
		visit   func(ast.SelectionSet)
	)
	keys = func(set ast.SelectionSet) map[string]int {
		out := map[string]int{}
		add := func(m map[string]int) {
			for k, n := range m {
				out[k] = min(out[k]+n, 1<<30)
			}
		}
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				name := sel.Alias
				if name == "" {
					name = sel.Name
				}
				out[name]++
			case *ast.InlineFragment:
				add(keys(sel.SelectionSet))
			case *ast.FragmentSpread:
				m, ok := memo[sel.Name]
				if !ok {
					memo[sel.Name] = nil // a cycle adds nothing (validation refuses it)
					if f := doc.Fragments.ForName(sel.Name); f != nil {
						m = keys(f.SelectionSet)
					}
					memo[sel.Name] = m
				}
				add(m)
			}
		}
		return out
	}
	visit = func(set ast.SelectionSet) {
		if len(set) == 0 {
			return
		}
		for k, n := range keys(set) {
			if n > top {
				topName, top = k, n
			}
		}
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				visit(sel.SelectionSet)
			case *ast.InlineFragment:
				visit(sel.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		visit(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		visit(f.SelectionSet)
	}
	return topName, top
}

// rulesWithoutSuggestions is gqlparser's default rule set with every rule that adds "Did you
// mean …" to its message replaced by its variant without suggestions.
func rulesWithoutSuggestions() *rules.Rules {
	r := rules.NewDefaultRules()
	for _, swap := range []struct {
		old  string
		rule core.Rule
	}{
		{rules.FieldsOnCorrectTypeRule.Name, rules.FieldsOnCorrectTypeRuleWithoutSuggestions},
		{rules.KnownArgumentNamesRule.Name, rules.KnownArgumentNamesRuleWithoutSuggestions},
		{rules.KnownTypeNamesRule.Name, rules.KnownTypeNamesRuleWithoutSuggestions},
		{rules.ScalarLeafsRule.Name, rules.ScalarLeafsRuleWithoutSuggestions},
		{rules.ValuesOfCorrectTypeRule.Name, rules.ValuesOfCorrectTypeRuleWithoutSuggestions},
	} {
		r.RemoveRule(swap.old)
		r.AddRule(swap.rule.Name, swap.rule.RuleFunc)
	}
	return r
}
