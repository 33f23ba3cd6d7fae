package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/httpapi"
	"github.com/atelier/atelier/server/ratelimit"
	"github.com/atelier/atelier/server/testutil"
)

type gqlErr struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

type gqlResp struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlErr        `json:"errors"`
}

// post sends body to /query and decodes the GraphQL response.
func post(t *testing.T, baseURL string, body []byte, headers ...string) (int, gqlResp) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, baseURL+"/query", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out gqlResp
	require.NoError(t, json.Unmarshal(raw, &out), "body: %s", raw)
	return resp.StatusCode, out
}

func query(t *testing.T, baseURL, q string, headers ...string) (int, gqlResp) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": q})
	require.NoError(t, err)
	return post(t, baseURL, body, headers...)
}

func codes(r gqlResp) []string {
	var out []string
	for _, e := range r.Errors {
		c, _ := e.Extensions["code"].(string)
		out = append(out, c)
	}
	return out
}

// aliased returns a query of n aliased copies of field.
func aliased(n int, field string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: %s", i, field)
	}
	b.WriteString(" }")
	return b.String()
}

func TestDepthLimit(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil, func(o *httpapi.Options) { o.MaxDepth = 3 })
	// product (1) > optionGroups (2) > options (3) > key (4)
	deep := `{ product(slug: "x") { optionGroups { options { key } } } }`
	_, r := query(t, srv.URL, deep)
	require.Len(t, r.Errors, 1)
	assert.Equal(t, "DEPTH_LIMIT_EXCEEDED", codes(r)[0])
	assert.Equal(t, "operation has depth 4, which exceeds the limit of 3", r.Errors[0].Message)

	// Fragments count where they are spread.
	viaFragment := `{ product(slug: "x") { ...G } }
		fragment G on Product { optionGroups { options { key } } }`
	_, r = query(t, srv.URL, viaFragment)
	assert.Equal(t, []string{"DEPTH_LIMIT_EXCEEDED"}, codes(r))

	_, r = query(t, srv.URL, `{ product(slug: "x") { optionGroups { key } } }`)
	assert.NotContains(t, codes(r), "DEPTH_LIMIT_EXCEEDED", "depth 3 is allowed")
}

func TestAliasLimit(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	_, r := query(t, srv.URL, aliased(30, "__typename"))
	assert.Empty(t, r.Errors, "30 aliases are allowed")

	_, r = query(t, srv.URL, aliased(31, "__typename"))
	assert.Equal(t, []string{"ALIAS_LIMIT_EXCEEDED"}, codes(r))

	// A fragment spread many times counts each time, without walking it each time.
	nested := `{ ...F0 } ` +
		`fragment F0 on Query { ...F1 ...F1 } fragment F1 on Query { ...F2 ...F2 } ` +
		`fragment F2 on Query { ...F3 ...F3 } fragment F3 on Query { ...F4 ...F4 } ` +
		`fragment F4 on Query { x: __typename y: __typename }`
	_, r = query(t, srv.URL, nested)
	assert.Equal(t, []string{"ALIAS_LIMIT_EXCEEDED"}, codes(r), "16 x 2 aliases through fragments")
}

func TestHugeAliasedQueryIsRefused(t *testing.T) {
	t.Parallel()
	// A body limit of 1 MiB lets the document through to the alias limit.
	srv := newServer(t, nil, func(o *httpapi.Options) { o.MaxBodyBytes = 1 << 20 })
	_, r := query(t, srv.URL, aliased(5000, `product(slug: "x") { id }`))
	assert.Equal(t, []string{"ALIAS_LIMIT_EXCEEDED"}, codes(r))
}

func TestComplexityLimitBites(t *testing.T) {
	t.Parallel()
	// With the alias limit off, the complexity limit (1000 here) still refuses the query.
	srv := newServer(t, nil, func(o *httpapi.Options) { o.MaxAliases = 0 })
	_, r := query(t, srv.URL, aliased(600, `product(slug: "x") { id }`))
	assert.Equal(t, []string{"COMPLEXITY_LIMIT_EXCEEDED"}, codes(r))
	assert.Equal(t, "operation has complexity 1200, which exceeds the limit of 1000", r.Errors[0].Message)
}

func TestBodySizeLimit(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil, func(o *httpapi.Options) { o.MaxBodyBytes = 4096 })
	big, err := json.Marshal(map[string]any{"query": "{ __typename }", "variables": map[string]any{
		"pad": strings.Repeat("x", 5000),
	}})
	require.NoError(t, err)

	status, r := post(t, srv.URL, big)
	assert.Equal(t, http.StatusRequestEntityTooLarge, status)
	assert.Equal(t, []string{"REQUEST_TOO_LARGE"}, codes(r))
	assert.Equal(t, "request body is larger than the limit of 4096 bytes", r.Errors[0].Message)

	// Without a Content-Length (chunked), the reader stops at the limit.
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/query", io.MultiReader(bytes.NewReader(big)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)

	status, r = query(t, srv.URL, "{ __typename }")
	assert.Equal(t, http.StatusOK, status)
	assert.Empty(t, r.Errors)
}

func TestBatchedBodyIsRefused(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	status, r := post(t, srv.URL, []byte(` [{"query":"{ __typename }"},{"query":"{ __typename }"}]`))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, []string{"BATCH_NOT_SUPPORTED"}, codes(r))
}

func TestIntrospectionAndPlaygroundOnlyInDev(t *testing.T) {
	t.Parallel()
	for _, dev := range []bool{false, true} {
		t.Run(fmt.Sprint("dev=", dev), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, nil, func(o *httpapi.Options) { o.Dev = dev })
			_, r := query(t, srv.URL, `{ __schema { queryType { name } } }`)
			if dev {
				assert.Empty(t, r.Errors)
				assert.JSONEq(t, `{"__schema":{"queryType":{"name":"Query"}}}`, string(r.Data))
			} else {
				require.NotEmpty(t, r.Errors, "introspection is refused")
				assert.JSONEq(t, "null", string(r.Data))
			}
			resp, err := http.Get(srv.URL + "/playground")
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			if dev {
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Contains(t, string(body), "GraphiQL")
			} else {
				assert.NotContains(t, string(body), "GraphiQL", "the SPA fallback, not the playground")
			}
		})
	}
}

// mutation is refused for lack of a viewer, but counts against the rate limit all the same.
const mutation = `mutation { deleteRule(id: "1") { __typename } }`

func TestMutationRateLimitIsSharedAcrossInstances(t *testing.T) {
	t.Parallel()
	r := testutil.OpenRedis(t)
	limit := func(o *httpapi.Options) {
		o.MutationLimiter = ratelimit.New(r.Client, r.Prefix+"mutation:", 3, time.Minute)
	}
	a, b := newServer(t, nil, limit), newServer(t, nil, limit)

	for i, srv := range []string{a.URL, b.URL, a.URL} {
		_, resp := query(t, srv, mutation)
		assert.NotContains(t, codes(resp), "RATE_LIMITED", "mutation %d is within the budget", i+1)
	}
	_, resp := query(t, b.URL, mutation)
	require.Equal(t, []string{"RATE_LIMITED"}, codes(resp), "the fourth, on the other instance")
	retry, ok := resp.Errors[0].Extensions["retryAfter"].(float64)
	require.True(t, ok, "retryAfter is a number of seconds: %v", resp.Errors[0].Extensions)
	assert.Greater(t, retry, 0.0)
	assert.LessOrEqual(t, retry, 60.0)

	_, resp = query(t, b.URL, `{ __typename }`)
	assert.Empty(t, resp.Errors, "queries are not rate limited")
}

func TestRateLimitTrustsForwardedForOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	for _, trusted := range []bool{false, true} {
		t.Run(fmt.Sprint("trusted=", trusted), func(t *testing.T) {
			t.Parallel()
			r := testutil.OpenRedis(t)
			srv := newServer(t, nil, func(o *httpapi.Options) {
				o.MutationLimiter = ratelimit.New(r.Client, r.Prefix+"mutation:", 1, time.Minute)
				if trusted {
					o.TrustedProxies = loopback()
				}
			})
			_, first := query(t, srv.URL, mutation, "X-Forwarded-For", "198.51.100.1")
			assert.NotContains(t, codes(first), "RATE_LIMITED")
			_, second := query(t, srv.URL, mutation, "X-Forwarded-For", "198.51.100.2")
			if trusted {
				assert.NotContains(t, codes(second), "RATE_LIMITED", "another client behind the proxy")
			} else {
				assert.Contains(t, codes(second), "RATE_LIMITED", "a spoofed header changes nothing")
			}
		})
	}
}

func TestRateLimitFailsOpenWhenRedisIsDown(t *testing.T) {
	t.Parallel()
	m := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: m.Addr(), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { _ = c.Close() })
	srv := newServer(t, nil, func(o *httpapi.Options) {
		o.MutationLimiter = ratelimit.New(c, "t:", 1, time.Minute)
	})
	m.Close()
	for range 3 {
		_, r := query(t, srv.URL, mutation)
		assert.NotContains(t, codes(r), "RATE_LIMITED")
		assert.NotEmpty(t, r.Errors, "the mutation itself ran (and wants a viewer)")
	}
}

func TestAPQInRedis(t *testing.T) {
	t.Parallel()
	r := testutil.OpenRedis(t)
	opts := func(o *httpapi.Options) {
		o.APQRedis = r.Client
		o.RedisPrefix = r.Prefix
	}
	a, b := newServer(t, nil, opts), newServer(t, nil, opts)
	const q = "{ __typename }"
	hash := sha256Hex(q)
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
	hashOnly, err := json.Marshal(map[string]any{"extensions": ext})
	require.NoError(t, err)
	full, err := json.Marshal(map[string]any{"query": q, "extensions": ext})
	require.NoError(t, err)

	_, resp := post(t, a.URL, hashOnly)
	assert.Equal(t, []string{"PERSISTED_QUERY_NOT_FOUND"}, codes(resp))
	_, resp = post(t, a.URL, full)
	require.Empty(t, resp.Errors)
	stored, err := r.Client.Get(context.Background(), r.Prefix+"apq:"+hash).Result()
	require.NoError(t, err)
	assert.Equal(t, q, stored)
	ttl, err := r.Client.TTL(context.Background(), r.Prefix+"apq:"+hash).Result()
	require.NoError(t, err)
	assert.Greater(t, ttl, 23*time.Hour, "the default TTL is 24h")

	_, resp = post(t, b.URL, hashOnly)
	assert.Empty(t, resp.Errors, "another instance finds the query in Redis")
	assert.JSONEq(t, `{"__typename":"Query"}`, string(resp.Data))
}

func TestAPQWithRedisDownStillRunsFullQueries(t *testing.T) {
	t.Parallel()
	m := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: m.Addr(), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { _ = c.Close() })
	srv := newServer(t, nil, func(o *httpapi.Options) { o.APQRedis = c; o.RedisPrefix = "t:" })
	m.Close()
	hash := sha256Hex("{ __typename }")
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
	full, err := json.Marshal(map[string]any{"query": "{ __typename }", "extensions": ext})
	require.NoError(t, err)
	_, resp := post(t, srv.URL, full)
	assert.Empty(t, resp.Errors)
	assert.JSONEq(t, `{"__typename":"Query"}`, string(resp.Data))

	hashOnly, err := json.Marshal(map[string]any{"extensions": ext})
	require.NoError(t, err)
	_, resp = post(t, srv.URL, hashOnly)
	assert.Equal(t, []string{"PERSISTED_QUERY_NOT_FOUND"}, codes(resp), "a miss: the client resends")
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil, func(o *httpapi.Options) { o.TrustedProxies = loopback() })
	get := func(headers ...string) http.Header {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
		require.NoError(t, err)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		return resp.Header
	}
	h := get()
	assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
	assert.Equal(t, "DENY", h.Get("X-Frame-Options"))
	assert.Equal(t, "strict-origin-when-cross-origin", h.Get("Referrer-Policy"))
	assert.Contains(t, h.Get("Permissions-Policy"), "camera=()")
	assert.Contains(t, h.Get("Content-Security-Policy"), "frame-ancestors 'none'")
	assert.Contains(t, h.Get("Content-Security-Policy"), "default-src 'self'")
	assert.Empty(t, h.Get("Strict-Transport-Security"), "no HSTS over plain HTTP")

	h = get("X-Forwarded-Proto", "https")
	assert.Contains(t, h.Get("Strict-Transport-Security"), "max-age=", "HSTS behind a TLS proxy")
}

func TestHSTSIgnoresUntrustedForwardedProto(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
	require.NoError(t, err)
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Empty(t, resp.Header.Get("Strict-Transport-Security"))
}

func TestMutationsAreRefusedOverGETWithVariables(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	resp, err := http.Get(srv.URL + "/query?query=" + url.QueryEscape(mutation))
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.GreaterOrEqual(t, resp.StatusCode, 400)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(body), "GET requests only allow query operations")
}

func loopback() []*net.IPNet {
	_, v4, _ := net.ParseCIDR("127.0.0.0/8")
	_, v6, _ := net.ParseCIDR("::1/128")
	return []*net.IPNet{v4, v6}
}

func sha256Hex(s string) string {
	b := sha256.Sum256([]byte(s))
	return hex.EncodeToString(b[:])
}

func TestExemptClientsAreNotRateLimited(t *testing.T) {
	t.Parallel()
	r := testutil.OpenRedis(t)
	srv := newServer(t, nil, func(o *httpapi.Options) {
		o.MutationLimiter = ratelimit.New(r.Client, r.Prefix+"mutation:", 1, time.Minute)
		o.ExemptClients = loopback()
	})
	for range 3 {
		_, resp := query(t, srv.URL, mutation)
		assert.NotContains(t, codes(resp), "RATE_LIMITED")
	}
}
