//go:build !unix

package gqlws

import (
	"errors"
	"net"
	"syscall"
)

// rawConn reports no raw socket: writes use deadlines instead.
func rawConn(net.Conn) syscall.RawConn { return nil }

func writeNow(syscall.RawConn, []byte) (int, error) {
	return 0, errors.New("not supported")
}
