package faulttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/db"
	"github.com/atelier/atelier/server/readyline"
	"github.com/atelier/atelier/server/testutil"
)

// testEnv lifts the per-address limits (through their environment variables, which servers
// without those settings ignore): every test client comes from 127.0.0.1.
var testEnv = map[string]string{"RATE_LIMIT_MUTATIONS": "0", "MAX_SUBSCRIPTIONS_PER_CLIENT": "0"}

// startInstance starts an instance on dbURL and redisURL ("" for the in-process Redis).
func startInstance(t *testing.T, dbURL, redisURL, prefix string, flags ...string) *testutil.Instance {
	t.Helper()
	env := map[string]string{"DATABASE_URL": dbURL, "REDIS_URL": redisURL}
	for k, v := range testEnv {
		env[k] = v
	}
	return testutil.StartApp(t, testutil.AppOptions{
		Env:      env,
		Flags:    append([]string{"-redis-prefix", prefix}, flags...),
		Log:      testutil.LogWriter{T: t},
		LogLevel: slog.LevelError,
	})
}

func prefix(t *testing.T) string {
	return fmt.Sprintf("atelier:faults:%d:", time.Now().UnixNano())
}

// staffToken creates a WORKSHOP token directly in the database.
func staffToken(t *testing.T, dbURL string) string {
	t.Helper()
	d, err := db.Open(context.Background(), dbURL, true)
	require.NoError(t, err)
	defer d.Close()
	tok, _, err := auth.CreateStaffToken(context.Background(), d.Client, "faults", stafftoken.RoleWorkshop)
	require.NoError(t, err)
	return tok
}

// gqlErr is one GraphQL error.
type gqlErr struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

func (e gqlErr) code() string { s, _ := e.Extensions["code"].(string); return s }

// response is a GraphQL response with its HTTP status.
type response struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []gqlErr        `json:"errors"`
}

func (r *response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].code()
}

var httpClient = &http.Client{Timeout: 20 * time.Second}

// post sends one operation; err is a transport failure (no response).
func post(ctx context.Context, url, token, query string, vars map[string]any) (*response, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/query", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	out := &response{Status: resp.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, fmt.Errorf("HTTP %d: %.300s", resp.StatusCode, raw)
	}
	return out, nil
}

// must posts an operation that must succeed and decodes its data into out.
func must(t *testing.T, url, token, query string, vars map[string]any, out any) {
	t.Helper()
	r, err := post(context.Background(), url, token, query, vars)
	require.NoError(t, err)
	require.Empty(t, r.Errors, "errors from %s", query)
	if out != nil {
		require.NoError(t, json.Unmarshal(r.Data, out))
	}
}

const configFields = `fragment C on Configuration {
  id version complete
  selections { group option }
  groups { group { key kind required } options { option { key } state } }
}`

type configuration struct {
	ID         string `json:"id"`
	Version    int    `json:"version"`
	Complete   bool   `json:"complete"`
	Selections []struct {
		Group string `json:"group"`
	} `json:"selections"`
	Groups []struct {
		Group struct {
			Key      string `json:"key"`
			Kind     string `json:"kind"`
			Required bool   `json:"required"`
		} `json:"group"`
		Options []struct {
			Option struct {
				Key string `json:"key"`
			} `json:"option"`
			State string `json:"state"`
		} `json:"options"`
	} `json:"groups"`
}

const startMutation = `mutation($in: StartConfigurationInput!) {
  startConfiguration(input: $in) { configuration { ...C } } }` + "\n" + configFields

// startConfiguration opens a session on the demo product heritage-sport.
func startConfiguration(t *testing.T, url string) configuration {
	t.Helper()
	var p struct {
		Product struct{ ID string } `json:"product"`
	}
	must(t, url, "", `query { product(slug: "heritage-sport") { id } }`, nil, &p)
	var out struct {
		S struct{ Configuration configuration } `json:"startConfiguration"`
	}
	must(t, url, "", startMutation, map[string]any{"in": map[string]any{"productId": p.Product.ID}}, &out)
	return out.S.Configuration
}

// nextChoice is the next step that completes cfg: the first FORCED or AVAILABLE option of the
// first required group without a choice, or the middle wrist size of a NUMBER group.
func nextChoice(cfg configuration) (op string, in map[string]any) {
	chosen := map[string]bool{}
	for _, s := range cfg.Selections {
		chosen[s.Group] = true
	}
	in = map[string]any{"configurationId": cfg.ID, "version": cfg.Version}
	for _, g := range cfg.Groups {
		if !g.Group.Required || chosen[g.Group.Key] || g.Group.Kind == "TEXT" {
			continue
		}
		pick := ""
		for _, want := range []string{"FORCED", "AVAILABLE"} {
			for _, o := range g.Options {
				if pick == "" && o.State == want {
					pick = o.Option.Key
				}
			}
		}
		in["group"] = g.Group.Key
		if g.Group.Kind == "NUMBER" {
			v := 180
			if n, err := strconv.Atoi(pick); err == nil {
				v = n
			}
			in["value"] = v
			return "setNumber", in
		}
		if pick != "" {
			in["option"] = pick
			return "selectOption", in
		}
	}
	return "", nil
}

// choose runs one configure step and returns the response.
func choose(ctx context.Context, url, op string, in map[string]any) (*response, error) {
	input := map[string]string{"selectOption": "SelectOptionInput", "setNumber": "SetNumberInput"}[op]
	return post(ctx, url, "", fmt.Sprintf("mutation($in: %s!) { %s(input: $in) { configuration { ...C } } }\n%s",
		input, op, configFields), map[string]any{"in": in})
}

func decodeConfig(t *testing.T, op string, r *response) configuration {
	t.Helper()
	var out map[string]struct{ Configuration configuration }
	require.NoError(t, json.Unmarshal(r.Data, &out))
	return out[op].Configuration
}

// completeConfiguration starts a configuration and makes choices until it is complete.
func completeConfiguration(t *testing.T, url string) configuration {
	t.Helper()
	cfg := startConfiguration(t, url)
	for i := 0; !cfg.Complete; i++ {
		require.Less(t, i, 40, "configuration did not complete")
		op, in := nextChoice(cfg)
		require.NotEmpty(t, op, "incomplete configuration without a required group to choose")
		r, err := choose(context.Background(), url, op, in)
		require.NoError(t, err)
		require.Empty(t, r.Errors, "%s %v", op, in)
		cfg = decodeConfig(t, op, r)
	}
	return cfg
}

const placeMutation = `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) {
  order { id status depositDue { amount } } orderToken } }`

type placed struct {
	ID      string
	Token   string
	Deposit int
}

// placeVars are placeOrder's variables for a configuration and an idempotency key.
func placeVars(cfg configuration, key string) map[string]any {
	return map[string]any{"in": map[string]any{
		"configurationId": cfg.ID, "version": cfg.Version, "idempotencyKey": key,
		"customer": map[string]any{"name": "Ada Fault", "email": "ada@example.com"},
		"shippingAddress": map[string]any{"name": "Ada Fault", "line1": "1 rue de la Paix",
			"city": "Paris", "postalCode": "75002", "country": "FR"},
	}}
}

func decodePlaced(r *response) (placed, error) {
	if len(r.Errors) > 0 {
		return placed{}, fmt.Errorf("%s: %s", r.code(), r.Errors[0].Message)
	}
	var out struct {
		P struct {
			Order struct {
				ID         string `json:"id"`
				DepositDue struct {
					Amount int `json:"amount"`
				} `json:"depositDue"`
			} `json:"order"`
			OrderToken string `json:"orderToken"`
		} `json:"placeOrder"`
	}
	if err := json.Unmarshal(r.Data, &out); err != nil {
		return placed{}, err
	}
	return placed{ID: out.P.Order.ID, Token: out.P.OrderToken, Deposit: out.P.Order.DepositDue.Amount}, nil
}

// placeOrder completes a configuration and orders it.
func placeOrder(t *testing.T, url string) placed {
	t.Helper()
	cfg := completeConfiguration(t, url)
	r, err := post(context.Background(), url, "", placeMutation, placeVars(cfg, fmt.Sprintf("key-%d", time.Now().UnixNano())))
	require.NoError(t, err)
	p, err := decodePlaced(r)
	require.NoError(t, err)
	return p
}

// lifecycle is the sequence of workshop steps after PLACED, with rework loops after the first
// QUALITY_CHECK: "PAY" records the deposit (→ CONFIRMED); see eventsOf for what each appends.
func lifecycle(i int) string {
	first := []string{"PAY", "MATERIALS", "CRAFTING", "FINISHING", "QUALITY_CHECK"}
	if i < len(first) {
		return first[i]
	}
	return []string{"CRAFTING", "FINISHING", "QUALITY_CHECK"}[(i-len(first))%3]
}

// eventsOf is how many order events a workshop step appends: "PAY" two (the payment, then
// CONFIRMED), every status change one.
func eventsOf(step string) int {
	if step == "PAY" {
		return 2
	}
	return 1
}

// step runs one workshop step.
func step(ctx context.Context, url, token string, o placed, to string) (*response, error) {
	if to == "PAY" {
		return post(ctx, url, token, `mutation($in: RecordPaymentInput!) {
			recordPayment(input: $in) { order { id status } } }`,
			map[string]any{"in": map[string]any{"orderId": o.ID, "amount": o.Deposit}})
	}
	return post(ctx, url, token, `mutation($in: AdvanceOrderInput!) {
		advanceOrder(input: $in) { event { seq status } } }`,
		map[string]any{"in": map[string]any{"orderId": o.ID, "to": to, "note": "fault test"}})
}

// event is an order event as a subscriber receives it.
type event struct {
	Seq    int    `json:"seq"`
	Status string `json:"status"`
}

// subscriber follows one order's events over graphql-transport-ws.
type subscriber struct {
	conn *websocket.Conn
	mu   sync.Mutex
	evs  []event
	// err is why reading ended; closeCode the close status the server sent (-1: none).
	err       error
	closeCode websocket.StatusCode
	done      chan struct{}
}

// orderEventsQuery is the subscription of the SPA's shape, which graph.Direct serves.
const orderEventsQuery = `subscription($id: ID!, $after: Int) {
  orderEvents(orderId: $id, after: $after) { seq status } }`

// subscribe connects with the order token and subscribes to orderId's events after `after`.
func subscribe(t *testing.T, url, token, orderID string, after int) *subscriber {
	t.Helper()
	return subscribeWith(t, url, token, orderID, after, orderEventsQuery)
}

// subscribeWith is subscribe with another document (variables $id and $after).
func subscribeWith(t *testing.T, url, token, orderID string, after int, query string) *subscriber {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http")+"/query",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err)
	t.Cleanup(func() { conn.CloseNow() })
	write := func(v any) {
		b, _ := json.Marshal(v)
		require.NoError(t, conn.Write(ctx, websocket.MessageText, b))
	}
	write(map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": "Bearer " + token}})
	for {
		_, data, err := conn.Read(ctx)
		require.NoError(t, err)
		var m struct{ Type string }
		require.NoError(t, json.Unmarshal(data, &m))
		if m.Type == "connection_ack" {
			break
		}
	}
	write(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query":     query,
		"variables": map[string]any{"id": orderID, "after": after}}})
	s := &subscriber{conn: conn, done: make(chan struct{}), closeCode: -1}
	go s.read()
	return s
}

func (s *subscriber) read() {
	defer close(s.done)
	for {
		_, data, err := s.conn.Read(context.Background())
		if err != nil {
			s.mu.Lock()
			s.err, s.closeCode = err, websocket.CloseStatus(err)
			s.mu.Unlock()
			return
		}
		var m struct {
			Type    string
			Payload struct {
				Data struct {
					OrderEvents event `json:"orderEvents"`
				} `json:"data"`
				Errors []gqlErr `json:"errors"`
			}
		}
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		switch m.Type {
		case "ping":
			_ = s.conn.Write(context.Background(), websocket.MessageText, []byte(`{"type":"pong"}`))
		case "next":
			s.mu.Lock()
			if len(m.Payload.Errors) > 0 {
				s.err = fmt.Errorf("subscription error: %v", m.Payload.Errors)
			} else {
				s.evs = append(s.evs, m.Payload.Data.OrderEvents)
			}
			s.mu.Unlock()
		case "error", "complete":
			s.mu.Lock()
			s.err = fmt.Errorf("subscription ended: %s", data)
			s.mu.Unlock()
		}
	}
}

func (s *subscriber) events() []event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]event(nil), s.evs...)
}

// waitSeq waits until the subscriber has an event with seq ≥ n.
func (s *subscriber) waitSeq(t *testing.T, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		evs := s.events()
		if len(evs) > 0 && evs[len(evs)-1].Seq >= n {
			return
		}
		if time.Now().After(deadline) {
			s.mu.Lock()
			err := s.err
			s.mu.Unlock()
			t.Fatalf("subscriber has %v after %s, wanted seq %d (read error: %v)", evs, timeout, n, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// requireExactly checks that evs are seq 1..n, each once, in order.
func requireExactly(t *testing.T, evs []event, n int) {
	t.Helper()
	seqs := make([]int, len(evs))
	for i, e := range evs {
		seqs[i] = e.Seq
	}
	want := make([]int, n)
	for i := range want {
		want[i] = i + 1
	}
	require.Equal(t, want, seqs, "every event exactly once, in seq order")
}

// The server binary for the tests that run it as a child process, built once per run.
var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	redis.SetLogger(quietRedis{})
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func serverBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "atelier-faults-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "atelier")
		cmd := exec.Command("go", "build", "-o", binPath, "github.com/atelier/atelier/server")
		out, err := cmd.CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	require.NoError(t, binErr)
	return binPath
}

// child is a server instance running as a child process.
type child struct {
	URL  string
	cmd  *exec.Cmd
	done chan error
	log  *testutil.LockedBuffer
}

// startChild runs the server binary on dbURL/redisURL, with extra environment entries (K=V),
// and waits until /readyz answers 200.
func startChild(t *testing.T, dbURL, redisURL, prefix string, env ...string) *child {
	t.Helper()
	bin := serverBinary(t)
	c := &child{done: make(chan error, 1), log: &testutil.LockedBuffer{}}
	// Port 0: the kernel picks the port as the server binds, and the ready line says which.
	c.cmd = exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-database-url", dbURL, "-redis-url", redisURL,
		"-redis-prefix", prefix, "-web-dir", t.TempDir(), "-shutdown-timeout", "10s", "-log-level", "warn",
		"-mail-outbox", t.TempDir(), "-blob-url", "file://"+t.TempDir())
	c.cmd.Env = append(os.Environ(), "DATABASE_URL=", "REDIS_URL=")
	for k, v := range testEnv {
		c.cmd.Env = append(c.cmd.Env, k+"="+v)
	}
	c.cmd.Env = append(c.cmd.Env, env...)
	c.cmd.Stdout, c.cmd.Stderr = c.log, c.log
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	require.NoError(t, c.cmd.Start())
	go func() { c.done <- c.cmd.Wait() }()
	t.Cleanup(func() {
		select {
		case err := <-c.done:
			c.done <- err
		default:
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		if c.URL == "" {
			c.URL = readyline.URL([]byte(c.logText()))
		}
		if c.URL != "" {
			if resp, err := http.Get(c.URL + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return c
				}
			}
		}
		select {
		case err := <-c.done:
			c.done <- err
			t.Fatalf("server exited before it was ready: %v\n%s", err, c.logText())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready after 60s\n%s", c.logText())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *child) logText() string { return c.log.String() }

// wait waits for the child to exit and returns its exit error.
func (c *child) wait(timeout time.Duration) error {
	select {
	case err := <-c.done:
		c.done <- err
		return err
	case <-time.After(timeout):
		return errors.New("child did not exit in time")
	}
}

// quietRedis silences go-redis's own log lines (dial failures while Redis is down by design).
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}
