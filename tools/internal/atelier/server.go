// Package atelier starts an Atelier server as a child process and speaks GraphQL over HTTP to
// it: the one helper the tools under tools/ share.
package atelier

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/atelier/atelier/server/readyline"
)

// Options say how to start a server.
type Options struct {
	// Name tells this tool's temporary files and Redis keys apart: "atelier-<Name>-…".
	Name string
	// Bin is a built server binary; empty: build ./server of the current module.
	Bin string
	// DatabaseURL is the server's database; empty: a fresh SQLite file in a temporary directory.
	DatabaseURL string
	// RedisURL is the server's Redis; empty: the server's in-process Redis.
	RedisURL string
	// Args are extra flags for `serve`, after the ones Start always passes.
	Args []string
	// DropEnv are inherited variables the server must not see, besides the ones Start always
	// overrides with flags.
	DropEnv []string
	// Env are extra KEY=VALUE settings for the server, after the inherited environment.
	Env []string
	// TokenRole, when set, makes Start create a staff token of this role with the binary's
	// `token create` command before serving; it is in Server.Token.
	TokenRole string
	// CleanRedis makes Stop delete the Redis keys the server wrote under its own prefix.
	CleanRedis bool
	// Log receives progress (the build); nil: discarded.
	Log io.Writer
}

// Server is a server started as a child process.
type Server struct {
	// URL is the server's base URL, e.g. http://127.0.0.1:41234.
	URL string
	// Token is the staff token created at start (Options.TokenRole), or empty.
	Token string

	cmd        *exec.Cmd
	done       chan error
	dir        string
	logPath    string
	redisURL   string
	prefix     string
	cleanRedis bool
}

// overriddenEnv are the server settings Start always passes as flags, so that nothing inherited
// from the environment changes what is measured.
var overriddenEnv = []string{"ADDR", "DATABASE_URL", "REDIS_URL", "REDIS_PREFIX", "WEB_DIR"}

// Start builds (unless o.Bin is set) and starts the server on a free loopback port with a fresh
// SQLite database (unless o.DatabaseURL is set) and a Redis key prefix of its own, and waits
// until /readyz answers 200.
func Start(ctx context.Context, o Options) (*Server, error) {
	name := o.Name
	if name == "" {
		name = "tool"
	}
	dir, err := os.MkdirTemp("", "atelier-"+name+"-")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary directory: %w", err)
	}
	s := &Server{dir: dir, logPath: filepath.Join(dir, "server.log"), redisURL: o.RedisURL,
		cleanRedis: o.CleanRedis && o.RedisURL != ""}
	ok := false
	defer func() {
		if !ok {
			_ = os.RemoveAll(dir)
		}
	}()

	bin := o.Bin
	if bin == "" {
		bin = filepath.Join(dir, "atelier")
		if o.Log != nil {
			fmt.Fprintf(o.Log, "building the server: go build -o %s ./server\n", bin)
		}
		if err := Build(ctx, bin); err != nil {
			return nil, err
		}
	}
	dbURL := o.DatabaseURL
	if dbURL == "" {
		dbURL = "file:" + filepath.Join(dir, name+".db")
	}
	env := append(childEnv(os.Environ(), o.DropEnv), o.Env...)
	if o.TokenRole != "" {
		if s.Token, err = createToken(ctx, bin, env, o.TokenRole, name+"-bench", dbURL); err != nil {
			return nil, err
		}
	}
	var id [6]byte
	_, _ = rand.Read(id[:])
	s.prefix = "atelier-" + name + "-" + hex.EncodeToString(id[:]) + ":"
	logFile, err := os.Create(s.logPath)
	if err != nil {
		return nil, fmt.Errorf("creating the server log: %w", err)
	}
	defer logFile.Close()

	// Port 0: the kernel picks the port as the server binds, and its ready line says which.
	args := append([]string{"serve", "-addr", "127.0.0.1:0", "-database-url", dbURL,
		"-redis-url", o.RedisURL, "-redis-prefix", s.prefix, "-web-dir", filepath.Join(dir, "web")},
		o.Args...)
	s.cmd = exec.Command(bin, args...)
	s.cmd.Env = env
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = childAttr()
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	s.done = make(chan error, 1)
	go func() { s.done <- s.cmd.Wait() }()
	if err := s.waitReady(ctx, 90*time.Second); err != nil {
		s.kill()
		return nil, fmt.Errorf("%w\n%s", err, s.LogTail())
	}
	ok = true
	return s, nil
}

// Build runs `go build -o out ./server`; run it from the repository root.
func Build(ctx context.Context, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./server")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building the server (run from the repository root): %w\n%s",
			err, stderr.String())
	}
	return nil
}

// createToken creates a staff token with the binary's `token create` command.
func createToken(ctx context.Context, bin string, env []string, role, name, dbURL string,
) (string, error) {
	cmd := exec.CommandContext(ctx, bin, "token", "create", "--role", role, "--name", name,
		"--database-url", dbURL)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("creating a %s token (%s token create): %w\n%s", role, bin, err,
			stderr.String())
	}
	return strings.TrimSpace(string(out)), nil
}

// childEnv is env without the variables Start overrides and those in drop.
func childEnv(env, drop []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(overriddenEnv, name) && !slices.Contains(drop, name) {
			out = append(out, kv)
		}
	}
	return out
}

func (s *Server) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		if s.URL == "" {
			if log, err := os.ReadFile(s.logPath); err == nil {
				s.URL = readyline.URL(log)
			}
		}
		if s.URL != "" {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/readyz", nil)
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

// PID is the server's process id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Stop ends the server with SIGTERM (SIGKILL after 20 s), deletes the Redis keys it wrote under
// its own prefix when Options.CleanRedis asked for it, and removes the temporary directory.
func (s *Server) Stop(ctx context.Context) error {
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
	if s.cleanRedis {
		if err := DeletePrefix(ctx, s.redisURL, s.prefix); err != nil {
			errs = append(errs, err)
		}
	}
	if err := os.RemoveAll(s.dir); err != nil {
		errs = append(errs, fmt.Errorf("removing %s: %w", s.dir, err))
	}
	return errors.Join(errs...)
}

func (s *Server) kill() {
	_ = s.cmd.Process.Kill()
	<-s.done
}

// LogTail is the last 20 lines of the server's output, for error messages.
func (s *Server) LogTail() string {
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

// DeletePrefix removes the keys under prefix from a real Redis (a server's own, after it).
func DeletePrefix(ctx context.Context, url, prefix string) error {
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
