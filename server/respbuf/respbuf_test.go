package respbuf

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWithoutScopeGetAllocates(t *testing.T) {
	t.Parallel()
	s := From(context.Background())
	require.Nil(t, s)
	b := s.Get(100)
	assert.Empty(t, b)
	assert.GreaterOrEqual(t, cap(b), 100)
	s.Release() // a nil scope has nothing to take back
}

func TestScopeLendsUntilRelease(t *testing.T) {
	// Not parallel: Poison is global.
	Poison.Store(true)
	defer Poison.Store(false)
	ctx, s := With(context.Background())
	require.Same(t, s, From(ctx))

	var mu sync.Mutex
	var bufs [][]byte
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			b := append(s.Get(64), "answer"...)
			mu.Lock()
			bufs = append(bufs, b)
			mu.Unlock()
		})
	}
	wg.Wait()
	require.Len(t, s.lent, 8)
	for _, b := range bufs {
		assert.Equal(t, "answer", string(b), "lent buffers are distinct")
	}

	s.Release()
	assert.Empty(t, s.lent)
	for _, b := range bufs {
		assert.Equal(t, []byte{poisonByte, poisonByte}, b[:2], "taken back and poisoned")
	}
	// A buffer asked for after the release is not lent: nothing would take it back twice.
	late := s.Get(10)
	assert.GreaterOrEqual(t, cap(late), 10)
	assert.Empty(t, s.lent)
}
