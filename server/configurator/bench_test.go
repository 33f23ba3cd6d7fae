package configurator

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func BenchmarkRenaultCompile(b *testing.B) {
	m := loadRenault(b)
	b.ReportAllocs()
	var c *Catalog
	for b.Loop() {
		var err error
		c, err = Compile(m)
		require.NoError(b, err)
	}
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
