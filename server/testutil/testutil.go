// Package testutil gives tests their backing services: the real PostgreSQL and Redis named by
// DATABASE_URL and REDIS_URL when they are set (as CI sets them), and the embedded defaults —
// SQLite in a temporary file and an in-process Redis — otherwise. Each test gets its own database
// and its own Redis key prefix, so tests can run in parallel against shared servers.
package testutil

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/app"
	"github.com/atelier/atelier/server/db"
)

// InCI reports whether the tests run in CI, where a missing service is a failure, not a skip.
func InCI() bool { return os.Getenv("CI") == "true" }

// NeedOrSkip fails the test in CI, or skips it elsewhere, with why.
func NeedOrSkip(t testing.TB, why string) {
	t.Helper()
	if InCI() {
		t.Fatalf("required in CI: %s", why)
	}
	t.Skipf("skipping: %s", why)
}

var dbCounter atomic.Int64

// DatabaseURL returns the URL of a fresh, empty database for this test: a new PostgreSQL
// database on the server of DATABASE_URL (dropped at cleanup), or a SQLite file in t.TempDir().
func DatabaseURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		return "file:" + filepath.Join(t.TempDir(), "atelier.db")
	}
	return PostgresURL(t, base)
}

// PostgresURL creates a fresh database on the PostgreSQL server of base and returns its URL.
func PostgresURL(t testing.TB, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	require.NoError(t, err)
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		NeedOrSkip(t, fmt.Sprintf("PostgreSQL at DATABASE_URL is not reachable: %v", err))
	}
	name := fmt.Sprintf("atelier_t_%d_%d", time.Now().UnixNano()%1e9, dbCounter.Add(1))
	_, err = admin.ExecContext(ctx, "CREATE DATABASE "+name)
	require.NoError(t, err, "creating test database")
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, _ = a.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(base)
	require.NoError(t, err)
	u.Path = "/" + name
	return u.String()
}

// OpenDB opens and migrates a fresh database for this test, with the application's client
// hooks (the catalog audit trail), closed at cleanup.
func OpenDB(t testing.TB) *db.DB {
	t.Helper()
	d, err := app.OpenDB(context.Background(), DatabaseURL(t), true)
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close() })
	return d
}

var prefixCounter atomic.Int64

// Redis is a Redis for one test.
type Redis struct {
	// Client talks to it.
	Client *redis.Client
	// URL is the redis:// URL of the server ("" for the in-process server).
	URL string
	// Prefix is a key prefix unique to this test.
	Prefix string
	// Mini is the in-process server, nil against a real Redis.
	Mini *miniredis.Miniredis
}

// OpenRedis returns the Redis of REDIS_URL, or an in-process server with real-time TTLs.
func OpenRedis(t testing.TB) *Redis {
	t.Helper()
	prefix := fmt.Sprintf("atelier:test:%d:%d:", time.Now().UnixNano(), prefixCounter.Add(1))
	if u := os.Getenv("REDIS_URL"); u != "" {
		opts, err := redis.ParseURL(u)
		require.NoError(t, err)
		c := redis.NewClient(opts)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := c.Ping(ctx).Err(); err != nil {
			_ = c.Close()
			NeedOrSkip(t, fmt.Sprintf("Redis at REDIS_URL is not reachable: %v", err))
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			iter := c.Scan(ctx, 0, prefix+"*", 500).Iterator()
			for iter.Next(ctx) {
				c.Del(ctx, iter.Val())
			}
			_ = c.Close()
		})
		return &Redis{Client: c, URL: u, Prefix: prefix}
	}
	m := miniredis.RunT(t)
	m.ClockTTL(true)
	c := redis.NewClient(&redis.Options{Addr: m.Addr()})
	t.Cleanup(func() { _ = c.Close() })
	return &Redis{Client: c, URL: "redis://" + m.Addr() + "/0", Prefix: prefix, Mini: m}
}

// RedisServer is a redis-server process owned by one test, on a spare loopback port, for tests
// that stop and restart Redis without touching the shared one.
type RedisServer struct {
	// URL is its redis:// URL.
	URL  string
	port int
	cmd  *exec.Cmd
	t    testing.TB
	// dir, when set, is where the server keeps an append-only file that survives restarts.
	dir string
}

// StartRedisServer starts redis-server on a free port; it needs the redis-server binary.
func StartRedisServer(t testing.TB) *RedisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		NeedOrSkip(t, "redis-server is not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	s := &RedisServer{URL: fmt.Sprintf("redis://127.0.0.1:%d/0", port), port: port, t: t}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// StartPersistentRedisServer starts redis-server like StartRedisServer, with an append-only file
// in a directory of the test (fsync on every write), so that Stop and Start keep the data.
func StartPersistentRedisServer(t testing.TB) *RedisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		NeedOrSkip(t, "redis-server is not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	s := &RedisServer{URL: fmt.Sprintf("redis://127.0.0.1:%d/0", port), port: port, t: t, dir: t.TempDir()}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// Start (re)starts the server and waits until it answers.
func (s *RedisServer) Start() {
	s.t.Helper()
	args := []string{"--port", fmt.Sprint(s.port), "--bind", "127.0.0.1", "--save", ""}
	if s.dir != "" {
		args = append(args, "--appendonly", "yes", "--appendfsync", "always", "--dir", s.dir)
	} else {
		args = append(args, "--appendonly", "no")
	}
	s.cmd = exec.Command("redis-server", args...)
	require.NoError(s.t, s.cmd.Start())
	c := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", s.port)})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for c.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) {
			s.t.Fatalf("redis-server on port %d did not start", s.port)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop stops the server if it runs.
func (s *RedisServer) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Proxy is a loopback TCP proxy to one address that a test can cut and restore, to make a
// backing service unreachable without stopping it.
type Proxy struct {
	// Addr is the host:port clients connect to.
	Addr   string
	target string

	mu     sync.Mutex
	l      net.Listener
	conns  map[net.Conn]struct{}
	closed bool
}

// StartProxy starts a proxy to target (host:port); it is closed at cleanup.
func StartProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &Proxy{Addr: l.Addr().String(), target: target, conns: map[net.Conn]struct{}{}}
	p.serve(l)
	t.Cleanup(p.Cut)
	return p
}

func (p *Proxy) serve(l net.Listener) {
	p.mu.Lock()
	p.l, p.closed = l, false
	p.mu.Unlock()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go p.forward(c)
		}
	}()
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) forward(c net.Conn) {
	up, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil || !p.track(c) || !p.track(up) {
		_ = c.Close()
		if up != nil {
			_ = up.Close()
		}
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
	_ = c.Close()
	_ = up.Close()
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, up)
	p.mu.Unlock()
}

// Cut closes the listener and every forwarded connection: new connections are refused and
// open ones break, as when the service goes away.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	_ = p.l.Close()
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
}

// Restore listens again on the same address.
func (p *Proxy) Restore(t testing.TB) {
	t.Helper()
	var l net.Listener
	var err error
	// The port was just released; retry briefly if the kernel has not let go of it yet.
	for range 50 {
		if l, err = net.Listen("tcp", p.Addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, err, "re-listening on %s", p.Addr)
	p.serve(l)
}

// Eventually polls cond every 10 ms until it holds or timeout passes.
func Eventually(t testing.TB, timeout time.Duration, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s: %s", timeout, msg)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
