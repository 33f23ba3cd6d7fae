package engine

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func BenchmarkRenaultCompile(b *testing.B) {
	benchCompile(b, loadRenault(b))
}

// benchCompile compiles m repeatedly; cpu-ns/op is the process's CPU time per compile (the
// garbage collector's included), which other processes on a shared machine do not inflate.
func benchCompile(b *testing.B, m Model) {
	b.ReportAllocs()
	var c *Compiled
	var cpu time.Duration
	n := 0
	for b.Loop() {
		c0 := processCPU()
		var err error
		c, err = Compile(m)
		require.NoError(b, err)
		cpu += processCPU() - c0
		n++
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/op")
	b.ReportMetric(float64(c.Stats().Nodes), "nodes")
	b.ReportMetric(float64(c.Stats().Edges), "edges")
}

// renaultStepSelections are one-selection steps cycling over several groups.
func renaultStepSelections(m Model) [][]Selection {
	var out [][]Selection
	for _, gi := range []int{0, 4, 13, 40, 80} {
		g := m.Groups[gi]
		out = append(out, []Selection{{g.Key, g.Options[len(g.Options)-1].Key}})
	}
	return out
}

func BenchmarkRenaultStep(b *testing.B) {
	m := loadRenault(b)
	c, err := Compile(m)
	require.NoError(b, err)
	steps := renaultStepSelections(m)
	var res Result
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		require.NoError(b, c.PropagateInto(&res, steps[i%len(steps)]))
		i++
	}
	b.ReportMetric(float64(c.Stats().Nodes), "nodes")
}

func BenchmarkRenaultStepReference(b *testing.B) {
	m := loadRenault(b)
	ref := newRefCSP(m, nil)
	steps := renaultStepSelections(m)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		// Valid domains only: counting 2.8e12 solutions by search is out of reach.
		ref.states(steps[i%len(steps)])
		i++
	}
}

var demoSteps = [][]Selection{
	{{"leather", "alligator"}},
	{{"lug", "20"}, {"leather", "calf"}, {"colour", "tan"}},
	{{"hardware", "titanium"}, {"wrist", "200"}, {"monogram", FilledKey}},
	{{"extras", "quick-release"}, {"stitching", "red"}},
}

func BenchmarkDemoStep(b *testing.B) {
	c := compileDemo(b)
	var res Result
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		require.NoError(b, c.PropagateInto(&res, demoSteps[i%len(demoSteps)]))
		i++
	}
	b.ReportMetric(float64(c.Stats().Nodes), "nodes")
}

func BenchmarkDemoStepPropagate(b *testing.B) {
	c := compileDemo(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_, err := c.Propagate(demoSteps[i%len(demoSteps)])
		require.NoError(b, err)
		i++
	}
}

func BenchmarkDemoStepReference(b *testing.B) {
	m := demoModel()
	var exprs []Expr
	for _, r := range m.Rules {
		e, err := ParseRule(r.Expr)
		require.NoError(b, err)
		exprs = append(exprs, e)
	}
	ref := newRefCSP(m, exprs)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sel := demoSteps[i%len(demoSteps)]
		ref.states(sel)
		ref.count(sel)
		i++
	}
}

func BenchmarkDemoExplain(b *testing.B) {
	c := compileDemo(b)
	sel := []Selection{{"lug", "20"}, {"leather", "alligator"}, {"colour", "tan"}}
	b.ReportAllocs()
	for b.Loop() {
		_, err := c.Explain(sel, "stitching", "ivory")
		require.NoError(b, err)
	}
}

// largeModel is issue 18's shape: genModel(1, largeParams), compiled once per test binary.
var largeModel = sync.OnceValues(func() (Model, *Compiled) {
	m, _ := genModel(1, largeParams)
	c, err := Compile(m)
	if err != nil {
		panic(err)
	}
	return m, c
})

func BenchmarkLargeCompile(b *testing.B) {
	m, _ := genModel(1, largeParams)
	benchCompile(b, m)
}

// replaySessions replays customer sessions: each walks the groups in model order (a fixed
// group order), touches a group with probability 0.4 and picks one of its AVAILABLE values
// (none included), or, one time in twenty, an EXCLUDED one, which is dropped again at the
// next step (the customer takes the proposed fix). It returns the selections of every step.
func replaySessions(tb testing.TB, c *Compiled, m Model, sessions int, seed uint64) [][]Selection {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, 18))
	var steps [][]Selection
	for range sessions {
		var sel []Selection
		res, err := c.Propagate(nil)
		require.NoError(tb, err)
		for gi, g := range m.Groups {
			if r.Float64() >= 0.4 {
				continue
			}
			var avail, excl []string
			gr := res.Groups[gi]
			for _, o := range gr.Options {
				switch o.State {
				case StateAvailable:
					avail = append(avail, o.Key)
				case StateExcluded:
					excl = append(excl, o.Key)
				}
			}
			if !g.Required {
				switch gr.None {
				case StateAvailable:
					avail = append(avail, NoneKey)
				case StateExcluded:
					excl = append(excl, NoneKey)
				}
			}
			var pick string
			wrong := len(excl) > 0 && (len(avail) == 0 || r.IntN(20) == 0)
			switch {
			case wrong:
				pick = excl[r.IntN(len(excl))]
			case len(avail) > 0:
				pick = avail[r.IntN(len(avail))]
			default:
				continue
			}
			step := append(slices.Clone(sel), Selection{g.Key, pick})
			steps = append(steps, step)
			if !wrong {
				sel = step
				res, err = c.Propagate(sel)
				require.NoError(tb, err)
			}
		}
	}
	return steps
}

// BenchmarkLargeStep replays customer sessions on the large model; every step is one
// PropagateInto (the selection, every valid domain, the exact count). It reports the
// median, p99 and worst step in wall time and in the thread's CPU time (the machine is
// shared: a step preempted by another process shows in the first, not in the second).
func BenchmarkLargeStep(b *testing.B) {
	m, c := largeModel()
	steps := replaySessions(b, c, m, 20, 1)
	benchSteps(b, c, steps)
}

func benchSteps(b *testing.B, c *Compiled, steps [][]Selection) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var res Result
	wall := make([]time.Duration, 0, 1<<16)
	cpu := make([]time.Duration, 0, 1<<16)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		t0, c0 := time.Now(), threadCPU()
		require.NoError(b, c.PropagateInto(&res, steps[i%len(steps)]))
		cpu = append(cpu, threadCPU()-c0)
		wall = append(wall, time.Since(t0))
		i++
	}
	for _, x := range []struct {
		name string
		d    []time.Duration
	}{{"", wall}, {"cpu-", cpu}} {
		slices.Sort(x.d)
		b.ReportMetric(float64(x.d[len(x.d)/2].Nanoseconds()), x.name+"p50-ns")
		b.ReportMetric(float64(x.d[len(x.d)*99/100].Nanoseconds()), x.name+"p99-ns")
		b.ReportMetric(float64(x.d[len(x.d)-1].Nanoseconds()), x.name+"max-ns")
	}
	b.ReportMetric(float64(c.Stats().Nodes), "nodes")
}

// BenchmarkLargeStepReference is the same replay answered by the independent exact counter
// (variable elimination with math/big): the count only, not the valid domains.
func BenchmarkLargeStepReference(b *testing.B) {
	m, c := largeModel()
	steps := replaySessions(b, c, m, 20, 1)
	vm := newVEModel(m)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		vm.count(steps[i%len(steps)])
		i++
	}
}

// BenchmarkLargeExplain explains an excluded option in the middle of a replayed session on
// the large model, with the memo of minimal constraint sets cleared every time (the cost the
// first customer to meet that conflict pays).
func BenchmarkLargeExplain(b *testing.B) {
	m, c := largeModel()
	steps := replaySessions(b, c, m, 1, 1)
	sel := steps[len(steps)/2]
	res, err := c.Propagate(sel)
	require.NoError(b, err)
	var x Selection
	for gi, g := range res.Groups {
		for _, o := range g.Options {
			if o.State == StateExcluded && x.Group == "" {
				x = Selection{m.Groups[gi].Key, o.Key}
			}
		}
	}
	require.NotEmpty(b, x.Group, "no excluded option")
	b.ReportAllocs()
	for b.Loop() {
		c.minCons.Clear()
		c.minConsSize.Store(0)
		_, err := c.Explain(sel, x.Group, x.Option)
		require.NoError(b, err)
	}
}
