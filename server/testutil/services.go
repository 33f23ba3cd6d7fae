package testutil

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testBinDir is where scripts/testbin.sh caches the pinned test servers.
var testBin struct {
	once sync.Once
	dir  string
	err  error
}

// TestBin returns the folder holding stripe-mock, mailpit and versitygw, installing them once per process
// through scripts/testbin.sh (pinned versions, cached under .cache/bin) when they are missing.
// When that fails the test fails in CI and skips elsewhere.
func TestBin(t testing.TB) string {
	t.Helper()
	testBin.once.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			testBin.err = err
			return
		}
		cmd := exec.Command(filepath.Join(root, "scripts", "testbin.sh"))
		out, err := cmd.Output()
		if err != nil {
			testBin.err = fmt.Errorf("installing test servers (scripts/testbin.sh): %w", err)
			return
		}
		testBin.dir = string(trimNL(out))
	})
	if testBin.err != nil {
		NeedOrSkip(t, testBin.err.Error())
	}
	return testBin.dir
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// FreePort returns a loopback port nobody listens on now.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// serviceTries is how many times startService starts a server whose process exits before it listens.
const serviceTries = 3

// startService runs bin until the test ends and returns the address it listens on. argv gives
// its arguments for fresh ports on each try and the address to wait for. FreePort's port is
// free when chosen, not when the process binds it: another test's process or an outgoing
// connection can take it first. A process that exits before it listens is therefore started
// again on new ports, and the test fails with its output only after serviceTries exits.
func startService(t testing.TB, bin string, env []string, argv func() (addr string, args []string)) string {
	t.Helper()
	var failures []string
	for try := 1; try <= serviceTries; try++ {
		addr, args := argv()
		out, err := runUntilListening(t, addr, env, bin, args)
		if err == nil {
			return addr
		}
		failures = append(failures, fmt.Sprintf("try %d on %s: %v\n%s", try, addr, err, out))
		if errors.Is(err, errNeverListened) {
			break
		}
	}
	t.Fatalf("%s did not start:\n%s", filepath.Base(bin), strings.Join(failures, "\n"))
	return ""
}

var errNeverListened = errors.New("still running but not listening after 60s")

// runUntilListening starts one process and waits until addr accepts connections (nil error),
// the process exits (its error and output) or a minute passes (errNeverListened; the process
// is stopped).
func runUntilListening(t testing.TB, addr string, env []string, bin string, args []string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var out LockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start(), "starting %s", bin)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}
	deadline := time.Now().Add(time.Minute)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			_ = c.Close()
			t.Cleanup(stop)
			return "", nil
		}
		select {
		case err := <-exited:
			if err == nil {
				err = errors.New("exited")
			}
			return out.String(), err
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stop()
			return out.String(), errNeverListened
		}
	}
}

// LockedBuffer collects output written concurrently (a process's, a server's log) while the
// test reads it.
type LockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *LockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// StartStripeMock runs stripe-mock (Stripe's API mock server) for this test and returns its
// http:// URL, for STRIPE_API_URL.
func StartStripeMock(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(TestBin(t), "stripe-mock")
	return "http://" + startService(t, bin, nil, func() (string, []string) {
		port := FreePort(t)
		return fmt.Sprintf("127.0.0.1:%d", port),
			[]string{"-http-port", fmt.Sprint(port), "-https-port", fmt.Sprint(FreePort(t))}
	})
}

// Mailpit is a real SMTP server with an HTTP API, run for one test.
type Mailpit struct {
	// SMTPURL is its smtp:// URL, for SMTP_URL.
	SMTPURL string
	// API is the base URL of its HTTP API.
	API string
	t   testing.TB
}

// StartMailpit runs mailpit for this test.
func StartMailpit(t testing.TB) *Mailpit {
	t.Helper()
	bin := filepath.Join(TestBin(t), "mailpit")
	var smtp string
	api := startService(t, bin, nil, func() (string, []string) {
		smtp = fmt.Sprintf("127.0.0.1:%d", FreePort(t))
		api := fmt.Sprintf("127.0.0.1:%d", FreePort(t))
		return api, []string{"--smtp", smtp, "--listen", api,
			"--database", filepath.Join(t.TempDir(), "mailpit.db"), "--quiet"}
	})
	return &Mailpit{SMTPURL: "smtp://" + smtp + "?tls=none", API: "http://" + api, t: t}
}

// MailSummary is one message as mailpit lists it.
type MailSummary struct {
	ID        string
	MessageID string
	Subject   string
	To        []struct{ Address string }
	// Attachments counts attachments; inline images are not attachments.
	Attachments int
}

// MailMessage is one message's content.
type MailMessage struct {
	ID, Subject, Text, HTML string
	Inline                  []struct{ ContentType, ContentID string }
}

// Messages returns every message received, newest first.
func (m *Mailpit) Messages() []MailSummary {
	m.t.Helper()
	var out struct{ Messages []MailSummary }
	m.get("/api/v1/messages?limit=500", &out)
	return out.Messages
}

// Message returns message id.
func (m *Mailpit) Message(id string) MailMessage {
	m.t.Helper()
	var out MailMessage
	m.get("/api/v1/message/"+id, &out)
	return out
}

// WaitFor waits until at least n messages arrived and returns them.
func (m *Mailpit) WaitFor(n int, timeout time.Duration) []MailSummary {
	m.t.Helper()
	var msgs []MailSummary
	Eventually(m.t, timeout, func() bool {
		msgs = m.Messages()
		return len(msgs) >= n
	}, fmt.Sprintf("waiting for %d messages in mailpit", n))
	return msgs
}

func (m *Mailpit) get(path string, v any) {
	m.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.API+path, nil)
	require.NoError(m.t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(m.t, err)
	defer resp.Body.Close()
	require.Equal(m.t, http.StatusOK, resp.StatusCode, "mailpit %s", path)
	require.NoError(m.t, json.NewDecoder(resp.Body).Decode(v))
}

// S3 is a real S3-compatible server (versitygw over a temporary folder), run for one test.
type S3 struct {
	// Endpoint is its http:// URL.
	Endpoint string
	// AccessKey and SecretKey are its root credentials.
	AccessKey, SecretKey string
}

// BlobURL returns the BLOB_URL of a bucket on s, created at start when missing.
func (s *S3) BlobURL(bucket string) string {
	return "s3://" + bucket + "?endpoint=" + s.Endpoint + "&region=us-east-1&create=1"
}

// Env returns the variables that give the server s's credentials.
func (s *S3) Env() map[string]string {
	return map[string]string{"AWS_ACCESS_KEY_ID": s.AccessKey, "AWS_SECRET_ACCESS_KEY": s.SecretKey}
}

// StartS3 runs versitygw (pinned in scripts/testbin.sh) for this test. Where it cannot be
// installed the test fails in CI and skips elsewhere.
func StartS3(t testing.TB) *S3 {
	t.Helper()
	bin := filepath.Join(TestBin(t), "versitygw")
	if _, err := os.Stat(bin); err != nil {
		NeedOrSkip(t, "versitygw is not installed (scripts/testbin.sh): "+err.Error())
	}
	s := &S3{AccessKey: "atelier-test", SecretKey: "atelier-test-secret-key"}
	dir := t.TempDir()
	addr := startService(t, bin, []string{"ROOT_ACCESS_KEY=" + s.AccessKey, "ROOT_SECRET_KEY=" + s.SecretKey},
		func() (string, []string) {
			addr := fmt.Sprintf("127.0.0.1:%d", FreePort(t))
			return addr, []string{"--port", addr, "posix", dir}
		})
	s.Endpoint = "http://" + addr
	return s
}
