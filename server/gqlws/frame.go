package gqlws

import (
	"bufio"
	"crypto/sha1" //nolint:gosec // RFC 6455 §4.2.2 specifies SHA-1 for the accept key.
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// WebSocket opcodes (RFC 6455 §5.2).
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

// Close codes of RFC 6455 §7.4.1 used here; the graphql-transport-ws ones are in conn.go.
const (
	closeNormal      = 1000
	closeGoingAway   = 1001
	closeProtocol    = 1002
	closeNoStatus    = 1005
	closeInvalidData = 1007
	closeTooBig      = 1009
	closeInternal    = 1011
	// CloseTryAgainLater tells a client to reconnect later (a credentials check that could not
	// run, say); graphql-ws retries it.
	CloseTryAgainLater = 1013
)

// maxControlPayload is the largest payload of a close, ping or pong frame.
const maxControlPayload = 125

// errFrame is a violation of the framing rules by the client.
var errFrame = errors.New("websocket protocol violation")

// frameHeader is a parsed frame header.
type frameHeader struct {
	fin    bool
	rsv    byte
	op     byte
	masked bool
	mask   [4]byte
	length int64
}

// readHeader reads one frame header.
func readHeader(r *bufio.Reader) (frameHeader, error) {
	var h frameHeader
	var b [8]byte
	if _, err := io.ReadFull(r, b[:2]); err != nil {
		return h, err
	}
	h.fin = b[0]&0x80 != 0
	h.rsv = (b[0] >> 4) & 0x7
	h.op = b[0] & 0xf
	h.masked = b[1]&0x80 != 0
	h.length = int64(b[1] & 0x7f)
	switch h.length {
	case 126:
		if _, err := io.ReadFull(r, b[:2]); err != nil {
			return h, err
		}
		h.length = int64(binary.BigEndian.Uint16(b[:2]))
	case 127:
		if _, err := io.ReadFull(r, b[:8]); err != nil {
			return h, err
		}
		n := binary.BigEndian.Uint64(b[:8])
		if n>>63 != 0 {
			return h, fmt.Errorf("%w: frame length has the most significant bit set", errFrame)
		}
		h.length = int64(n)
	}
	if h.masked {
		if _, err := io.ReadFull(r, h.mask[:]); err != nil {
			return h, err
		}
	}
	return h, nil
}

// check applies the rules every client frame must follow.
func (h frameHeader) check() error {
	switch {
	case h.rsv != 0:
		return fmt.Errorf("%w: reserved bits set without a negotiated extension", errFrame)
	case !h.masked:
		return fmt.Errorf("%w: client frames must be masked", errFrame)
	case h.op >= opClose && (!h.fin || h.length > maxControlPayload):
		return fmt.Errorf("%w: control frames must be whole and at most %d bytes", errFrame, maxControlPayload)
	case h.op > opBinary && h.op < opClose || h.op > opPong:
		return fmt.Errorf("%w: unknown opcode %#x", errFrame, h.op)
	}
	return nil
}

// unmask applies the client's masking key to p, the part of a payload at offset pos.
func unmask(p []byte, key [4]byte, pos int64) {
	for i := range p {
		p[i] ^= key[(pos+int64(i))&3]
	}
}

// frameHeaderSize is the size of an unmasked server frame header for an n-byte payload.
func frameHeaderSize(n int) int {
	switch {
	case n <= 125:
		return 2
	case n <= 0xffff:
		return 4
	default:
		return 10
	}
}

// appendFrameHeader appends the header of a final, unmasked frame (servers never mask).
func appendFrameHeader(dst []byte, op byte, n int) []byte {
	b0 := 0x80 | op
	switch {
	case n <= 125:
		return append(dst, b0, byte(n))
	case n <= 0xffff:
		return append(dst, b0, 126, byte(n>>8), byte(n))
	default:
		return binary.BigEndian.AppendUint64(append(dst, b0, 127), uint64(n))
	}
}

// frame returns a whole server frame carrying payload.
func frame(op byte, payload []byte) []byte {
	b := make([]byte, 0, frameHeaderSize(len(payload))+len(payload))
	return append(appendFrameHeader(b, op, len(payload)), payload...)
}

// closeFrame returns a close frame with code and reason (cut to fit a control frame).
func closeFrame(code int, reason string) []byte {
	if len(reason) > maxControlPayload-2 {
		reason = reason[:maxControlPayload-2]
	}
	p := make([]byte, 2, 2+len(reason))
	binary.BigEndian.PutUint16(p, uint16(code))
	return frame(opClose, append(p, reason...))
}

// validCloseCode reports whether a client may send code in a close frame (RFC 6455 §7.4).
func validCloseCode(code int) bool {
	switch {
	case code >= 3000 && code <= 4999:
		return true
	case code < 1000 || code > 1014:
		return false
	}
	return code != 1004 && code != closeNoStatus && code != 1006
}

// websocketGUID is the fixed suffix of the accept key (RFC 6455 §1.3).
const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// acceptKey computes Sec-WebSocket-Accept for a client's Sec-WebSocket-Key.
func acceptKey(key string) string {
	h := sha1.New() //nolint:gosec // mandated by RFC 6455
	h.Write([]byte(key + websocketGUID))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// handshakeError is a refused upgrade, answered with an HTTP status.
type handshakeError struct {
	status int
	msg    string
}

func (e *handshakeError) Error() string { return e.msg }

// checkUpgrade validates the opening handshake (RFC 6455 §4.2.1) and returns the client's key.
func checkUpgrade(r *http.Request) (string, error) {
	switch {
	case !r.ProtoAtLeast(1, 1):
		return "", &handshakeError{http.StatusUpgradeRequired, "WebSocket needs HTTP/1.1"}
	case r.Method != http.MethodGet:
		return "", &handshakeError{http.StatusMethodNotAllowed, "WebSocket handshakes use GET"}
	case !headerHasToken(r.Header, "Connection", "upgrade"):
		return "", &handshakeError{http.StatusUpgradeRequired, "Connection header must contain Upgrade"}
	case !headerHasToken(r.Header, "Upgrade", "websocket"):
		return "", &handshakeError{http.StatusUpgradeRequired, "Upgrade header must contain websocket"}
	case r.Header.Get("Sec-WebSocket-Version") != "13":
		return "", &handshakeError{http.StatusBadRequest, "only WebSocket version 13 is supported"}
	}
	keys := r.Header.Values("Sec-WebSocket-Key")
	if len(keys) != 1 {
		return "", &handshakeError{http.StatusBadRequest, "exactly one Sec-WebSocket-Key is required"}
	}
	key := strings.TrimSpace(keys[0])
	if raw, err := base64.StdEncoding.DecodeString(key); err != nil || len(raw) != 16 {
		return "", &handshakeError{http.StatusBadRequest, "Sec-WebSocket-Key must be 16 bytes in base64"}
	}
	return key, nil
}

// headerHasToken reports whether a comma-separated header contains token (case-insensitive).
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}
