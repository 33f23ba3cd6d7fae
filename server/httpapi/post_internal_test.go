package httpapi

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unsafe"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	gqllru "github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/atelier/atelier/graph"
)

// TestAppendResponseIsJSONMarshal: appendResponse writes json.Marshal's bytes for responses with
// and without errors, data and extensions, for data full of what json.Marshal escapes (<, >, &,
// U+2028, U+2029 next to other multi-byte runes), and for the incremental members it hands to
// json.Marshal.
func TestAppendResponseIsJSONMarshal(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", "<svg>", "&amp;", ">", "\u2028", "\u2029", "\u2027", "é", "€", "\\\"", "\\u003c", " "}
	str := func() string {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	for i := range 2000 {
		var data json.RawMessage
		if i%7 != 0 {
			// Compact JSON as gqlgen writes it: an object of strings, numbers and nested lists.
			var b strings.Builder
			b.WriteString(`{"s":"` + str() + `","n":` + []string{"1", "-2.5", "null", "true"}[rng.IntN(4)] +
				`,"l":[`)
			for j := range rng.IntN(4) {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteString(`{"t":"` + str() + `"}`)
			}
			b.WriteString(`]}`)
			data = json.RawMessage(b.String())
		}
		resp := &graphql.Response{Data: data}
		if rng.IntN(3) == 0 {
			resp.Errors = gqlerror.List{{Message: str(), Path: ast.Path{ast.PathName("f")},
				Extensions: map[string]any{"code": "BAD_USER_INPUT", "x": str()}}}
		}
		if rng.IntN(4) == 0 {
			resp.Extensions = map[string]any{"k": str(), "n": 2}
		}
		if rng.IntN(20) == 0 {
			yes := true
			resp.HasNext, resp.Label, resp.Path = &yes, str(), ast.Path{ast.PathIndex(1)}
		}
		want, err := json.Marshal(resp)
		require.NoError(t, err)
		got, err := appendResponse([]byte("prefix"), resp)
		require.NoError(t, err)
		require.Equal(t, "prefix"+string(want), string(got), "response %d", i)
	}
}

// TestPostServesAsGqlgensPOST: the same requests to the same schema through gqlgen's POST
// transport and through post get the same status, content type and body: an answer, a request
// that is not JSON, a document that does not parse or validate, each Accept header gqlgen tells
// apart.
func TestPostServesAsGqlgensPOST(t *testing.T) {
	t.Parallel()
	serve := func(tr graphql.Transport) http.Handler {
		h := handler.New(graph.NewSchema(graph.Deps{}))
		h.AddTransport(tr)
		return h
	}
	theirs, ours := serve(transport.POST{}), serve(post{})
	bodies := []string{
		`{"query":"{ __typename }"}`,
		`{"query":"query Q { a: __typename b: __typename }","operationName":"Q","variables":{"n":1.50}}`,
		`{"query":"{ __typename "}`,
		`{"query":"{ noSuchField }"}`,
		`{"query":"query($x: Int!) { __typename }"}`,
		`{"query":`,
		`not json <&>`,
		``,
	}
	accepts := []string{"", "application/json", "application/graphql-response+json", "*/*",
		"text/html, application/graphql-response+json;q=0.9", "text/html"}
	for _, body := range bodies {
		for _, accept := range accepts {
			record := func(h http.Handler) *httptest.ResponseRecorder {
				r := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
				if accept != "" {
					r.Header.Set("Accept", accept)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				return w
			}
			want, got := record(theirs), record(ours)
			what := "body " + body + ", Accept " + accept
			require.Equal(t, want.Code, got.Code, what)
			require.Equal(t, want.Header().Values("Content-Type"), got.Header().Values("Content-Type"), what)
			require.Equal(t, want.Body.String(), got.Body.String(), what)
		}
	}
}

// TestDocumentLimitRemembersOnlyWhatPassed: a text that passed is not parsed again, one that was
// refused is refused every time it comes.
func TestDocumentLimitRemembersOnlyWhatPassed(t *testing.T) {
	t.Parallel()
	l := newDocumentLimit(1000, 3)
	ok, over := "{ a b }", "{ a b c d }"
	for range 2 {
		require.Nil(t, l.MutateOperationParameters(t.Context(), &graphql.RawParams{Query: ok}))
		err := l.MutateOperationParameters(t.Context(), &graphql.RawParams{Query: over})
		require.NotNil(t, err)
		require.Contains(t, err.Message, "exceeds the limit of 3")
	}
	require.Equal(t, 1, l.passed.Len(), "only the text that passed is remembered")
}

// TestComplexityLimitIsGqlgens: complexityLimit gives the complexity, stats and refusals of
// gqlgen's FixedComplexityLimit on operations whose complexity the variables change (a page
// size) and on ones they do not (the SPA's configure step, remembered once).
func TestComplexityLimitIsGqlgens(t *testing.T) {
	t.Parallel()
	serve := func(x graphql.HandlerExtension) (http.Handler, *[]int) {
		var got []int
		h := handler.New(graph.NewSchema(graph.Deps{}))
		h.AddTransport(post{})
		// As the server: the same text gives the same parsed document.
		h.SetQueryCache(gqllru.New[*ast.QueryDocument](100))
		h.Use(x)
		h.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
			got = append(got, extension.GetComplexityStats(ctx).Complexity)
			return graphql.OneShot(&graphql.Response{Data: []byte(`null`)})
		})
		return h, &got
	}
	spa := spaOperations(t)
	var selectOption string
	for _, o := range spa {
		if o.name == "SelectOption" {
			selectOption = o.text
		}
	}
	require.NotEmpty(t, selectOption)
	requests := []map[string]any{
		{"query": `query($n: Int) { products(first: $n) { edges { node { id name } } } }`, "variables": map[string]any{"n": 2}},
		{"query": `query($n: Int) { products(first: $n) { edges { node { id name } } } }`, "variables": map[string]any{"n": 40}},
		{"query": `query($n: Int) { products(first: $n) { edges { node { id name } } } }`, "variables": map[string]any{"n": 400}},
		{"query": `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, "variables": map[string]any{"ids": []string{"a"}}},
		{"query": `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, "variables": map[string]any{"ids": []string{"a", "b", "c"}}},
		{"query": selectOption, "operationName": "SelectOption", "variables": map[string]any{"input": map[string]any{"configurationId": "x", "version": 1, "group": "g", "option": "o"}}},
		{"query": selectOption, "operationName": "SelectOption", "variables": map[string]any{"input": map[string]any{"configurationId": "y", "version": 2, "group": "g", "option": "p"}}},
	}
	for _, limit := range []int{100000, 50} {
		ours := newComplexityLimit(limit)
		theirsH, theirs := serve(extension.FixedComplexityLimit(limit))
		oursH, got := serve(ours)
		for _, req := range requests {
			body, err := json.Marshal(req)
			require.NoError(t, err)
			bodies := map[string]string{}
			for name, h := range map[string]http.Handler{"theirs": theirsH, "ours": oursH} {
				r := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(string(body)))
				r.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				bodies[name] = w.Body.String()
			}
			require.Equal(t, bodies["theirs"], bodies["ours"], "limit %d, %s", limit, body)
		}
		require.Equal(t, *theirs, *got, "limit %d: the same complexities", limit)
		if limit == 100000 {
			require.Equal(t, 1, ours.known.Len(), "only the configure step is remembered")
		}
	}
}

// TestDecodeParamsIsJSONDecoder: whatever decodeParams accepts, json.Decoder with UseNumber
// decodes to the same parameters; what json.Decoder refuses, decodeParams refuses too. Bodies
// are the SPA's requests and 6,000 damaged copies of them.
func TestDecodeParamsIsJSONDecoder(t *testing.T) {
	t.Parallel()
	var bodies [][]byte
	for _, o := range spaOperations(t) {
		b, err := json.Marshal(map[string]any{"operationName": o.name, "query": o.text,
			"variables": map[string]any{"input": map[string]any{"n": 1.5, "s": "é\u2028<", "l": []any{1, "x", nil}}}})
		require.NoError(t, err)
		bodies = append(bodies, b)
	}
	bodies = append(bodies, []byte(` {"query" : "{ a }" , "variables":null,"extensions":{"persistedQuery":{"version":1}}} trailing`),
		[]byte(`{}`), []byte(`{"query":null,"operationName":null}`), []byte(`{"Query":"{ a }"}`),
		[]byte(`{"query":"\u0041"}`), []byte(`{"query":"a","query":"b"}`), []byte(`{"variables":{"a":1},"variables":{"b":2}}`),
		[]byte("{\"query\":\"\xff\"}"), []byte(`{"query":"a\tb"}`), []byte(`{"variables":[1]}`), []byte(`{"query":1}`))
	rng := rand.New(rand.NewPCG(5, 6))
	damage := []byte(`{}[]":,\ nul0-e"` + "\x00\xe2\x80")
	for i := range 6000 {
		body := bodies[i%len(bodies)]
		if i >= len(bodies) {
			body = append([]byte(nil), body...)
			for range 1 + rng.IntN(3) {
				at := rng.IntN(len(body) + 1)
				switch rng.IntN(3) {
				case 0:
					body = append(body[:at], append([]byte{damage[rng.IntN(len(damage))]}, body[at:]...)...)
				case 1:
					if at < len(body) {
						body = append(body[:at], body[at+1:]...)
					}
				default:
					body = body[:at]
				}
			}
		}
		var want graphql.RawParams
		wantErr := decodeParamsSlowly(body, &want)
		var got graphql.RawParams
		ok := decodeParams(body, &got)
		if wantErr != nil {
			require.False(t, ok, "decodeParams accepts what json.Decoder refuses (%v): %q", wantErr, body)
			continue
		}
		if ok {
			require.Equal(t, want, got, "body %q", body)
		}
	}
	var p graphql.RawParams
	require.True(t, decodeParams(bodies[0], &p), "the SPA's requests take the fast path")
}

func TestQueryTextsAreDecodedOnce(t *testing.T) {
	t.Parallel()
	texts := internedTexts{max: 2, maxLen: 64}
	decode := func(body string) string {
		var p graphql.RawParams
		d := paramsDecoder{b: []byte(body)}
		s, ok := d.plainString(&texts)
		require.True(t, ok, body)
		p.Query = s
		return p.Query
	}
	a1 := decode(`"query {\n  a\n}"`)
	a2 := decode(`"query {\n  a\n}"`)
	require.Equal(t, "query {\n  a\n}", a1)
	require.Same(t, unsafe.StringData(a1), unsafe.StringData(a2), "the second is the first text")
	require.Len(t, texts.texts, 1)

	// Too long to keep: decoded every time.
	long := `"` + strings.Repeat("x", 65) + `"`
	require.NotSame(t, unsafe.StringData(decode(long)), unsafe.StringData(decode(long)))
	require.Len(t, texts.texts, 1)

	// Full: forgets what it holds and starts again.
	decode(`"b"`)
	decode(`"c"`)
	require.Len(t, texts.texts, 1)
	require.Equal(t, "query {\n  a\n}", decode(`"query {\n  a\n}"`), "forgotten, decoded again")
}
