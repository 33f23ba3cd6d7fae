package events

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/server/pubsub"
)

// Join is the one event engine: every subscriber of an order on this instance, whatever its
// transport (graph.Direct, or gqlgen's executor through Stream), is a member of the order's
// group. A group holds one hub subscription and one goroutine, which decodes each message once
// and offers the same event to every member; catch-up after a gap, a resync, an outage or a
// tail check (tail.go) lives here once. A member is only its place in the
// timeline and a callback, so ten thousand subscribers of one order cost ten thousand small
// structs rather than ten thousand goroutines and channels.

// catchUpDelay and catchUpMaxDelay bound the backoff of a catch-up while the database is away.
const (
	catchUpDelay    = 100 * time.Millisecond
	catchUpMaxDelay = 5 * time.Second
)

// errGroupEnded reports a Join that raced with the hub's Close.
var errGroupEnded = errors.New("subscribing to order events: pubsub hub is closed")

// group is the fan-out of one order's live events to the members that joined it.
type group struct {
	bus     *Bus
	orderID int
	// ctx ends with the group: when its last member leaves or the hub closes. Catch-ups read
	// the database under it.
	ctx    context.Context
	cancel context.CancelFunc
	// ready is closed once the subscription is confirmed or has failed with err.
	ready chan struct{}
	err   error
	// gone is closed once the group has unsubscribed and left Bus.groups.
	gone chan struct{}

	// refs counts the members and the Joins waiting for ready; closing is set when it drops to
	// zero. Both are guarded by Bus.mu, so that a Join never enters a group that is ending.
	refs    int
	closing bool

	mu      sync.Mutex
	members []*member

	// top is the highest seq the group has seen, live or read from the database; behind is the
	// database's last seq when the previous tail check found the group behind it (0: it was
	// not), owned by the tail check.
	top    atomic.Int64
	behind int
}

// member is one Join: its place in the timeline and its callback.
type member struct {
	g       *group
	deliver func(*ent.OrderEvent)
	// idx is the member's position in g.members, guarded by g.mu.
	idx int

	mu sync.Mutex
	// last is the seq of the last event delivered.
	last int
	// wanted is the highest seq offered live since the current database read started, or
	// math.MaxInt when events may have been missed (a resync): above last, the read did not
	// cover everything and must be repeated.
	wanted int
	// catchingUp is set while the member's events come from the database rather than live: one
	// catch-up at a time delivers to it, and live events only raise wanted.
	catchingUp bool
	// gone is set when the member leaves; nothing is delivered to it afterwards.
	gone bool
}

// Join delivers to deliver every event of orderID with seq > after, then the live ones, in seq
// order and each exactly once, until ctx is done. deliver is called from one goroutine at a time
// per Join (never concurrently for the same Join), must not block, and receives the same
// *ent.OrderEvent pointer for every subscriber of a live event on this instance (callers cache
// encodings by pointer); events read back from the database after a gap or an outage are shared
// likewise, while the stored events replayed to a new member are its own. The stored events
// after `after` are read and delivered before Join returns, from the calling goroutine, so a
// database error fails the call (nothing stays registered then). Join itself costs no goroutine
// per subscriber.
func (b *Bus) Join(ctx context.Context, orderID, after int, deliver func(*ent.OrderEvent)) error {
	g, err := b.enter(ctx, orderID)
	if err != nil {
		return err
	}
	// The member is registered, catching up, before the database is read: a live event that
	// arrives meanwhile is either in what is read or noted in wanted, never lost.
	m := &member{g: g, deliver: deliver, last: after, catchingUp: true}
	g.add(m)
	if g.ctx.Err() != nil {
		m.leave()
		return errGroupEnded
	}
	evs, err := b.read(ctx, orderID, after)
	if err != nil {
		m.leave()
		return err
	}
	g.saw(after)
	if behind := g.replay([]*member{m}, evs); len(behind) > 0 {
		go g.catchUp(behind)
	}
	// No goroutine per member waits for its end.
	context.AfterFunc(ctx, m.leave)
	return nil
}

// enter returns the group of orderID, subscribed, with a reference taken for the caller.
func (b *Bus) enter(ctx context.Context, orderID int) (*group, error) {
	for {
		b.mu.Lock()
		g := b.groups[orderID]
		if g != nil && g.closing {
			b.mu.Unlock()
			// Its hub subscription is still being closed; subscribing again before that is
			// done could let the old UNSUBSCRIBE reach Redis after the new SUBSCRIBE.
			select {
			case <-g.gone:
				continue
			case <-ctx.Done():
				return nil, fmt.Errorf("subscribing to order events: %w", ctx.Err())
			}
		}
		if g == nil {
			g = b.newGroup(orderID)
			b.groups[orderID] = g
			go g.run()
			b.startWatching()
		}
		g.refs++
		b.mu.Unlock()
		select {
		case <-g.ready:
		case <-ctx.Done():
			b.release(g)
			return nil, fmt.Errorf("subscribing to order events: %w", ctx.Err())
		}
		if g.err != nil {
			b.release(g)
			return nil, g.err
		}
		return g, nil
	}
}

func (b *Bus) newGroup(orderID int) *group {
	ctx, cancel := context.WithCancel(context.Background())
	return &group{
		bus: b, orderID: orderID, ctx: ctx, cancel: cancel,
		ready: make(chan struct{}), gone: make(chan struct{}),
	}
}

// release drops a reference to g; the last one ends the group.
func (b *Bus) release(g *group) {
	b.mu.Lock()
	g.refs--
	last := g.refs == 0
	if last {
		g.closing = true
	}
	b.mu.Unlock()
	if last {
		// The hub closes the subscription when g.ctx ends, which ends run.
		g.cancel()
	}
}

// run subscribes, then offers every message to the members until the subscription ends: when
// the last member leaves or the hub closes. Then members simply stop receiving.
func (g *group) run() {
	defer g.end()
	sub, err := g.bus.hub.Subscribe(g.ctx, g.bus.channel(g.orderID))
	if err != nil {
		g.err = fmt.Errorf("subscribing to order events: %w", err)
		close(g.ready)
		return
	}
	// Close waits for the hub's own Close (on g.ctx) to finish unsubscribing, so a new group
	// for the order subscribes only afterwards.
	defer sub.Close()
	// The hub's Subscribe returns once Redis confirmed the subscription: members read the
	// database only after this point, so every event committed after their read reaches them.
	close(g.ready)
	var buf []*member
	for msg := range sub.C() {
		buf = g.handle(msg, buf)
	}
}

func (g *group) end() {
	g.cancel()
	b := g.bus
	b.mu.Lock()
	if b.groups[g.orderID] == g {
		delete(b.groups, g.orderID)
	}
	b.mu.Unlock()
	close(g.gone)
}

// handle offers one hub message to every member, using buf for the copy of the member list,
// and returns buf for the next message. Members that fell behind catch up together with one
// database read, so a gap or a resync costs one read per order rather than one per member.
func (g *group) handle(msg pubsub.Message, buf []*member) []*member {
	// A nil event means events may have been missed: a resync after a Redis outage, or a
	// payload that cannot be read.
	var ev *ent.OrderEvent
	if !msg.Resync {
		if d, ok := g.bus.decode(msg.Payload); ok {
			ev = d.event()
			g.saw(ev.Seq)
		} else {
			g.bus.logger.WarnContext(g.ctx, "unreadable order event message; catching up",
				"order", g.orderID)
		}
	}
	// Members are offered the event outside g.mu, so that Joins and leaves do not wait for the
	// whole fan-out; a member that left meanwhile is skipped by offer.
	g.mu.Lock()
	buf = append(buf[:0], g.members...)
	g.mu.Unlock()
	var behind []*member
	for _, m := range buf {
		if m.offer(ev) {
			behind = append(behind, m)
		}
	}
	clear(buf) // The buffer must not keep members that leave alive.
	if len(behind) > 0 {
		go g.catchUp(behind)
	}
	return buf
}

// catchUp brings members that fell behind up to date from the database, retrying while it is
// away, until each is back on the live stream, has left, or the group ends.
func (g *group) catchUp(ms []*member) {
	delay := catchUpDelay
	for {
		after, ok := lowest(ms)
		if !ok {
			return
		}
		evs, err := g.bus.read(g.ctx, g.orderID, after)
		if err != nil {
			if g.ctx.Err() != nil {
				return
			}
			g.bus.logger.WarnContext(g.ctx, "reading order events; retrying", "order", g.orderID,
				"err", err)
			select {
			case <-g.ctx.Done():
				return
			case <-time.After(delay):
			}
			delay = min(delay*2, catchUpMaxDelay)
			continue
		}
		delay = catchUpDelay
		if ms = g.replay(ms, evs); len(ms) == 0 {
			return
		}
	}
}

// lowest returns the smallest last of the members still there; false when none is.
func lowest(ms []*member) (int, bool) {
	after, ok := math.MaxInt, false
	for _, m := range ms {
		m.mu.Lock()
		if !m.gone {
			after, ok = min(after, m.last), true
		}
		m.mu.Unlock()
	}
	return after, ok
}

// replay delivers stored events, in seq order, to members that are catching up, and returns
// (in ms's backing array) those that must read again because live events went past the read.
func (g *group) replay(ms []*member, evs []*ent.OrderEvent) []*member {
	if len(evs) > 0 {
		g.saw(evs[len(evs)-1].Seq)
	}
	behind := ms[:0]
	logged := false
	for _, m := range ms {
		again, after, seq := m.replay(evs)
		if seq != 0 && !logged {
			// Never skip silently: a hole in the stored timeline is a bug worth a loud log,
			// once per order rather than once per member.
			g.bus.logger.ErrorContext(g.ctx, "order event sequence has a gap", "order", g.orderID,
				"after", after, "seq", seq)
			logged = true
		}
		if again {
			behind = append(behind, m)
		}
	}
	clear(ms[len(behind):])
	return behind
}

// replay delivers the events of evs after m.last and reports whether m must read again; seq,
// when not zero, is the first event that did not follow after.
func (m *member) replay(evs []*ent.OrderEvent) (again bool, after, seq int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gone {
		return false, 0, 0
	}
	for _, e := range evs {
		if e.Seq <= m.last {
			continue
		}
		if e.Seq != m.last+1 && seq == 0 {
			after, seq = m.last, e.Seq
		}
		m.last = e.Seq
		m.deliver(e)
	}
	if m.wanted > m.last {
		m.wanted = 0
		return true, after, seq
	}
	m.catchingUp = false
	return false, after, seq
}

// offer hands m a live event, or nil when events may have been missed, and reports whether m
// just fell behind and needs a catch-up.
func (m *member) offer(ev *ent.OrderEvent) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case m.gone:
		return false
	case m.catchingUp:
		if ev == nil {
			m.wanted = math.MaxInt
		} else {
			m.wanted = max(m.wanted, ev.Seq)
		}
		return false
	case ev == nil:
	case ev.Seq <= m.last:
		return false // already delivered
	case ev.Seq == m.last+1:
		m.last = ev.Seq
		m.deliver(ev)
		return false
	}
	// A gap or a possible loss: the database says what was missed. The catch-up reads only
	// after this point, so wanted starts afresh.
	m.catchingUp, m.wanted = true, 0
	return true
}

func (g *group) add(m *member) {
	g.mu.Lock()
	m.idx = len(g.members)
	g.members = append(g.members, m)
	g.mu.Unlock()
}

func (g *group) remove(m *member) {
	g.mu.Lock()
	last := len(g.members) - 1
	moved := g.members[last]
	g.members[m.idx], moved.idx = moved, m.idx
	g.members[last] = nil
	g.members = g.members[:last]
	g.mu.Unlock()
}

// leave removes m from its group; once it returns, m's callback is not called again.
func (m *member) leave() {
	m.mu.Lock()
	if m.gone {
		m.mu.Unlock()
		return
	}
	m.gone = true
	m.mu.Unlock()
	m.g.remove(m)
	m.g.bus.release(m.g)
}
