// Package pubsub fans Redis Pub/Sub messages out to in-process subscribers: one Redis
// subscription per server instance and channel, however many local subscribers listen, so that
// thousands of WebSocket subscribers cost neither thousands of Redis connections nor file
// descriptors. When the Redis connection breaks, every subscriber is told to resynchronise from
// the source of truth, since messages published meanwhile are lost.
package pubsub

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Message is what a subscriber receives: a payload, or a resync signal after a Redis outage.
type Message struct {
	// Payload is the published payload; empty on a resync.
	Payload string
	// Resync is true when messages may have been missed and state must be re-read.
	Resync bool
}

// Hub multiplexes one Redis Pub/Sub connection among local subscribers.
type Hub struct {
	rdb    *redis.Client
	logger *slog.Logger
	ps     *redis.PubSub

	// ops serialises SUBSCRIBE and UNSUBSCRIBE so that they reach Redis in the order the local
	// subscriber sets changed: an UNSUBSCRIBE overtaking a later SUBSCRIBE would leave local
	// subscribers on a channel Redis no longer sends.
	ops    sync.Mutex
	mu     sync.Mutex
	subs   map[string]map[*Sub]struct{}
	closed bool
	done   chan struct{}
	// unconfirmed counts the SUBSCRIBE commands sent per channel that Redis has not answered
	// yet; confirmed is closed when the last of them is answered. Redis answers in order, so
	// the answer to the last one means the channel is subscribed now.
	unconfirmed map[string]int
	confirmed   map[string]chan struct{}
}

// Sub is one local subscription.
type Sub struct {
	hub     *Hub
	channel string
	c       chan Message
	once    sync.Once
}

// C delivers messages; it is closed when the subscription ends.
func (s *Sub) C() <-chan Message { return s.c }

// NewHub starts a hub on rdb; Close stops it.
func NewHub(rdb *redis.Client, logger *slog.Logger) *Hub {
	h := &Hub{
		rdb:         rdb,
		logger:      logger,
		ps:          rdb.Subscribe(context.Background()),
		subs:        map[string]map[*Sub]struct{}{},
		done:        make(chan struct{}),
		unconfirmed: map[string]int{},
		confirmed:   map[string]chan struct{}{},
	}
	go h.loop()
	return h
}

// subscriberBuffer bounds what a slow subscriber may fall behind before it is told to resync.
const subscriberBuffer = 16

// confirmTimeout bounds the wait for Redis to confirm a subscription.
const confirmTimeout = 5 * time.Second

// Subscribe listens to channel until ctx is done or Close is called on the Sub. It returns once
// Redis has confirmed the subscription, so nothing published afterwards is missed.
func (h *Hub) Subscribe(ctx context.Context, channel string) (*Sub, error) {
	s := &Sub{hub: h, channel: channel, c: make(chan Message, subscriberBuffer)}
	h.ops.Lock()
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		h.ops.Unlock()
		return nil, errors.New("pubsub hub is closed")
	}
	first := len(h.subs[channel]) == 0
	if first {
		h.subs[channel] = map[*Sub]struct{}{}
		h.unconfirmed[channel]++
		if h.confirmed[channel] == nil {
			h.confirmed[channel] = make(chan struct{})
		}
	}
	h.subs[channel][s] = struct{}{}
	// Nil once confirmed: a later subscriber of a live channel does not wait.
	confirmed := h.confirmed[channel]
	h.mu.Unlock()
	var err error
	if first {
		err = h.ps.Subscribe(ctx, channel)
	}
	h.ops.Unlock()
	if err != nil {
		s.Close()
		return nil, err
	}
	if confirmed != nil {
		timer := time.NewTimer(confirmTimeout)
		defer timer.Stop()
		select {
		case <-confirmed:
		case <-ctx.Done():
			s.Close()
			return nil, ctx.Err()
		case <-h.done:
			s.Close()
			return nil, errors.New("pubsub hub is closed")
		case <-timer.C:
			s.Close()
			return nil, errors.New("redis did not confirm the subscription in time")
		}
	}
	// No goroutine per subscription waits for its end: with ten thousand subscribers the stacks
	// would dominate memory. The hub's Close ends every subscription itself.
	context.AfterFunc(ctx, s.Close)
	return s, nil
}

// confirm records Redis's answer to a SUBSCRIBE of channel.
func (h *Hub) confirm(channel string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.unconfirmed[channel] == 0 {
		return // a resubscription after a reconnect
	}
	if h.unconfirmed[channel]--; h.unconfirmed[channel] == 0 {
		delete(h.unconfirmed, channel)
		if c := h.confirmed[channel]; c != nil {
			close(c)
			delete(h.confirmed, channel)
		}
	}
}

// Close ends the subscription; the channel C is closed.
func (s *Sub) Close() {
	s.once.Do(func() {
		h := s.hub
		h.ops.Lock()
		defer h.ops.Unlock()
		h.mu.Lock()
		set := h.subs[s.channel]
		delete(set, s)
		last := len(set) == 0 && !h.closed
		if last {
			delete(h.subs, s.channel)
		}
		close(s.c)
		h.mu.Unlock()
		if last {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_ = h.ps.Unsubscribe(ctx, s.channel)
		}
	})
}

// Publish publishes payload on channel.
func (h *Hub) Publish(ctx context.Context, channel, payload string) error {
	return h.rdb.Publish(ctx, channel, payload).Err()
}

// Close stops the hub and ends every subscription.
func (h *Hub) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	var all []*Sub
	for _, set := range h.subs {
		for s := range set {
			all = append(all, s)
		}
	}
	h.mu.Unlock()
	close(h.done)
	for _, s := range all {
		s.Close()
	}
	return h.ps.Close()
}

// loop reads the shared subscription. go-redis reconnects and resubscribes by itself after an
// error; once it has, subscribers get a resync because publications in between are gone.
func (h *Hub) loop() {
	broken := false
	for {
		msg, err := h.ps.Receive(context.Background())
		if err != nil {
			select {
			case <-h.done:
				return
			default:
			}
			if !broken {
				h.logger.Warn("redis pub/sub connection lost; resubscribing", "err", err)
			}
			broken = true
			time.Sleep(100 * time.Millisecond)
			continue
		}
		switch m := msg.(type) {
		case *redis.Message:
			h.dispatch(m.Channel, Message{Payload: m.Payload})
		case *redis.Subscription:
			if m.Kind == "subscribe" {
				h.confirm(m.Channel)
			}
			if broken && m.Kind == "subscribe" {
				broken = false
				h.logger.Info("redis pub/sub connection restored")
				h.resyncAll()
			}
		case *redis.Pong:
		}
	}
}

func (h *Hub) dispatch(channel string, m Message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[channel] {
		deliver(s, m)
	}
}

func (h *Hub) resyncAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, set := range h.subs {
		for s := range set {
			deliver(s, Message{Resync: true})
		}
	}
}

// deliver never blocks the hub: a subscriber whose buffer is full gets its oldest message
// replaced by a resync, which tells it to re-read state rather than trust the stream.
func deliver(s *Sub, m Message) {
	select {
	case s.c <- m:
		return
	default:
	}
	select {
	case <-s.c:
	default:
	}
	select {
	case s.c <- Message{Resync: true}:
	default:
	}
}
