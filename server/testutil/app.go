package testutil

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/app"
	"github.com/atelier/atelier/server/config"
	"github.com/atelier/atelier/server/httpapi"
	"github.com/atelier/atelier/server/respbuf"
)

// Every response of an application a test starts is also encoded by json.Marshal and compared
// with what the API wrote (httpapi.CheckResponses), and the buffers lent to a request are
// overwritten when they are taken back (respbuf.Poison), so that anything kept pointing into
// them (a cached part, say) turns into invalid JSON that the comparison catches.
func init() {
	httpapi.CheckResponses.Store(true)
	respbuf.Poison.Store(true)
}

// AppOptions configure an instance started by StartApp.
type AppOptions struct {
	// Env is the environment the configuration reads (DATABASE_URL, REDIS_URL …); nothing else
	// of the process environment leaks in.
	Env map[string]string
	// Flags are extra command-line flags (after -addr, -shutdown-timeout and -web-dir).
	Flags []string
	// Log receives the instance's logs (default: warnings and errors to the test log).
	Log io.Writer
	// LogLevel is the level written to Log.
	LogLevel slog.Level
}

// Instance is a real server instance in the test process: app.New behind a loopback listener.
type Instance struct {
	// URL is its base URL, http://127.0.0.1:PORT.
	URL string
	// App is the running application.
	App    *app.App
	cancel context.CancelFunc
	done   chan error
}

// StartApp starts an instance; it shuts down gracefully at cleanup, or earlier with Stop.
func StartApp(t testing.TB, o AppOptions) *Instance {
	t.Helper()
	args := append([]string{"-addr", "127.0.0.1:0", "-shutdown-timeout", "5s", "-web-dir", t.TempDir(),
		"-mail-outbox", t.TempDir(), "-blob-url", "file://" + t.TempDir()}, o.Flags...)
	cfg, err := config.Load(args, func(k string) (string, bool) { v, ok := o.Env[k]; return v, ok }, io.Discard)
	require.NoError(t, err)
	out, level := o.Log, o.LogLevel
	if out == nil {
		out, level = LogWriter{T: t}, slog.LevelWarn
	}
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewJSONHandler(out, &slog.HandlerOptions{Level: level})))
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	i := &Instance{URL: "http://" + l.Addr().String(), App: a, cancel: cancel, done: make(chan error, 1)}
	go func() { i.done <- a.Serve(ctx, l) }()
	t.Cleanup(i.Stop)
	return i
}

// Stop shuts the instance down gracefully; it may be called more than once.
func (i *Instance) Stop() {
	if i.cancel == nil {
		return
	}
	i.cancel()
	<-i.done
	i.cancel = nil
}

// LogWriter writes each log line to the test log.
type LogWriter struct{ T testing.TB }

// Write logs p.
func (w LogWriter) Write(p []byte) (int, error) {
	w.T.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// WS is a client of graphql-transport-ws, the protocol of the graphql-ws client the SPA uses.
type WS struct {
	T    testing.TB
	Conn *websocket.Conn
	Ctx  context.Context
}

// DialWS connects to baseURL's /query, sends connection_init with initPayload and waits for
// the acknowledgement.
func DialWS(t testing.TB, baseURL string, initPayload map[string]any) *WS {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(baseURL, "http")+"/query",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err)
	conn.SetReadLimit(1 << 22)
	t.Cleanup(func() { conn.CloseNow() })
	c := &WS{T: t, Conn: conn, Ctx: ctx}
	c.Send(map[string]any{"type": "connection_init", "payload": initPayload})
	msg := c.Next()
	require.Equal(t, "connection_ack", msg["type"], "handshake: %v", msg)
	return c
}

// Send sends one protocol message.
func (c *WS) Send(v any) {
	c.T.Helper()
	data, err := json.Marshal(v)
	require.NoError(c.T, err)
	require.NoError(c.T, c.Conn.Write(c.Ctx, websocket.MessageText, data))
}

// Next returns the next message that is not a keep-alive (pings are answered).
func (c *WS) Next() map[string]any {
	c.T.Helper()
	for {
		_, data, err := c.Conn.Read(c.Ctx)
		require.NoError(c.T, err)
		var msg map[string]any
		require.NoError(c.T, json.Unmarshal(data, &msg))
		switch msg["type"] {
		case "ping":
			c.Send(map[string]any{"type": "pong"})
			continue
		case "pong", "ka":
			continue
		}
		return msg
	}
}

// Subscribe starts operation id.
func (c *WS) Subscribe(id, query string, vars map[string]any) {
	c.T.Helper()
	c.Send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}})
}
