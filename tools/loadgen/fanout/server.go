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
	"strconv"
	"strings"
	"syscall"
	"time"
)

// serverProc is a server the benchmark started as a child process.
type serverProc struct {
	cmd     *exec.Cmd
	done    chan error
	dir     string
	logPath string
	url     string
	token   string
}

// raiseNoFile lifts the open-file soft limit to the hard limit; children inherit it.
func raiseNoFile() (uint64, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, err
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			return 0, err
		}
	}
	return l.Cur, nil
}

func buildServer(ctx context.Context, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./server")
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build ./server (run from the repository root): %w\n%s", err, b.String())
	}
	return nil
}

// startServer creates a WORKSHOP token in a fresh database (or databaseURL) with the binary's
// `token create` command, then serves on a free loopback port until /readyz answers.
func startServer(ctx context.Context, bin, databaseURL, redisURL string) (*serverProc, error) {
	dir, err := os.MkdirTemp("", "atelier-fanout-")
	if err != nil {
		return nil, err
	}
	s := &serverProc{dir: dir, logPath: filepath.Join(dir, "server.log")}
	ok := false
	defer func() {
		if !ok {
			_ = os.RemoveAll(dir)
		}
	}()
	if databaseURL == "" {
		databaseURL = "file:" + filepath.Join(dir, "fanout.db")
	}
	env := []string{}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "ADDR", "DATABASE_URL", "REDIS_URL", "REDIS_PREFIX", "WEB_DIR", "LOG_LEVEL",
			"RATE_LIMIT_MUTATIONS", "MAX_SUBSCRIPTIONS_PER_CLIENT":
			continue
		}
		env = append(env, kv)
	}
	// Every subscriber comes from 127.0.0.1: lift the per-address caps (servers without those
	// settings ignore the variables).
	env = append(env, "RATE_LIMIT_MUTATIONS=0", "MAX_SUBSCRIPTIONS_PER_CLIENT=0")
	tok := exec.CommandContext(ctx, bin, "token", "create", "--role", "workshop", "--name", "fanout-bench",
		"--database-url", databaseURL)
	tok.Env = env
	var stderr bytes.Buffer
	tok.Stderr = &stderr
	out, err := tok.Output()
	if err != nil {
		return nil, fmt.Errorf("%s token create: %w\n%s", bin, err, stderr.String())
	}
	s.token = strings.TrimSpace(string(out))

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	_ = l.Close()
	var id [6]byte
	_, _ = rand.Read(id[:])
	logFile, err := os.Create(s.logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	s.cmd = exec.Command(bin, "serve", "-addr", addr, "-database-url", databaseURL,
		"-redis-url", redisURL, "-redis-prefix", "atelier-fanout-"+hex.EncodeToString(id[:])+":",
		"-web-dir", filepath.Join(dir, "web"), "-log-level", "warn")
	s.cmd.Env = env
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	s.done = make(chan error, 1)
	go func() { s.done <- s.cmd.Wait() }()
	s.url = "http://" + addr
	if err := waitReady(ctx, s.url, s.done, 90*time.Second); err != nil {
		s.kill()
		return nil, fmt.Errorf("%w\n%s", err, s.logTail())
	}
	ok = true
	return s, nil
}

func waitReady(ctx context.Context, url string, done chan error, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	c := &http.Client{Timeout: 2 * time.Second}
	for {
		if resp, err := c.Get(url + "/readyz"); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-done:
			done <- err
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

func (s *serverProc) pid() int { return s.cmd.Process.Pid }

// stop sends SIGTERM (SIGKILL after 20 s) and removes the temporary directory.
func (s *serverProc) stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	var err error
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		s.kill()
		err = errors.New("the server did not stop within 20s of SIGTERM: killed")
	}
	return errors.Join(err, os.RemoveAll(s.dir))
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

// rssKiB reads VmRSS of pid from /proc.
func rssKiB(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				return strconv.ParseInt(f[0], 10, 64)
			}
		}
	}
	return 0, errors.New("no VmRSS in /proc status")
}

// openFDs counts the open file descriptors of pid.
func openFDs(pid int) int {
	es, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return -1
	}
	return len(es)
}
