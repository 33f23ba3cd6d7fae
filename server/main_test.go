package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/readyline"
	"github.com/atelier/atelier/server/testutil"
)

// TestMain lets the tests run this binary as the real server: with ATELIER_RUN_MAIN=1 the test
// binary behaves as `atelier` itself.
func TestMain(m *testing.M) {
	if os.Getenv("ATELIER_RUN_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// startServer runs the server as a child process on a port the kernel picks and waits until
// /readyz answers; it returns the server's host:port.
func startServer(t *testing.T, env ...string) (*exec.Cmd, string, *testutil.LockedBuffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "-addr", "127.0.0.1:0", "-shutdown-timeout", "5s")
	cmd.Env = append(os.Environ(), "ATELIER_RUN_MAIN=1",
		"DATABASE_URL="+testutil.DatabaseURL(t), "WEB_DIR="+t.TempDir(),
		"BLOB_URL=file://"+t.TempDir())
	cmd.Env = append(cmd.Env, env...)
	logs := &testutil.LockedBuffer{}
	cmd.Stderr = logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	var url string
	testutil.Eventually(t, 30*time.Second, func() bool {
		if url == "" {
			if url = readyline.URL([]byte(logs.String())); url == "" {
				return false
			}
		}
		resp, err := http.Get(url + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, "server becomes ready")
	return cmd, strings.TrimPrefix(url, "http://"), logs
}

func TestServeAnswersAndShutsDownCleanlyOnSIGTERM(t *testing.T) {
	t.Parallel()
	cmd, addr, logs := startServer(t)

	body := strings.NewReader(`{"query":"{ products { totalCount } }"}`)
	resp, err := http.Post("http://"+addr+"/query", "application/json", body)
	require.NoError(t, err)
	var out struct {
		Data struct{ Products struct{ TotalCount int } }
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	resp.Body.Close()
	assert.Equal(t, 2, out.Data.Products.TotalCount, "the demo catalog is served on first start")

	// An open WebSocket must be told the server is going away, so clients reconnect elsewhere.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws://"+addr+"/query",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err)
	defer conn.CloseNow()
	require.NoError(t, conn.Write(ctx, websocket.MessageText, []byte(`{"type":"connection_init"}`)))
	_, ack, err := conn.Read(ctx)
	require.NoError(t, err)
	require.JSONEq(t, `{"type":"connection_ack"}`, string(ack))

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	var closeErr error
	for closeErr == nil {
		_, _, closeErr = conn.Read(ctx)
	}
	assert.Equal(t, websocket.StatusGoingAway, websocket.CloseStatus(closeErr),
		"subscriptions are closed with 1001 going away: %v", closeErr)

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err, "exit status after SIGTERM; logs:\n%s", logs)
	case <-time.After(20 * time.Second):
		t.Fatalf("server did not exit after SIGTERM; logs:\n%s", logs)
	}
	assert.Contains(t, logs.String(), "shut down cleanly")
}

func TestBadConfigFailsAtStart(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	code := run([]string{"serve"}, func(k string) (string, bool) {
		v, ok := map[string]string{"DATABASE_URL": "sqlserver://x", "ADDR": "nope"}[k]
		return v, ok
	}, io.Discard, &stderr)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), "invalid ADDR")
	assert.Contains(t, stderr.String(), "invalid DATABASE_URL")
}

func TestTokenCommands(t *testing.T) {
	t.Parallel()
	dbURL := "file:" + filepath.Join(t.TempDir(), "tokens.db")
	env := func(k string) (string, bool) {
		if k == "DATABASE_URL" {
			return dbURL, true
		}
		return "", false
	}
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"token", "create", "--role", "designer", "--name", "Ada"},
		env, &out, &errOut), errOut.String())
	secret := strings.TrimSpace(out.String())
	assert.True(t, strings.HasPrefix(secret, "atl_staff_"))

	out.Reset()
	require.Equal(t, 0, run([]string{"token", "list"}, env, &out, &errOut))
	assert.Contains(t, out.String(), "DESIGNER")
	assert.Contains(t, out.String(), "Ada")
	assert.NotContains(t, out.String(), secret, "the token is never shown again")

	id := ""
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) > 0 && f[0] != "ID" {
			id = f[0]
		}
	}
	out.Reset()
	require.Equal(t, 0, run([]string{"token", "revoke", id}, env, &out, &errOut))
	assert.Equal(t, fmt.Sprintf("revoked token %s\n", id), out.String())

	errOut.Reset()
	assert.Equal(t, 1, run([]string{"token", "create", "--role", "admin", "--name", "Eve"},
		env, &out, &errOut))
	assert.Contains(t, errOut.String(), "role must be designer or workshop")
}

func TestSeedCommandIsIdempotent(t *testing.T) {
	t.Parallel()
	dbURL := "file:" + filepath.Join(t.TempDir(), "seed.db")
	env := func(k string) (string, bool) {
		if k == "DATABASE_URL" {
			return dbURL, true
		}
		return "", false
	}
	var out bytes.Buffer
	require.Equal(t, 0, run([]string{"seed"}, env, &out, io.Discard))
	assert.Contains(t, out.String(), "created: heritage-sport, atelier-dress")
	out.Reset()
	require.Equal(t, 0, run([]string{"seed"}, env, &out, io.Discard))
	assert.Contains(t, out.String(), "created: -")
}
