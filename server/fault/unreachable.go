package fault

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/redis/go-redis/v9"
)

// Unreachable reports whether err means the database or Redis could not be reached, as opposed
// to a bug: network errors, a connection broken mid-query, PostgreSQL's connection and shutdown
// error classes (08, 57P), timeouts and a closed Redis pool. Such failures are UNAVAILABLE.
func Unreachable(err error) bool {
	var (
		ne  net.Error
		ce  *pgconn.ConnectError
		pge *pgconn.PgError
	)
	switch {
	case errors.As(err, &ne), errors.As(err, &ce):
		return true
	case errors.As(err, &pge):
		return strings.HasPrefix(pge.Code, "08") || strings.HasPrefix(pge.Code, "57P")
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, redis.ErrClosed) || errors.Is(err, redis.ErrPoolTimeout)
}
