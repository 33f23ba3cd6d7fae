package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// ceilingBody picks the ceiling's response: the largest sampled step response no bigger than the
// mean, padded with trailing spaces (still valid JSON) to exactly the mean size; the smallest
// sample when every one is bigger.
func ceilingBody(samples [][]byte, meanSize int) ([]byte, error) {
	if len(samples) == 0 {
		return nil, errors.New("no configure-step response was sampled to size the ceiling")
	}
	var best []byte
	for _, s := range samples {
		fits, bestFits := len(s) <= meanSize, best != nil && len(best) <= meanSize
		switch {
		case best == nil,
			fits && (!bestFits || len(s) > len(best)),
			!fits && !bestFits && len(s) < len(best):
			best = s
		}
	}
	out := append([]byte(nil), best...)
	for len(out) < meanSize {
		out = append(out, ' ')
	}
	return out, nil
}

// runCeiling serves body from a bare net/http handler in this process and drives it like the
// real server: the same clients, HTTP client, request shape and response decoding, so the
// difference in throughput is what the server's own work costs.
func runCeiling(ctx context.Context, client *http.Client, body []byte, clients int,
	w window, sched *schedule,
) (*result, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening for the ceiling server: %w", err)
	}
	srv := &http.Server{
		ReadHeaderTimeout: 10 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// Read the request like a real handler must before answering.
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(body)
		}),
	}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	url := "http://" + ln.Addr().String() + "/query"
	return drive(ctx, clients, w,
		func(_ int, res *result) func(context.Context) {
			p := newPoster(client, url)
			var resp stepResponse
			// A typical step request, encoded afresh each time as the customers do.
			vars := map[string]any{"input": map[string]any{
				"configurationId": "cfg_00000000000000000000000000000000", "version": 7,
				"group": "leather", "option": "shell-cordovan",
			}}
			return func(ctx context.Context) {
				for {
					due, ok := sched.next(ctx)
					if !ok {
						return
					}
					start := time.Now()
					elapsed, err := p.do(ctx, opSelect, vars, &resp)
					if ctx.Err() != nil {
						return
					}
					sent := start
					if sched != nil {
						start, elapsed = due, start.Add(elapsed).Sub(due)
					}
					if err != nil {
						res.errors["ceiling: "+err.Error()]++
						continue
					}
					if w.holds(start, start.Add(elapsed)) {
						res.hist.Record(elapsed)
						if sched != nil {
							res.late.Record(sent.Sub(due))
						}
						res.ops["ceiling"]++
						res.bytes += uint64(len(p.body))
					}
				}
			}
		})
}
