package gqlws

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/testserver"
	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/live"
)

// start serves gqlgen's test schema through the transport.
func start(t *testing.T, o Options, d *fakeDirect) (*testserver.TestServer, string) {
	t.Helper()
	srv := testserver.New()
	srv.AddTransport(New(o))
	if d != nil {
		srv.Use(d)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, "ws" + strings.TrimPrefix(ts.URL, "http")
}

type client struct {
	t    *testing.T
	conn *websocket.Conn
	ctx  context.Context
}

func dial(t *testing.T, url string) *client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	conn, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{Subprotocol}})
	require.NoError(t, err)
	require.Equal(t, Subprotocol, resp.Header.Get("Sec-WebSocket-Protocol"))
	t.Cleanup(func() { conn.CloseNow() })
	return &client{t: t, conn: conn, ctx: ctx}
}

func (c *client) send(v string) {
	c.t.Helper()
	require.NoError(c.t, c.conn.Write(c.ctx, websocket.MessageText, []byte(v)))
}

func (c *client) next() map[string]any {
	c.t.Helper()
	_, data, err := c.conn.Read(c.ctx)
	require.NoError(c.t, err)
	var m map[string]any
	require.NoError(c.t, json.Unmarshal(data, &m))
	return m
}

// closed reads until the server closes and returns the close code and reason.
func (c *client) closed() (websocket.StatusCode, string) {
	c.t.Helper()
	for {
		if _, _, err := c.conn.Read(c.ctx); err != nil {
			var ce websocket.CloseError
			require.True(c.t, errors.As(err, &ce), "expected a close frame, got %v", err)
			return ce.Code, ce.Reason
		}
	}
}

func (c *client) init() {
	c.t.Helper()
	c.send(`{"type":"connection_init"}`)
	require.Equal(c.t, "connection_ack", c.next()["type"])
}

func TestQueryAndSubscription(t *testing.T) {
	srv, url := start(t, Options{}, nil)
	c := dial(t, url)
	c.init()

	c.send(`{"id":"q","type":"subscribe","payload":{"query":"{ name }"}}`)
	assert.Equal(t, map[string]any{"id": "q", "type": "next",
		"payload": map[string]any{"data": map[string]any{"name": "test"}}}, c.next())
	assert.Equal(t, map[string]any{"id": "q", "type": "complete"}, c.next())

	c.send(`{"id":"s","type":"subscribe","payload":{"query":"subscription { name }"}}`)
	for range 3 {
		srv.SendNextSubscriptionMessage()
		m := c.next()
		assert.Equal(t, "next", m["type"])
		assert.Equal(t, "s", m["id"])
	}
	srv.SendCompleteSubscriptionMessage()
	assert.Equal(t, map[string]any{"id": "s", "type": "complete"}, c.next())

	// The graphql-transport-ws ping is answered with a pong.
	c.send(`{"type":"ping"}`)
	assert.Equal(t, "pong", c.next()["type"])
}

func TestClientCompleteStopsTheStream(t *testing.T) {
	srv, url := start(t, Options{}, nil)
	c := dial(t, url)
	c.init()
	c.send(`{"id":"1","type":"subscribe","payload":{"query":"subscription { name }"}}`)
	srv.SendNextSubscriptionMessage()
	require.Equal(t, "next", c.next()["type"])
	c.send(`{"id":"1","type":"complete"}`)
	// The same id may be used again once completed; only the new subscription answers.
	require.Eventually(t, func() bool {
		c.send(`{"id":"1","type":"subscribe","payload":{"query":"{ name }"}}`)
		m := c.next()
		if m["type"] == "next" {
			assert.Equal(t, "complete", c.next()["type"])
			return true
		}
		return false
	}, 5*time.Second, 10*time.Millisecond)
}

// variables records the variables of every operation.
type variables struct{ seen chan map[string]any }

func (variables) ExtensionName() string                   { return "variables" }
func (variables) Validate(graphql.ExecutableSchema) error { return nil }
func (v variables) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	v.seen <- graphql.GetOperationContext(ctx).Variables
	return next(ctx)
}

func TestNumbersStayJSONNumbers(t *testing.T) {
	srv, url := start(t, Options{}, nil)
	v := variables{seen: make(chan map[string]any, 1)}
	srv.Use(v)
	c := dial(t, url)
	c.init()
	// Numbers are decoded as json.Number, as gqlgen's transports do, so Int variables coerce to
	// integers (a float64 would reach resolvers and fail their Int unmarshalling).
	c.send(`{"id":"v","type":"subscribe","payload":{"query":"query($id: Int!) { find(id: $id) }","variables":{"id":7}}}`)
	assert.Equal(t, int64(7), (<-v.seen)["id"])
}

func TestValidationErrorsAreErrorMessages(t *testing.T) {
	_, url := start(t, Options{}, nil)
	c := dial(t, url)
	c.init()
	c.send(`{"id":"bad","type":"subscribe","payload":{"query":"{ nope }"}}`)
	m := c.next()
	assert.Equal(t, "error", m["type"])
	assert.Equal(t, "bad", m["id"])
	assert.Contains(t, m["payload"].([]any)[0].(map[string]any)["message"], "nope")
	// The connection stays usable.
	c.send(`{"id":"ok","type":"subscribe","payload":{"query":"{ name }"}}`)
	assert.Equal(t, "next", c.next()["type"])
}

func TestProtocolViolationsCloseWithTheirCodes(t *testing.T) {
	_, url := start(t, Options{InitTimeout: 200 * time.Millisecond}, nil)
	tests := []struct {
		name   string
		init   bool
		send   []string
		code   websocket.StatusCode
		reason string
	}{
		{"subscribe before init", false,
			[]string{`{"id":"1","type":"subscribe","payload":{"query":"{ name }"}}`}, CloseUnauthorized, "Unauthorized"},
		{"second init", true, []string{`{"type":"connection_init"}`}, CloseTooManyInits, "Too many initialisation requests"},
		{"init timeout", false, nil, CloseInitTimeout, "Connection initialisation timeout"},
		{"not json", true, []string{`hello`}, CloseBadRequest, "Invalid message received"},
		{"unknown type", true, []string{`{"type":"next","id":"1"}`}, CloseBadRequest, "unknown type"},
		{"subscribe without id", true, []string{`{"type":"subscribe","payload":{"query":"{ name }"}}`},
			CloseBadRequest, "needs an id"},
		{"duplicate id", true, []string{
			`{"id":"d","type":"subscribe","payload":{"query":"subscription { name }"}}`,
			`{"id":"d","type":"subscribe","payload":{"query":"subscription { name }"}}`,
		}, CloseDuplicateSub, "Subscriber for d already exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, url)
			if tt.init {
				c.init()
			}
			for _, m := range tt.send {
				c.send(m)
			}
			code, reason := c.closed()
			assert.Equal(t, tt.code, code)
			assert.Contains(t, reason, tt.reason)
		})
	}
}

type viewerKey struct{}

func TestInitRefusalAndViewer(t *testing.T) {
	refuse := func(ctx context.Context, p map[string]any) (context.Context, error) {
		if p["token"] != "good" {
			return ctx, errors.New("token not accepted")
		}
		return context.WithValue(ctx, viewerKey{}, "viewer"), nil
	}
	d := &fakeDirect{}
	_, url := start(t, Options{InitFunc: refuse}, d)
	c := dial(t, url)
	c.send(`{"type":"connection_init","payload":{"token":"bad"}}`)
	code, reason := c.closed()
	assert.Equal(t, websocket.StatusCode(CloseForbidden), code)
	assert.Equal(t, "Forbidden: token not accepted", reason)

	c = dial(t, url)
	c.send(`{"type":"connection_init","payload":{"token":"good"}}`)
	assert.Equal(t, "connection_ack", c.next()["type"])
	// Operations run in the context the init check returned.
	c.send(`{"id":"1","type":"subscribe","payload":{"query":"subscription { name }"}}`)
	require.Eventually(t, func() bool { return d.count() == 1 }, 5*time.Second, time.Millisecond)
	assert.Equal(t, "viewer", d.ctxs[0].Value(viewerKey{}))
}

func TestShutdownClosesWithGoingAway(t *testing.T) {
	shutdown, stop := context.WithCancel(context.Background())
	defer stop()
	srv := testserver.New()
	tr := New(Options{Shutdown: shutdown})
	srv.AddTransport(tr)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c := dial(t, "ws"+strings.TrimPrefix(ts.URL, "http"))
	c.init()
	c.send(`{"id":"s","type":"subscribe","payload":{"query":"subscription { name }"}}`)
	stop()
	code, reason := c.closed()
	assert.Equal(t, websocket.StatusGoingAway, code)
	assert.Equal(t, "server shutting down", reason)
	// Wait returns once the connection has ended, so a server may exit after it.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, tr.Wait(ctx))
	assert.Zero(t, tr.live.Load())
}

func TestClientCloseIsAnswered(t *testing.T) {
	_, url := start(t, Options{}, nil)
	c := dial(t, url)
	c.init()
	// coder/websocket waits for the server's close frame: a clean close returns nil.
	require.NoError(t, c.conn.Close(websocket.StatusNormalClosure, "bye"))
}

// fakeDirect takes every offer of the transport (live.Offer) and lets the test push payloads.
type fakeDirect struct {
	mu    sync.Mutex
	sends []func([]byte)
	ctxs  []context.Context
}

func (d *fakeDirect) ExtensionName() string                   { return "fakeDirect" }
func (d *fakeDirect) Validate(graphql.ExecutableSchema) error { return nil }

func (d *fakeDirect) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	offer := live.OfferFrom(ctx)
	if offer == nil {
		return next(ctx)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	offer.Take()
	d.sends = append(d.sends, offer.Send)
	d.ctxs = append(d.ctxs, ctx)
	return func(context.Context) *graphql.Response { return nil }
}

func (d *fakeDirect) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.sends)
}

func TestDirectSubscriptions(t *testing.T) {
	d := &fakeDirect{}
	_, url := start(t, Options{}, d)
	var clients []*client
	for i := range 20 {
		c := dial(t, url)
		c.init()
		c.send(`{"id":"sub-` + string(rune('a'+i)) + `","type":"subscribe","payload":{"query":"subscription { name }"}}`)
		clients = append(clients, c)
		// One at a time, so that d's i-th subscription is the i-th client's.
		require.Eventually(t, func() bool { return d.count() == i+1 }, 5*time.Second, time.Millisecond)
	}
	// Queries are never direct.
	clients[0].send(`{"id":"q","type":"subscribe","payload":{"query":"{ name }"}}`)
	assert.Equal(t, "next", clients[0].next()["type"])
	assert.Equal(t, "complete", clients[0].next()["type"])

	for n := range 3 {
		payload := []byte(`{"data":{"name":"event ` + string(rune('0'+n)) + `"}}`)
		for _, send := range d.sends {
			send(payload)
		}
	}
	for _, c := range clients {
		var id string
		for n := range 3 {
			m := c.next()
			assert.Equal(t, "next", m["type"])
			assert.Equal(t, map[string]any{"data": map[string]any{"name": "event " + string(rune('0'+n))}}, m["payload"])
			if id == "" {
				id = m["id"].(string)
			}
			assert.Equal(t, id, m["id"])
		}
	}

	// complete cancels the direct subscription's context and later sends are dropped.
	c := clients[1]
	c.send(`{"id":"sub-b","type":"complete"}`)
	require.Eventually(t, func() bool { return d.ctxs[1].Err() != nil }, 5*time.Second, 5*time.Millisecond)
	d.sends[1]([]byte(`{"data":{"name":"late"}}`))
	c.send(`{"type":"ping"}`)
	assert.Equal(t, "pong", c.next()["type"], "nothing was sent for the completed subscription")

	// Closing a connection cancels its direct subscriptions.
	clients[2].conn.CloseNow()
	require.Eventually(t, func() bool { return d.ctxs[2].Err() != nil }, 5*time.Second, 5*time.Millisecond)
}

// raw is a client speaking frames by hand, for what a well-behaved library never sends.
type raw struct {
	t  *testing.T
	nc net.Conn
	br *bufio.Reader
}

func dialRaw(t *testing.T, url string) *raw {
	t.Helper()
	host := strings.TrimPrefix(url, "ws://")
	nc, err := net.Dial("tcp", host)
	require.NoError(t, err)
	t.Cleanup(func() { nc.Close() })
	require.NoError(t, nc.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = io.WriteString(nc, "GET / HTTP/1.1\r\nHost: "+host+"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"+
		"Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	// The example key of RFC 6455 §1.3.
	require.Equal(t, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", resp.Header.Get("Sec-WebSocket-Accept"))
	return &raw{t: t, nc: nc, br: br}
}

func (r *raw) write(fin bool, op byte, payload []byte, masked bool) {
	r.t.Helper()
	f := maskedFrame(fin, op, payload)
	if !masked {
		// Clear the mask bit, drop the key and send the payload as is.
		h := 2 + map[byte]int{126: 2, 127: 8}[f[1]&0x7f]
		f = append(append([]byte{f[0], f[1] &^ 0x80}, f[2:h]...), payload...)
	}
	_, err := r.nc.Write(f)
	require.NoError(r.t, err)
}

func (r *raw) read() (byte, []byte) {
	r.t.Helper()
	h, err := readHeader(r.br)
	require.NoError(r.t, err)
	require.False(r.t, h.masked, "server frames are not masked")
	require.True(r.t, h.fin)
	p := make([]byte, h.length)
	_, err = io.ReadFull(r.br, p)
	require.NoError(r.t, err)
	return h.op, p
}

func (r *raw) closeCode() int {
	r.t.Helper()
	for {
		op, p := r.read()
		if op == opClose {
			require.GreaterOrEqual(r.t, len(p), 2)
			return int(binary.BigEndian.Uint16(p))
		}
	}
}

func TestFraming(t *testing.T) {
	_, url := start(t, Options{ReadLimit: 4096}, nil)

	t.Run("fragmented message with a ping in between", func(t *testing.T) {
		r := dialRaw(t, url)
		msg := []byte(`{"type":"connection_init","payload":{"padding":"` + strings.Repeat("x", 300) + `"}}`)
		r.write(false, opText, msg[:10], true)
		r.write(true, opPing, []byte("hi"), true)
		op, p := r.read()
		assert.Equal(t, byte(opPong), op)
		assert.Equal(t, "hi", string(p))
		r.write(false, opContinuation, msg[10:200], true)
		r.write(true, opContinuation, msg[200:], true)
		op, p = r.read()
		assert.Equal(t, byte(opText), op)
		assert.JSONEq(t, `{"type":"connection_ack"}`, string(p))
		// A 16-bit length frame.
		big := []byte(`{"id":"1","type":"subscribe","payload":{"query":"{ name ` + strings.Repeat(" ", 300) + `}"}}`)
		r.write(true, opText, big, true)
		_, p = r.read()
		assert.Contains(t, string(p), `"type":"next"`)
	})
	tests := []struct {
		name string
		fin  bool
		op   byte
		p    []byte
		mask bool
		code int
	}{
		{"unmasked frame", true, opText, []byte(`{"type":"connection_init"}`), false, closeProtocol},
		{"too big", true, opText, []byte(strings.Repeat(" ", 5000)), true, closeTooBig},
		{"invalid utf-8", true, opText, []byte{0xff, 0xfe}, true, closeInvalidData},
		{"continuation without start", true, opContinuation, []byte("x"), true, closeProtocol},
		{"unknown opcode", true, 0x3, []byte("x"), true, closeProtocol},
		{"fragmented ping", false, opPing, []byte("x"), true, closeProtocol},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := dialRaw(t, url)
			r.write(tt.fin, tt.op, tt.p, tt.mask)
			assert.Equal(t, tt.code, r.closeCode())
		})
	}
	t.Run("client close is echoed", func(t *testing.T) {
		r := dialRaw(t, url)
		r.write(true, opClose, []byte{0x03, 0xe8, 'b', 'y', 'e'}, true)
		assert.Equal(t, closeNormal, r.closeCode())
		_, err := r.br.ReadByte()
		assert.ErrorIs(t, err, io.EOF, "the server ends the stream after its close frame")
	})
}

func TestSilentClientIsDisconnected(t *testing.T) {
	_, url := start(t, Options{PingInterval: 80 * time.Millisecond}, nil)
	// A library client that reads answers pings and stays connected past three intervals.
	c := dial(t, url)
	c.init()
	msgs := make(chan string, 16)
	go func() {
		for {
			_, data, err := c.conn.Read(c.ctx)
			if err != nil {
				close(msgs)
				return
			}
			msgs <- string(data)
		}
	}()
	r := dialRaw(t, url)
	r.write(true, opText, []byte(`{"type":"connection_init"}`), true)
	op, _ := r.read()
	require.Equal(t, byte(opText), op)
	// The raw client never answers pings: it sees pings, then the end of the stream.
	pings := 0
	start := time.Now()
	for {
		h, err := readHeader(r.br)
		if err != nil {
			break
		}
		_, _ = io.CopyN(io.Discard, r.br, h.length)
		if h.op == opPing {
			pings++
		}
	}
	assert.GreaterOrEqual(t, pings, 2)
	assert.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond)
	c.send(`{"type":"ping"}`)
	assert.JSONEq(t, `{"type":"pong"}`, <-msgs, "the answering client is still connected")
}

func TestOriginCheck(t *testing.T) {
	_, url := start(t, Options{OriginHosts: []string{"shop.example"}}, nil)
	for origin, ok := range map[string]bool{"": true, "https://shop.example": true, "https://evil.example": false} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		h := http.Header{}
		if origin != "" {
			h.Set("Origin", origin)
		}
		conn, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{
			Subprotocols: []string{Subprotocol}, HTTPHeader: h})
		cancel()
		if ok {
			require.NoError(t, err, origin)
			conn.CloseNow()
			continue
		}
		require.Error(t, err, origin)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	}
}

func TestSlowClientDoesNotHoldOthersAndIsDropped(t *testing.T) {
	d := &fakeDirect{}
	_, url := start(t, Options{MaxQueued: 1 << 20}, d)
	// The slow client subscribes and then never reads again.
	slow := dialRaw(t, url)
	slow.write(true, opText, []byte(`{"type":"connection_init"}`), true)
	slow.read()
	slow.write(true, opText, []byte(`{"id":"s","type":"subscribe","payload":{"query":"subscription { name }"}}`), true)
	require.Eventually(t, func() bool { return d.count() == 1 }, 5*time.Second, time.Millisecond)
	fast := dial(t, url)
	fast.conn.SetReadLimit(1 << 20)
	fast.init()
	fast.send(`{"id":"f","type":"subscribe","payload":{"query":"subscription { name }"}}`)
	require.Eventually(t, func() bool { return d.count() == 2 }, 5*time.Second, time.Millisecond)

	payload := []byte(`{"data":{"name":"` + strings.Repeat("x", 64<<10) + `"}}`)
	// Far more than the socket buffers and the queue cap hold for the slow client.
	for i := range 200 {
		d.sends[0](payload)
		d.sends[1](payload)
		m := fast.next()
		require.Equal(t, "next", m["type"], "message %d", i)
	}
	// The slow client was disconnected once it fell more than MaxQueued behind.
	require.NoError(t, slow.nc.SetReadDeadline(time.Now().Add(10*time.Second)))
	_, err := io.Copy(io.Discard, slow.br)
	require.NoError(t, err, "the server closed the slow client's connection")
	require.Eventually(t, func() bool { return d.ctxs[0].Err() != nil }, 5*time.Second, time.Millisecond)
}
