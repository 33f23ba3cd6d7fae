//go:build !linux

package main

import (
	"context"
	"time"
)

// readers gives every subscriber a reading goroutine of its own where epoll is not available.
type readers struct{ ctx context.Context }

func newReaders(ctx context.Context, _ int) (*readers, error) { return &readers{ctx: ctx}, nil }

func (r *readers) add(s *subscriber) error {
	go s.read(r.ctx)
	return nil
}

// read receives until the connection ends, recording every event (one goroutine per
// subscriber; readers_linux.go has the epoll loops the benchmark uses on Linux).
func (s *subscriber) read(ctx context.Context) {
	for {
		data, err := s.conn.Read()
		if err != nil {
			s.ended(ctx, err)
			return
		}
		s.handle(data, time.Now())
	}
}
