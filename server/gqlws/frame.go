package gqlws

import (
	"bytes"
	"errors"

	"github.com/gobwas/ws"
)

// Close codes of RFC 6455 §7.4.1 used here, as gobwas/ws names them, in the int of Options and
// InitFunc; the graphql-transport-ws ones are in conn.go.
const (
	closeNormal      = int(ws.StatusNormalClosure)
	closeGoingAway   = int(ws.StatusGoingAway)
	closeProtocol    = int(ws.StatusProtocolError)
	closeInvalidData = int(ws.StatusInvalidFramePayloadData)
	closeTooBig      = int(ws.StatusMessageTooBig)
	closeInternal    = int(ws.StatusInternalServerError)
	// CloseTryAgainLater tells a client to reconnect later (a credentials check that could not
	// run, say); graphql-ws retries it. IANA registered it after RFC 6455: gobwas/ws has no name.
	CloseTryAgainLater = 1013
)

// serverSide is the state every client frame is checked in (ws.CheckHeader): masked, no
// reserved bits (no extension is negotiated).
const serverSide = ws.StateServerSide

// frame returns a whole, final server frame carrying the parts of one payload; servers never
// mask (RFC 6455 §5.1).
func frame(op ws.OpCode, parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	h := ws.Header{Fin: true, OpCode: op, Length: int64(n)}
	b := bytes.NewBuffer(make([]byte, 0, ws.HeaderSize(h)+n))
	_ = ws.WriteHeader(b, h) // a bytes.Buffer takes everything
	for _, p := range parts {
		b.Write(p)
	}
	return b.Bytes()
}

// closeFrame returns a close frame with code and reason (cut to fit a control frame).
func closeFrame(code int, reason string) []byte {
	return frame(ws.OpClose, ws.NewCloseFrameBody(ws.StatusCode(code), reason))
}

// closeAnswer is the code that answers a client's close frame with payload p: its own code
// when valid, 1005's stand-in 1000 when it has none, 1002 or 1007 when it is malformed.
func closeAnswer(p []byte) int {
	if len(p) == 0 {
		return closeNormal
	}
	if len(p) == 1 {
		return closeProtocol
	}
	code, reason := ws.ParseCloseFrameDataUnsafe(p)
	switch err := ws.CheckCloseFrameData(code, reason); {
	case errors.Is(err, ws.ErrProtocolInvalidUTF8):
		return closeInvalidData
	case err != nil, code > 4999: // RFC 6455 §7.4.2 ends at 4999; gobwas/ws lets more through
		return closeProtocol
	}
	return int(code)
}

// headerError reports whether err, from ws.ReadHeader, is a malformed header rather than a
// failed read.
func headerError(err error) bool {
	return errors.Is(err, ws.ErrHeaderLengthMSB) || errors.Is(err, ws.ErrHeaderLengthUnexpected)
}
