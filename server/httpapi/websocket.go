package httpapi

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// closeGoingAway is RFC 6455's "going away": the server is shutting down, reconnect elsewhere.
const closeGoingAway = 1001

// shutdownAwareWebsocket wraps the WebSocket implementation so that connections closed because
// the server is shutting down say so with 1001 rather than gqlgen's normal closure.
type shutdownAwareWebsocket struct {
	inner        transport.WebsocketImplementation
	shuttingDown *atomic.Bool
}

// Accept accepts the upgrade through the wrapped implementation.
func (s shutdownAwareWebsocket) Accept(w http.ResponseWriter, r *http.Request,
	o transport.WebsocketAcceptOptions,
) (transport.WebsocketConn, error) {
	c, err := s.inner.Accept(w, r, o)
	if err != nil {
		return nil, err
	}
	return &shutdownAwareConn{WebsocketConn: c, shuttingDown: s.shuttingDown}, nil
}

type shutdownAwareConn struct {
	transport.WebsocketConn
	shuttingDown *atomic.Bool
}

// WriteClose swaps a normal closure for "going away" during shutdown.
func (c *shutdownAwareConn) WriteClose(code int, msg string) error {
	if c.shuttingDown.Load() && code == transport.WebsocketCloseNormalClosure {
		code, msg = closeGoingAway, "server shutting down"
	}
	return c.WebsocketConn.WriteClose(code, msg)
}

// SetReadLimit keeps the wrapped connection's read limit working.
func (c *shutdownAwareConn) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

// SetReadDeadline keeps the wrapped connection's pong deadline working.
func (c *shutdownAwareConn) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}
