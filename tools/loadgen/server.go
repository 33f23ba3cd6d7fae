package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// serverOptions say how to start the server under test.
type serverOptions struct {
	// bin is a built server binary; empty: build ./server of the current module.
	bin         string
	databaseURL string
	redisURL    string
	// env are extra KEY=VALUE settings for the server, after the inherited environment.
	env []string
	log io.Writer
}

// serverProc is a server started by the load generator as a child process.
type serverProc struct {
	cmd      *exec.Cmd
	done     chan error
	dir      string
	logPath  string
	url      string
	redisURL string
	prefix   string
}

// envOverridden are the server settings the load generator always passes as flags, so that
// nothing inherited from the environment changes what is measured.
var envOverridden = []string{
	"ADDR", "DATABASE_URL", "REDIS_URL", "REDIS_PREFIX", "WEB_DIR",
}

// startServer builds (unless o.bin is set) and starts the server on a free loopback port with a
// fresh SQLite database (unless o.databaseURL is set) and a Redis key prefix of its own, and
// waits until /readyz answers 200.
func startServer(ctx context.Context, o serverOptions) (*serverProc, error) {
	dir, err := os.MkdirTemp("", "atelier-loadgen-")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary directory: %w", err)
	}
	s := &serverProc{dir: dir, logPath: filepath.Join(dir, "server.log"), redisURL: o.redisURL}
	ok := false
	defer func() {
		if !ok {
			_ = os.RemoveAll(dir)
		}
	}()

	bin := o.bin
	if bin == "" {
		bin = filepath.Join(dir, "atelier")
		fmt.Fprintf(o.log, "building the server: go build -o %s ./server\n", bin)
		if err := buildServer(ctx, bin); err != nil {
			return nil, err
		}
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	dbURL := o.databaseURL
	if dbURL == "" {
		dbURL = "file:" + filepath.Join(dir, "bench.db")
	}
	var id [6]byte
	_, _ = rand.Read(id[:])
	s.prefix = "atelier-loadgen-" + hex.EncodeToString(id[:]) + ":"
	logFile, err := os.Create(s.logPath)
	if err != nil {
		return nil, fmt.Errorf("creating the server log: %w", err)
	}
	defer logFile.Close()

	s.cmd = exec.Command(bin, "serve", "-addr", addr, "-database-url", dbURL,
		"-redis-url", o.redisURL, "-redis-prefix", s.prefix, "-web-dir", filepath.Join(dir, "web"))
	s.cmd.Env = append(childEnv(os.Environ()), o.env...)
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = childAttr()
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	s.done = make(chan error, 1)
	go func() { s.done <- s.cmd.Wait() }()
	s.url = "http://" + addr
	if err := s.waitReady(ctx, 90*time.Second); err != nil {
		s.kill()
		return nil, fmt.Errorf("%w\n%s", err, s.logTail())
	}
	ok = true
	return s, nil
}

func buildServer(ctx context.Context, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./server")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building the server (run from the repository root): %w\n%s",
			err, stderr.String())
	}
	return nil
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("finding a free port: %w", err)
	}
	addr := l.Addr().String()
	return addr, l.Close()
}

func childEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		overridden := false
		for _, o := range envOverridden {
			overridden = overridden || name == o
		}
		if !overridden {
			out = append(out, kv)
		}
	}
	return out
}

func (s *serverProc) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/readyz", nil)
		if err != nil {
			return fmt.Errorf("building the readiness probe: %w", err)
		}
		if resp, err := client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("the server exited before it was ready: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the server was not ready after %s", limit)
		}
	}
}

// stop ends the server with SIGTERM (SIGKILL after 20 s), deletes the Redis keys it wrote under
// its own prefix, and removes the temporary directory.
func (s *serverProc) stop(ctx context.Context) error {
	var errs []error
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			errs = append(errs, fmt.Errorf("waiting for the server: %w", err))
		}
	case <-time.After(20 * time.Second):
		s.kill()
		errs = append(errs, errors.New("the server did not stop within 20s after SIGTERM: killed"))
	}
	if s.redisURL != "" {
		if err := deletePrefix(ctx, s.redisURL, s.prefix); err != nil {
			errs = append(errs, err)
		}
	}
	if err := os.RemoveAll(s.dir); err != nil {
		errs = append(errs, fmt.Errorf("removing %s: %w", s.dir, err))
	}
	return errors.Join(errs...)
}

func (s *serverProc) kill() {
	_ = s.cmd.Process.Kill()
	<-s.done
}

func (s *serverProc) logTail() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return "server log (last lines):\n" + strings.Join(lines, "\n")
}

// deletePrefix removes the benchmark's sessions and cached results from a real Redis.
func deletePrefix(ctx context.Context, url, prefix string) error {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return fmt.Errorf("parsing the Redis URL: %w", err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	iter := rdb.Scan(ctx, 0, prefix+"*", 500).Iterator()
	var batch []string
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == 500 {
			if err := rdb.Unlink(ctx, batch...).Err(); err != nil {
				return fmt.Errorf("deleting benchmark keys: %w", err)
			}
			batch = batch[:0]
		}
	}
	if err := iter.Err(); err != nil {
		return fmt.Errorf("scanning benchmark keys: %w", err)
	}
	if len(batch) > 0 {
		if err := rdb.Unlink(ctx, batch...).Err(); err != nil {
			return fmt.Errorf("deleting benchmark keys: %w", err)
		}
	}
	return nil
}
