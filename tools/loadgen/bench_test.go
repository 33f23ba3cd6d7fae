package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/app"
	"github.com/atelier/atelier/server/config"
	"github.com/atelier/atelier/tools/internal/atelier"
)

// handlerTransport serves requests with an http.Handler in this process: no network, so a
// profile of the benchmark shows only the server's and the client's own work.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// newInProcessServer builds the real handler on a fresh SQLite database and the in-process Redis,
// or on REDIS_URL under a prefix of its own when that is set.
func newInProcessServer(b *testing.B) (*http.Client, *product) {
	b.Helper()
	dir := b.TempDir()
	prefix := "atelier-loadgen-bench-" + time.Now().Format("150405.000000") + ":"
	env := func(key string) (string, bool) {
		if key == "REDIS_URL" {
			return os.LookupEnv(key)
		}
		return "", false
	}
	cfg, err := config.Load([]string{
		"-database-url", "file:" + filepath.Join(dir, "bench.db"),
		"-redis-prefix", prefix,
		"-web-dir", filepath.Join(dir, "web"),
	}, env, io.Discard)
	require.NoError(b, err)
	ctx := context.Background()
	a, err := app.New(ctx, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	require.NoError(b, err)
	b.Cleanup(func() {
		_ = a.Redis.Close()
		_ = a.DB.Close()
		if cfg.RedisURL != "" {
			require.NoError(b, atelier.DeletePrefix(ctx, cfg.RedisURL, prefix))
		}
	})
	client := &http.Client{Transport: handlerTransport{a.HTTP}}
	prod, err := fetchProduct(ctx, client, "http://atelier.test/query", "heritage-sport")
	require.NoError(b, err)
	return client, prod
}

// BenchmarkConfigureStep is one virtual customer's configure steps (selectOption, setNumber,
// resetConfiguration with the SPA's full selection set) through the whole HTTP handler, in
// process. Profile it with -cpuprofile / -memprofile to see where a step's time goes.
func BenchmarkConfigureStep(b *testing.B) {
	client, prod := newInProcessServer(b)
	b.Run("serial", func(b *testing.B) {
		c := newBenchCustomer(client, prod, 1)
		c.step(context.Background(), time.Time{}, opStart,
			map[string]any{"productId": prod.ID, "quantity": 1})
		b.ReportAllocs()
		cpu0, _ := processCPU(0)
		b.ResetTimer()
		for b.Loop() {
			op, vars := c.next()
			c.step(context.Background(), time.Time{}, op, vars)
		}
		b.StopTimer()
		reportCPU(b, cpu0)
		requireNoErrors(b, c.res)
		b.ReportMetric(float64(c.res.bytes)/float64(max(c.res.hist.Count(), 1)), "B/response")
	})
	b.Run("parallel", func(b *testing.B) {
		var next atomic.Uint64
		b.ReportAllocs()
		cpu0, _ := processCPU(0)
		defer reportCPU(b, cpu0)
		b.RunParallel(func(pb *testing.PB) {
			c := newBenchCustomer(client, prod, next.Add(1))
			c.step(context.Background(), time.Time{}, opStart,
				map[string]any{"productId": prod.ID, "quantity": 1})
			for pb.Next() {
				op, vars := c.next()
				c.step(context.Background(), time.Time{}, op, vars)
			}
			requireNoErrors(b, c.res)
		})
	})
}

func newBenchCustomer(client *http.Client, prod *product, seed uint64) *customer {
	return &customer{
		p:       newPoster(client, "http://atelier.test/query"),
		product: prod,
		rng:     newRand(seed, 0),
		// Every step counts: the window covers the whole benchmark.
		win: window{start: time.Now(), end: time.Now().Add(24 * time.Hour)},
		res: newResult(),
	}
}

// reportCPU reports the process's CPU time (user+system, all threads: server, client and GC)
// per iteration since cpu0: on a shared machine it moves much less than ns/op does.
func reportCPU(b *testing.B, cpu0 time.Duration) {
	cpu1, err := processCPU(0)
	if err != nil || b.N == 0 {
		return
	}
	b.ReportMetric(float64(cpu1-cpu0)/float64(time.Microsecond)/float64(b.N), "cpu-µs/op")
}

func requireNoErrors(b *testing.B, res *result) {
	b.Helper()
	if n := res.errorCount(); n > 0 {
		b.Errorf("%d steps failed:%s", n, topErrors(res, 5))
	}
}
