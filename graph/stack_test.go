package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/app"
	"github.com/atelier/atelier/server/config"
	"github.com/atelier/atelier/server/testutil"
)

// stack is a real server instance (app.New behind a loopback listener) for end-to-end tests.
type stack struct {
	URL    string
	App    *app.App
	cancel context.CancelFunc
	done   chan error
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
	args := append([]string{
		"-addr", "127.0.0.1:0", "-shutdown-timeout", "3s", "-web-dir", t.TempDir(),
		"-redis-prefix", b.Redis.Prefix,
	}, flags...)
	cfg, err := config.Load(args, func(k string) string {
		switch k {
		case "DATABASE_URL":
			return b.DatabaseURL
		case "REDIS_URL":
			return redisURL
		}
		return ""
	}, io.Discard)
	require.NoError(t, err)
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.New(context.Background(), cfg, logger)
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	s := &stack{URL: "http://" + l.Addr().String(), App: a, cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- a.Serve(ctx, l) }()
	t.Cleanup(s.Stop)
	return s
}

// Stop shuts the instance down (idempotent).
func (s *stack) Stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	<-s.done
	s.cancel = nil
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
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
	t    *testing.T
	conn *websocket.Conn
	ctx  context.Context
}

func (s *stack) ws(t *testing.T, initPayload map[string]any) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.URL, "http")+"/query",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err)
	conn.SetReadLimit(1 << 22)
	t.Cleanup(func() { conn.CloseNow() })
	c := &wsClient{t: t, conn: conn, ctx: ctx}
	c.send(map[string]any{"type": "connection_init", "payload": initPayload})
	msg := c.next()
	require.Equal(t, "connection_ack", msg["type"], "handshake: %v", msg)
	return c
}

func (c *wsClient) send(v any) {
	c.t.Helper()
	data, err := json.Marshal(v)
	require.NoError(c.t, err)
	require.NoError(c.t, c.conn.Write(c.ctx, websocket.MessageText, data))
}

// next returns the next message that is not a keep-alive ping.
func (c *wsClient) next() map[string]any {
	c.t.Helper()
	for {
		_, data, err := c.conn.Read(c.ctx)
		require.NoError(c.t, err)
		var msg map[string]any
		require.NoError(c.t, json.Unmarshal(data, &msg))
		switch msg["type"] {
		case "ping":
			c.send(map[string]any{"type": "pong"})
			continue
		case "pong", "ka":
			continue
		}
		return msg
	}
}

func (c *wsClient) subscribe(id, query string, vars map[string]any) {
	c.send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}})
}

// nextData returns the data of the next `next` message of subscription id, decoded into out.
func (c *wsClient) nextData(id string, out any) {
	c.t.Helper()
	msg := c.next()
	require.Equal(c.t, "next", msg["type"], "message: %v", msg)
	require.Equal(c.t, id, msg["id"])
	payload := msg["payload"].(map[string]any)
	require.Nil(c.t, payload["errors"], "subscription errors: %v", payload["errors"])
	data, err := json.Marshal(payload["data"])
	require.NoError(c.t, err)
	require.NoError(c.t, json.Unmarshal(data, out))
}

func vars(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
