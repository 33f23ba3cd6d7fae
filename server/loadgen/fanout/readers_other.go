//go:build !linux

package main

import "context"

// readers gives every subscriber a reading goroutine of its own where epoll is not available.
type readers struct{ ctx context.Context }

func newReaders(ctx context.Context, _ int) (*readers, error) { return &readers{ctx: ctx}, nil }

func (r *readers) add(s *subscriber) error {
	go s.read(r.ctx)
	return nil
}
