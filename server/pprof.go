//go:build pprof

package main

// Built with -tags pprof only (never in the default binary): serves net/http/pprof on
// ATELIER_PPROF_ADDR (e.g. 127.0.0.1:6060), for profiling a server under tools/loadgen:
//
//	go build -tags pprof -o /tmp/atelier-pprof ./server
//	ATELIER_PPROF_ADDR=127.0.0.1:6060 … or loadgen -server-bin /tmp/atelier-pprof -server-env ATELIER_PPROF_ADDR=127.0.0.1:6060
//	go tool pprof -top 'http://127.0.0.1:6060/debug/pprof/profile?seconds=5'

import (
	"log/slog"
	"net/http"
	_ "net/http/pprof" // the profiling handlers on http.DefaultServeMux
	"os"
)

func init() {
	addr := os.Getenv("ATELIER_PPROF_ADDR")
	if addr == "" {
		return
	}
	go func() {
		slog.Warn("pprof: serving profiles (a -tags pprof build)", "addr", addr)
		if err := http.ListenAndServe(addr, nil); err != nil {
			slog.Error("pprof", "err", err)
		}
	}()
}
