// Package gqlws is a gqlgen transport for GraphQL over WebSocket with the graphql-transport-ws
// protocol (the protocol of the `graphql-ws` client), built for many idle subscribers: one
// goroutine and a 256-byte read buffer per connection, no write buffer kept between messages,
// keep-alive pings from one shared goroutine, and writes handed to a small pool of writers so a
// slow client never holds up the others. RFC 6455 (handshake, frame headers, masking, close
// frames) is gobwas/ws's. Each subscription carries a live.Offer: an operation interceptor that
// takes it (graph.Direct) feeds the subscription without a goroutine or a gqlgen execution per
// subscriber; everything else runs through gqlgen's executor as usual.
package gqlws

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/gobwas/ws"
)

// Subprotocol is the WebSocket subprotocol this transport speaks.
const Subprotocol = "graphql-transport-ws"

// Defaults for zero Options.
const (
	defaultInitTimeout  = 10 * time.Second
	defaultPingInterval = 15 * time.Second
	defaultReadLimit    = 1 << 20
	defaultMaxQueued    = 1 << 20
	readBufferSize      = 256
	// fastWriteTimeout bounds a pooled writer's wait on one client where the socket cannot be
	// written without waiting; a client that does not take its bytes in time gets a goroutine
	// of its own and the slow timeout.
	fastWriteTimeout = 50 * time.Millisecond
	slowWriteTimeout = 10 * time.Second
	// closeTimeout bounds the wait for the client's answer to a close frame.
	closeTimeout = 2 * time.Second
	// pingBuckets spreads keep-alive pings over the interval so they never come in one burst.
	pingBuckets = 8
)

// InitFunc authenticates a connection from its connection_init payload, returning the context
// its operations run in. An error refuses the connection.
type InitFunc func(ctx context.Context, payload map[string]any) (context.Context, error)

// Options configure the transport.
type Options struct {
	// InitFunc checks connection_init; nil accepts every connection.
	InitFunc InitFunc
	// CloseCodeFor maps an InitFunc error to a close code and reason (nil: 4403 Forbidden).
	CloseCodeFor func(error) (int, string)
	// InitTimeout is how long a client may take to send connection_init (0: 10 s).
	InitTimeout time.Duration
	// PingInterval is the period of keep-alive pings; a client silent for three periods is
	// disconnected (0: 15 s).
	PingInterval time.Duration
	// ReadLimit caps an incoming message (0: 1 MiB).
	ReadLimit int64
	// MaxQueued caps the bytes waiting to be written to one client; a client that falls further
	// behind is disconnected (0: 1 MiB).
	MaxQueued int
	// OriginHosts are the browser origins allowed besides the request's own host, as host[:port]
	// patterns (path.Match syntax, case-insensitive).
	OriginHosts []string
	// Shutdown, when done, closes every connection with 1001 "going away".
	Shutdown context.Context
	// Logger receives connection errors worth knowing about.
	Logger *slog.Logger
}

// Transport serves graphql-transport-ws connections. It implements graphql.Transport.
type Transport struct {
	o       Options
	live    atomic.Int64 // connections being served
	flushq  chan *conn
	pingers [pingBuckets]connSet
	next    uint64
	nextMu  sync.Mutex
	start   sync.Once
}

type connSet struct {
	mu    sync.Mutex
	conns map[*conn]struct{}
}

var _ graphql.Transport = (*Transport)(nil)

// New returns a transport; its writer pool and pinger start with the first connection and
// stop when o.Shutdown is done.
func New(o Options) *Transport {
	if o.InitTimeout <= 0 {
		o.InitTimeout = defaultInitTimeout
	}
	if o.PingInterval <= 0 {
		o.PingInterval = defaultPingInterval
	}
	if o.ReadLimit <= 0 {
		o.ReadLimit = defaultReadLimit
	}
	if o.MaxQueued <= 0 {
		o.MaxQueued = defaultMaxQueued
	}
	if o.Shutdown == nil {
		o.Shutdown = context.Background()
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.CloseCodeFor == nil {
		o.CloseCodeFor = func(err error) (int, string) { return CloseForbidden, "Forbidden: " + err.Error() }
	}
	t := &Transport{o: o, flushq: make(chan *conn, 1<<16)}
	for i := range t.pingers {
		t.pingers[i].conns = map[*conn]struct{}{}
	}
	return t
}

// Supports accepts WebSocket upgrades that offer graphql-transport-ws.
func (t *Transport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") == "" {
		return false
	}
	for _, v := range r.Header.Values("Sec-WebSocket-Protocol") {
		for _, p := range strings.Split(v, ",") {
			if strings.TrimSpace(p) == Subprotocol {
				return true
			}
		}
	}
	return false
}

// Handoff tells the handler around an upgrade request whether the connection outlives the
// request: Do returns as soon as the connection is served on a goroutine of its own, so what
// the request holds for the connection (a place under a per-client cap) must be released when
// the connection ends instead.
type Handoff struct {
	end     func()
	adopted atomic.Bool
}

type handoffKey struct{}

// WithHandoff returns ctx offering end to the connection Do serves: once Adopted reports true,
// the connection calls end when it ends; otherwise the caller still owns what end releases.
func WithHandoff(ctx context.Context, end func()) (context.Context, *Handoff) {
	h := &Handoff{end: end}
	return context.WithValue(ctx, handoffKey{}, h), h
}

// Adopted reports whether a connection took end over.
func (h *Handoff) Adopted() bool { return h.adopted.Load() }

// Do upgrades the request and serves the connection on a goroutine of its own, so the
// request's goroutine and its deep stack are released.
func (t *Transport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	// The origin check is our policy, before the upgrader hijacks the connection.
	if err := t.checkOrigin(r); err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	u := ws.HTTPUpgrader{
		Timeout:  slowWriteTimeout,
		Protocol: func(p string) bool { return p == Subprotocol },
	}
	if id := w.Header().Get("X-Request-ID"); id != "" {
		u.Header = http.Header{"X-Request-ID": {id}}
	}
	// The upgrader checks the handshake (RFC 6455 §4.2.1) and answers a bad one itself.
	nc, brw, _, err := u.Upgrade(r, w)
	if err != nil {
		if nc != nil {
			_ = nc.Close()
		}
		return
	}
	var src io.Reader = nc
	if n := brw.Reader.Buffered(); n > 0 {
		// Bytes the client sent right behind the handshake belong to the first frame.
		early, _ := brw.Reader.Peek(n)
		src = io.MultiReader(bytes.NewReader(bytes.Clone(early)), nc)
	}
	t.start.Do(t.startWorkers)
	// The connection outlives the request: its context keeps the request's values (client
	// address, request id, subscription counter) but not its cancellation.
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	c := &conn{t: t, nc: nc, raw: rawConn(nc), br: bufio.NewReaderSize(src, readBufferSize), exec: exec, ctx: ctx,
		cancel: cancel}
	if h, ok := r.Context().Value(handoffKey{}).(*Handoff); ok {
		h.adopted.Store(true)
		c.end = h.end
	}
	t.live.Add(1)
	go c.serve()
}

// Wait returns once every connection has ended, or with ctx's error. After Shutdown it is how a
// server lets its close frames (1001) reach the clients before the process exits.
func (t *Transport) Wait(ctx context.Context) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for t.live.Load() > 0 {
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d websocket connections still open: %w", t.live.Load(), ctx.Err())
		case <-tick.C:
		}
	}
	return nil
}

// checkOrigin allows requests without an Origin (not from a browser), from the request's own
// host, or from an allowed origin host.
func (t *Transport) checkOrigin(r *http.Request) error {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return fmt.Errorf("origin %q is not a valid URL", origin)
	}
	if strings.EqualFold(u.Host, r.Host) {
		return nil
	}
	for _, p := range t.o.OriginHosts {
		if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(u.Host)); ok {
			return nil
		}
	}
	return fmt.Errorf("origin %q is not allowed", origin)
}

// startWorkers starts the writer pool and the pinger.
func (t *Transport) startWorkers() {
	for range max(4, 2*runtime.GOMAXPROCS(0)) {
		go func() {
			for {
				select {
				case c := <-t.flushq:
					c.flush(true)
				case <-t.o.Shutdown.Done():
					// Close frames queued by the shutdown still go out.
					for {
						select {
						case c := <-t.flushq:
							c.flush(true)
						default:
							return
						}
					}
				}
			}
		}()
	}
	go t.ping()
}

// schedule hands c to a writer; when every writer is busy it gets a goroutine of its own.
func (t *Transport) schedule(c *conn) {
	if t.o.Shutdown.Err() != nil {
		go c.flush(false)
		return
	}
	select {
	case t.flushq <- c:
	default:
		go c.flush(false)
	}
}

// register adds c to a ping bucket; unregister removes it.
func (t *Transport) register(c *conn) {
	t.nextMu.Lock()
	c.bucket = int(t.next % pingBuckets)
	t.next++
	t.nextMu.Unlock()
	s := &t.pingers[c.bucket]
	s.mu.Lock()
	s.conns[c] = struct{}{}
	s.mu.Unlock()
}

func (t *Transport) unregister(c *conn) {
	s := &t.pingers[c.bucket]
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// pingFrame is the keep-alive every connection receives; browsers answer it by themselves.
var pingFrame = ws.CompiledPing

// ping sends a WebSocket ping to every connection once per PingInterval, one bucket at a time.
func (t *Transport) ping() {
	tick := time.NewTicker(t.o.PingInterval / pingBuckets)
	defer tick.Stop()
	var conns []*conn
	for i := 0; ; i = (i + 1) % pingBuckets {
		select {
		case <-tick.C:
		case <-t.o.Shutdown.Done():
			return
		}
		s := &t.pingers[i]
		s.mu.Lock()
		conns = conns[:0]
		for c := range s.conns {
			conns = append(conns, c)
		}
		s.mu.Unlock()
		for _, c := range conns {
			c.enqueue(pingFrame)
		}
		clear(conns)
	}
}
