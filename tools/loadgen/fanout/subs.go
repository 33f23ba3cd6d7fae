package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/atelier/atelier/tools/internal/atelier"
)

const subscription = `subscription($id: ID!, $after: Int) {
  orderEvents(orderId: $id, after: $after) { seq status at }
}`

// subscriber is one WebSocket client following the order's events.
type subscriber struct {
	conn *wsConn
	// recv[seq] is when event seq arrived (zero: not yet); at[seq] is the event's own time.
	recv []time.Time
	at   []time.Time
	// last is the highest seq received; dups and gaps count protocol violations.
	last  atomic.Int64
	dups  atomic.Int64
	gaps  atomic.Int64
	errMu sync.Mutex
	err   error
	// closeCode is the close status the server ended the connection with, if any.
	closeCode atomic.Int64
	// fd, pending and message belong to the epoll reader (readers_linux.go): the socket, bytes
	// of a frame not yet complete and the fragments of a message.
	fd      int
	pending []byte
	message []byte
}

func (s *subscriber) fail(err error) {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	if s.err == nil {
		s.err = err
	}
}

func (s *subscriber) failure() error {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.err
}

type wsMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id"`
	Payload json.RawMessage `json:"payload"`
}

type eventPayload struct {
	Data *struct {
		OrderEvents struct {
			Seq    int       `json:"seq"`
			Status string    `json:"status"`
			At     time.Time `json:"at"`
		} `json:"orderEvents"`
	} `json:"data"`
	Errors []atelier.Error `json:"errors"`
}

// dialSubscriber connects, authenticates with the order token and subscribes from seq 0.
// maxSeq bounds the events it records.
func dialSubscriber(ctx context.Context, wsURL, token, orderID string, maxSeq int) (*subscriber, error) {
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := dialWS(dctx, wsURL, "graphql-transport-ws")
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	// The handshake below must finish in time too; the deadline is lifted afterwards.
	deadline, _ := dctx.Deadline()
	_ = conn.nc.SetDeadline(deadline)
	s := &subscriber{conn: conn, recv: make([]time.Time, maxSeq+1), at: make([]time.Time, maxSeq+1)}
	write := func(v any) error {
		b, _ := json.Marshal(v)
		return conn.WriteText(b)
	}
	if err := write(map[string]any{"type": "connection_init",
		"payload": map[string]any{"authorization": "Bearer " + token}}); err != nil {
		conn.CloseNow()
		return nil, fmt.Errorf("connection_init: %w", err)
	}
	for {
		data, err := conn.Read()
		if err != nil {
			conn.CloseNow()
			return nil, fmt.Errorf("waiting for connection_ack: %w", err)
		}
		var m wsMessage
		if err := json.Unmarshal(data, &m); err != nil {
			conn.CloseNow()
			return nil, fmt.Errorf("decoding %q: %w", data, err)
		}
		if m.Type == "connection_ack" {
			break
		}
		if m.Type == "ping" {
			_ = write(map[string]any{"type": "pong"})
			continue
		}
		if m.Type != "pong" && m.Type != "ka" {
			conn.CloseNow()
			return nil, fmt.Errorf("handshake: unexpected %s", data)
		}
	}
	_ = conn.nc.SetDeadline(time.Time{})
	if err := write(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query": subscription, "variables": map[string]any{"id": orderID, "after": 0}}}); err != nil {
		conn.CloseNow()
		return nil, fmt.Errorf("subscribe: %w", err)
	}
	return s, nil
}

// ended records why the connection ended.
func (s *subscriber) ended(ctx context.Context, err error) {
	if code := closeCode(err); code != -1 {
		s.closeCode.Store(int64(code))
	}
	if ctx.Err() == nil {
		s.fail(fmt.Errorf("read: %w", err))
	}
}

// handle records one message received at now.
func (s *subscriber) handle(data []byte, now time.Time) {
	// One decode of the whole message: envelope and event together.
	var m struct {
		Type    string       `json:"type"`
		Payload eventPayload `json:"payload"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		s.fail(fmt.Errorf("decoding %q: %w", data, err))
		return
	}
	switch m.Type {
	case "ping":
		_ = s.conn.WriteText([]byte(`{"type":"pong"}`))
	case "pong", "ka":
	case "next":
		p := m.Payload
		if p.Data == nil || len(p.Errors) > 0 {
			s.fail(fmt.Errorf("event: %s", strings.TrimSpace(string(data))))
			return
		}
		e := p.Data.OrderEvents
		last := s.last.Load()
		switch {
		case int64(e.Seq) <= last:
			s.dups.Add(1)
			return
		case int64(e.Seq) != last+1:
			s.gaps.Add(1)
		}
		if e.Seq < len(s.recv) {
			s.recv[e.Seq] = now
			s.at[e.Seq] = e.At
		}
		s.last.Store(int64(e.Seq))
	case "error", "complete":
		s.fail(fmt.Errorf("subscription ended: %s", strings.TrimSpace(string(data))))
	default:
		s.fail(fmt.Errorf("unexpected message %s", strings.TrimSpace(string(data))))
	}
}
