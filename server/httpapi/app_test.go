package httpapi_test

import (
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
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/app"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/testutil"
)

// startApp runs a whole instance (app.New) on a loopback port with extra flags; its logs, at
// debug level, go to the returned buffer.
func startApp(t *testing.T, flags ...string) (*app.App, string, *testutil.LockedBuffer) {
	t.Helper()
	r := testutil.OpenRedis(t)
	logs := &testutil.LockedBuffer{}
	inst := testutil.StartApp(t, testutil.AppOptions{
		Env:      map[string]string{"DATABASE_URL": testutil.DatabaseURL(t), "REDIS_URL": r.URL},
		Flags:    append([]string{"-redis-prefix", r.Prefix, "-log-level", "debug"}, flags...),
		Log:      logs,
		LogLevel: slog.LevelDebug,
	})
	return inst.App, inst.URL, logs
}

// startConfiguration opens a configuration session of the demo product and returns its id.
func startConfiguration(t *testing.T, baseURL string) string {
	t.Helper()
	_, r := query(t, baseURL, `{ product(slug: "heritage-sport") { id } }`)
	require.Empty(t, r.Errors)
	var p struct{ Product struct{ ID string } }
	require.NoError(t, json.Unmarshal(r.Data, &p))
	body, err := json.Marshal(map[string]any{
		"query":     `mutation($p: ID!) { startConfiguration(input: { productId: $p }) { configuration { id } } }`,
		"variables": map[string]any{"p": p.Product.ID},
	})
	require.NoError(t, err)
	_, r = post(t, baseURL, body)
	require.Empty(t, r.Errors)
	var c struct {
		StartConfiguration struct{ Configuration struct{ ID string } }
	}
	require.NoError(t, json.Unmarshal(r.Data, &c))
	return c.StartConfiguration.Configuration.ID
}

// wsConn is a graphql-transport-ws client connection.
type wsConn struct {
	*testutil.WS
}

func dialWS(t *testing.T, baseURL string, initPayload map[string]any) *wsConn {
	t.Helper()
	return &wsConn{testutil.DialWS(t, baseURL, initPayload)}
}

// subscribe starts a configurationUpdated subscription and returns the first message for it.
func (c *wsConn) subscribe(id, configurationID string) map[string]any {
	c.T.Helper()
	c.Subscribe(id, `subscription($id: ID!) { configurationUpdated(id: $id) { id } }`,
		map[string]any{"id": configurationID})
	for {
		m := c.Next()
		if m["id"] == id {
			return m
		}
		// The completion of an earlier (stopped or refused) subscription.
		require.Equal(c.T, "complete", m["type"], "message %v", m)
	}
}

// errorCode returns extensions.code of the first error of a next message, or "".
func errorCode(m map[string]any) string {
	payload, _ := m["payload"].(map[string]any)
	errs, _ := payload["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	ext, _ := errs[0].(map[string]any)["extensions"].(map[string]any)
	code, _ := ext["code"].(string)
	return code
}

func TestSubscriptionCapPerConnection(t *testing.T) {
	t.Parallel()
	_, url, _ := startApp(t, "-max-subscriptions-per-connection", "2")
	cfgID := startConfiguration(t, url)
	c := dialWS(t, url, nil)
	for i := 1; i <= 2; i++ {
		m := c.subscribe(fmt.Sprint(i), cfgID)
		assert.Equal(t, "next", m["type"])
		assert.Empty(t, errorCode(m), "subscription %d is admitted: %v", i, m)
	}
	m := c.subscribe("3", cfgID)
	assert.Equal(t, "SUBSCRIPTION_LIMIT_EXCEEDED", errorCode(m), "the third is refused: %v", m)
	assert.Equal(t, "complete", c.Next()["type"])

	// Stopping one frees its place.
	c.Send(map[string]any{"id": "1", "type": "complete"})
	testutil.Eventually(t, 5*time.Second, func() bool {
		return errorCode(c.subscribe(fmt.Sprint("retry-", time.Now().UnixNano()), cfgID)) == ""
	}, "a place frees up when a subscription stops")

	// Another connection has its own allowance.
	other := dialWS(t, url, nil)
	assert.Empty(t, errorCode(other.subscribe("1", cfgID)))
}

func TestSubscriptionCapPerClientAddress(t *testing.T) {
	t.Parallel()
	a, url, _ := startApp(t, "-max-subscriptions-per-connection", "2",
		"-max-subscriptions-per-client", "3", "-exempt-clients", "")
	cfgID := startConfiguration(t, url)
	c1, c2 := dialWS(t, url, nil), dialWS(t, url, nil)
	assert.Empty(t, errorCode(c1.subscribe("1", cfgID)))
	assert.Empty(t, errorCode(c1.subscribe("2", cfgID)))
	assert.Empty(t, errorCode(c2.subscribe("1", cfgID)))
	m := c2.subscribe("2", cfgID)
	assert.Equal(t, "SUBSCRIPTION_LIMIT_EXCEEDED", errorCode(m), "the fourth from one address: %v", m)

	metrics := scrape(t, url)
	assert.Contains(t, metrics, "atelier_graphql_active_subscriptions 3")
	assert.Contains(t, metrics, `atelier_graphql_errors_total{code="SUBSCRIPTION_LIMIT_EXCEEDED"} 1`)

	c1.Conn.CloseNow()
	testutil.Eventually(t, 5*time.Second, func() bool {
		return strings.Contains(scrape(t, url), "atelier_graphql_active_subscriptions 1\n")
	}, "closing a connection releases its subscriptions")
	assert.Empty(t, errorCode(c2.subscribe("3", cfgID)), "and frees the address's places")
	_ = a
}

func scrape(t *testing.T, baseURL string) string {
	t.Helper()
	resp, err := http.Get(baseURL + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	_, url, _ := startApp(t)
	_, r := query(t, url, `query ProductPage { product(slug: "heritage-sport") { id } }`)
	require.Empty(t, r.Errors)
	_, r = query(t, url, `{ product(slug: "no-such-product") { id } }`)
	require.NotEmpty(t, r.Errors)
	_, _ = query(t, url, aliased(40, "__typename"))
	// An APQ miss then a hit.
	hash := sha256Hex("{ __typename }")
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
	hashOnly, _ := json.Marshal(map[string]any{"extensions": ext})
	full, _ := json.Marshal(map[string]any{"query": "{ __typename }", "extensions": ext})
	post(t, url, hashOnly)
	post(t, url, full)
	post(t, url, hashOnly)

	m := scrape(t, url)
	for _, want := range []string{
		`atelier_graphql_operation_duration_seconds_count{operation="ProductPage",type="query"} 1`,
		`atelier_graphql_operation_duration_seconds_count{operation="anonymous",type="query"}`,
		`atelier_graphql_errors_total{code="NOT_FOUND"} 1`,
		`atelier_graphql_errors_total{code="ALIAS_LIMIT_EXCEEDED"} 1`,
		`atelier_graphql_errors_total{code="PERSISTED_QUERY_NOT_FOUND"} 1`,
		`atelier_cache_requests_total{cache="apq",result="hit"} 1`,
		`atelier_cache_requests_total{cache="apq",result="miss"} 1`,
		`atelier_graphql_active_subscriptions 0`,
		"go_goroutines",
		"go_memstats_heap_alloc_bytes",
		`go_sql_max_open_connections{db_name="atelier"}`,
	} {
		assert.Contains(t, m, want)
	}
}

func TestMetricsOnASeparateListener(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	_, url, _ := startApp(t, "-metrics-addr", addr)
	testutil.Eventually(t, 5*time.Second, func() bool {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, "metrics answer on METRICS_ADDR")
	resp, err := http.Get(url + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.NotContains(t, string(body), "go_goroutines", "not on the public listener then")
}

func TestTokensAreNeverLogged(t *testing.T) {
	t.Parallel()
	a, url, logs := startApp(t)
	staff, _, err := auth.CreateStaffToken(context.Background(), a.DB.Client, "logcheck",
		stafftoken.RoleDesigner)
	require.NoError(t, err)
	orderToken := auth.OrderTokenPrefix + "notarealtokenbutsecret0123456789"

	_, r := query(t, url, `{ viewer { name } }`, "Authorization", "Bearer "+staff)
	require.Empty(t, r.Errors)
	query(t, url, `{ order(id: "1") { id } }`, "Authorization", "Bearer "+orderToken)
	query(t, url, `{ viewer { name } }`, "Authorization", "Bearer "+orderToken)
	// Variables may carry a token; they are not logged either.
	body, err := json.Marshal(map[string]any{
		"query":     `mutation($e: String!) { createRule(input: { productId: "1", expression: $e }) { __typename } }`,
		"variables": map[string]any{"e": staff},
	})
	require.NoError(t, err)
	post(t, url, body, "Authorization", "Bearer "+staff)
	resp, err := http.Get(url + "/query?query=" + "%7Bviewer%7Bname%7D%7D&variables=" +
		"%7B%22t%22%3A%22" + staff + "%22%7D")
	require.NoError(t, err)
	resp.Body.Close()
	c := dialWS(t, url, map[string]any{"authorization": "Bearer " + staff})
	c.Conn.Close(websocket.StatusNormalClosure, "")
	_ = dialWSExpectRefusal(t, url, orderToken)

	time.Sleep(100 * time.Millisecond) // let the last request logs land
	out := logs.String()
	assert.Contains(t, out, `"msg":"http request"`, "requests were logged")
	assert.NotContains(t, out, staff)
	assert.NotContains(t, out, orderToken)
	assert.NotContains(t, out, strings.TrimPrefix(orderToken, auth.OrderTokenPrefix))
}

// dialWSExpectRefusal opens a connection whose connection_init token does not authenticate.
func dialWSExpectRefusal(t *testing.T, baseURL, token string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(baseURL, "http")+"/query",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err)
	defer conn.CloseNow()
	b, _ := json.Marshal(map[string]any{"type": "connection_init",
		"payload": map[string]any{"authorization": "Bearer " + token}})
	require.NoError(t, conn.Write(ctx, websocket.MessageText, b))
	for {
		if _, _, err := conn.Read(ctx); err != nil {
			return err
		}
	}
}

func TestMetricsCountDatabaseErrors(t *testing.T) {
	t.Parallel()
	a, url, _ := startApp(t)
	require.NoError(t, a.DB.SQL.Close())
	_, r := query(t, url, `{ product(slug: "heritage-sport") { id } }`)
	require.NotEmpty(t, r.Errors)
	assert.Contains(t, scrape(t, url), `atelier_backend_errors_total{backend="database",op="query"}`)
}

// dialStatus tries a WebSocket upgrade with subprotocol and returns the HTTP status of the
// answer (101 when upgraded); the connection, if any, is closed at cleanup.
func dialStatus(t *testing.T, baseURL, subprotocol string) (int, *websocket.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(baseURL, "http")+"/query",
		&websocket.DialOptions{Subprotocols: []string{subprotocol}})
	if err == nil {
		t.Cleanup(func() { conn.CloseNow() })
		return http.StatusSwitchingProtocols, conn
	}
	require.NotNil(t, resp, "dial error without a response: %v", err)
	return resp.StatusCode, nil
}

// WebSocket connections from one address are capped per instance (issue 12, item 10): the
// connection over the cap is refused with 429 before the upgrade, and a connection that ends
// gives its place back.
func TestWebSocketCapPerClientAddress(t *testing.T) {
	t.Parallel()
	_, url, _ := startApp(t, "-max-websockets-per-client", "2", "-exempt-clients", "")
	c1 := dialWS(t, url, nil)
	_ = dialWS(t, url, nil)
	code, _ := dialStatus(t, url, "graphql-transport-ws")
	assert.Equal(t, http.StatusTooManyRequests, code, "the third graphql-transport-ws connection")
	code, _ = dialStatus(t, url, "graphql-ws")
	assert.Equal(t, http.StatusTooManyRequests, code, "the third upgrade, whatever its protocol")
	assert.Contains(t, scrape(t, url), `atelier_graphql_errors_total{code="CONNECTION_LIMIT_EXCEEDED"} 2`)

	c1.Conn.CloseNow()
	testutil.Eventually(t, 5*time.Second, func() bool {
		code, _ = dialStatus(t, url, "graphql-transport-ws")
		return code == http.StatusSwitchingProtocols
	}, "a closed connection gives its place back")
}

// Exempt addresses (loopback by default) are not capped.
func TestWebSocketCapSkipsExemptClients(t *testing.T) {
	t.Parallel()
	_, url, _ := startApp(t, "-max-websockets-per-client", "1")
	for range 3 {
		_ = dialWS(t, url, nil)
	}
}
