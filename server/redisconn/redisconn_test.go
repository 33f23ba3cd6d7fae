package redisconn

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
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

func TestMemPipeHonoursReadDeadlines(t *testing.T) {
	t.Parallel()
	a, b := newMemPipe()
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	require.NoError(t, a.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
	_, err := a.Read(make([]byte, 8))
	assert.True(t, errors.Is(err, os.ErrDeadlineExceeded), "%v", err)

	// A timed-out read leaves the connection usable.
	require.NoError(t, a.SetReadDeadline(time.Time{}))
	go func() { _, _ = b.Write([]byte("pong")) }()
	buf := make([]byte, 8)
	n, err := a.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "pong", string(buf[:n]))

	// A deadline set while a read waits ends that read.
	read := make(chan error, 1)
	go func() {
		_, err := a.Read(buf)
		read <- err
	}()
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, a.SetDeadline(time.Now().Add(-time.Second)))
	select {
	case err := <-read:
		assert.True(t, errors.Is(err, os.ErrDeadlineExceeded), "%v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting read did not see its new deadline")
	}
}

// Writes never wait for the reader, and bytes arrive whole and in order.
func TestMemPipeWritesDoNotWaitForTheReader(t *testing.T) {
	t.Parallel()
	a, b := newMemPipe()
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	var want []byte
	for i := range 2000 {
		chunk := []byte(fmt.Sprintf("message %d;", i))
		want = append(want, chunk...)
		n, err := a.Write(chunk)
		require.NoError(t, err)
		require.Equal(t, len(chunk), n)
	}
	got := make([]byte, 0, len(want))
	buf := make([]byte, 1000)
	for len(got) < len(want) {
		n, err := b.Read(buf)
		require.NoError(t, err)
		got = append(got, buf[:n]...)
	}
	assert.Equal(t, string(want), string(got))
}

// Closing one end: the other reads what was written, then io.EOF, and cannot write; the closed
// end cannot read or write, and a read waiting on it returns.
func TestMemPipeClose(t *testing.T) {
	t.Parallel()
	a, b := newMemPipe()
	waiting := make(chan error, 1)
	go func() {
		_, err := a.Read(make([]byte, 8))
		waiting <- err
	}()
	_, err := a.Write([]byte("last"))
	require.NoError(t, err)
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, a.Close())
	select {
	case err := <-waiting:
		assert.ErrorIs(t, err, io.ErrClosedPipe)
	case <-time.After(5 * time.Second):
		t.Fatal("a read waiting on the closed end did not return")
	}
	buf := make([]byte, 8)
	n, err := b.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "last", string(buf[:n]))
	_, err = b.Read(buf)
	assert.ErrorIs(t, err, io.EOF)
	_, err = b.Write([]byte("x"))
	assert.ErrorIs(t, err, io.ErrClosedPipe)
	_, err = a.Write([]byte("x"))
	assert.ErrorIs(t, err, io.ErrClosedPipe)
	_, err = a.Read(buf)
	assert.ErrorIs(t, err, io.ErrClosedPipe)
}
