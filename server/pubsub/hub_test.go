package pubsub_test

import (
	"context"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/pubsub"
	"github.com/atelier/atelier/server/testutil"
)

func receive(t *testing.T, s *pubsub.Sub) pubsub.Message {
	t.Helper()
	select {
	case m, ok := <-s.C():
		require.True(t, ok, "subscription closed")
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("no message")
		return pubsub.Message{}
	}
}

func TestFanOutToEveryLocalSubscriber(t *testing.T) {
	t.Parallel()
	r := testutil.OpenRedis(t)
	hub := pubsub.NewHub(r.Client, slog.New(slog.DiscardHandler))
	t.Cleanup(func() { _ = hub.Close() })
	ctx := context.Background()
	ch := r.Prefix + "fanout"
	var subs []*pubsub.Sub
	for range 3 {
		s, err := hub.Subscribe(ctx, ch)
		require.NoError(t, err)
		subs = append(subs, s)
	}
	// Subscribe returns once Redis confirmed: a publication right after is never missed.
	require.NoError(t, hub.Publish(ctx, ch, "one"))
	for _, s := range subs {
		assert.Equal(t, pubsub.Message{Payload: "one"}, receive(t, s))
	}
	subs[0].Close()
	_, open := <-subs[0].C()
	assert.False(t, open, "a closed subscription's channel is closed")
	require.NoError(t, hub.Publish(ctx, ch, "two"))
	assert.Equal(t, "two", receive(t, subs[1]).Payload)
	assert.Equal(t, "two", receive(t, subs[2]).Payload)
}

func TestSubscriptionEndsWithItsContext(t *testing.T) {
	t.Parallel()
	r := testutil.OpenRedis(t)
	hub := pubsub.NewHub(r.Client, slog.New(slog.DiscardHandler))
	t.Cleanup(func() { _ = hub.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	s, err := hub.Subscribe(ctx, r.Prefix+"ctx")
	require.NoError(t, err)
	cancel()
	select {
	case _, open := <-s.C():
		assert.False(t, open)
	case <-time.After(5 * time.Second):
		t.Fatal("subscription outlived its context")
	}
}

func TestResyncAfterRedisComesBack(t *testing.T) {
	t.Parallel()
	m := miniredis.NewMiniRedis()
	require.NoError(t, m.Start())
	addr := m.Addr()
	t.Cleanup(m.Close)
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	t.Cleanup(func() { _ = c.Close() })
	hub := pubsub.NewHub(c, slog.New(slog.DiscardHandler))
	t.Cleanup(func() { _ = hub.Close() })
	ctx := context.Background()
	s, err := hub.Subscribe(ctx, "events")
	require.NoError(t, err)

	m.Close()
	time.Sleep(300 * time.Millisecond)
	require.NoError(t, m.StartAddr(addr))
	// Publications during the outage are lost: the subscriber is told to re-read instead.
	assert.Equal(t, pubsub.Message{Resync: true}, receive(t, s))
	testutil.Eventually(t, 5*time.Second, func() bool {
		return hub.Publish(ctx, "events", "after") == nil
	}, "publishing works again")
	assert.Equal(t, "after", receive(t, s).Payload)
}

// Subscribe returns only once Redis answered the SUBSCRIBE: a publication from another
// connection right after it is never missed, also when the channel's last subscriber has just
// unsubscribed (the UNSUBSCRIBE must not overtake the new SUBSCRIBE).
func TestSubscribeReturnsOnceRedisConfirmed(t *testing.T) {
	t.Parallel()
	r := testutil.OpenRedis(t)
	hub := pubsub.NewHub(r.Client, slog.New(slog.DiscardHandler))
	t.Cleanup(func() { _ = hub.Close() })
	ctx := context.Background()
	for i := range 300 {
		ch := r.Prefix + "confirm:" + strconv.Itoa(i%3) // the same three channels over and over
		s, err := hub.Subscribe(ctx, ch)
		require.NoError(t, err)
		require.NoError(t, r.Client.Publish(ctx, ch, "x").Err())
		assert.Equal(t, "x", receive(t, s).Payload, "publication %d", i)
		s.Close()
	}
}
