package redisconn

import (
	"net"
	"os"
	"sync"
	"time"
)

// bufferedConn drains a synchronous in-process pipe (net.Pipe, as miniredis's Dial returns)
// into memory as fast as the peer writes, so the peer never blocks on a reader that is itself
// waiting: go-redis's Pub/Sub holds its mutex while writing PING or SUBSCRIBE, and its reader
// needs that mutex after each message, which deadlocks an unbuffered pipe under concurrent
// subscribes. Read deadlines apply to the buffered reads, never to the pump.
type bufferedConn struct {
	net.Conn
	mu       sync.Mutex
	buf      []byte
	err      error
	notify   chan struct{}
	deadline time.Time
}

func newBufferedConn(c net.Conn) net.Conn {
	b := &bufferedConn{Conn: c, notify: make(chan struct{})}
	go b.pump()
	return b
}

func (b *bufferedConn) pump() {
	chunk := make([]byte, 32<<10)
	for {
		n, err := b.Conn.Read(chunk)
		b.mu.Lock()
		b.buf = append(b.buf, chunk[:n]...)
		if err != nil {
			b.err = err
		}
		b.wakeLocked()
		b.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// wakeLocked wakes every waiting reader to look again.
func (b *bufferedConn) wakeLocked() {
	close(b.notify)
	b.notify = make(chan struct{})
}

// Read returns buffered bytes, waiting for more until the read deadline.
func (b *bufferedConn) Read(p []byte) (int, error) {
	for {
		b.mu.Lock()
		if len(b.buf) > 0 {
			n := copy(p, b.buf)
			b.buf = b.buf[n:]
			b.mu.Unlock()
			return n, nil
		}
		if b.err != nil {
			err := b.err
			b.mu.Unlock()
			return 0, err
		}
		wait, deadline := b.notify, b.deadline
		b.mu.Unlock()
		if deadline.IsZero() {
			<-wait
			continue
		}
		d := time.Until(deadline)
		if d <= 0 {
			return 0, os.ErrDeadlineExceeded
		}
		t := time.NewTimer(d)
		select {
		case <-wait:
			t.Stop()
		case <-t.C:
		}
	}
}

// SetReadDeadline sets the deadline of buffered reads.
func (b *bufferedConn) SetReadDeadline(t time.Time) error {
	b.mu.Lock()
	b.deadline = t
	b.wakeLocked()
	b.mu.Unlock()
	return nil
}

// SetDeadline sets the read deadline here and the write deadline on the pipe.
func (b *bufferedConn) SetDeadline(t time.Time) error {
	_ = b.SetReadDeadline(t)
	return b.Conn.SetWriteDeadline(t)
}
