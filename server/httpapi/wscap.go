package httpapi

import (
	"fmt"
	"net/http"
	"sync"

	"github.com/atelier/atelier/server/metrics"
)

// codeConnectionLimit refuses a WebSocket upgrade over the per-client cap (HTTP 429).
const codeConnectionLimit = "CONNECTION_LIMIT_EXCEEDED"

// websocketCap bounds the open WebSocket connections of one client address on this instance
// (0: no bound). Exempt addresses (ClientAddr "") are not counted.
type websocketCap struct {
	limit   int
	metrics *metrics.Metrics

	mu       sync.Mutex
	byClient map[string]int
}

// acquire takes a place for addr; release gives it back (once, however often it is called).
func (c *websocketCap) acquire(addr string) (release func(), ok bool) {
	if c.limit <= 0 || addr == "" {
		return func() {}, true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byClient[addr] >= c.limit {
		return nil, false
	}
	c.byClient[addr]++
	var once sync.Once
	return func() {
		once.Do(func() {
			c.mu.Lock()
			if c.byClient[addr]--; c.byClient[addr] <= 0 {
				delete(c.byClient, addr)
			}
			c.mu.Unlock()
		})
	}, true
}

// refuse answers an upgrade over the cap with 429, before anything is upgraded.
func (c *websocketCap) refuse(w http.ResponseWriter) {
	c.metrics.Error(codeConnectionLimit)
	w.Header().Set("Retry-After", "10")
	writeGraphQLError(w, http.StatusTooManyRequests, codeConnectionLimit, fmt.Sprintf(
		"too many WebSocket connections from your address (limit %d)", c.limit))
}
