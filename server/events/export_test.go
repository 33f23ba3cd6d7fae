package events

import (
	"sync"

	"github.com/atelier/atelier/server/pubsub"
)

// handleBufs keeps, per group, the member buffer that Handle reuses as the group's goroutine
// does, so that benchmarks measure the fan-out rather than the buffer.
var handleBufs sync.Map

// Groups returns how many orders have a Join group on this instance.
func (b *Bus) Groups() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.groups)
}

// Handle passes msg to the Join group of orderID as its goroutine does with what the hub
// delivers; false when the order has no group.
func (b *Bus) Handle(orderID int, msg pubsub.Message) bool {
	b.mu.Lock()
	g := b.groups[orderID]
	b.mu.Unlock()
	if g == nil {
		return false
	}
	buf, _ := handleBufs.LoadAndDelete(g)
	bb, _ := buf.([]*member)
	handleBufs.Store(g, g.handle(msg, bb))
	return true
}
