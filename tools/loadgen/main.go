// Command loadgen is the load generator behind `make bench`: virtual customers make configure
// steps against the Atelier GraphQL API over HTTP for a fixed time, and the same clients then
// drive a bare net/http endpoint that returns a pre-encoded response of the same size, the
// ceiling the server is measured against.
//
//	go run ./tools/loadgen -clients 32 -duration 10s            # starts its own server
//	go run ./tools/loadgen -redis-url redis://127.0.0.1:6379/0  # … on a real Redis
//	go run ./tools/loadgen -url http://127.0.0.1:8080           # a server already running
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/atelier/atelier/tools/internal/atelier"
)

// Targets from issue 4: at 32 clients on the demo catalog.
const (
	targetRatio = 0.25
	targetP99   = 5 * time.Millisecond
)

// options are the command-line flags.
type options struct {
	url       string
	serverBin string
	clients   int
	// rate, when positive, makes the run open-loop: steps arrive at rate per second on a fixed
	// schedule and are served by the first free one of the clients.
	rate        float64
	duration    time.Duration
	warmup      time.Duration
	product     string
	redisURL    string
	databaseURL string
	markdown    bool
	label       string
	seed        uint64
	// serverEnv are extra KEY=VALUE settings for the started server only (e.g. GOGC=400),
	// so that runtime tuning can be measured without changing the load generator's own.
	serverEnv envList
}

// envList is a repeatable KEY=VALUE flag.
type envList []string

func (e *envList) String() string { return strings.Join(*e, " ") }

func (e *envList) Set(kv string) error {
	if name, _, ok := strings.Cut(kv, "="); !ok || name == "" {
		return fmt.Errorf("want KEY=VALUE, not %q", kv)
	}
	*e = append(*e, kv)
	return nil
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.url, "url", "",
		"base URL of a running server; empty: build and start one with a temporary database")
	fs.StringVar(&o.serverBin, "server-bin", "",
		"server binary to start when -url is empty; empty: go build ./server")
	fs.IntVar(&o.clients, "clients", 32, "concurrent virtual customers")
	fs.Float64Var(&o.rate, "rate", 0, "open loop: steps per second arriving on a fixed schedule,"+
		" served by the first free of -clients customers, latency from the arrival time;"+
		" 0: closed loop")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time per scenario")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured time before it")
	fs.StringVar(&o.product, "product", "heritage-sport", "slug of the product to configure")
	fs.StringVar(&o.redisURL, "redis-url", "",
		"Redis for the started server; empty: its in-process Redis")
	fs.StringVar(&o.databaseURL, "database-url", "",
		"database for the started server; empty: a fresh SQLite file")
	fs.BoolVar(&o.markdown, "markdown", false,
		"print a markdown table on stdout (the summary goes to stderr)")
	fs.StringVar(&o.label, "label", "", "scenario name in the output; empty: derived from the flags")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed of the customers' choices")
	fs.Var(&o.serverEnv, "server-env",
		"KEY=VALUE set in the started server's environment only, e.g. GOGC=400 (repeatable)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	case o.clients < 1:
		return o, errors.New("-clients must be at least 1")
	case o.rate < 0:
		return o, errors.New("-rate must not be negative")
	case o.duration <= 0 || o.warmup < 0:
		return o, errors.New("-duration must be positive and -warmup not negative")
	case o.url != "" && (o.redisURL != "" || o.databaseURL != "" || o.serverBin != "" || len(o.serverEnv) > 0):
		return o, errors.New("-redis-url, -database-url, -server-bin and -server-env apply only without -url")
	}
	if o.label == "" {
		o.label = scenarioLabel(o)
	}
	return o, nil
}

func scenarioLabel(o options) string {
	if o.url != "" {
		return "server at " + o.url
	}
	db := "SQLite"
	if strings.HasPrefix(o.databaseURL, "postgres") {
		db = "PostgreSQL"
	}
	r := "embedded Redis"
	if o.redisURL != "" {
		r = "real Redis"
	}
	if len(o.serverEnv) > 0 {
		return db + " + " + r + ", server " + o.serverEnv.String()
	}
	return db + " + " + r
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := measure(ctx, o, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 1
	}
	summary := stdout
	if o.markdown {
		summary = stderr
		rep.markdown(stdout)
	}
	rep.summary(summary)
	if rep.server.errorCount() > 0 || rep.ceiling.errorCount() > 0 {
		fmt.Fprintln(stderr, "loadgen: FAILED: the run had errors (see above)")
		return 1
	}
	return 0
}

// report is one scenario's measurements.
type report struct {
	opts      options
	machine   machine
	serverURL string
	started   time.Time
	server    *result
	ceiling   *result
	// ceilingSize is the size of the ceiling's pre-encoded response.
	ceilingSize int
	// serverCPU and ceilingCPU are the CPU time used while each was measured.
	serverCPU, ceilingCPU cpuUse
	// load is the one-minute load average before, between and after the two measurements.
	load []string
}

// newTransport is the one keep-alive HTTP client setup both measurements share.
func newTransport(clients int) *http.Transport {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		DialContext:         dialer.DialContext,
		MaxIdleConns:        2*clients + 8,
		MaxIdleConnsPerHost: 2*clients + 8,
		IdleConnTimeout:     90 * time.Second,
		// Neither endpoint compresses; asking for it would only add a header.
		DisableCompression: true,
	}
}

func measure(ctx context.Context, o options, log io.Writer) (*report, error) {
	rep := &report{opts: o, machine: describeMachine(), started: time.Now()}
	fmt.Fprintf(log, "machine: %s\n", rep.machine)
	transport := newTransport(o.clients)
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}

	rep.serverURL = strings.TrimRight(o.url, "/")
	var srv *atelier.Server
	if rep.serverURL == "" {
		var err error
		srv, err = atelier.Start(ctx, atelier.Options{Name: "loadgen", Bin: o.serverBin,
			DatabaseURL: o.databaseURL, RedisURL: o.redisURL, Env: o.serverEnv, CleanRedis: true,
			Log: log})
		if err != nil {
			return nil, err
		}
		// On every path that returns before the ceiling run stops the server.
		defer func() {
			if srv != nil {
				_ = srv.Stop(context.WithoutCancel(ctx))
			}
		}()
		rep.serverURL = srv.URL
		fmt.Fprintf(log, "server: %s (started by loadgen, %s)\n", srv.URL, o.label)
	}
	queryURL := rep.serverURL + "/query"
	prod, err := fetchProduct(ctx, client, queryURL, o.product)
	if err != nil {
		return nil, err
	}

	fmt.Fprintf(log, "configure steps: %d clients, %s warm-up + %s…\n", o.clients, o.warmup,
		o.duration)
	rep.load = append(rep.load, loadAverage())
	w := newWindow(o.warmup, o.duration)
	serverPID := 0
	if srv != nil {
		serverPID = srv.PID()
	}
	cpu := measureCPU(ctx, w, serverPID)
	sched := o.schedule(ctx, w)
	rep.server, err = drive(ctx, o.clients, w,
		func(i int, res *result) func(context.Context) {
			c := &customer{
				p:           newPoster(client, queryURL),
				product:     prod,
				rng:         newRand(o.seed, i),
				win:         w,
				res:         res,
				keepSamples: i < 4,
				sched:       sched,
			}
			return c.run
		})
	rep.serverCPU = cpu()
	rep.load = append(rep.load, loadAverage())
	if err != nil {
		return nil, err
	}
	if rep.server.hist.Count() == 0 {
		return nil, fmt.Errorf("no configure step succeeded; errors: %s", topErrors(rep.server, 3))
	}
	if srv != nil {
		// The server is idle from here; stopping it leaves the machine to the ceiling run.
		err := srv.Stop(ctx)
		srv = nil
		if err != nil {
			return nil, fmt.Errorf("stopping the server: %w", err)
		}
	}

	meanSize := int(rep.server.bytes / rep.server.hist.Count())
	body, err := ceilingBody(rep.server.samples, meanSize)
	if err != nil {
		return nil, err
	}
	rep.ceilingSize = len(body)
	fmt.Fprintf(log, "ceiling: bare net/http, %d-byte response, %d clients, %s warm-up + %s…\n",
		len(body), o.clients, o.warmup, o.duration)
	w = newWindow(o.warmup, o.duration)
	cpu = measureCPU(ctx, w, 0)
	rep.ceiling, err = runCeiling(ctx, client, body, o.clients, w, o.schedule(ctx, w))
	rep.ceilingCPU = cpu()
	rep.load = append(rep.load, loadAverage())
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// schedule returns the arrivals of an open-loop run over w, nil for a closed loop.
func (o options) schedule(ctx context.Context, w window) *schedule {
	if o.rate <= 0 {
		return nil
	}
	return newSchedule(ctx, o.rate, w.end)
}

func (r *report) throughput(res *result) float64 {
	return float64(res.hist.Count()) / r.opts.duration.Seconds()
}

func (r *report) ratio() float64 {
	c := r.throughput(r.ceiling)
	if c == 0 {
		return 0
	}
	return r.throughput(r.server) / c
}

// meetsTarget: p99 ≤ 5 ms without errors, and ≥ 0.25 of the ceiling's throughput in a closed
// loop, or keeping up with the arrivals (≥ 95 % of the rate served in time) in an open one.
func (r *report) meetsTarget() bool {
	ok := r.server.hist.Quantile(0.99) <= targetP99 && r.server.errorCount() == 0
	if r.opts.rate > 0 {
		return ok && r.throughput(r.server) >= 0.95*r.opts.rate
	}
	return ok && r.ratio() >= targetRatio
}

// loop describes how the steps arrive.
func (o options) loop() string {
	if o.rate > 0 {
		return fmt.Sprintf("open loop, %g steps/s on a schedule served by %d clients", o.rate,
			o.clients)
	}
	return fmt.Sprintf("%d closed-loop clients", o.clients)
}

func (r *report) summary(w io.Writer) {
	s, c := r.server, r.ceiling
	fmt.Fprintf(w, "\n== %s ==\n", r.opts.label)
	fmt.Fprintf(w, "date:     %s\n", r.started.Format(time.RFC3339))
	fmt.Fprintf(w, "machine:  %s\n", r.machine)
	fmt.Fprintf(w, "server:   %s, product %s, %s, %s measured after %s warm-up\n",
		r.serverURL, r.opts.product, r.opts.loop(), r.opts.duration, r.opts.warmup)
	fmt.Fprintf(w, "steps:    %d ok (%s), mean response %d bytes\n", s.hist.Count(),
		opCounts(s), int(s.bytes/max(s.hist.Count(), 1)))
	fmt.Fprintf(w, "          %.0f steps/s, latency p50 %s  p99 %s  max %s  mean %s\n",
		r.throughput(s), ms(s.hist.Quantile(0.5)), ms(s.hist.Quantile(0.99)), ms(s.hist.Max()),
		ms(s.hist.Mean()))
	fmt.Fprintf(w, "errors:   %d%s\n", s.errorCount(), topErrors(s, 5))
	fmt.Fprintf(w, "ceiling:  %.0f req/s (bare net/http, %d-byte body), p50 %s  p99 %s  max %s,"+
		" errors %d%s\n", r.throughput(c), r.ceilingSize, ms(c.hist.Quantile(0.5)),
		ms(c.hist.Quantile(0.99)), ms(c.hist.Max()), c.errorCount(), topErrors(c, 3))
	if r.opts.rate > 0 {
		fmt.Fprintf(w, "arrivals: requests sent after their arrival time by p50 %s  p99 %s (steps),"+
			" p50 %s  p99 %s (ceiling): the load generator's own delay, counted in the latencies\n",
			ms(s.late.Quantile(0.5)), ms(s.late.Quantile(0.99)), ms(c.late.Quantile(0.5)),
			ms(c.late.Quantile(0.99)))
	}
	r.cpuSummary(w)
	verdict := "MEETS"
	if !r.meetsTarget() {
		verdict = "MISSES"
	}
	if r.opts.rate > 0 {
		fmt.Fprintf(w, "target:   %s (open loop at %g steps/s: p99 ≤ %s from the arrival time,"+
			" ≥ 95 %% served, no errors)\n", verdict, r.opts.rate, ms(targetP99))
		return
	}
	fmt.Fprintf(w, "ratio:    %.3f of the ceiling; %s the target (≥ %.2f with p99 ≤ %s, no errors)\n",
		r.ratio(), verdict, targetRatio, ms(targetP99))
}

// cpuSummary says how much CPU each side used per request, which other load on the machine
// disturbs less than throughput.
func (r *report) cpuSummary(w io.Writer) {
	sec := r.opts.duration.Seconds()
	per := func(d time.Duration, n uint64) string {
		return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond)/float64(max(n, 1)))
	}
	if u := r.serverCPU; u.ok {
		n := r.server.hist.Count()
		if r.opts.url == "" {
			fmt.Fprintf(w, "cpu:      server %.2f cores, %s per step; loadgen %.2f cores, %s per step\n",
				u.server.Seconds()/sec, per(u.server, n), u.self.Seconds()/sec, per(u.self, n))
		} else {
			fmt.Fprintf(w, "cpu:      loadgen %.2f cores, %s per step\n", u.self.Seconds()/sec,
				per(u.self, n))
		}
	}
	if u := r.ceilingCPU; u.ok {
		fmt.Fprintf(w, "          ceiling (server and clients in one process) %.2f cores,"+
			" %s per request\n", u.self.Seconds()/sec, per(u.self, r.ceiling.hist.Count()))
	}
	if perStep, perReq, ratio, ok := r.cpuFigures(); ok {
		// When CPU is the limit, throughput is inversely proportional to CPU per request; this
		// ratio moves far less with other load on the machine than the measured one.
		fmt.Fprintf(w, "          cpu ratio %.3f: ceiling CPU per request %s / (server + loadgen)"+
			" CPU per step %s (a real Redis's own CPU is not counted)\n", ratio, ms(perReq),
			ms(perStep))
		serverStep, serverRatio := r.serverCPUFigures()
		fmt.Fprintf(w, "          server cpu ratio %.3f: ceiling CPU per request %s / server CPU"+
			" per step %s (issue 19's definition)\n", serverRatio, ms(perReq), ms(serverStep))
	}
	if len(r.load) > 0 && r.load[0] != "" {
		fmt.Fprintf(w, "load:     1-min load average %s (before, between, after)\n",
			strings.Join(r.load, ", "))
	}
}

// cpuFigures are the CPU per step (server and load generator), the ceiling's CPU per request
// (its server and clients), and their ratio; ok is false when they were not measured.
func (r *report) cpuFigures() (perStep, perReq time.Duration, ratio float64, ok bool) {
	s, c := r.serverCPU, r.ceilingCPU
	if !s.ok || !c.ok || r.opts.url != "" {
		return 0, 0, 0, false
	}
	perStep = (s.server + s.self) / time.Duration(max(r.server.hist.Count(), 1))
	perReq = c.self / time.Duration(max(r.ceiling.hist.Count(), 1))
	return perStep, perReq, float64(perReq) / float64(max(perStep, 1)), true
}

// serverCPUFigures are the server's own CPU per step and the ceiling's CPU per request over it:
// issue 19's "server CPU per step ≤ 3 × the ceiling's CPU per request" (its 0.09–0.11 were
// computed so). cpuFigures, which adds the load generator's CPU to the step's, is the stricter
// of the two. Valid when cpuFigures is.
func (r *report) serverCPUFigures() (serverStep time.Duration, ratio float64) {
	_, perReq, _, _ := r.cpuFigures()
	serverStep = r.serverCPU.server / time.Duration(max(r.server.hist.Count(), 1))
	return serverStep, float64(perReq) / float64(max(serverStep, 1))
}

// markdownHeader is the header of the markdown table.
const markdownHeader = "| scenario | load | steps/s | p50 | p99 | max | errors |" +
	" ceiling req/s | ceiling p99 | ratio | CPU/step | ceiling CPU/req | cpu ratio |" +
	" server CPU/step | server cpu ratio |\n" +
	"|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"

// markdown prints the scenario as a markdown table: a header and one row.
func (r *report) markdown(w io.Writer) {
	s := r.server
	load := fmt.Sprintf("%d clients", r.opts.clients)
	if r.opts.rate > 0 {
		load = fmt.Sprintf("open loop %g/s", r.opts.rate)
	}
	cpuStep, cpuReq, cpuRatio, serverStep, serverRatio := "–", "–", "–", "–", "–"
	if perStep, perReq, ratio, ok := r.cpuFigures(); ok {
		cpuStep, cpuReq, cpuRatio = ms(perStep), ms(perReq), fmt.Sprintf("%.3f", ratio)
		step, ratio := r.serverCPUFigures()
		serverStep, serverRatio = ms(step), fmt.Sprintf("%.3f", ratio)
	}
	fmt.Fprintln(w, markdownHeader)
	fmt.Fprintf(w, "| %s | %s | %.0f | %s | %s | %s | %d | %.0f | %s | %.3f | %s | %s | %s | %s | %s |\n",
		r.opts.label, load, r.throughput(s), ms(s.hist.Quantile(0.5)),
		ms(s.hist.Quantile(0.99)), ms(s.hist.Max()), s.errorCount(), r.throughput(r.ceiling),
		ms(r.ceiling.hist.Quantile(0.99)), r.ratio(), cpuStep, cpuReq, cpuRatio, serverStep,
		serverRatio)
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

func opCounts(r *result) string {
	var parts []string
	for _, op := range slices.Sorted(maps.Keys(r.ops)) {
		parts = append(parts, fmt.Sprintf("%s %d", op, r.ops[op]))
	}
	return strings.Join(parts, ", ")
}

// topErrors lists the most frequent error messages, for the summary.
func topErrors(r *result, n int) string {
	if len(r.errors) == 0 {
		return ""
	}
	msgs := slices.SortedFunc(maps.Keys(r.errors), func(a, b string) int {
		return cmp.Or(cmp.Compare(r.errors[b], r.errors[a]), strings.Compare(a, b))
	})
	var b strings.Builder
	for i, m := range msgs {
		if i == n {
			fmt.Fprintf(&b, "\n          … and %d other messages", len(msgs)-n)
			break
		}
		fmt.Fprintf(&b, "\n          %6d× %s", r.errors[m], atelier.Truncate(m, 160))
	}
	return b.String()
}
