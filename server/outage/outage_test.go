package outage_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"

	"github.com/atelier/atelier/server/outage"
)

func TestUnreachable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp",
		Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain error", errors.New("boom"), false},
		{"text alone is not enough", errors.New("dial tcp: connection refused: EOF"), false},
		{"dial refused", refused, true},
		{"wrapped dial refused", fmt.Errorf("redis: %w", refused), true},
		{"bare ECONNREFUSED", fmt.Errorf("connecting: %w", syscall.ECONNREFUSED), true},
		{"connection reset", fmt.Errorf("reading: %w", syscall.ECONNRESET), true},
		{"EOF", fmt.Errorf("reading reply: %w", io.EOF), true},
		{"unexpected EOF", io.ErrUnexpectedEOF, true},
		{"bad conn", driver.ErrBadConn, true},
		{"in-process pipe closed", fmt.Errorf("reading: %w", io.ErrClosedPipe), true},
		{"use of closed connection", net.ErrClosed, true},
		{"deadline", context.DeadlineExceeded, true},
		{"cancelled is the client's doing", context.Canceled, false},
		{"redis closed", redis.ErrClosed, true},
		{"redis pool timeout", redis.ErrPoolTimeout, true},
		{"redis nil is a miss", redis.Nil, false},
		{"pg admin shutdown", &pgconn.PgError{Code: "57P01"}, true},
		{"pg connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"pg unique violation", &pgconn.PgError{Code: "23505"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, outage.Unreachable(c.err))
		})
	}
}
