package redisconn

import (
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// newMemPipe returns the two ends of an in-process connection whose writes never block: each
// direction is a queue in memory that the other end reads from. It replaces net.Pipe (what
// miniredis's Dial returns) for the embedded Redis:
//   - over net.Pipe every write waits for a reader, so go-redis's Pub/Sub, which holds its mutex
//     while it writes PING or SUBSCRIBE while its reader needs that mutex after each message,
//     deadlocked under concurrent subscribes;
//   - a write handed over through net.Pipe wakes the reader and then the writer again, and
//     draining it into memory took one more goroutine per connection: a command and its reply
//     crossed five goroutine hand-offs, each a thread woken on an idle server. Here they cross
//     two: the reader of each direction is woken once.
//
// Read deadlines apply; writes never wait, so write deadlines have nothing to do.
func newMemPipe() (a, b net.Conn) {
	ab, ba := newQueue(), newQueue()
	return &memConn{in: ba, out: ab}, &memConn{in: ab, out: ba}
}

// queue is one direction of a mem pipe: bytes written and not yet read.
type queue struct {
	mu  sync.Mutex
	buf []byte
	off int // buf[off:] is unread
	// eof: the writing end closed (the reader gets what is left, then io.EOF); gone: the reading
	// end closed (writes fail).
	eof, gone bool
	// ready holds a token when the reader should look again (bytes, a new deadline);
	// done is closed once either end has closed.
	ready    chan struct{}
	done     chan struct{}
	deadline time.Time
}

func newQueue() *queue {
	return &queue{ready: make(chan struct{}, 1), done: make(chan struct{})}
}

// signalLocked wakes the reader, or the next one to wait.
func (q *queue) signalLocked() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// closeLocked closes done, once: both ends close it only with mu held.
func (q *queue) closeLocked() {
	select {
	case <-q.done:
	default:
		close(q.done)
	}
}

// memConn is one end of a mem pipe.
type memConn struct {
	in, out *queue
}

// Write appends p to what the other end will read; it fails once either end has closed.
func (c *memConn) Write(p []byte) (int, error) {
	q := c.out
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.eof || q.gone {
		return 0, io.ErrClosedPipe
	}
	q.buf = append(q.buf, p...)
	q.signalLocked()
	return len(p), nil
}

// Read returns written bytes, waiting for some until the read deadline.
func (c *memConn) Read(p []byte) (int, error) {
	q := c.in
	for {
		q.mu.Lock()
		switch {
		case q.gone:
			q.mu.Unlock()
			return 0, io.ErrClosedPipe
		case q.off < len(q.buf):
			n := copy(p, q.buf[q.off:])
			q.off += n
			if q.off == len(q.buf) {
				q.buf, q.off = q.buf[:0], 0
			}
			q.mu.Unlock()
			return n, nil
		case q.eof:
			q.mu.Unlock()
			return 0, io.EOF
		}
		deadline := q.deadline
		q.mu.Unlock()
		if deadline.IsZero() {
			select {
			case <-q.ready:
			case <-q.done:
			}
			continue
		}
		d := time.Until(deadline)
		if d <= 0 {
			return 0, os.ErrDeadlineExceeded
		}
		t := time.NewTimer(d)
		select {
		case <-q.ready:
		case <-q.done:
		case <-t.C:
		}
		t.Stop()
	}
}

// Close ends both directions: the other end reads what was written, then io.EOF; writes to
// and reads from this end fail.
func (c *memConn) Close() error {
	c.in.mu.Lock()
	c.in.gone = true
	c.in.closeLocked()
	c.in.mu.Unlock()
	c.out.mu.Lock()
	c.out.eof = true
	c.out.closeLocked()
	c.out.mu.Unlock()
	return nil
}

// SetReadDeadline sets the deadline of reads, waiting ones included.
func (c *memConn) SetReadDeadline(t time.Time) error {
	q := c.in
	q.mu.Lock()
	q.deadline = t
	q.signalLocked()
	q.mu.Unlock()
	return nil
}

// SetWriteDeadline does nothing: writes never wait.
func (c *memConn) SetWriteDeadline(time.Time) error { return nil }

// SetDeadline sets the read deadline.
func (c *memConn) SetDeadline(t time.Time) error { return c.SetReadDeadline(t) }

func (c *memConn) LocalAddr() net.Addr  { return memAddr{} }
func (c *memConn) RemoteAddr() net.Addr { return memAddr{} }

// memAddr is the address of both ends of a mem pipe.
type memAddr struct{}

func (memAddr) Network() string { return "memory" }
func (memAddr) String() string  { return "embedded" }
