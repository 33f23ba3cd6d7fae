package events

import (
	"context"
	"time"

	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/pubsub"
)

// The tail check. An event is announced through Redis after its transaction commits; a process
// that dies in between (SIGKILL, OOM, power) leaves the event stored but never announced, and
// live subscribers elsewhere would stay behind until the order's next event. So while an
// instance has groups it compares, every tailInterval and in one query for all of them, the
// last seq each group knows with the orders' last_seq in the database; a group found behind at
// two checks in a row (the first may be an event being published right now) catches up as
// after a Redis outage: one database read for the whole group. Detection takes at most two
// intervals plus a query, well within 2 s.
//
// An outbox relayed by any live instance would do the same with a table, a relay loop and
// leader or lease handling; the tail check costs one indexed primary-key read per instance per
// interval, needs no new schema, and reuses the catch-up path that is already tested.

// tailInterval is the period of the tail check; tailBatch bounds the orders of one query.
const (
	tailInterval = 500 * time.Millisecond
	tailBatch    = 500
)

// watch runs the tail check while b has groups; the first group starts it, and it ends when
// no group is left.
func (b *Bus) watch() {
	tick := time.NewTicker(b.tailEvery)
	defer tick.Stop()
	var gs []*group
	for range tick.C {
		b.mu.Lock()
		if len(b.groups) == 0 {
			b.watching = false
			b.mu.Unlock()
			return
		}
		gs = gs[:0]
		for _, g := range b.groups {
			if !g.closing {
				gs = append(gs, g)
			}
		}
		b.mu.Unlock()
		for i := 0; i < len(gs); i += tailBatch {
			b.checkTails(gs[i:min(i+tailBatch, len(gs))])
		}
		clear(gs)
	}
}

// startWatching starts the tail check if it is not running; the caller holds b.mu.
func (b *Bus) startWatching() {
	if !b.watching {
		b.watching = true
		go b.watch()
	}
}

// checkTails compares the groups' last known seq with the database's and resyncs the groups
// that stayed behind since the previous check.
func (b *Bus) checkTails(gs []*group) {
	ids := make([]int, len(gs))
	for i, g := range gs {
		ids[i] = g.orderID
	}
	ctx, cancel := context.WithTimeout(context.Background(), b.tailEvery)
	defer cancel()
	// The check acts for no caller: the groups' members were authorised when they joined.
	rows, err := b.client.Order.Query().Where(order.IDIn(ids...)).
		Select(order.FieldID, order.FieldLastSeq).All(auth.System(ctx))
	if err != nil {
		// The database is away: the catch-ups that follow its return will read anyway.
		b.logger.Debug("order events tail check failed", "err", err)
		return
	}
	last := make(map[int]int, len(rows))
	for _, o := range rows {
		last[o.ID] = o.LastSeq
	}
	for _, g := range gs {
		stored := last[g.orderID]
		if stored <= int(g.top.Load()) {
			g.behind = 0
			continue
		}
		if g.behind != stored {
			// First sighting: the event may be on its way through Redis.
			g.behind = stored
			continue
		}
		g.behind = 0
		b.logger.Info("order event committed but not announced; catching up", "order", g.orderID,
			"seq", stored)
		g.handle(pubsub.Message{Resync: true}, nil)
	}
}

// saw raises the group's last known seq to seq.
func (g *group) saw(seq int) {
	for {
		cur := g.top.Load()
		if int64(seq) <= cur || g.top.CompareAndSwap(cur, int64(seq)) {
			return
		}
	}
}
