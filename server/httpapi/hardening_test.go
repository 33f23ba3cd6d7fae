package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/httpapi"
	"github.com/atelier/atelier/server/testutil"
)

// Tests of issue #12 (hardening II): document bounds before validation, mutations counted per
// field, persisted queries, complexity of lists, and what errors may tell an outsider. Those
// on startApp run the whole server with its default limits (PostgreSQL and Redis in CI).

// TestDocumentBoundsComeBeforeValidation: an anonymous document whose validation would cost
// seconds (5,000 repeated fields cost ~1.4 s before the bounds) is refused by its size first.
func TestDocumentBoundsComeBeforeValidation(t *testing.T) {
	t.Parallel()
	_, url, _ := startApp(t)

	start := time.Now()
	_, r := query(t, url, "{"+strings.Repeat(" __typename", 5000)+" }")
	require.Len(t, r.Errors, 1, "refused: %s", r.Data)
	assert.Equal(t, "GRAPHQL_PARSE_FAILED", codes(r)[0], r.Errors[0].Message)
	assert.Contains(t, r.Errors[0].Message, "token limit")
	t.Logf("5,000 fields refused in %v", time.Since(start))

	// Within the token limit, but over the selection limit (250 by default).
	_, r = query(t, url, aliased(300, "__typename"))
	assert.Equal(t, []string{"SELECTION_LIMIT_EXCEEDED"}, codes(r))
	assert.Equal(t, "document has 300 selections, which exceeds the limit of 250", r.Errors[0].Message)

	// One name repeated more than 10 times in a selection set, through fragments too.
	_, r = query(t, url, "{"+strings.Repeat(" __typename", 11)+" }")
	assert.Equal(t, []string{"SELECTION_LIMIT_EXCEEDED"}, codes(r))
	assert.Equal(t, `document asks for "__typename" 11 times in one selection set, which exceeds `+
		"the limit of 10", r.Errors[0].Message)
	_, r = query(t, url, "{ ...F ...F ...F } fragment F on Query { a: __typename b: __typename "+
		"c: __typename d: __typename }")
	assert.Empty(t, r.Errors, "three spreads repeat each name 3 times")
	_, r = query(t, url, "{ ...F ...F ...F } fragment F on Query { ...G ...G ...G ...G } "+
		"fragment G on Query { a: __typename }")
	assert.Equal(t, []string{"SELECTION_LIMIT_EXCEEDED"}, codes(r), "12 through nested spreads")

	// Few selections, many tokens: a list literal of 2,000 ids.
	ids := strings.TrimSuffix(strings.Repeat(`"1",`, 2000), ",")
	_, r = query(t, url, `{ nodes(ids: [`+ids+`]) { id } }`)
	assert.Equal(t, []string{"GRAPHQL_PARSE_FAILED"}, codes(r))

	// The body limit is sized for real documents (64 KiB; the SPA's largest is ~2.4 KiB).
	body, err := json.Marshal(map[string]any{"query": "{ __typename }" + strings.Repeat(" ", 70<<10)})
	require.NoError(t, err)
	status, r := post(t, url, body)
	assert.Equal(t, http.StatusRequestEntityTooLarge, status)
	assert.Equal(t, []string{"REQUEST_TOO_LARGE"}, codes(r))

	_, r = query(t, url, "{"+strings.Repeat(" __typename", 10)+" }")
	assert.Empty(t, r.Errors, "10 repeats are allowed")
}

// startConfigurations sends one operation of n aliased startConfiguration mutations and
// returns the response.
func startConfigurations(t *testing.T, url, productID string, n int) gqlResp {
	t.Helper()
	var b strings.Builder
	b.WriteString("mutation($p: ID!) {")
	for i := range n {
		fmt.Fprintf(&b, " s%d: startConfiguration(input: { productId: $p }) { configuration { id } }", i)
	}
	b.WriteString(" }")
	body, err := json.Marshal(map[string]any{
		"query": b.String(), "variables": map[string]any{"p": productID},
	})
	require.NoError(t, err)
	_, r := post(t, url, body)
	return r
}

// TestMutationRateLimitCountsMutationFields: aliased mutations each spend the budget, and an
// operation may hold only a few of them.
func TestMutationRateLimitCountsMutationFields(t *testing.T) {
	t.Parallel()
	_, url, _ := startApp(t, "-rate-limit-mutations", "10", "-exempt-clients", "")
	_, r := query(t, url, `{ product(slug: "heritage-sport") { id } }`)
	require.Empty(t, r.Errors)
	var p struct{ Product struct{ ID string } }
	require.NoError(t, json.Unmarshal(r.Data, &p))

	r = startConfigurations(t, url, p.Product.ID, 6)
	require.Equal(t, []string{"MUTATION_LIMIT_EXCEEDED"}, codes(r), "6 mutations in one operation")
	assert.Equal(t, "operation has 6 mutation fields, which exceeds the limit of 5",
		r.Errors[0].Message)
	assert.JSONEq(t, "null", string(r.Data), "nothing ran")

	for i := range 2 {
		r = startConfigurations(t, url, p.Product.ID, 5)
		require.Empty(t, r.Errors, "operation %d: 5 mutations, within the budget of 10", i+1)
		var started map[string]struct{ Configuration struct{ ID string } }
		require.NoError(t, json.Unmarshal(r.Data, &started))
		assert.Len(t, started, 5)
	}
	r = startConfigurations(t, url, p.Product.ID, 1)
	assert.Equal(t, []string{"RATE_LIMITED"}, codes(r), "10 mutations spent the budget")
	assert.JSONEq(t, "null", string(r.Data))
}

// persist sends q with its hash (automatic persisted queries) and reports whether Redis then
// holds it.
func persist(t *testing.T, url string, r *testutil.Redis, q string) (gqlResp, bool) {
	t.Helper()
	hash := sha256Hex(q)
	body, err := json.Marshal(map[string]any{"query": q, "extensions": map[string]any{
		"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash},
	}})
	require.NoError(t, err)
	_, resp := post(t, url, body)
	n, err := r.Client.Exists(context.Background(), r.Prefix+"apq:"+hash).Result()
	require.NoError(t, err)
	return resp, n == 1
}

// TestAPQStoresOnlyDocumentsThatPassEveryCheck: what does not parse, validate and pass the
// limits, or is larger than a real document, is answered but never stored.
func TestAPQStoresOnlyDocumentsThatPassEveryCheck(t *testing.T) {
	t.Parallel()
	r := testutil.OpenRedis(t)
	srv := newServer(t, nil, func(o *httpapi.Options) {
		o.APQRedis = r.Client
		o.RedisPrefix = r.Prefix
		o.MaxDepth = 3
	})
	for name, q := range map[string]string{
		"comments only (60 KB)": "#" + strings.Repeat("x", 60<<10) + "\n",
		"does not parse":        "{ __typename",
		"does not validate":     "{ noSuchField }",
		"over the depth limit":  `{ product(slug: "x") { optionGroups { options { key } } } }`,
	} {
		resp, stored := persist(t, srv.URL, r, q)
		assert.NotEmpty(t, resp.Errors, "%s: refused", name)
		assert.False(t, stored, "%s: not stored", name)
	}
	resp, stored := persist(t, srv.URL, r, "{ __typename }\n#"+strings.Repeat("x", 20<<10))
	assert.Empty(t, resp.Errors, "a valid document of 20 KB runs")
	assert.False(t, stored, "but is larger than a persisted query may be (16 KiB)")
	resp, stored = persist(t, srv.URL, r, "{ __typename }")
	assert.Empty(t, resp.Errors)
	assert.True(t, stored, "a valid document is stored")
}

// TestAPQQuotaPerClientIsSharedAcrossInstances: one client address adds at most its quota of
// new bytes, counted in Redis for every instance; documents already stored cost nothing.
func TestAPQQuotaPerClientIsSharedAcrossInstances(t *testing.T) {
	t.Parallel()
	r := testutil.OpenRedis(t)
	opts := func(o *httpapi.Options) {
		o.APQRedis = r.Client
		o.RedisPrefix = r.Prefix
		o.APQClientQuota = 2048
	}
	a, b := newServer(t, nil, opts), newServer(t, nil, opts)
	doc := func(i int) string { // ~600 bytes each, all distinct
		return fmt.Sprintf("query Q%d { __typename }\n#%s", i, strings.Repeat("x", 580))
	}
	for i, srv := range []string{a.URL, b.URL, a.URL} {
		resp, stored := persist(t, srv, r, doc(i))
		require.Empty(t, resp.Errors)
		assert.True(t, stored, "document %d is within the quota", i+1)
	}
	resp, stored := persist(t, b.URL, r, doc(3))
	assert.Empty(t, resp.Errors, "the query still runs")
	assert.False(t, stored, "the fourth exceeds 2,048 bytes, on the other instance too")
	_, stored = persist(t, b.URL, r, doc(0))
	assert.True(t, stored, "a stored document is renewed for free")

	// Exempt addresses have no quota.
	c := newServer(t, nil, opts, func(o *httpapi.Options) { o.ExemptClients = loopback() })
	_, stored = persist(t, c.URL, r, doc(4))
	assert.True(t, stored)
}

// TestComplexityWeighsLists: a list multiplies its children by first/last, by the ids asked
// for, or by an estimate; the limit (1000 here) then bites on real fan-out.
func TestComplexityWeighsLists(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	for name, q := range map[string]string{
		"first: 200": `{ products(first: 200) { edges { node { id name slug style } } } }`,
		"no first":   `{ products { edges { node { optionGroups { options { key } } } } } }`,
		"nodes": `{ nodes(ids: [` + strings.TrimSuffix(strings.Repeat(`"1",`, 400), ",") +
			`]) { id ... on Product { name slug } } }`,
	} {
		_, r := query(t, srv.URL, q)
		assert.Equal(t, []string{"COMPLEXITY_LIMIT_EXCEEDED"}, codes(r), name)
	}
	_, r := query(t, srv.URL, `{ products(first: 24) { edges { node { id name slug } } } }`)
	assert.NotContains(t, codes(r), "COMPLEXITY_LIMIT_EXCEEDED", "a page of 24 is fine")

	// Lists without arguments count 10 items: 1 + 10 × (1 + 10 × 2) for the groups.
	small := newServer(t, nil, func(o *httpapi.Options) { o.ComplexityLimit = 200 })
	_, r = query(t, small.URL, `{ product(slug: "x") { optionGroups { options { key name } } } }`)
	require.Equal(t, []string{"COMPLEXITY_LIMIT_EXCEEDED"}, codes(r))
	assert.Equal(t, "operation has complexity 212, which exceeds the limit of 200",
		r.Errors[0].Message)
}

// TestReadyzNamesTheBackendNotTheError: an outsider learns which backend is down, not its
// address or error; the log has the details.
func TestReadyzNamesTheBackendNotTheError(t *testing.T) {
	t.Parallel()
	down := httpapi.PingFunc(func(context.Context) error {
		return fmt.Errorf("dial tcp 10.1.2.3:6379: connect: connection refused")
	})
	srv := newServer(t, down)
	resp, err := http.Get(srv.URL + "/readyz")
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, map[string]any{"ok": false}, body["redis"])
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "10.1.2.3")
}

// TestMalformedBodyGetsACleanError: the error neither echoes the body nor names Go types.
func TestMalformedBodyGetsACleanError(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	for _, body := range []string{`{"query": 5, "secret": "s3cr3t"}`, `{not json s3cr3t`,
		`{"query": "{ __typename }", "variables": ["s3cr3t"]}`, ``} {
		status, r := post(t, srv.URL, []byte(body))
		assert.Equal(t, http.StatusBadRequest, status, body)
		require.Len(t, r.Errors, 1, body)
		assert.Equal(t, "BAD_REQUEST", codes(r)[0], body)
		for _, leak := range []string{"s3cr3t", "Go value", "string", "map[", "json:"} {
			assert.NotContains(t, r.Errors[0].Message, leak, body)
		}
	}
}

// TestNoSuggestionsWithoutIntrospection: "Did you mean …" would name fields, arguments, types
// and enum values; it is kept for -dev only.
func TestNoSuggestionsWithoutIntrospection(t *testing.T) {
	t.Parallel()
	typos := []string{
		`{ prodcts(first: 1) { edges { node { id } } } }`,
		`{ product(slgu: "x") { id } }`,
		`{ products(where: { nmae: "x" }) { edges { node { id } } } }`,
		`{ products(orderBy: { field: NAMEE }) { edges { node { id } } } }`,
		`{ product(slug: "x") }`,
	}
	for _, dev := range []bool{false, true} {
		srv := newServer(t, nil, func(o *httpapi.Options) { o.Dev = dev })
		for _, q := range typos {
			_, r := query(t, srv.URL, q)
			require.NotEmpty(t, r.Errors, q)
			msgs := fmt.Sprint(r.Errors)
			if dev {
				assert.Contains(t, msgs, "Did you mean", "dev keeps suggestions: %s", q)
			} else {
				assert.NotContains(t, msgs, "Did you mean", q)
			}
		}
	}
}
