package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/testutil"
)

// stack is a real server instance (app.New behind a loopback listener) for end-to-end tests.
type stack struct {
	*testutil.Instance
}

// backing is what several instances of one test share.
type backing struct {
	DatabaseURL string
	Redis       *testutil.Redis
}

func newBacking(t *testing.T) backing {
	t.Helper()
	return backing{DatabaseURL: testutil.DatabaseURL(t), Redis: testutil.OpenRedis(t)}
}

// startStack starts an instance on b, with extra flags; it stops at cleanup.
func startStack(t *testing.T, b backing, redisURL string, flags ...string) *stack {
	t.Helper()
	return &stack{testutil.StartApp(t, testutil.AppOptions{
		Env:   map[string]string{"DATABASE_URL": b.DatabaseURL, "REDIS_URL": redisURL},
		Flags: append([]string{"-redis-prefix", b.Redis.Prefix}, flags...),
	})}
}

// metric returns the value of an unlabelled metric from the instance's /metrics ("" if absent).
func (s *stack) metric(t *testing.T, name string) string {
	t.Helper()
	resp, err := http.Get(s.URL + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	return ""
}

// gqlResponse is a raw GraphQL response.
type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// do posts a GraphQL operation and returns the response.
func (s *stack) do(t *testing.T, query string, vars map[string]any, headers ...string) gqlResponse {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, s.URL+"/query", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out gqlResponse
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return out
}

// must posts an operation that must succeed and decodes its data into out.
func (s *stack) must(t *testing.T, query string, vars map[string]any, out any, headers ...string) {
	t.Helper()
	r := s.do(t, query, vars, headers...)
	require.Empty(t, r.Errors, "errors from %s", query)
	if out != nil {
		require.NoError(t, json.Unmarshal(r.Data, out))
	}
}

// fail posts an operation that must fail and returns its first error.
func (s *stack) fail(t *testing.T, query string, vars map[string]any, headers ...string) gqlError {
	t.Helper()
	r := s.do(t, query, vars, headers...)
	require.NotEmpty(t, r.Errors, "expected an error from %s, got %s", query, r.Data)
	return r.Errors[0]
}

// wsClient speaks graphql-transport-ws, the protocol of the graphql-ws client the SPA uses.
type wsClient struct {
	*testutil.WS
}

func (s *stack) ws(t *testing.T, initPayload map[string]any) *wsClient {
	t.Helper()
	return &wsClient{testutil.DialWS(t, s.URL, initPayload)}
}

// nextData returns the data of the next `next` message of subscription id, decoded into out.
func (c *wsClient) nextData(id string, out any) {
	c.T.Helper()
	msg := c.Next()
	require.Equal(c.T, "next", msg["type"], "message: %v", msg)
	require.Equal(c.T, id, msg["id"])
	payload := msg["payload"].(map[string]any)
	require.Nil(c.T, payload["errors"], "subscription errors: %v", payload["errors"])
	data, err := json.Marshal(payload["data"])
	require.NoError(c.T, err)
	require.NoError(c.T, json.Unmarshal(data, out))
}

func vars(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
