package faulttest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/testutil"
)

// Graceful shutdown under load: after SIGTERM every request the server had already received
// completes successfully, subscribers get close code 1001 (going away: reconnect elsewhere), and
// the process exits cleanly.
func TestGracefulShutdownUnderLoad(t *testing.T) {
	dbURL := testutil.DatabaseURL(t)
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		redisURL = testutil.StartRedisServer(t).URL
	}
	c := startChild(t, dbURL, redisURL, prefix(t))
	o := placeOrder(t, c.URL)
	var subs []*subscriber
	for range 3 {
		s := subscribe(t, c.URL, o.Token, o.ID, 0)
		s.waitSeq(t, 1, 10*time.Second)
		subs = append(subs, s)
	}
	cfg := completeConfiguration(t, c.URL)

	// Load: workers reading the whole configuration (price, lead time, preview), each over its
	// own keep-alive connection. A request the server never read (written on an idle connection
	// the shutdown closed) is retried by net/http thanks to the Idempotency-Key header, as any
	// client may; a dial refused after SIGTERM is a request that never started.
	query, _ := json.Marshal(map[string]any{"query": `query($id: ID!) { configuration(id: $id) {
		id version complete completions groups { group { key } options { option { key name }
		state reasons { message } priceDelta { amount } } } price { total { amount } lines { label } }
		leadTime { shipsEarliest shipsLatest } preview { svg } } }`, "variables": map[string]any{"id": cfg.ID}})
	var (
		mu                           sync.Mutex
		termAt                       time.Time
		served, inFlight, notStarted int
		failures                     []string
	)
	var wg sync.WaitGroup
	for w := range 12 {
		client := &http.Client{Transport: &http.Transport{}, Timeout: 20 * time.Second}
		wg.Go(func() {
			defer client.CloseIdleConnections()
			for i := 0; i < 2000; i++ {
				req, _ := http.NewRequest(http.MethodPost, c.URL+"/query", bytes.NewReader(query))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Idempotency-Key", fmt.Sprintf("%d-%d", w, i))
				sent := time.Now()
				resp, err := client.Do(req)
				var body []byte
				if err == nil {
					body, err = io.ReadAll(resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, body)
					}
				}
				var r response
				if err == nil && json.Unmarshal(body, &r) == nil && len(r.Errors) > 0 {
					err = fmt.Errorf("%s: %s", r.code(), r.Errors[0].Message)
				}
				var op *net.OpError
				refused := errors.As(err, &op) && op.Op == "dial"
				mu.Lock()
				stopping := !termAt.IsZero()
				switch {
				case err == nil && stopping:
					inFlight++
				case err == nil:
					served++
				case refused && stopping:
					notStarted++
				default:
					failures = append(failures, fmt.Sprintf("sent %s before SIGTERM: %v", termAt.Sub(sent), err))
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	time.Sleep(time.Second)
	mu.Lock()
	termAt = time.Now()
	mu.Unlock()
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGTERM))
	wg.Wait()
	exitErr := c.wait(15 * time.Second)
	t.Logf("served before SIGTERM %d, completed after it %d, refused after it %d, failed %d",
		served, inFlight, notStarted, len(failures))
	require.Empty(t, failures, "requests the server had received must complete")
	require.Positive(t, served)
	require.NoError(t, exitErr, "clean exit after SIGTERM\n%s", c.logText())

	for i, s := range subs {
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
			t.Fatalf("subscriber %d still open after the server exited", i)
		}
		require.Equal(t, websocket.StatusGoingAway, s.closeCode, "subscriber %d: %v", i, s.err)
	}
}
