package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // RFC 6455 §4.2.2 specifies SHA-1 for the accept key.
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// wsConn is a minimal RFC 6455 client: enough for graphql-transport-ws text messages, with
// pings answered and close frames reported. The load generator runs ten thousand of them on
// the machine that runs the server, so each read costs one buffered frame parse and nothing
// else (no context, no timer, no allocation but the message): the measured delay is the
// server's, not the client library's.
type wsConn struct {
	nc  net.Conn
	br  *bufio.Reader
	wmu sync.Mutex
}

// closeError is a close frame received from the server.
type closeError struct {
	code   int
	reason string
}

func (e *closeError) Error() string {
	return fmt.Sprintf("websocket closed by the server: %d %s", e.code, e.reason)
}

// closeCode returns the close code of err, or -1.
func closeCode(err error) int {
	var ce *closeError
	if errors.As(err, &ce) {
		return ce.code
	}
	return -1
}

// dialWS opens a WebSocket connection speaking subprotocol.
func dialWS(ctx context.Context, rawURL, subprotocol string) (*wsConn, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = nc.SetDeadline(dl)
	}
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	key := base64.StdEncoding.EncodeToString(nonce[:])
	req := "GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUpgrade: websocket\r\n" +
		"Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n" +
		"Sec-WebSocket-Protocol: " + subprotocol + "\r\n\r\n"
	if _, err := io.WriteString(nc, req); err != nil {
		nc.Close()
		return nil, err
	}
	br := bufio.NewReaderSize(nc, 1024)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		nc.Close()
		return nil, err
	}
	resp.Body.Close()
	h := sha1.New() //nolint:gosec // mandated by RFC 6455
	h.Write([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	switch {
	case resp.StatusCode != http.StatusSwitchingProtocols:
		nc.Close()
		return nil, fmt.Errorf("handshake: %s", resp.Status)
	case resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(h.Sum(nil)):
		nc.Close()
		return nil, errors.New("handshake: wrong Sec-WebSocket-Accept")
	case resp.Header.Get("Sec-WebSocket-Protocol") != subprotocol:
		nc.Close()
		return nil, fmt.Errorf("handshake: server chose subprotocol %q", resp.Header.Get("Sec-WebSocket-Protocol"))
	}
	_ = nc.SetDeadline(time.Time{})
	return &wsConn{nc: nc, br: br}, nil
}

// writeFrame sends one masked frame, as clients must.
func (c *wsConn) writeFrame(op byte, p []byte) error {
	b := make([]byte, 0, 14+len(p))
	b = append(b, 0x80|op)
	switch n := len(p); {
	case n <= 125:
		b = append(b, 0x80|byte(n))
	case n <= 0xffff:
		b = append(b, 0x80|126, byte(n>>8), byte(n))
	default:
		b = binary.BigEndian.AppendUint64(append(b, 0x80|127), uint64(n))
	}
	var key [4]byte
	_, _ = rand.Read(key[:])
	b = append(b, key[:]...)
	for i, x := range p {
		b = append(b, x^key[i&3])
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.nc.Write(b)
	return err
}

// WriteText sends a text message.
func (c *wsConn) WriteText(p []byte) error { return c.writeFrame(0x1, p) }

// Read returns the next text or binary message, answering pings on the way; a close frame
// from the server is answered and returned as a *closeError.
func (c *wsConn) Read() ([]byte, error) {
	var msg []byte
	for {
		var hdr [2]byte
		if _, err := io.ReadFull(c.br, hdr[:]); err != nil {
			return nil, err
		}
		fin, op := hdr[0]&0x80 != 0, hdr[0]&0xf
		if hdr[1]&0x80 != 0 {
			return nil, errors.New("server frames must not be masked")
		}
		n := int64(hdr[1] & 0x7f)
		switch n {
		case 126:
			var ext [2]byte
			if _, err := io.ReadFull(c.br, ext[:]); err != nil {
				return nil, err
			}
			n = int64(binary.BigEndian.Uint16(ext[:]))
		case 127:
			var ext [8]byte
			if _, err := io.ReadFull(c.br, ext[:]); err != nil {
				return nil, err
			}
			n = int64(binary.BigEndian.Uint64(ext[:]))
		}
		if n > 1<<20 {
			return nil, fmt.Errorf("frame of %d bytes is over the 1 MiB limit", n)
		}
		p := make([]byte, n)
		if _, err := io.ReadFull(c.br, p); err != nil {
			return nil, err
		}
		switch op {
		case 0x9: // ping
			if err := c.writeFrame(0xA, p); err != nil {
				return nil, err
			}
		case 0xA: // pong
		case 0x8: // close
			ce := &closeError{code: 1005}
			if len(p) >= 2 {
				ce.code, ce.reason = int(binary.BigEndian.Uint16(p)), string(p[2:])
			}
			_ = c.writeFrame(0x8, p[:min(len(p), 2)])
			return nil, ce
		default:
			msg = append(msg, p...)
			if fin {
				return msg, nil
			}
		}
	}
}

// Close sends a normal close frame and closes the socket.
func (c *wsConn) Close() {
	_ = c.writeFrame(0x8, []byte{0x03, 0xe8})
	c.nc.Close()
}

// CloseNow closes the socket without a close frame.
func (c *wsConn) CloseNow() { c.nc.Close() }

// parseFrame parses the first whole frame in b: its opcode, fin bit, payload and size; ok is
// false while b holds only part of a frame.
func parseFrame(b []byte) (op byte, fin bool, payload []byte, size int, ok bool, err error) {
	if len(b) < 2 {
		return 0, false, nil, 0, false, nil
	}
	fin, op = b[0]&0x80 != 0, b[0]&0xf
	if b[1]&0x80 != 0 {
		return 0, false, nil, 0, false, errors.New("server frames must not be masked")
	}
	n, h := int64(b[1]&0x7f), 2
	switch n {
	case 126:
		if len(b) < 4 {
			return 0, false, nil, 0, false, nil
		}
		n, h = int64(binary.BigEndian.Uint16(b[2:4])), 4
	case 127:
		if len(b) < 10 {
			return 0, false, nil, 0, false, nil
		}
		n, h = int64(binary.BigEndian.Uint64(b[2:10])), 10
	}
	if n > 1<<20 {
		return 0, false, nil, 0, false, fmt.Errorf("frame of %d bytes is over the 1 MiB limit", n)
	}
	if int64(len(b)-h) < n {
		return 0, false, nil, 0, false, nil
	}
	return op, fin, b[h : h+int(n)], h + int(n), true, nil
}
