package redisconn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/pubsub"
)

// TestEmbeddedRedisTakesConcurrentSubscribes is the regression test of a deadlock: over an
// unbuffered in-process pipe, concurrent SUBSCRIBE/PING and replies blocked each other.
func TestEmbeddedRedisTakesConcurrentSubscribes(t *testing.T) {
	t.Parallel()
	conn, err := Open(context.Background(), "")
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	hub := pubsub.NewHub(conn.Client, slog.New(slog.DiscardHandler))
	t.Cleanup(func() { _ = hub.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	const subscribers = 200
	subs := make([]*pubsub.Sub, subscribers)
	var wg sync.WaitGroup
	for i := range subscribers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := hub.Subscribe(ctx, fmt.Sprintf("ch-%d", i%20))
			if assert.NoError(t, err) {
				subs[i] = s
			}
		}()
	}
	wg.Wait()
	for i := range 20 {
		require.NoError(t, hub.Publish(ctx, fmt.Sprintf("ch-%d", i), "hello"))
	}
	for i, s := range subs {
		require.NotNil(t, s)
		select {
		case m := <-s.C():
			assert.Equal(t, "hello", m.Payload, "subscriber %d", i)
		case <-ctx.Done():
			t.Fatalf("subscriber %d got nothing", i)
		}
	}
}

func TestBufferedConnHonoursReadDeadlines(t *testing.T) {
	t.Parallel()
	a, b := net.Pipe()
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	c := newBufferedConn(a)
	require.NoError(t, c.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
	_, err := c.Read(make([]byte, 8))
	assert.True(t, errors.Is(err, os.ErrDeadlineExceeded), "%v", err)

	// A timed-out read leaves the connection usable: the pump never saw the deadline.
	require.NoError(t, c.SetReadDeadline(time.Time{}))
	go func() { _, _ = b.Write([]byte("pong")) }()
	buf := make([]byte, 8)
	n, err := c.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "pong", string(buf[:n]))
}
