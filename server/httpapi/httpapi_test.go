package httpapi_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/coder/websocket"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/graph"
	"github.com/atelier/atelier/server/httpapi"
	"github.com/atelier/atelier/server/studio"
	"github.com/atelier/atelier/server/testutil"
)

const allowedOrigin = "http://localhost:5173"

func newServer(t *testing.T, redisPinger httpapi.Pinger, opts ...func(*httpapi.Options)) *httptest.Server {
	t.Helper()
	d := testutil.OpenDB(t)
	logger := slog.New(slog.DiscardHandler)
	o := httpapi.Options{
		Schema: graph.NewSchema(graph.Deps{
			Client: d.Client, Studio: studio.NewStore(d.Client), Logger: logger,
		}),
		ErrorPresenter:  graph.ErrorPresenter(logger),
		RecoverFunc:     graph.RecoverFunc(logger),
		Logger:          logger,
		AllowedOrigins:  []string{allowedOrigin},
		OriginHosts:     []string{"localhost:5173"},
		ComplexityLimit: 1000,
		Database:        httpapi.PingFunc(d.SQL.PingContext),
		Redis:           redisPinger,
		MaxDepth:        12,
		MaxAliases:      30,
	}
	for _, f := range opts {
		f(&o)
	}
	srv := httptest.NewServer(httpapi.New(o))
	t.Cleanup(srv.Close)
	return srv
}

func redisPinger(c *redis.Client) httpapi.Pinger {
	return httpapi.PingFunc(func(ctx context.Context) error { return c.Ping(ctx).Err() })
}

func getReady(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(url + "/readyz")
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return resp.StatusCode, body
}

func TestReadyzReportsAStoppedRedis(t *testing.T) {
	t.Parallel()
	m := miniredis.NewMiniRedis()
	require.NoError(t, m.Start())
	addr := m.Addr()
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { _ = c.Close() })
	srv := newServer(t, redisPinger(c))

	code, body := getReady(t, srv.URL)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, true, body["ready"])

	m.Close()
	code, body = getReady(t, srv.URL)
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Equal(t, false, body["ready"])
	assert.Equal(t, false, body["redis"].(map[string]any)["ok"], "redis is named as the one down")
	assert.Equal(t, true, body["database"].(map[string]any)["ok"])

	require.NoError(t, m.StartAddr(addr))
	t.Cleanup(m.Close)
	testutil.Eventually(t, 5*time.Second, func() bool {
		code, _ := getReady(t, srv.URL)
		return code == http.StatusOK
	}, "readyz recovers when redis returns")
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	resp, err := http.Get(srv.URL + "/healthz")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.NotEmpty(t, resp.Header.Get("X-Request-ID"))
}

func TestCORSPreflight(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	tests := []struct {
		origin    string
		wantAllow string
	}{
		{allowedOrigin, allowedOrigin},
		{"https://evil.example", ""},
	}
	for _, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodOptions, srv.URL+"/query", nil)
			require.NoError(t, err)
			req.Header.Set("Origin", tt.origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Less(t, resp.StatusCode, 300)
			assert.Equal(t, tt.wantAllow, resp.Header.Get("Access-Control-Allow-Origin"))
			if tt.wantAllow != "" {
				assert.Contains(t, strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")),
					"authorization")
			}
		})
	}
}

func TestWebSocketOriginCheck(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/query"
	tests := []struct {
		name, origin string
		wantOK       bool
	}{
		{"allowed origin", allowedOrigin, true},
		{"foreign origin", "https://evil.example", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			conn, resp, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{
				HTTPHeader:   http.Header{"Origin": {tt.origin}},
				Subprotocols: []string{"graphql-transport-ws"},
			})
			if !tt.wantOK {
				require.Error(t, err)
				require.NotNil(t, resp)
				assert.Equal(t, http.StatusForbidden, resp.StatusCode)
				return
			}
			require.NoError(t, err)
			defer conn.CloseNow()
			assert.Equal(t, "graphql-transport-ws", conn.Subprotocol())
			require.NoError(t, conn.Write(ctx, websocket.MessageText, []byte(`{"type":"connection_init"}`)))
			_, msg, err := conn.Read(ctx)
			require.NoError(t, err)
			assert.JSONEq(t, `{"type":"connection_ack"}`, string(msg))
		})
	}
}

func TestMutationsAreRefusedOverGET(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	resp, err := http.Get(srv.URL + "/query?query=" + "mutation%7B__typename%7D")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.GreaterOrEqual(t, resp.StatusCode, 400)
}

func TestSPAPlaceholderAndSecurityHeaders(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	resp, err := http.Get(srv.URL + "/configure/heritage-sport")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
	assert.NotEmpty(t, resp.Header.Get("Content-Security-Policy"))
}
