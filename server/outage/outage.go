// Package outage tells a backing service being unreachable (the database or Redis down, a
// connection refused, reset or cut mid-answer) apart from a bug. It matches errors by type and
// by value, never by their text, and is the one place that knows the drivers' error types.
package outage

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/redis/go-redis/v9"
)

// Unreachable reports whether err means the database or Redis could not be reached, as opposed
// to a bug: network errors (*net.OpError and every net.Error), a connection refused, reset or
// broken (ECONNREFUSED, ECONNRESET, EPIPE), a connection cut or closed mid-answer (io.EOF,
// io.ErrUnexpectedEOF, driver.ErrBadConn, and io.ErrClosedPipe or net.ErrClosed from the
// in-process Redis's pipe), PostgreSQL's connection and shutdown error classes
// (08, 57P), pgx's connect errors, timeouts, and a closed or exhausted Redis pool.
func Unreachable(err error) bool {
	if err == nil {
		return false
	}
	var (
		oe  *net.OpError
		ne  net.Error
		ce  *pgconn.ConnectError
		pge *pgconn.PgError
	)
	switch {
	case errors.As(err, &oe), errors.As(err, &ne), errors.As(err, &ce):
		return true
	case errors.As(err, &pge):
		// SQLSTATE classes: 08 connection exception, 57P operator intervention (shutdown).
		return strings.HasPrefix(pge.Code, "08") || strings.HasPrefix(pge.Code, "57P")
	}
	for _, target := range []error{
		syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EPIPE,
		io.EOF, io.ErrUnexpectedEOF, io.ErrClosedPipe, net.ErrClosed, driver.ErrBadConn,
		context.DeadlineExceeded,
		redis.ErrClosed, redis.ErrPoolTimeout,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}
