// Package events carries order build events from the database, which is the source of truth, to
// live subscribers. An event is published through Redis only after its transaction committed,
// carrying the event itself so that thousands of subscribers cost no database read; a
// subscriber that sees a gap in seq, or a Redis outage, re-reads the missing events from the
// database. Subscribers therefore get every event with seq > after, in order, exactly once.
// Every subscriber is a member of its order's group (Join, join.go); Stream is Join behind a
// channel.
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

// queueChannel announces every order event, for the workshop's live queue.
const queueChannel = "order-queue"

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

	// mu guards groups, the Join fan-out of each order that has members on this instance, and
	// watching, set while the tail check runs.
	mu       sync.Mutex
	groups   map[int]*group
	watching bool
	// tailEvery is the period of the tail check (tail.go).
	tailEvery time.Duration

	// BeforePublish, when set, runs after a commit and before its events are announced. It is
	// a fault-injection hook for tests (a process killed right there); nil in production.
	BeforePublish func()
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
		tailEvery: tailInterval,
	}
}

// message is an event as carried through Redis.
type message struct {
	ID       int    `json:"id"`
	Seq      int    `json:"seq"`
	Status   string `json:"status"`
	Note     string `json:"note,omitempty"`
	Actor    string `json:"actor,omitempty"`
	Tracking string `json:"tracking,omitempty"`
	Kind     string `json:"kind,omitempty"`
	Amount   int64  `json:"amount,omitempty"`
	// Proof is the proof number of a PROOF or a decision on one (the proof's picture is not
	// carried: clients read it from the order).
	Proof int       `json:"proof,omitempty"`
	At    time.Time `json:"at"`
}

// event returns the event m carries.
func (m message) event() *ent.OrderEvent {
	return &ent.OrderEvent{
		ID: m.ID, Seq: m.Seq, Status: orderevent.Status(m.Status), Note: m.Note, Actor: m.Actor,
		TrackingNumber: m.Tracking, Kind: eventKind(m.Kind), Amount: m.Amount, At: m.At,
		ProofNumber: m.Proof,
	}
}

func (b *Bus) channel(orderID int) string {
	return fmt.Sprintf("%s%s%d", b.prefix, channelPrefix, orderID)
}

// Publish announces committed events of an order. Call it only after the commit. A failure is
// logged, not returned: the events are stored, and subscribers catch up on the next event or
// when the Redis connection comes back.
func (b *Bus) Publish(ctx context.Context, orderID int, evs ...*ent.OrderEvent) {
	if b.BeforePublish != nil {
		b.BeforePublish()
	}
	for _, e := range evs {
		data, err := json.Marshal(message{
			ID: e.ID, Seq: e.Seq, Status: string(e.Status), Note: e.Note, Actor: e.Actor,
			Tracking: e.TrackingNumber, Kind: string(e.Kind), Amount: e.Amount, At: e.At,
			Proof: e.ProofNumber,
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
		b.announce(ctx, orderID, e)
	}
}

// QueueChange is one change to the workshop's queue: an order placed or moved to a status.
type QueueChange struct {
	// OrderID is the order that changed; 0 with Resync.
	OrderID int
	// Status is the status it entered.
	Status orderevent.Status
	// Resync is true when changes may have been missed: the whole queue must be read again.
	Resync bool
}

// queueMessage is a QueueChange as carried through Redis.
type queueMessage struct {
	Order  int    `json:"order"`
	Status string `json:"status"`
}

// announce tells the queue channel that orderID entered e's status. Like Publish, a failure is
// logged only: the queue is read from the database, the announcement only says when.
func (b *Bus) announce(ctx context.Context, orderID int, e *ent.OrderEvent) {
	data, err := json.Marshal(queueMessage{Order: orderID, Status: string(e.Status)})
	if err != nil {
		b.logger.ErrorContext(ctx, "encoding queue change", "err", err)
		return
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), publishTimeout)
	defer cancel()
	if err := b.hub.Publish(pctx, b.prefix+queueChannel, string(data)); err != nil {
		b.logger.WarnContext(ctx, "announcing queue change failed", "order", orderID, "err", err)
	}
}

// Queue returns every change to the order queue from now on, until ctx is done. The first is a
// Resync, sent once the subscription is live: a queue read after it misses nothing. A change
// that may have been missed later (Redis went away) arrives as a Resync too.
func (b *Bus) Queue(ctx context.Context) (<-chan QueueChange, error) {
	sub, err := b.hub.Subscribe(ctx, b.prefix+queueChannel)
	if err != nil {
		return nil, fmt.Errorf("subscribing to the order queue: %w", err)
	}
	out := make(chan QueueChange, 16)
	out <- QueueChange{Resync: true}
	// A goroutine per subscriber is fine here: the queue is followed by a few staff screens,
	// not by every customer.
	go func() {
		defer close(out)
		defer sub.Close()
		for {
			var m pubsub.Message
			select {
			case <-ctx.Done():
				return
			case msg, ok := <-sub.C():
				if !ok {
					return
				}
				m = msg
			}
			var c QueueChange
			var qm queueMessage
			if m.Resync || json.Unmarshal([]byte(m.Payload), &qm) != nil {
				c.Resync = true
			} else {
				c.OrderID, c.Status = qm.Order, orderevent.Status(qm.Status)
			}
			select {
			case out <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// Stream is Join for a consumer that wants a channel (gqlgen's executor, for the transports and
// selections that graph.Direct does not serve): every event of orderID with seq > after, then
// the live ones, in seq order, each once, until ctx is done, when the channel closes. The
// order's group does the gap, resync and tail work for every member alike; Stream only adds a
// queue and one goroutine that hands the queue to the channel.
func (b *Bus) Stream(ctx context.Context, orderID, after int) (<-chan *ent.OrderEvent, error) {
	q := &queue{wake: make(chan struct{}, 1)}
	if err := b.Join(ctx, orderID, after, q.push); err != nil {
		return nil, err
	}
	out := make(chan *ent.OrderEvent, 16)
	go func() {
		defer close(out)
		for {
			evs := q.take()
			for _, e := range evs {
				select {
				case out <- e:
				case <-ctx.Done():
					return
				}
			}
			if len(evs) > 0 {
				continue
			}
			select {
			case <-q.wake:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// queue holds what Join delivered (without blocking, as Join requires) until Stream's goroutine
// takes it.
type queue struct {
	mu   sync.Mutex
	evs  []*ent.OrderEvent
	wake chan struct{}
}

func (q *queue) push(e *ent.OrderEvent) {
	q.mu.Lock()
	q.evs = append(q.evs, e)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *queue) take() []*ent.OrderEvent {
	q.mu.Lock()
	defer q.mu.Unlock()
	evs := q.evs
	q.evs = nil
	return evs
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

// eventKind reads a message's kind; messages without one (older instances) are status events.
func eventKind(k string) orderevent.Kind {
	if k == "" {
		return orderevent.KindStatus
	}
	return orderevent.Kind(k)
}
