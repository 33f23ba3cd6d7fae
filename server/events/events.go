// Package events carries order build events from the database, which is the source of truth, to
// live subscribers. An event is published through Redis only after its transaction committed,
// carrying the event itself so that thousands of subscribers cost no database read; a
// subscriber that sees a gap in seq, or a Redis outage, re-reads the missing events from the
// database. Subscribers therefore get every event with seq > after, in order, exactly once.
package events

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/orderevent"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/pubsub"
)

// channelPrefix names an order's event channel under the deployment's Redis prefix.
const channelPrefix = "order-events:"

// publishTimeout bounds the announcement of a committed event.
const publishTimeout = 300 * time.Millisecond

// Bus publishes and streams order events.
type Bus struct {
	client *ent.Client
	hub    *pubsub.Hub
	prefix string
	logger *slog.Logger
	// last is the most recently decoded message: every local subscriber of an order receives
	// the same payload, so it is decoded once rather than once per subscriber.
	last atomic.Pointer[decoded]

	// mu guards groups, the Join fan-out of each order that has members on this instance.
	mu     sync.Mutex
	groups map[int]*group
}

type decoded struct {
	payload string
	msg     message
	ok      bool
}

// decode parses a published payload, reusing the last result for the same payload.
func (b *Bus) decode(payload string) (message, bool) {
	if d := b.last.Load(); d != nil && d.payload == payload {
		return d.msg, d.ok
	}
	d := &decoded{payload: payload}
	d.ok = json.Unmarshal([]byte(payload), &d.msg) == nil
	b.last.Store(d)
	return d.msg, d.ok
}

// NewBus returns a Bus over the database client and the Pub/Sub hub.
func NewBus(client *ent.Client, hub *pubsub.Hub, prefix string, logger *slog.Logger) *Bus {
	return &Bus{
		client: client, hub: hub, prefix: prefix, logger: logger, groups: map[int]*group{},
	}
}

// message is an event as carried through Redis.
type message struct {
	ID       int       `json:"id"`
	Seq      int       `json:"seq"`
	Status   string    `json:"status"`
	Note     string    `json:"note,omitempty"`
	Actor    string    `json:"actor,omitempty"`
	Tracking string    `json:"tracking,omitempty"`
	Kind     string    `json:"kind,omitempty"`
	Amount   int64     `json:"amount,omitempty"`
	At       time.Time `json:"at"`
}

// event returns the event m carries.
func (m message) event() *ent.OrderEvent {
	return &ent.OrderEvent{
		ID: m.ID, Seq: m.Seq, Status: orderevent.Status(m.Status), Note: m.Note, Actor: m.Actor,
		TrackingNumber: m.Tracking, Kind: eventKind(m.Kind), Amount: m.Amount, At: m.At,
	}
}

func (b *Bus) channel(orderID int) string {
	return fmt.Sprintf("%s%s%d", b.prefix, channelPrefix, orderID)
}

// Publish announces committed events of an order. Call it only after the commit. A failure is
// logged, not returned: the events are stored, and subscribers catch up on the next event or
// when the Redis connection comes back.
func (b *Bus) Publish(ctx context.Context, orderID int, evs ...*ent.OrderEvent) {
	for _, e := range evs {
		data, err := json.Marshal(message{
			ID: e.ID, Seq: e.Seq, Status: string(e.Status), Note: e.Note, Actor: e.Actor,
			Tracking: e.TrackingNumber, Kind: string(e.Kind), Amount: e.Amount, At: e.At,
		})
		if err != nil {
			b.logger.ErrorContext(ctx, "encoding order event", "err", err)
			return
		}
		// One bounded attempt: while Redis is away a retry only delays the workshop's answer, and
		// subscribers catch up from the database either way.
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), publishTimeout)
		err = b.hub.Publish(pctx, b.channel(orderID), string(data))
		cancel()
		if err != nil {
			b.logger.WarnContext(ctx, "publishing order event failed; subscribers will catch up",
				"order", orderID, "seq", e.Seq, "err", err)
		}
	}
}

// Stream returns every event of orderID with seq > after, then live events, in seq order, each
// once, until ctx is done. It subscribes before reading the database, so no event can fall in
// between.
func (b *Bus) Stream(ctx context.Context, orderID, after int) (<-chan *ent.OrderEvent, error) {
	sub, err := b.hub.Subscribe(ctx, b.channel(orderID))
	if err != nil {
		return nil, fmt.Errorf("subscribing to order events: %w", err)
	}
	out := make(chan *ent.OrderEvent, 16)
	s := &stream{bus: b, ctx: ctx, orderID: orderID, last: after, out: out}
	// The stored events are read before returning, so a bad order or database fails the call.
	pending, err := s.read()
	if err != nil {
		sub.Close()
		return nil, err
	}
	go func() {
		defer close(out)
		defer sub.Close()
		if !s.send(pending) {
			return
		}
		for m := range sub.C() {
			if !s.handle(m) {
				return
			}
		}
	}()
	return out, nil
}

type stream struct {
	bus     *Bus
	ctx     context.Context
	orderID int
	last    int
	out     chan<- *ent.OrderEvent
}

// handle processes one hub message; false ends the stream.
func (s *stream) handle(m pubsub.Message) bool {
	if !m.Resync {
		if msg, ok := s.bus.decode(m.Payload); ok {
			switch {
			case msg.Seq <= s.last:
				return true // already sent
			case msg.Seq == s.last+1:
				return s.send([]*ent.OrderEvent{msg.event()})
			}
		}
	}
	// A gap, a resync or an unreadable message: the database says what was missed.
	return s.catchUp()
}

// catchUp re-reads the events after the last one sent, retrying while the database is away.
func (s *stream) catchUp() bool {
	for delay := 100 * time.Millisecond; ; delay = min(delay*2, 5*time.Second) {
		evs, err := s.read()
		if err == nil {
			return s.send(evs)
		}
		s.bus.logger.WarnContext(s.ctx, "reading order events; retrying", "order", s.orderID, "err", err)
		select {
		case <-s.ctx.Done():
			return false
		case <-time.After(delay):
		}
	}
}

func (s *stream) read() ([]*ent.OrderEvent, error) {
	return s.bus.read(s.ctx, s.orderID, s.last)
}

// read returns the stored events of orderID with seq > after, in seq order.
func (b *Bus) read(ctx context.Context, orderID, after int) ([]*ent.OrderEvent, error) {
	// Replay serves a subscriber already authorised for orderID (followOrder), possibly shared
	// by a group of them: the read itself acts for no single caller.
	evs, err := b.client.OrderEvent.Query().
		Where(orderevent.HasOrderWith(order.ID(orderID)), orderevent.SeqGT(after)).
		Order(ent.Asc(orderevent.FieldSeq)).
		All(auth.System(ctx))
	if err != nil {
		return nil, fmt.Errorf("reading order events: %w", err)
	}
	return evs, nil
}

func (s *stream) send(evs []*ent.OrderEvent) bool {
	for _, e := range evs {
		if e.Seq != s.last+1 {
			// Never skip silently: a hole in the stored timeline is a bug worth a loud log.
			s.bus.logger.ErrorContext(s.ctx, "order event sequence has a gap", "order", s.orderID,
				"after", s.last, "seq", e.Seq)
		}
		select {
		case s.out <- e:
			s.last = e.Seq
		case <-s.ctx.Done():
			return false
		}
	}
	return true
}

// eventKind reads a message's kind; messages without one (older instances) are status events.
func eventKind(k string) orderevent.Kind {
	if k == "" {
		return orderevent.KindStatus
	}
	return orderevent.Kind(k)
}
