//go:build linux

package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// readers reads every subscriber's socket from one goroutine per CPU with epoll, instead of
// one goroutine each. Ten thousand clients share the two vCPUs of the machine with the server
// under test; a goroutine per client costs a wake-up, two read calls and a reschedule per
// message, which the client would otherwise spend of the CPU the server needs. The sockets are
// read directly (they are non-blocking; Go's poller, which also watches them, has no goroutine
// waiting on them and ignores their events).
type readers struct {
	ctx     context.Context
	pollers []*poller
	next    atomic.Uint64
}

type poller struct {
	ep   int
	mu   sync.Mutex
	subs map[int32]*subscriber
}

// newReaders starts n pollers that stop when ctx is done.
func newReaders(ctx context.Context, n int) (*readers, error) {
	r := &readers{ctx: ctx}
	for range n {
		ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
		if err != nil {
			return nil, fmt.Errorf("epoll: %w", err)
		}
		p := &poller{ep: ep, subs: map[int32]*subscriber{}}
		r.pollers = append(r.pollers, p)
		go p.run(ctx)
	}
	return r, nil
}

// add hands s, connected and subscribed, to a poller; nothing else reads its socket after.
func (r *readers) add(s *subscriber) error {
	p := r.pollers[(r.next.Add(1)-1)%uint64(len(r.pollers))]
	sc, ok := s.conn.nc.(syscall.Conn)
	if !ok {
		return errors.New("not a socket")
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return err
	}
	fd := -1
	if err := rc.Control(func(f uintptr) { fd = int(f) }); err != nil {
		return err
	}
	// What the handshake reader already holds comes first.
	p.mu.Lock()
	if n := s.conn.br.Buffered(); n > 0 {
		b, _ := s.conn.br.Peek(n)
		s.pending = append(s.pending, b...)
		_, _ = s.conn.br.Discard(n)
	}
	s.fd = fd
	p.subs[int32(fd)] = s
	s.feed(r.ctx, nil, time.Now())
	p.mu.Unlock()
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP, Fd: int32(fd)}
	return syscall.EpollCtl(p.ep, syscall.EPOLL_CTL_ADD, fd, &ev)
}

func (p *poller) run(ctx context.Context) {
	defer syscall.Close(p.ep)
	events := make([]syscall.EpollEvent, 256)
	buf := make([]byte, 64<<10)
	for ctx.Err() == nil {
		n, err := syscall.EpollWait(p.ep, events, 100)
		if err != nil {
			if errors.Is(err, syscall.EINTR) {
				continue
			}
			return
		}
		for _, ev := range events[:n] {
			p.mu.Lock()
			s := p.subs[ev.Fd]
			if s == nil {
				p.mu.Unlock()
				continue
			}
			m, err := syscall.Read(s.fd, buf)
			switch {
			case m > 0:
				s.feed(ctx, buf[:m], time.Now())
			case errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EINTR):
			default:
				if err == nil {
					err = errors.New("connection closed by the server")
				}
				s.ended(ctx, err)
				delete(p.subs, ev.Fd)
				_ = syscall.EpollCtl(p.ep, syscall.EPOLL_CTL_DEL, s.fd, nil)
			}
			p.mu.Unlock()
		}
	}
}

// feed appends bytes read at now and handles every whole frame.
func (s *subscriber) feed(ctx context.Context, b []byte, now time.Time) {
	s.pending = append(s.pending, b...)
	for {
		op, fin, payload, size, ok, err := parseFrame(s.pending)
		if err != nil {
			s.ended(ctx, err)
			s.pending = nil
			return
		}
		if !ok {
			break
		}
		switch op {
		case 0x9:
			_ = s.conn.writeFrame(0xA, payload)
		case 0x8:
			ce := &closeError{code: 1005}
			if len(payload) >= 2 {
				ce.code, ce.reason = int(payload[0])<<8|int(payload[1]), string(payload[2:])
			}
			s.ended(ctx, ce)
		case 0xA:
		default:
			s.message = append(s.message, payload...)
			if fin {
				s.handle(s.message, now)
				s.message = s.message[:0]
			}
		}
		s.pending = s.pending[size:]
	}
	if len(s.pending) == 0 {
		s.pending = nil // do not keep a large buffer per idle client
	}
}
