package gqlws

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/gobwas/ws"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/atelier/atelier/server/live"
)

// Close codes of graphql-transport-ws.
const (
	CloseBadRequest   = 4400
	CloseUnauthorized = 4401
	CloseForbidden    = 4403
	CloseInitTimeout  = 4408
	CloseDuplicateSub = 4409
	CloseTooManyInits = 4429
)

// Frames that never change.
var (
	ackFrame  = frame(ws.OpText, []byte(`{"type":"connection_ack"}`))
	pongFrame = frame(ws.OpText, []byte(`{"type":"pong"}`))
)

// conn is one WebSocket connection. Its goroutine (serve) reads; writes are queued and flushed
// by the transport's writers.
type conn struct {
	t      *Transport
	nc     net.Conn
	raw    syscall.RawConn // nc's socket for writes that never wait; nil: deadlines instead
	br     *bufio.Reader
	exec   graphql.GraphExecutor
	ctx    context.Context // the connection's; operations run in opCtx, derived from it at init
	cancel context.CancelFunc
	bucket int
	end    func() // from a Handoff: called once the connection has ended; may be nil

	// Owned by the serve goroutine.
	opCtx       context.Context
	initialised bool
	acked       bool

	mu       sync.Mutex
	out      [][]byte // frames waiting for a writer
	queued   int      // bytes in out
	flushing bool     // a writer owns the connection's output
	closing  bool     // a close frame is queued: nothing more is sent
	finSent  bool     // the write side is done: shut after the close frame, or broken
	closeBy  time.Time
	dead     bool // the socket is closed
	subs     []*sub
}

// sub is one operation started by a subscribe message.
type sub struct {
	id     string
	quoted []byte // id as a JSON string
	cancel context.CancelFunc
	active bool // guarded by conn.mu: false once completed by either side
}

// message is a graphql-transport-ws message from the client.
type message struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload"`
}

// serve reads frames until the connection ends.
func (c *conn) serve() {
	stop := context.AfterFunc(c.t.o.Shutdown, func() { c.close(closeGoingAway, "server shutting down") })
	defer func() {
		stop()
		c.teardown()
	}()
	c.t.register(c)
	initBy := time.Now().Add(c.t.o.InitTimeout)
	var partial []byte // a fragmented message being assembled
	var partialOp ws.OpCode
	state := serverSide
	for {
		c.setReadDeadline(initBy)
		h, err := ws.ReadHeader(c.br)
		if err != nil {
			c.readFailed(err)
			return
		}
		if err := ws.CheckHeader(h, state); err != nil {
			c.fail(closeProtocol, err.Error())
			return
		}
		if !h.OpCode.IsControl() && int64(len(partial))+h.Length > c.t.o.ReadLimit {
			c.fail(closeTooBig, fmt.Sprintf("message is larger than the limit of %d bytes", c.t.o.ReadLimit))
			return
		}
		payload := make([]byte, h.Length)
		if _, err := io.ReadFull(c.br, payload); err != nil {
			c.readFailed(err)
			return
		}
		ws.Cipher(payload, h.Mask, 0)
		switch h.OpCode {
		case ws.OpPing:
			c.enqueue(frame(ws.OpPong, payload))
		case ws.OpPong:
			// Reading it renewed the deadline; nothing else to do.
		case ws.OpClose:
			c.closeReceived(payload)
			return
		case ws.OpText, ws.OpBinary:
			// CheckHeader refuses a new message inside a fragmented one.
			if !h.Fin {
				partial, partialOp, state = payload, h.OpCode, state.Set(ws.StateFragmented)
				continue
			}
			c.handleAside(h.OpCode, payload)
		case ws.OpContinuation:
			// CheckHeader refuses a continuation outside a fragmented message.
			partial = append(partial, payload...)
			if h.Fin {
				data, op := partial, partialOp
				partial, state = nil, state.Clear(ws.StateFragmented)
				c.handleAside(op, data)
			}
		}
	}
}

// setReadDeadline bounds the next read: the init timeout until connection_init, the close
// timeout once closing, otherwise three ping intervals (a live client answers every ping).
func (c *conn) setReadDeadline(initBy time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closing:
		_ = c.nc.SetReadDeadline(c.closeBy)
	case !c.initialised:
		_ = c.nc.SetReadDeadline(initBy)
	default:
		_ = c.nc.SetReadDeadline(time.Now().Add(3 * c.t.o.PingInterval))
	}
}

// readFailed ends the connection after a read error.
func (c *conn) readFailed(err error) {
	c.mu.Lock()
	closing := c.closing
	c.mu.Unlock()
	switch {
	case closing:
	case errors.Is(err, os.ErrDeadlineExceeded) && !c.initialised:
		c.fail(CloseInitTimeout, "Connection initialisation timeout")
	case headerError(err):
		c.fail(closeProtocol, err.Error())
	}
}

// fail closes the connection after a violation the reader cannot go on from.
func (c *conn) fail(code int, reason string) {
	c.close(code, reason)
	c.awaitFlush()
}

// awaitFlush gives a queued close frame a moment to leave before the socket closes.
func (c *conn) awaitFlush() {
	deadline := time.Now().Add(closeTimeout)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		done := c.finSent || c.dead
		c.mu.Unlock()
		if done {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// closeReceived answers the client's close frame with the same code and waits for the client
// to close the socket, or for the answer to a close frame of ours.
func (c *conn) closeReceived(p []byte) {
	c.close(closeAnswer(p), "")
	c.awaitFlush()
}

// handleAside handles a message on a goroutine of its own and waits for it: decoding JSON,
// authenticating and starting operations need deep stacks, and a stack the reader grew would
// stay with it for the life of the connection. Client messages are rare (init, subscribe,
// complete), so the extra goroutine costs little; it keeps ten thousand idle readers small.
func (c *conn) handleAside(op ws.OpCode, data []byte) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				c.t.o.Logger.Error("graphql-transport-ws message handling panicked", "panic", r)
				c.close(closeInternal, "internal server error")
			}
		}()
		c.handle(op, data)
	}()
	<-done
}

// handle processes one whole message. After a close of its own the reader goes on reading, so
// that the client's answer is consumed; it ends at the client's close frame, at the end of the
// stream or at the close deadline.
func (c *conn) handle(op ws.OpCode, data []byte) {
	c.mu.Lock()
	closing := c.closing
	c.mu.Unlock()
	if closing {
		return // only the client's close frame matters now
	}
	if op == ws.OpText && !utf8.Valid(data) {
		c.close(closeInvalidData, "text message is not valid UTF-8")
		return
	}
	var m message
	if err := json.Unmarshal(data, &m); err != nil {
		c.close(CloseBadRequest, "Invalid message received: not a JSON object")
		return
	}
	switch m.Type {
	case "connection_init":
		if c.initialised {
			c.close(CloseTooManyInits, "Too many initialisation requests")
			return
		}
		c.initialised = true
		c.init(m.Payload)
	case "subscribe":
		if !c.acked {
			c.close(CloseUnauthorized, "Unauthorized")
			return
		}
		if m.ID == "" {
			c.close(CloseBadRequest, "Invalid message received: subscribe needs an id")
			return
		}
		var params graphql.RawParams
		// Numbers stay json.Number, as gqlgen's own transports decode them, so that Int
		// variables arrive as integers.
		dec := json.NewDecoder(bytes.NewReader(m.Payload))
		dec.UseNumber()
		if err := dec.Decode(&params); err != nil || params.Query == "" && params.Extensions == nil {
			c.close(CloseBadRequest, "Invalid message received: subscribe needs a query")
			return
		}
		c.subscribe(m.ID, &params)
	case "complete":
		c.stop(m.ID)
	case "ping":
		c.enqueue(pongFrame)
	case "pong":
	default:
		c.close(CloseBadRequest, fmt.Sprintf("Invalid message received: unknown type %q", m.Type))
	}
}

// init authenticates the connection and acknowledges it.
func (c *conn) init(raw json.RawMessage) {
	var payload map[string]any
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &payload); err != nil {
			c.close(CloseBadRequest, "Invalid message received: connection_init payload must be an object")
			return
		}
	}
	ctx := c.ctx
	if f := c.t.o.InitFunc; f != nil {
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("checking credentials failed: %v", r)
				}
			}()
			ctx, err = f(c.ctx, payload)
		}()
		if err != nil {
			code, reason := c.t.o.CloseCodeFor(err)
			c.close(code, reason)
			return
		}
	}
	c.opCtx = ctx
	c.acked = true
	c.enqueue(ackFrame)
}

// subscribe starts an operation. Its id is registered before anything runs so that a complete
// right behind the subscribe finds it.
func (c *conn) subscribe(id string, params *graphql.RawParams) {
	quoted, _ := json.Marshal(id)
	ctx, cancelOp := context.WithCancel(c.opCtx)
	life, cancelLife := context.WithCancel(context.Background())
	cancel := func() {
		cancelOp()
		cancelLife()
	}
	ctx = live.WithLifetime(ctx, life)
	s := &sub{id: id, quoted: quoted, cancel: cancel, active: true}
	c.mu.Lock()
	if c.closing || c.dead {
		c.mu.Unlock()
		cancel()
		return
	}
	for _, o := range c.subs {
		if o.id == id {
			c.mu.Unlock()
			cancel()
			c.close(CloseDuplicateSub, "Subscriber for "+id+" already exists")
			return
		}
	}
	c.subs = append(c.subs, s)
	c.mu.Unlock()
	go c.run(ctx, s, params, graphql.Now())
}

// stop ends the operation id at the client's request; nothing more is sent for it.
func (c *conn) stop(id string) {
	c.mu.Lock()
	s := c.remove(id)
	c.mu.Unlock()
	if s != nil {
		s.cancel()
	}
}

// remove unregisters id; the caller holds c.mu.
func (c *conn) remove(id string) *sub {
	for i, s := range c.subs {
		if s.id == id {
			s.active = false
			c.subs = append(c.subs[:i], c.subs[i+1:]...)
			return s
		}
	}
	return nil
}

// run executes one operation: directly when an interceptor takes its live.Offer, otherwise by
// pulling gqlgen's responses until the stream ends.
func (c *conn) run(ctx context.Context, s *sub, params *graphql.RawParams, start time.Time) {
	direct := false
	defer func() {
		if r := recover(); r != nil {
			c.t.o.Logger.ErrorContext(ctx, "graphql-transport-ws operation panicked", "panic", r)
			c.sendErrors(s, gqlerror.List{{Message: "internal server error"}})
		}
		if !direct {
			c.complete(s)
		}
	}()
	ctx = graphql.StartOperationTrace(ctx)
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	rc, errs := c.exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := c.exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		if errcode.GetErrorKind(errs) == errcode.KindProtocol {
			c.sendErrors(s, resp.Errors)
			return
		}
		c.sendResponse(s, resp)
		return
	}
	ctx = graphql.WithOperationContext(ctx, rc)
	var offer *live.Offer
	if rc.Operation != nil && rc.Operation.Operation == ast.Subscription {
		// Only subscriptions may be served outside gqlgen's executor (graph.Direct).
		ctx, offer = live.WithOffer(ctx, func(p []byte) { c.sendPayload(s, p) })
	}
	responses, ctx := c.exec.DispatchOperation(ctx, rc)
	if offer != nil && offer.Taken() {
		direct = true
		return
	}
	for {
		r := responses(ctx)
		if r == nil {
			return
		}
		c.sendResponse(s, r)
	}
}

// sendResponse sends a gqlgen response as a next message.
func (c *conn) sendResponse(s *sub, r *graphql.Response) {
	b, err := json.Marshal(r)
	if err != nil {
		c.t.o.Logger.Error("encoding a graphql response", "err", err)
		c.sendErrors(s, gqlerror.List{{Message: "internal server error"}})
		return
	}
	c.sendPayload(s, b)
}

// sendPayload sends a next message with an encoded payload while s is active.
func (c *conn) sendPayload(s *sub, payload []byte) {
	f := frame(ws.OpText, []byte(`{"id":`), s.quoted, []byte(`,"type":"next","payload":`), payload, []byte(`}`))
	c.mu.Lock()
	if !s.active {
		c.mu.Unlock()
		return
	}
	start, over := c.push(f)
	c.mu.Unlock()
	c.pushed(start, over)
}

// sendErrors sends an error message, which ends the operation for the client.
func (c *conn) sendErrors(s *sub, errs gqlerror.List) {
	b, err := json.Marshal(errs)
	if err != nil {
		b = []byte(`[{"message":"internal server error"}]`)
	}
	f := frame(ws.OpText, []byte(`{"id":`), s.quoted, []byte(`,"type":"error","payload":`), b, []byte(`}`))
	c.mu.Lock()
	if !s.active {
		c.mu.Unlock()
		return
	}
	c.remove(s.id)
	start, over := c.push(f)
	c.mu.Unlock()
	c.pushed(start, over)
	s.cancel()
}

// complete ends s from the server's side: the client hears complete unless it ended it first.
func (c *conn) complete(s *sub) {
	c.mu.Lock()
	if s.active {
		c.remove(s.id)
		start, over := c.push(frame(ws.OpText, []byte(`{"id":`), s.quoted, []byte(`,"type":"complete"}`)))
		c.mu.Unlock()
		c.pushed(start, over)
	} else {
		c.mu.Unlock()
	}
	s.cancel()
}

// enqueue queues a frame for writing.
func (c *conn) enqueue(f []byte) {
	c.mu.Lock()
	start, over := c.push(f)
	c.mu.Unlock()
	c.pushed(start, over)
}

// push appends f to the output under c.mu; start says a writer must be scheduled, over that
// the client has fallen too far behind.
func (c *conn) push(f []byte) (start, over bool) {
	if c.closing || c.dead {
		return false, false
	}
	if c.queued+len(f) > c.t.o.MaxQueued {
		return false, true
	}
	c.out = append(c.out, f)
	c.queued += len(f)
	if c.flushing {
		return false, false
	}
	c.flushing = true
	return true, false
}

func (c *conn) pushed(start, over bool) {
	if over {
		c.t.o.Logger.Warn("closing a websocket client that does not read what it is sent",
			"remote", c.nc.RemoteAddr().String())
		_ = c.nc.Close()
		return
	}
	if start {
		c.t.schedule(c)
	}
}

// flush writes the queued frames. A pooled writer only writes what the socket takes at once;
// a client that does not take everything keeps its remaining bytes and gets a goroutine of its
// own that waits up to slowWriteTimeout, so that one slow reader never holds a pooled writer.
func (c *conn) flush(pooled bool) {
	for {
		c.mu.Lock()
		if len(c.out) == 0 || c.dead {
			c.flushing = false
			fin := c.closing && !c.finSent && !c.dead
			if fin {
				c.finSent = true
			}
			c.mu.Unlock()
			if cw, ok := c.nc.(interface{ CloseWrite() error }); fin && ok {
				// The close frame is out: end our side so the client answers and closes.
				_ = cw.CloseWrite()
			}
			return
		}
		out := c.out
		c.out, c.queued = nil, 0
		c.mu.Unlock()
		var err error
		if pooled {
			out, err = c.writeAvailable(out)
			if err == nil && len(out) > 0 {
				c.requeue(out)
				go c.flush(false)
				return
			}
		} else {
			bufs := net.Buffers(out)
			_ = c.nc.SetWriteDeadline(time.Now().Add(slowWriteTimeout))
			_, err = bufs.WriteTo(c.nc)
		}
		if err != nil {
			_ = c.nc.Close()
			c.mu.Lock()
			c.out, c.queued, c.flushing = nil, 0, false
			c.finSent = true // nothing more can be sent: no one need wait for a close frame
			c.mu.Unlock()
			return
		}
	}
}

// writeAvailable writes frames without waiting and returns what the socket did not take.
func (c *conn) writeAvailable(out [][]byte) ([][]byte, error) {
	if c.raw == nil {
		bufs := net.Buffers(out)
		_ = c.nc.SetWriteDeadline(time.Now().Add(fastWriteTimeout))
		if _, err := bufs.WriteTo(c.nc); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			return nil, err
		}
		return bufs, nil
	}
	p := out[0]
	if len(out) > 1 {
		p = bytes.Join(out, nil)
	}
	n, err := writeNow(c.raw, p)
	if err != nil || n == len(p) {
		return nil, err
	}
	return [][]byte{p[n:]}, nil
}

// requeue puts unwritten bytes back in front of the queue.
func (c *conn) requeue(rest [][]byte) {
	n := 0
	for _, b := range rest {
		n += len(b)
	}
	c.mu.Lock()
	c.out = append(rest, c.out...)
	c.queued += n
	c.mu.Unlock()
}

// close queues a close frame with code and reason, ends every operation and gives the client
// closeTimeout to answer. Nothing is sent after the close frame.
func (c *conn) close(code int, reason string) {
	c.mu.Lock()
	if c.closing || c.dead {
		c.mu.Unlock()
		return
	}
	f := closeFrame(code, reason)
	c.out = append(c.out, f)
	c.queued += len(f)
	c.closing = true
	c.closeBy = time.Now().Add(closeTimeout)
	_ = c.nc.SetReadDeadline(c.closeBy)
	start := !c.flushing
	c.flushing = true
	subs := c.subs
	c.subs = nil
	for _, s := range subs {
		s.active = false
	}
	c.mu.Unlock()
	for _, s := range subs {
		s.cancel()
	}
	c.cancel()
	if start {
		c.t.schedule(c)
	}
}

// teardown releases everything when the reader ends.
func (c *conn) teardown() {
	c.mu.Lock()
	c.dead = true
	subs := c.subs
	c.subs = nil
	for _, s := range subs {
		s.active = false
	}
	c.out, c.queued = nil, 0
	c.mu.Unlock()
	for _, s := range subs {
		s.cancel()
	}
	c.cancel()
	c.t.unregister(c)
	_ = c.nc.Close()
	if c.end != nil {
		c.end()
	}
	c.t.live.Add(-1)
}
