package atelier

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endpoint answers every POST with status and body, and records the last request.
func endpoint(t *testing.T, status int, body string) (*Client, *http.Request, *[]byte) {
	t.Helper()
	var got http.Request
	var gotBody []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = *r.Clone(context.Background())
		gotBody, _ = io.ReadAll(r.Body)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return &Client{HTTP: srv.Client(), URL: srv.URL + "/query"}, &got, &gotBody
}

func TestPost(t *testing.T) {
	ctx := context.Background()

	t.Run("data decoded, token and variables sent", func(t *testing.T) {
		c, req, body := endpoint(t, 200, `{"data":{"product":{"id":"P1"}}}`)
		var out struct {
			Product struct{ ID string } `json:"product"`
		}
		require.NoError(t, c.Post(ctx, "tok", "query($s: String!) { product(slug: $s) { id } }",
			map[string]any{"s": "x"}, &out))
		assert.Equal(t, "P1", out.Product.ID)
		assert.Equal(t, "Bearer tok", req.Header.Get("Authorization"))
		assert.Equal(t, "/query", req.URL.Path)
		var sent Request
		require.NoError(t, json.Unmarshal(*body, &sent))
		assert.Equal(t, map[string]any{"s": "x"}, sent.Variables)
	})

	t.Run("no token, no header", func(t *testing.T) {
		c, req, _ := endpoint(t, 200, `{"data":{}}`)
		require.NoError(t, c.Post(ctx, "", "{ a }", nil, nil))
		assert.Empty(t, req.Header.Get("Authorization"))
	})

	t.Run("GraphQL errors with a code", func(t *testing.T) {
		c, _, _ := endpoint(t, 200, `{"errors":[{"message":"stale","extensions":`+
			`{"code":"CONFLICT","currentVersion":7}}],"data":null}`)
		err := c.Post(ctx, "", "{ a }", nil, nil)
		var g *GraphQLError
		require.ErrorAs(t, err, &g)
		assert.Equal(t, "CONFLICT", g.Code())
		assert.Equal(t, 200, g.Status)
		assert.InDelta(t, 7, g.Errors[0].Extensions["currentVersion"], 0)
		assert.EqualError(t, err, "CONFLICT: stale")
	})

	t.Run("GraphQL errors on a 422", func(t *testing.T) {
		c, _, _ := endpoint(t, 422, `{"errors":[{"message":"bad document",`+
			`"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}`)
		var g *GraphQLError
		require.ErrorAs(t, c.Post(ctx, "", "{ a }", nil, nil), &g)
		assert.Equal(t, 422, g.Status)
		assert.Equal(t, "GRAPHQL_VALIDATION_FAILED", g.Code())
	})

	t.Run("error without a code", func(t *testing.T) {
		c, _, _ := endpoint(t, 200, `{"errors":[{"message":"boom"}]}`)
		assert.EqualError(t, c.Post(ctx, "", "{ a }", nil, nil), "boom")
	})

	t.Run("HTTP failure without GraphQL errors", func(t *testing.T) {
		c, _, _ := endpoint(t, 503, "unavailable")
		err := c.Post(ctx, "", "{ a }", nil, nil)
		var h *HTTPError
		require.ErrorAs(t, err, &h)
		assert.Equal(t, 503, h.Status)
		assert.EqualError(t, err, "HTTP 503: unavailable")
		assert.False(t, errors.As(err, new(*GraphQLError)))
	})
}

func TestPostBody(t *testing.T) {
	c, req, body := endpoint(t, 200, `{"data":{"x":1}}`)
	var buf bytes.Buffer
	buf.WriteString("stale bytes")
	elapsed, err := c.PostBody(context.Background(), "", []byte(`{"query":"{ x }"}`), &buf)
	require.NoError(t, err)
	assert.Positive(t, elapsed)
	assert.Equal(t, `{"data":{"x":1}}`, buf.String())
	assert.Equal(t, `{"query":"{ x }"}`, string(*body))
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
}

func TestChildEnv(t *testing.T) {
	env := []string{"PATH=/bin", "REDIS_URL=redis://x", "LOG_LEVEL=debug", "HOME=/root"}
	assert.Equal(t, []string{"PATH=/bin", "HOME=/root"}, childEnv(env, []string{"LOG_LEVEL"}))
}
