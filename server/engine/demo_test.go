package engine

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func opts(keys ...string) []Option {
	out := make([]Option, len(keys))
	for i, k := range keys {
		out[i] = Option{Key: k, Name: k}
	}
	return out
}

// demoModel is a watch-strap catalog shaped like the demo seed.
func demoModel() Model {
	var wrist []Option
	for mm := 150; mm <= 200; mm += 5 {
		k := strconv.Itoa(mm)
		wrist = append(wrist, Option{Key: k, Name: k + " mm"})
	}
	return Model{
		Groups: []Group{
			{Key: "lug", Name: "Lug width", Required: true, Options: opts("18", "20", "22", "24")},
			{Key: "leather", Name: "Leather", Required: true,
				Options: opts("calf", "shell-cordovan", "alligator", "suede", "canvas")},
			{Key: "colour", Name: "Colour", Required: true,
				Options: opts("black", "tan", "navy", "burgundy", "olive", "grey")},
			{Key: "stitching", Name: "Stitching",
				Options: opts("natural", "black", "ivory", "red", "navy")},
			{Key: "hardware", Name: "Hardware", Required: true,
				Options: opts("steel", "gold", "black-pvd", "titanium")},
			{Key: "buckle", Name: "Buckle", Required: true,
				Options: opts("pin", "deployant", "butterfly")},
			{Key: "wrist", Name: "Wrist size", Kind: KindNumber, Required: true, Options: wrist},
			{Key: "monogram", Name: "Monogram", Kind: KindText},
			{Key: "edge", Name: "Edge", Required: true,
				Options: opts("painted", "burnished", "folded")},
			{Key: "extras", Name: "Extras", Kind: KindMulti, MaxSelect: 2,
				Options: opts("quick-release", "keeper-loop", "padding")},
		},
		Rules: []Rule{
			{ID: "alligator-painted", Expr: "leather = alligator -> edge = painted",
				Message: "Alligator straps have painted edges"},
			{ID: "painted-no-ivory", Expr: "edge = painted -> stitching != ivory",
				Message: "Ivory thread does not take edge paint"},
			{ID: "shell-colours", Expr: "leather = shell-cordovan -> colour in {burgundy, black, tan}",
				Message: "Shell cordovan comes in burgundy, black or tan"},
			{ID: "suede-edge", Expr: "leather = suede -> edge != burnished",
				Message: "Suede cannot be burnished"},
			{ID: "suede-monogram", Expr: "leather = suede -> monogram = none",
				Message: "Suede cannot be embossed"},
			{ID: "deployant-lug", Expr: "buckle = deployant -> lug in {20, 22, 24}",
				Message: "Deployant clasps need a lug of 20 mm or more"},
			{ID: "gold-olive", Expr: "hardware = gold -> colour != olive",
				Message: "Gold hardware is not offered with olive"},
			{ID: "canvas-folded", Expr: "leather = canvas <-> edge = folded",
				Message: "Canvas straps, and only they, have folded edges"},
			{ID: "folded-buckle", Expr: "edge = folded -> buckle != butterfly",
				Message: "Folded edges do not fit a butterfly clasp"},
			{ID: "large-wrist", Expr: "wrist in {195, 200} -> buckle != butterfly",
				Message: "Butterfly clasps stop at 190 mm"},
			{ID: "red-stitching", Expr: "stitching = red -> colour in {black, navy, grey}",
				Message: "Red thread only on dark leathers"},
			{ID: "padding-suede", Expr: "extras = padding -> not (leather = suede)",
				Message: "Suede is not padded"},
			{ID: "titanium-buckle", Expr: "hardware = titanium -> buckle in {pin, deployant}",
				Message: "Titanium comes as pin buckle or deployant"},
			{ID: "monogram-leather",
				Expr:    "monogram = filled -> leather in {calf, shell-cordovan, alligator}",
				Message: "Monograms are embossed on calf, shell or alligator"},
			{ID: "quick-release-lug", Expr: "extras = quick-release -> lug != 24",
				Message: "Quick-release bars stop at 22 mm"},
		},
		Tables: []Table{
			{ID: "suede-colours", Scope: []string{"leather", "colour"}, Conflicts: true,
				Tuples:  [][]string{{"suede", "burgundy"}, {"suede", "black"}},
				Message: "Suede is not dyed burgundy or black"},
		},
	}
}

func compileDemo(tb testing.TB) *Compiled {
	tb.Helper()
	c, err := Compile(demoModel())
	require.NoError(tb, err)
	return c
}

func stateOfOption(t *testing.T, res *Result, group, option string) State {
	t.Helper()
	for _, g := range res.Groups {
		if g.Key != group {
			continue
		}
		if option == NoneKey {
			return g.None
		}
		for _, o := range g.Options {
			if o.Key == option {
				return o.State
			}
		}
	}
	t.Fatalf("no option %s=%s", group, option)
	return 0
}

func TestDemoAgainstOracle(t *testing.T) {
	m := demoModel()
	c := compileDemo(t)
	var exprs []Expr
	for _, r := range m.Rules {
		e, err := ParseRule(r.Expr)
		require.NoError(t, err)
		exprs = append(exprs, e)
	}
	ref := newRefCSP(m, exprs)
	n, err := c.Count(nil)
	require.NoError(t, err)
	require.Equal(t, int64(ref.count(nil)), n.Int64())
	for _, sel := range [][]Selection{
		nil,
		{{"leather", "alligator"}},
		{{"leather", "suede"}, {"extras", "quick-release"}},
		{{"hardware", "titanium"}, {"wrist", "200"}, {"monogram", FilledKey}},
	} {
		res, err := c.Propagate(sel)
		require.NoError(t, err)
		assert.Equal(t, ref.states(sel), engineStates(m, res), "%v", sel)
		assert.Equal(t, int64(ref.count(sel)), res.Count.Int64(), "%v", sel)
	}
}

func TestDemoChainedExclusion(t *testing.T) {
	c := compileDemo(t)
	sel := []Selection{{"lug", "20"}, {"leather", "alligator"}}
	res, err := c.Propagate(sel)
	require.NoError(t, err)
	// alligator -> painted edge -> no ivory thread: excluded only through two rules.
	require.Equal(t, StateExcluded, stateOfOption(t, res, "stitching", "ivory"))
	require.Equal(t, StateForced, stateOfOption(t, res, "edge", "painted"))
	require.Equal(t, StateAvailable, stateOfOption(t, res, "stitching", NoneKey))
	require.True(t, res.Consistent)
	require.False(t, res.Complete)

	ex, err := c.Explain(sel, "stitching", "ivory")
	require.NoError(t, err)
	require.Equal(t, []Selection{{"leather", "alligator"}}, ex.Selections)
	require.Equal(t, []RuleRef{
		{ID: "alligator-painted", Message: "Alligator straps have painted edges"},
		{ID: "painted-no-ivory", Message: "Ivory thread does not take edge paint"},
	}, ex.Rules)

	_, err = c.Explain(sel, "stitching", "red")
	require.ErrorIs(t, err, ErrNotExcluded)
}

func TestDemoResolve(t *testing.T) {
	c := compileDemo(t)
	tests := []struct {
		name          string
		sel           []Selection
		group, option string
		kept, dropped []Selection
	}{
		{
			name:  "replacing the same group is not a drop",
			sel:   []Selection{{"stitching", "ivory"}, {"leather", "calf"}},
			group: "leather", option: "alligator",
			kept:    []Selection{},
			dropped: []Selection{{"stitching", "ivory"}},
		},
		{
			name: "chained conflict drops the older choice",
			sel: []Selection{{"edge", "painted"}, {"lug", "24"},
				{"extras", "keeper-loop"}},
			group: "stitching", option: "ivory",
			kept:    []Selection{{"lug", "24"}, {"extras", "keeper-loop"}},
			dropped: []Selection{{"edge", "painted"}},
		},
		{
			name:  "ties keep the most recent choice",
			sel:   []Selection{{"colour", "burgundy"}, {"hardware", "titanium"}, {"wrist", "200"}},
			group: "buckle", option: "butterfly",
			kept:    []Selection{{"colour", "burgundy"}},
			dropped: []Selection{{"hardware", "titanium"}, {"wrist", "200"}},
		},
		{
			name:  "already possible",
			sel:   []Selection{{"lug", "22"}},
			group: "buckle", option: "deployant",
			kept:    []Selection{{"lug", "22"}},
			dropped: []Selection{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.Resolve(tc.sel, tc.group, tc.option)
			require.NoError(t, err)
			assert.Equal(t, tc.kept, r.Kept)
			assert.Equal(t, tc.dropped, r.Dropped)
		})
	}
	t.Run("tie between two single conflicts", func(t *testing.T) {
		// Both 18 mm lug and quick-release... choose a case with two one-drop fixes:
		// deployant needs lug >= 20; quick-release forbids 24. Selecting lug=24 conflicts
		// only with quick-release; selecting buckle=deployant with lug=18 only with the lug.
		sel := []Selection{{"extras", "quick-release"}, {"lug", "18"}}
		r, err := c.Resolve(sel, "buckle", "deployant")
		require.NoError(t, err)
		assert.Equal(t, []Selection{{"extras", "quick-release"}}, r.Kept)
		assert.Equal(t, []Selection{{"lug", "18"}}, r.Dropped)
	})
	t.Run("repair", func(t *testing.T) {
		sel := []Selection{{"leather", "suede"}, {"monogram", FilledKey}, {"colour", "tan"}}
		r, err := c.Repair(sel)
		require.NoError(t, err)
		assert.Equal(t, []Selection{{"monogram", FilledKey}, {"colour", "tan"}}, r.Kept)
		assert.Equal(t, []Selection{{"leather", "suede"}}, r.Dropped)
	})
}

func TestDemoDesignerQueries(t *testing.T) {
	c := compileDemo(t)
	t.Run("matrix", func(t *testing.T) {
		mx, err := c.Matrix(nil, "leather", "edge")
		require.NoError(t, err)
		require.Equal(t, []string{"calf", "shell-cordovan", "alligator", "suede", "canvas"}, mx.A)
		require.Equal(t, []string{"painted", "burnished", "folded"}, mx.B)
		require.Equal(t, [][]bool{
			{true, true, false},
			{true, true, false},
			{true, false, false},
			{true, false, false},
			{false, false, true},
		}, mx.Allowed)
	})
	t.Run("lint finds the rule implied by monogram-leather", func(t *testing.T) {
		fs := c.Lint()
		require.Len(t, fs, 1)
		assert.Equal(t, "REDUNDANT_RULE", fs[0].Code)
		assert.Equal(t, "suede-monogram", fs[0].RuleID)
	})
	t.Run("impact", func(t *testing.T) {
		im, err := c.Impact(Rule{ID: "no-gold", Expr: "hardware != gold", Message: "x"})
		require.NoError(t, err)
		require.Equal(t, 1, im.CountBefore.Cmp(im.CountAfter))
		require.Contains(t, im.Changes, Change{Group: "hardware", Option: "gold",
			Before: StateAvailable, After: StateExcluded})
		_, err = c.Impact(Rule{ID: "bad", Expr: "hardware = platinum"})
		require.ErrorContains(t, err, `"hardware.platinum": unknown option`)
	})
}

func TestLint(t *testing.T) {
	base := func() Model {
		return Model{Groups: []Group{
			{Key: "a", Required: true, Options: opts("x", "y", "z")},
			{Key: "b", Required: true, Options: opts("p", "q")},
			{Key: "c", Options: opts("u")},
		}}
	}
	tests := []struct {
		name  string
		edit  func(m *Model)
		codes []string
	}{
		{"clean", func(*Model) {}, nil},
		{"empty required group", func(m *Model) {
			m.Groups = append(m.Groups, Group{Key: "e", Required: true})
		}, []string{"EMPTY_REQUIRED_GROUP", "NO_VALID_CONFIGURATION"}},
		{"contradiction", func(m *Model) {
			m.Rules = []Rule{{ID: "r1", Expr: "a = x"}, {ID: "r2", Expr: "b = p -> c = u"},
				{ID: "r3", Expr: "a = x -> a = y"}}
		}, []string{"NO_VALID_CONFIGURATION", "CONTRADICTORY_RULES", "CONTRADICTORY_RULES"}},
		{"dead, forced and redundant", func(m *Model) {
			m.Rules = []Rule{{ID: "r1", Expr: "a != z"}, {ID: "r2", Expr: "b = q"},
				{ID: "r3", Expr: "a = z -> c = u"}}
		}, []string{"DEAD_OPTION", "DEAD_OPTION", "ALWAYS_FORCED", "REDUNDANT_RULE"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := base()
			tc.edit(&m)
			c, err := Compile(m)
			require.NoError(t, err)
			var codes []string
			for _, f := range c.Lint() {
				codes = append(codes, f.Code)
			}
			assert.Equal(t, tc.codes, codes)
		})
	}
}

func TestCompileErrors(t *testing.T) {
	g := []Group{{Key: "a", Required: true, Options: opts("x")}, {Key: "b", Options: opts("y")}}
	tests := []struct {
		name string
		m    Model
		want string
	}{
		{"unknown group", Model{Groups: g, Rules: []Rule{{ID: "r", Expr: "q = x"}}},
			`compiling model: rule "r": "q": unknown group`},
		{"unknown option", Model{Groups: g, Rules: []Rule{{ID: "r", Expr: "a = y"}}},
			`compiling model: rule "r": "a.y": unknown option`},
		{"none of required", Model{Groups: g, Rules: []Rule{{ID: "r", Expr: "a = none"}}},
			`compiling model: rule "r": "a.none": group is required and has no none value`},
		{"syntax", Model{Groups: g, Rules: []Rule{{ID: "r", Expr: "a = "}}},
			`compiling model: rule "r": parsing rule: line 1, column 5: expected option after '='`},
		{"table", Model{Groups: g, Tables: []Table{{ID: "t", Scope: []string{"a", "b"},
			Tuples: [][]string{{"x"}}}}},
			`compiling model: rule "t": tuple 0 has 1 values, scope has 2`},
		{"duplicate group", Model{Groups: append(g, g[0])},
			`compiling model: "a": duplicate group key`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(tc.m)
			require.EqualError(t, err, tc.want)
		})
	}
	var ie *InputError
	c, err := Compile(Model{Groups: g})
	require.NoError(t, err)
	_, err = c.Propagate([]Selection{{"a", "nope"}})
	require.ErrorAs(t, err, &ie)
	require.Equal(t, "a", ie.Group)
	require.Equal(t, "nope", ie.Option)
}
