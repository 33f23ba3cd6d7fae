package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"
)

// maxSteps is how many choices a customer makes before starting over when not yet complete.
const maxSteps = 12

// window is the measured interval: a step counts when it starts and ends inside it.
type window struct {
	start, end time.Time
}

func (w window) holds(start, end time.Time) bool {
	return !start.Before(w.start) && !end.After(w.end)
}

// result is what one worker measured.
type result struct {
	hist *Histogram
	// late is, in an open loop, how long after its arrival time each step's request was sent:
	// the load generator's own delay, counted in the latency.
	late   *Histogram
	ops    map[string]uint64
	errors map[string]uint64
	bytes  uint64
	// samples are a few whole step responses, for sizing the ceiling's body.
	samples [][]byte
}

func newResult() *result {
	return &result{hist: NewHistogram(), late: NewHistogram(), ops: map[string]uint64{},
		errors: map[string]uint64{}}
}

func (r *result) merge(o *result) {
	r.hist.Merge(o.hist)
	r.late.Merge(o.late)
	for k, v := range o.ops {
		r.ops[k] += v
	}
	for k, v := range o.errors {
		r.errors[k] += v
	}
	r.bytes += o.bytes
	r.samples = append(r.samples, o.samples...)
}

func (r *result) errorCount() uint64 {
	var n uint64
	for _, v := range r.errors {
		n += v
	}
	return n
}

// customer is one virtual customer: it owns one configuration session and keeps changing it.
type customer struct {
	p       *poster
	product *product
	rng     *rand.Rand
	win     window
	res     *result
	// keepSamples makes this customer keep some whole responses for the ceiling.
	keepSamples bool
	// sched gives the open-loop arrival times; nil: closed loop, each step right after the last.
	sched *schedule

	cfg   *configuration
	steps int
	resp  stepResponse
}

// run starts a configuration and makes configure steps until ctx ends (or, in an open loop,
// the arrivals do).
func (c *customer) run(ctx context.Context) {
	for {
		due, ok := c.sched.next(ctx)
		if !ok {
			return
		}
		if c.sched == nil {
			due = time.Time{}
		}
		if c.cfg == nil {
			c.step(ctx, due, opStart, map[string]any{"productId": c.product.ID, "quantity": 1})
			continue
		}
		op, vars := c.next()
		c.step(ctx, due, op, vars)
	}
}

// next picks the next step: a random available option of a random group, or a reset when the
// configuration is complete, nothing is left to choose, or after maxSteps choices.
func (c *customer) next() (string, map[string]any) {
	base := map[string]any{"configurationId": c.cfg.ID, "version": c.cfg.Version}
	if c.cfg.Complete || c.steps >= maxSteps {
		return opReset, map[string]any{"input": base}
	}
	type move struct{ group, option, kind string }
	var groups [][]move
	for _, g := range c.cfg.Groups {
		var moves []move
		switch g.Group.Kind {
		case "TEXT":
			continue
		case "NUMBER":
			for _, o := range g.Options {
				if o.State == "AVAILABLE" || o.State == "FORCED" {
					moves = append(moves, move{g.Group.Key, o.Option.Key, g.Group.Kind})
				}
			}
			if len(g.Options) == 0 {
				// No listed values: any value on the catalog's steps.
				cg := c.product.Groups[g.Group.Key]
				if n := (cg.NumberMax-cg.NumberMin)/max(cg.Step, 1) + 1; n > 0 {
					v := cg.NumberMin + c.rng.IntN(n)*max(cg.Step, 1)
					moves = append(moves, move{g.Group.Key, strconv.Itoa(v), g.Group.Kind})
				}
			}
		default:
			for _, o := range g.Options {
				if o.State == "AVAILABLE" || o.State == "FORCED" {
					moves = append(moves, move{g.Group.Key, o.Option.Key, g.Group.Kind})
				}
			}
		}
		if len(moves) > 0 {
			groups = append(groups, moves)
		}
	}
	if len(groups) == 0 {
		return opReset, map[string]any{"input": base}
	}
	moves := groups[c.rng.IntN(len(groups))]
	m := moves[c.rng.IntN(len(moves))]
	base["group"] = m.group
	if m.kind == "NUMBER" {
		if v, ok := numberValue(m.option); ok {
			base["value"] = v
			return opNumber, map[string]any{"input": base}
		}
	}
	base["option"] = m.option
	return opSelect, map[string]any{"input": base}
}

// step runs one configure step, records it when it falls inside the window, and recovers from an
// error by re-reading the configuration. The latency runs from due, the step's arrival time in
// an open loop (zero: from sending the request).
func (c *customer) step(ctx context.Context, due time.Time, op string, vars map[string]any) {
	if op == opStart {
		vars = map[string]any{"input": vars}
	}
	start := time.Now()
	elapsed, err := c.p.do(ctx, op, vars, &c.resp)
	end := start.Add(elapsed)
	sent := start
	if !due.IsZero() {
		start, elapsed = due, end.Sub(due)
	}
	if ctx.Err() != nil {
		// The run ended mid-request: neither a step nor an error.
		return
	}
	if err != nil {
		// Errors count in the warm-up too: a run with any error must show it.
		c.res.errors[op+": "+err.Error()]++
		c.recover(ctx, err)
		return
	}
	c.cfg = c.resp.config()
	switch op {
	case opReset, opStart:
		c.steps = 0
	default:
		c.steps++
	}
	if !c.win.holds(start, end) {
		return
	}
	c.res.hist.Record(elapsed)
	if !due.IsZero() {
		c.res.late.Record(sent.Sub(due))
	}
	c.res.ops[op]++
	c.res.bytes += uint64(len(c.p.body))
	// Only selectOption bodies: the ceiling decodes its body as one.
	if c.keepSamples && op == opSelect && c.res.ops[op]%10 == 1 && len(c.res.samples) < 64 {
		c.res.samples = append(c.res.samples, append([]byte(nil), c.p.body...))
	}
}

// recover brings the customer back in step with the server after a failed step.
func (c *customer) recover(ctx context.Context, err error) {
	if c.cfg == nil {
		// startConfiguration failed: back off a little so a broken server is not hammered.
		sleep(ctx, 10*time.Millisecond)
		return
	}
	if _, ok := conflict(err); !ok {
		sleep(ctx, time.Millisecond)
	}
	_, rerr := c.p.do(ctx, opRead, map[string]any{"id": c.cfg.ID}, &c.resp)
	if rerr != nil {
		if ctx.Err() == nil {
			c.res.errors[opRead+" (recovery): "+rerr.Error()]++
		}
		// Start over with a new session.
		c.cfg = nil
		return
	}
	c.cfg = c.resp.config()
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// newWindow is a measured interval that starts after warmup and lasts duration.
func newWindow(warmup, duration time.Duration) window {
	now := time.Now()
	return window{start: now.Add(warmup), end: now.Add(warmup + duration)}
}

// drive runs n workers made by newWorker until the window ends and merges what they measured.
func drive(ctx context.Context, n int, w window,
	newWorker func(i int, res *result) func(ctx context.Context),
) (*result, error) {
	if n < 1 {
		return nil, errors.New("need at least one client")
	}
	ctx, cancel := context.WithDeadline(ctx, w.end)
	defer cancel()
	results := make([]*result, n)
	var wg sync.WaitGroup
	for i := range n {
		results[i] = newResult()
		work := newWorker(i, results[i])
		wg.Go(func() { work(ctx) })
	}
	wg.Wait()
	total := newResult()
	for _, r := range results {
		total.merge(r)
	}
	if parent := context.Cause(ctx); parent != nil && !errors.Is(parent, context.DeadlineExceeded) {
		return total, fmt.Errorf("run interrupted: %w", parent)
	}
	return total, nil
}

// cpuUse is the CPU time processes used during a window.
type cpuUse struct {
	// server is the server's, when the load generator started it; self is the load generator's.
	server, self time.Duration
	ok           bool
}

// measureCPU samples the CPU time of serverPID (0: none) and of this process at the window's
// start and end; read the result after the window has ended and wait has been called.
func measureCPU(ctx context.Context, w window, serverPID int) (wait func() cpuUse) {
	done := make(chan cpuUse, 1)
	go func() {
		sample := func() (srv, self time.Duration, err error) {
			if serverPID != 0 {
				if srv, err = processCPU(serverPID); err != nil {
					return
				}
			}
			self, err = processCPU(0)
			return
		}
		var u cpuUse
		sleep(ctx, time.Until(w.start))
		s0, m0, err0 := sample()
		sleep(ctx, time.Until(w.end))
		s1, m1, err1 := sample()
		if err0 == nil && err1 == nil && ctx.Err() == nil {
			u = cpuUse{server: s1 - s0, self: m1 - m0, ok: true}
		}
		done <- u
	}()
	return func() cpuUse { return <-done }
}

// newRand gives customer i of a run its own reproducible random choices.
func newRand(seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(i)))
}
