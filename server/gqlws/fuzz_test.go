package gqlws

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// maskedFrame is a client frame: masked, as RFC 6455 requires of clients.
func maskedFrame(fin bool, op byte, payload []byte) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	b := []byte{b0}
	switch n := len(payload); {
	case n <= 125:
		b = append(b, 0x80|byte(n))
	case n <= 0xffff:
		b = append(b, 0x80|126, byte(n>>8), byte(n))
	default:
		b = binary.BigEndian.AppendUint64(append(b, 0x80|127), uint64(n))
	}
	key := [4]byte{1, 2, 3, 4}
	p := append([]byte(nil), payload...)
	unmask(p, key, 0)
	return append(append(b, key[:]...), p...)
}

// fuzzSchema answers every operation at once: the fuzzer exercises the transport, not a schema.
func fuzzSchema() graphql.ExecutableSchema {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `
		type Query { name: String! }
		type Subscription { name: String! }
	`})
	return &graphql.ExecutableSchemaMock{
		ExecFunc: func(ctx context.Context) graphql.ResponseHandler {
			return graphql.OneShot(&graphql.Response{Data: []byte(`{"name":"test"}`)})
		},
		SchemaFunc: func() *ast.Schema { return schema },
		ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) {
			return 1, true
		},
	}
}

// FuzzConnection feeds arbitrary bytes to a connection as if a client sent them: whatever
// arrives, the connection must neither panic nor hang, and it must end once the client is gone.
func FuzzConnection(f *testing.F) {
	text := func(s string) []byte { return maskedFrame(true, opText, []byte(s)) }
	join := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	initMsg := text(`{"type":"connection_init","payload":{"authorization":"Bearer x"}}`)
	f.Add(join(initMsg, text(`{"id":"1","type":"subscribe","payload":{"query":"subscription { name }"}}`),
		text(`{"id":"1","type":"complete"}`)))
	f.Add(join(initMsg, text(`{"id":"q","type":"subscribe","payload":{"query":"{ name }","variables":{"a":1}}}`),
		maskedFrame(true, opPing, []byte("hi")), maskedFrame(true, opClose, []byte{0x03, 0xe8})))
	f.Add(join(maskedFrame(false, opText, []byte(`{"type":"conn`)),
		maskedFrame(true, opContinuation, []byte(`ection_init"}`)), text(`{"type":"ping"}`)))
	f.Add(join(initMsg, initMsg))
	f.Add([]byte{0x81, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Add(text(`{"type":"subscribe","id":"x","payload":{"query":"subscription { name }"}}`))
	exec := executor.New(fuzzSchema())
	logger := slog.New(slog.DiscardHandler)
	f.Fuzz(func(t *testing.T, data []byte) {
		shutdown, stop := context.WithCancel(context.Background())
		defer stop()
		tr := New(Options{InitTimeout: time.Second, PingInterval: time.Hour, ReadLimit: 4096,
			Shutdown: shutdown, Logger: logger})
		tr.start.Do(tr.startWorkers)
		srv, cli := net.Pipe()
		ctx, cancel := context.WithCancel(context.Background())
		c := &conn{t: tr, nc: srv, br: bufio.NewReaderSize(srv, readBufferSize), exec: exec, ctx: ctx,
			cancel: cancel}
		done := make(chan struct{})
		go func() {
			defer close(done)
			c.serve()
		}()
		go func() { _, _ = io.Copy(io.Discard, cli) }()
		_ = cli.SetWriteDeadline(time.Now().Add(2 * time.Second))
		_, _ = cli.Write(data)
		_ = cli.Close()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("the connection did not end after the client went away")
		}
	})
}
