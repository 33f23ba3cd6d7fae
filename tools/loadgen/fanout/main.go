// Command fanout measures build-status subscription fan-out (issue 6): N WebSocket subscribers
// (graphql-transport-ws, the order token in connection_init) follow one order's orderEvents on
// one server instance while the workshop moves the order along K steps. For every subscriber and
// event it measures the delay from the event's commit to its receipt, checks that every event
// arrived once and in seq order, and reads the server's resident memory per idle subscription.
//
//	go run ./tools/loadgen/fanout -subs 1000,5000,10000            # starts its own server
//	go run ./tools/loadgen/fanout -redis-url redis://127.0.0.1:6379/0
//	go run ./tools/loadgen/fanout -url http://127.0.0.1:8080 -token <WORKSHOP token>
//
// The delay is measured from the event's `at` time, which the server takes inside the
// transaction just before the commit (same machine, same clock): it covers the commit, the
// publish through Redis and the fan-out, and is an upper bound of commit-to-receipt. The delay
// from the mutation's HTTP response is printed too; the event may arrive before that response.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/atelier/atelier/tools/internal/atelier"
)

// Targets of issue 6.
const (
	targetSubs = 10000
	targetP99  = 200 * time.Millisecond
	targetRSS  = 20 * 1024 // bytes per idle subscription
)

type options struct {
	subs        []int
	steps       int
	url         string
	token       string
	serverBin   string
	redisURL    string
	databaseURL string
	product     string
	dialers     int
	stepTimeout time.Duration
	markdown    bool
	label       string
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("fanout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	subs := fs.String("subs", "1000,5000,10000", "comma-separated subscriber counts, one run each")
	fs.IntVar(&o.steps, "steps", 5, "workshop steps (events) per run")
	fs.StringVar(&o.url, "url", "", "a running server; empty: start one per run")
	fs.StringVar(&o.token, "token", "", "WORKSHOP bearer token for -url")
	fs.StringVar(&o.serverBin, "server-bin", "", "server binary; empty: go build ./server")
	fs.StringVar(&o.redisURL, "redis-url", "", "Redis of the started server; empty: in-process")
	fs.StringVar(&o.databaseURL, "database-url", "", "database of the started server; empty: fresh SQLite per run")
	fs.StringVar(&o.product, "product", "heritage-sport", "product to order")
	fs.IntVar(&o.dialers, "dialers", 64, "concurrent connection attempts while subscribing")
	fs.DurationVar(&o.stepTimeout, "step-timeout", 30*time.Second, "wait for one event at every subscriber")
	fs.BoolVar(&o.markdown, "markdown", false, "print a markdown table on stdout (the log goes to stderr)")
	fs.StringVar(&o.label, "label", "", "scenario label")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	for _, f := range strings.Split(*subs, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return o, fmt.Errorf("-subs: %q is not a positive count", f)
		}
		o.subs = append(o.subs, n)
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	case o.steps < 1:
		return o, errors.New("-steps must be at least 1")
	case o.url != "" && o.token == "":
		return o, errors.New("-url needs -token (a WORKSHOP token of that server's database)")
	case o.url != "" && (o.redisURL != "" || o.databaseURL != "" || o.serverBin != ""):
		return o, errors.New("-redis-url, -database-url and -server-bin apply only without -url")
	}
	if o.label == "" {
		o.label = "SQLite + embedded Redis"
		if o.url != "" {
			o.label = "server at " + o.url
		} else {
			db, r := "SQLite", "embedded Redis"
			if strings.HasPrefix(o.databaseURL, "postgres") {
				db = "PostgreSQL"
			}
			if o.redisURL != "" {
				r = "real Redis"
			}
			o.label = db + " + " + r
		}
	}
	return o, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "fanout:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	limit, err := atelier.RaiseNoFile()
	if err != nil {
		fmt.Fprintln(stderr, "fanout: raising the open-file limit:", err)
	}
	fmt.Fprintf(stderr, "open-file limit: %d (this process and the server it starts)\n", limit)
	need := 0
	for _, n := range o.subs {
		need = max(need, n)
	}
	if uint64(need)+256 > limit {
		fmt.Fprintf(stderr, "fanout: %d subscribers need more than the open-file limit %d\n", need, limit)
		return 1
	}
	if o.url == "" && o.serverBin == "" {
		dir, err := os.MkdirTemp("", "atelier-fanout-bin-")
		if err != nil {
			fmt.Fprintln(stderr, "fanout:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		o.serverBin = filepath.Join(dir, "atelier")
		fmt.Fprintln(stderr, "building the server: go build ./server")
		if err := atelier.Build(ctx, o.serverBin); err != nil {
			fmt.Fprintln(stderr, "fanout:", err)
			return 1
		}
	}
	var results []*result
	failed := false
	for _, n := range o.subs {
		r, err := measure(ctx, o, n, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "fanout: %d subscribers: %v\n", n, err)
			failed = true
			if r == nil {
				r = &result{subs: n, err: err}
			} else {
				r.err = err
			}
		}
		results = append(results, r)
		r.summary(stderr)
		if ctx.Err() != nil {
			break
		}
	}
	if o.markdown {
		printMarkdown(stdout, o, results)
	}
	for _, r := range results {
		if r.err == nil && r.lost() > 0 {
			failed = true
		}
	}
	if failed {
		fmt.Fprintln(stderr, "fanout: FAILED (see above)")
		return 1
	}
	return 0
}

// result is one run's measurements.
type result struct {
	subs, steps int
	// delays are receipt − event time for every subscriber × event; fromResp receipt − response.
	delays, fromResp []time.Duration
	expected         int
	received         int
	dups, gaps       int64
	subErrors        []string
	rssBefore        int64 // KiB
	rssAfter         int64
	fdsAfter         int
	connectTime      time.Duration
	stepTimes        []time.Duration
	err              error
}

func (r *result) lost() int { return r.expected - r.received }

func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := int(q*float64(len(ds)-1) + 0.5)
	return ds[min(i, len(ds)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func (r *result) rssPerSub() string {
	if r.rssAfter == 0 || r.rssBefore == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f KB", float64(r.rssAfter-r.rssBefore)*1024/1000/float64(r.subs))
}

func (r *result) summary(w io.Writer) {
	fmt.Fprintf(w, "\n== %d subscribers ==\n", r.subs)
	if r.err != nil {
		fmt.Fprintf(w, "error:    %v\n", r.err)
	}
	if len(r.delays) > 0 {
		fmt.Fprintf(w, "connect:  %d subscribers subscribed and replayed in %s\n", r.subs, r.connectTime.Round(time.Millisecond))
		fmt.Fprintf(w, "events:   %d steps, %d of %d deliveries (lost %d, duplicates %d, seq gaps %d)\n",
			r.steps, r.received, r.expected, r.lost(), r.dups, r.gaps)
		fmt.Fprintf(w, "delay:    from the event's commit time: p50 %s  p99 %s  max %s\n",
			ms(quantile(r.delays, 0.5)), ms(quantile(r.delays, 0.99)), ms(r.delays[len(r.delays)-1]))
		fmt.Fprintf(w, "          from the mutation's response: p50 %s  p99 %s  max %s (negative: before it)\n",
			ms(quantile(r.fromResp, 0.5)), ms(quantile(r.fromResp, 0.99)), ms(r.fromResp[len(r.fromResp)-1]))
		var st []string
		for _, d := range r.stepTimes {
			st = append(st, ms(d))
		}
		fmt.Fprintf(w, "          mutation round trips: %s\n", strings.Join(st, ", "))
	}
	if r.rssBefore > 0 {
		fmt.Fprintf(w, "memory:   server RSS %d KiB before, %d KiB with %d idle subscribers: %s per subscription; %d open fds\n",
			r.rssBefore, r.rssAfter, r.subs, r.rssPerSub(), r.fdsAfter)
	}
	for i, e := range r.subErrors {
		if i == 5 {
			fmt.Fprintf(w, "          … and %d more subscriber errors\n", len(r.subErrors)-5)
			break
		}
		fmt.Fprintf(w, "subscriber error: %s\n", e)
	}
	if r.err == nil && len(r.delays) > 0 && r.subs >= targetSubs {
		verdict := "MEETS"
		if quantile(r.delays, 0.99) > targetP99 || r.lost() > 0 || r.rssAfter > 0 &&
			float64(r.rssAfter-r.rssBefore)*1024/float64(r.subs) > targetRSS {
			verdict = "MISSES"
		}
		fmt.Fprintf(w, "target:   %s issue 6's target (%d subscribers, p99 ≤ %s, ≤ 20 KB each, nothing lost)\n",
			verdict, targetSubs, ms(targetP99))
	}
}

func printMarkdown(w io.Writer, o options, rs []*result) {
	fmt.Fprintln(w, "| scenario | subscribers | events | p50 | p99 | max | lost | RSS/sub |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|")
	for _, r := range rs {
		if len(r.delays) == 0 {
			fmt.Fprintf(w, "| %s | %d | FAILED: %s | | | | | |\n", o.label, r.subs,
				strings.ReplaceAll(fmt.Sprint(r.err), "|", "/"))
			continue
		}
		lost := strconv.Itoa(r.lost())
		if r.dups > 0 || r.gaps > 0 {
			lost += fmt.Sprintf(" (dup %d, gaps %d)", r.dups, r.gaps)
		}
		if r.err != nil {
			lost += " — " + strings.ReplaceAll(r.err.Error(), "|", "/")
		}
		fmt.Fprintf(w, "| %s | %d | %d | %s | %s | %s | %s | %s |\n", o.label, r.subs, r.expected,
			ms(quantile(r.delays, 0.5)), ms(quantile(r.delays, 0.99)), ms(r.delays[len(r.delays)-1]),
			lost, r.rssPerSub())
	}
}

// measure runs one scenario with n subscribers.
func measure(ctx context.Context, o options, n int, log io.Writer) (*result, error) {
	res := &result{subs: n, steps: o.steps}
	baseURL, token, pid := strings.TrimRight(o.url, "/"), o.token, 0
	if baseURL == "" {
		srv, err := atelier.Start(ctx, atelier.Options{
			Name: "fanout", Bin: o.serverBin, DatabaseURL: o.databaseURL, RedisURL: o.redisURL,
			Args:      []string{"-log-level", "warn"},
			TokenRole: "workshop",
			// Every subscriber comes from 127.0.0.1: lift the per-address caps (servers without
			// those settings ignore the variables).
			DropEnv: []string{"LOG_LEVEL", "RATE_LIMIT_MUTATIONS", "MAX_SUBSCRIPTIONS_PER_CLIENT"},
			Env:     []string{"RATE_LIMIT_MUTATIONS=0", "MAX_SUBSCRIPTIONS_PER_CLIENT=0"},
		})
		if err != nil {
			return nil, err
		}
		defer func() {
			if err := srv.Stop(context.WithoutCancel(ctx)); err != nil {
				fmt.Fprintln(log, "fanout: stopping the server:", err)
			}
		}()
		baseURL, token, pid = srv.URL, srv.Token, srv.PID()
		fmt.Fprintf(log, "server: %s (pid %d, %s)\n", baseURL, pid, o.label)
	}
	a := &api{&atelier.Client{HTTP: &http.Client{Timeout: 60 * time.Second},
		URL: baseURL + "/query"}}
	ord, err := a.placeOrder(ctx, o.product)
	if err != nil {
		return nil, err
	}
	maxSeq := o.steps + 1
	if pid != 0 {
		time.Sleep(500 * time.Millisecond)
		res.rssBefore, _ = rssKiB(pid)
	}

	// Connect n subscribers, a few at a time, and wait until each has the PLACED replay.
	wsURL := "ws" + strings.TrimPrefix(baseURL, "http") + "/query"
	subCtx, cancelSubs := context.WithCancel(ctx)
	defer cancelSubs()
	subs := make([]*subscriber, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var dialErrs []string
	start := time.Now()
	sem := make(chan struct{}, o.dialers)
	rd, err := newReaders(subCtx, runtime.GOMAXPROCS(0))
	if err != nil {
		return res, err
	}
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			s, err := dialSubscriber(subCtx, wsURL, ord.Token, ord.ID, maxSeq)
			if err != nil {
				mu.Lock()
				dialErrs = append(dialErrs, err.Error())
				mu.Unlock()
				return
			}
			if err := rd.add(s); err != nil {
				s.conn.CloseNow()
				mu.Lock()
				dialErrs = append(dialErrs, err.Error())
				mu.Unlock()
				return
			}
			subs[i] = s
		})
		if ctx.Err() != nil {
			break
		}
	}
	wg.Wait()
	defer func() {
		for _, s := range subs {
			if s != nil {
				s.conn.CloseNow()
			}
		}
	}()
	if len(dialErrs) > 0 {
		res.subErrors = dialErrs
		return res, fmt.Errorf("%d of %d subscribers could not connect; first: %s", len(dialErrs), n, dialErrs[0])
	}
	if err := waitAll(ctx, subs, 1, 60*time.Second); err != nil {
		return res, fmt.Errorf("replay: %w", err)
	}
	res.connectTime = time.Since(start)
	fmt.Fprintf(log, "%d subscribers connected and replayed in %s\n", n, res.connectTime.Round(time.Millisecond))
	if pid != 0 {
		time.Sleep(time.Second)
		res.rssAfter, _ = rssKiB(pid)
		res.fdsAfter = openFDs(pid)
	}

	// The workshop steps: each must reach every subscriber before the next one.
	respAt := make([]time.Time, maxSeq+1)
	for i, to := range buildSteps(o.steps) {
		seq := i + 2
		t0 := time.Now()
		if err := a.step(ctx, token, ord, to); err != nil {
			return res, fmt.Errorf("step %d (%s): %w", i+1, to, err)
		}
		respAt[seq] = time.Now()
		res.stepTimes = append(res.stepTimes, respAt[seq].Sub(t0))
		if err := waitAll(ctx, subs, seq, o.stepTimeout); err != nil {
			fmt.Fprintf(log, "step %d (%s): %v\n", i+1, to, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// A last grace period for stragglers, then the tally.
	_ = waitAll(ctx, subs, maxSeq, 2*time.Second)
	for _, s := range subs {
		res.dups += s.dups.Load()
		res.gaps += s.gaps.Load()
		if err := s.failure(); err != nil {
			res.subErrors = append(res.subErrors, err.Error())
		}
		for seq := 2; seq <= maxSeq; seq++ {
			res.expected++
			if s.last.Load() < int64(seq) || s.recv[seq].IsZero() {
				continue
			}
			res.received++
			res.delays = append(res.delays, s.recv[seq].Sub(s.at[seq]))
			res.fromResp = append(res.fromResp, s.recv[seq].Sub(respAt[seq]))
		}
	}
	slices.Sort(res.delays)
	slices.Sort(res.fromResp)
	if len(res.delays) == 0 {
		return res, errors.New("no event was received")
	}
	if res.lost() > 0 || res.dups > 0 || res.gaps > 0 {
		return res, fmt.Errorf("%d of %d deliveries lost, %d duplicates, %d seq gaps",
			res.lost(), res.expected, res.dups, res.gaps)
	}
	return res, nil
}

// waitAll waits until every subscriber has seen seq.
func waitAll(ctx context.Context, subs []*subscriber, seq int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		missing := 0
		for _, s := range subs {
			if s.last.Load() < int64(seq) {
				missing++
			}
		}
		if missing == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of %d subscribers had not received seq %d after %s", missing, len(subs), seq, limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}
