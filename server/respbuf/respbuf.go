// Package respbuf lends the buffers a response is encoded into for the time of one request,
// and takes them back once the response has been written, so that a configure step's ~27 KB
// answer does not leave two fresh buffers of its size to the garbage collector each time.
//
// The transport that writes responses opens a Scope for the request (With) and releases it
// after the write; code that encodes the response borrows buffers from the request's scope
// (From) and must not keep them, or anything pointing into them, past the response. Without a
// scope (another transport, a test) Get allocates as make would, and nothing is recycled.
package respbuf

import (
	"context"
	"sync"
	"sync/atomic"
)

// maxPooled is the largest buffer kept for reuse: an unusually big answer is left to the
// garbage collector rather than held by the pool.
const maxPooled = 1 << 20

var pool = sync.Pool{New: func() any { return new([]byte) }}

// Scope holds the buffers lent to one request. Its methods may be called concurrently (gqlgen
// resolves a query's fields in goroutines of their own).
type Scope struct {
	mu       sync.Mutex
	lent     []*[]byte
	released bool
}

type scopeKey struct{}

// With returns ctx with a new scope, to be released once the response has been written.
func With(ctx context.Context) (context.Context, *Scope) {
	s := &Scope{}
	return context.WithValue(ctx, scopeKey{}, s), s
}

// From returns ctx's scope, nil when there is none (Get on nil allocates).
func From(ctx context.Context) *Scope {
	s, _ := ctx.Value(scopeKey{}).(*Scope)
	return s
}

// Get returns an empty buffer with room for at least n bytes, lent until Release.
func (s *Scope) Get(n int) []byte {
	if s == nil {
		return make([]byte, 0, n)
	}
	bp := pool.Get().(*[]byte)
	if cap(*bp) < n {
		*bp = make([]byte, 0, n)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.released {
		// Borrowed after the response was written (a goroutine outliving its request): the
		// buffer is left to the garbage collector, never lent twice.
		return (*bp)[:0]
	}
	s.lent = append(s.lent, bp)
	return (*bp)[:0]
}

// Release takes back every buffer lent through s: the response they held has been written
// and nothing refers to them any more.
func (s *Scope) Release() {
	if s == nil {
		return
	}
	s.mu.Lock()
	lent := s.lent
	s.lent, s.released = nil, true
	s.mu.Unlock()
	for _, bp := range lent {
		if Poison.Load() {
			b := (*bp)[:cap(*bp)]
			for i := range b {
				b[i] = poisonByte
			}
		}
		if cap(*bp) <= maxPooled {
			pool.Put(bp)
		}
	}
}

// Poison makes Release overwrite every buffer it takes back, so that a response still read after
// its buffers were taken back shows up as garbage: for tests (server/testutil sets it in every
// test binary that starts the application), never set in production.
var Poison atomic.Bool

// poisonByte is what Poison fills taken-back buffers with: 0xff never appears in UTF-8 text.
const poisonByte = 0xff
