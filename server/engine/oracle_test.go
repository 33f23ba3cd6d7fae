package engine

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oracle answers every query by enumerating all configurations of a small model. It shares
// no code with the engine except the model types and Expr (it evaluates ASTs itself).
type oracle struct {
	m     Model
	keys  [][]string // non-MULTI: value keys (options, then none when optional)
	exprs []Expr
	// configs are all valid configurations: per group a value index (non-MULTI) or a
	// bitmask of chosen options (MULTI).
	configs [][]int
}

func newOracle(m Model, exprs []Expr) *oracle {
	o := &oracle{m: m, exprs: exprs}
	for _, g := range m.Groups {
		var keys []string
		switch g.Kind {
		case KindText:
			keys = []string{FilledKey}
		default:
			for _, op := range g.Options {
				keys = append(keys, op.Key)
			}
		}
		if !g.Required && g.Kind != KindMulti {
			keys = append(keys, NoneKey)
		}
		o.keys = append(o.keys, keys)
	}
	all := make([]int, len(m.Groups))
	aux := make([]int, len(m.Groups))
	var rec func(i int)
	rec = func(i int) {
		if i == len(all) {
			for gi, g := range m.Groups {
				if g.Kind == KindMulti {
					aux[gi] = popcount(all[gi])
				}
			}
			if o.valid(all, aux, nil) {
				o.configs = append(o.configs, slices.Clone(all))
			}
			return
		}
		n := len(o.keys[i])
		if m.Groups[i].Kind == KindMulti {
			n = 1 << len(m.Groups[i].Options)
		}
		for v := range n {
			all[i] = v
			rec(i + 1)
		}
	}
	rec(0)
	return o
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

func (o *oracle) gidx(key string) int {
	for i, g := range o.m.Groups {
		if g.Key == key {
			return i
		}
	}
	panic("oracle: unknown group " + key)
}

// atom reports whether group gi "is" key in cfg (MULTI: key chosen, or nothing chosen for
// none as judged by the group's count aux[gi]).
func (o *oracle) atom(cfg, aux []int, gi int, key string) bool {
	g := o.m.Groups[gi]
	if g.Kind == KindMulti {
		if key == NoneKey {
			return aux[gi] == 0
		}
		for i, op := range g.Options {
			if op.Key == key {
				return cfg[gi]&(1<<i) != 0
			}
		}
		panic("oracle: unknown option")
	}
	return o.keys[gi][cfg[gi]] == key
}

func (o *oracle) eval(e Expr, cfg, aux []int) bool {
	switch x := e.(type) {
	case *Lit:
		return x.Value
	case *Not:
		return !o.eval(x.X, cfg, aux)
	case *Binary:
		l, r := o.eval(x.L, cfg, aux), o.eval(x.R, cfg, aux)
		switch x.Op {
		case OpAnd:
			return l && r
		case OpOr:
			return l || r
		case OpImplies:
			return !l || r
		}
		return l == r
	case *Cmp:
		gi := o.gidx(x.Group)
		any := false
		for _, k := range x.Options {
			if o.atom(cfg, aux, gi, k) {
				any = true
			}
		}
		if x.Op == OpNeq || x.Op == OpNotIn {
			return !any
		}
		return any
	}
	panic("oracle: bad expr")
}

// valid checks cfg against all constraints, or only those in subset (by id) when non-nil.
func (o *oracle) valid(cfg, aux []int, subset map[string]bool) bool {
	in := func(id string) bool { return subset == nil || subset[id] }
	for gi, g := range o.m.Groups {
		if g.Kind != KindMulti || !in("count:"+g.Key) {
			continue
		}
		n := popcount(cfg[gi])
		if aux[gi] != n {
			return false
		}
		hi := g.MaxSelect
		if hi <= 0 || hi > len(g.Options) {
			hi = len(g.Options)
		}
		if !(n == 0 && !g.Required) && (n < max(g.MinSelect, 1) || n > hi) {
			return false
		}
	}
	for i, r := range o.m.Rules {
		if in(r.ID) && !o.eval(o.exprs[i], cfg, aux) {
			return false
		}
	}
	for _, t := range o.m.Tables {
		if !in(t.ID) {
			continue
		}
		match := false
		for _, tu := range t.Tuples {
			ok := true
			for j, k := range tu {
				if !o.atom(cfg, aux, o.gidx(t.Scope[j]), k) {
					ok = false
					break
				}
			}
			if ok {
				match = true
				break
			}
		}
		if match == t.Conflicts {
			return false
		}
	}
	return true
}

func (o *oracle) auxOf(cfg []int) []int {
	aux := make([]int, len(cfg))
	for gi, g := range o.m.Groups {
		if g.Kind == KindMulti {
			aux[gi] = popcount(cfg[gi])
		}
	}
	return aux
}

func (o *oracle) sat(cfg []int, sel []Selection) bool {
	aux := o.auxOf(cfg)
	for _, s := range sel {
		if !o.atom(cfg, aux, o.gidx(s.Group), s.Option) {
			return false
		}
	}
	return true
}

func (o *oracle) count(sel []Selection) int {
	n := 0
	for _, cfg := range o.configs {
		if o.sat(cfg, sel) {
			n++
		}
	}
	return n
}

func (o *oracle) state(sel []Selection, group, option string) State {
	if slices.Contains(sel, Selection{group, option}) {
		return StateSelected
	}
	with := o.count(append(slices.Clone(sel), Selection{group, option}))
	switch {
	case with == 0:
		return StateExcluded
	case with == o.count(sel):
		return StateForced
	}
	return StateAvailable
}

func (o *oracle) complete(sel []Selection) bool {
	cfg := make([]int, len(o.m.Groups))
	for gi, g := range o.m.Groups {
		var mine []string
		for _, s := range sel {
			if s.Group == g.Key {
				mine = append(mine, s.Option)
			}
		}
		if g.Kind == KindMulti {
			for i, op := range g.Options {
				if slices.Contains(mine, op.Key) {
					cfg[gi] |= 1 << i
				}
			}
			continue
		}
		key := NoneKey
		if len(mine) > 0 {
			key = mine[0]
		} else if g.Required {
			return false
		}
		cfg[gi] = slices.Index(o.keys[gi], key)
	}
	aux := o.auxOf(cfg)
	return o.valid(cfg, aux, nil) && o.sat(cfg, sel)
}

// satSubset reports whether some configuration with free counts satisfies the literals
// under only the given constraints (the semantics of Explain's rule sets).
func (o *oracle) satSubset(sel []Selection, subset map[string]bool) bool {
	cfg := make([]int, len(o.m.Groups))
	aux := make([]int, len(o.m.Groups))
	var rec func(i int) bool
	rec = func(i int) bool {
		if i == len(cfg) {
			if !o.valid(cfg, aux, subset) {
				return false
			}
			for _, s := range sel {
				if !o.atom(cfg, aux, o.gidx(s.Group), s.Option) {
					return false
				}
			}
			return true
		}
		g := o.m.Groups[i]
		if g.Kind != KindMulti {
			for v := range o.keys[i] {
				cfg[i] = v
				if rec(i + 1) {
					return true
				}
			}
			return false
		}
		for v := range 1 << len(g.Options) {
			for a := 0; a <= len(g.Options); a++ {
				cfg[i], aux[i] = v, a
				if rec(i + 1) {
					return true
				}
			}
		}
		return false
	}
	return rec(0)
}

// minDrop is the oracle for Resolve/Repair: try every subset of the soft selections.
func (o *oracle) minDrop(sel []Selection, soft []bool, target *Selection) (dropped []int, ok bool) {
	var idx []int
	for i, s := range soft {
		if s {
			idx = append(idx, i)
		}
	}
	bestN, bestMask := -1, new(big.Int)
	for sub := 0; sub < 1<<len(idx); sub++ {
		var keep []Selection
		mask := new(big.Int)
		n := 0
		for j, i := range idx {
			if sub&(1<<j) != 0 {
				mask.SetBit(mask, i, 1)
				n++
			} else {
				keep = append(keep, sel[i])
			}
		}
		if target != nil {
			keep = append(keep, *target)
		}
		if bestN >= 0 && (n > bestN || n == bestN && mask.Cmp(bestMask) >= 0) {
			continue
		}
		if o.count(keep) > 0 {
			bestN, bestMask = n, mask
		}
	}
	if bestN < 0 {
		return nil, false
	}
	for i := range sel {
		if bestMask.Bit(i) == 1 {
			dropped = append(dropped, i)
		}
	}
	return dropped, true
}

// --- random catalogs -------------------------------------------------------------------

type randCatalog struct {
	m     Model
	exprs []Expr
}

func randGroup(r *rand.Rand, i int) Group {
	g := Group{Key: fmt.Sprintf("g%d", i), Name: fmt.Sprintf("Group %d", i), Required: r.IntN(2) == 0}
	switch k := r.IntN(10); {
	case k < 4:
		g.Kind = KindSingle
	case k < 6:
		g.Kind = KindMulti
	case k < 8:
		g.Kind = KindText
	default:
		g.Kind = KindNumber
	}
	n := 1 + r.IntN(3)
	if g.Kind == KindMulti {
		n = 1 + r.IntN(3)
		g.MinSelect = r.IntN(3)
		g.MaxSelect = r.IntN(4)
	}
	if r.IntN(40) == 0 && g.Kind != KindText {
		n = 0 // occasionally an empty group
	}
	for j := range n {
		key := fmt.Sprintf("o%d", j)
		if g.Kind == KindNumber {
			key = strconv.Itoa(150 + 5*j)
		}
		g.Options = append(g.Options, Option{Key: key, Name: key})
	}
	return g
}

// valueKeysOf lists the keys usable in rules and selections for a group.
func valueKeysOf(g Group) []string {
	var keys []string
	if g.Kind == KindText {
		keys = []string{FilledKey}
	} else {
		for _, o := range g.Options {
			keys = append(keys, o.Key)
		}
	}
	if !g.Required {
		keys = append(keys, NoneKey)
	}
	return keys
}

func randAtom(r *rand.Rand, groups []Group) Expr {
	for range 50 {
		g := groups[r.IntN(len(groups))]
		keys := valueKeysOf(g)
		if len(keys) == 0 {
			continue
		}
		c := &Cmp{Group: g.Key, Op: CmpOp(r.IntN(4))}
		if c.Op == OpEq || c.Op == OpNeq {
			c.Options = []string{keys[r.IntN(len(keys))]}
		} else {
			for _, k := range keys {
				if r.IntN(2) == 0 {
					c.Options = append(c.Options, k)
				}
			}
			if len(c.Options) == 0 {
				c.Options = []string{keys[0]}
			}
		}
		return c
	}
	return &Lit{Value: true} // every group is empty
}

func randExpr(r *rand.Rand, groups []Group, depth int) Expr {
	if depth == 0 || r.IntN(3) == 0 {
		if r.IntN(25) == 0 {
			return &Lit{Value: r.IntN(2) == 0}
		}
		return randAtom(r, groups)
	}
	if r.IntN(6) == 0 {
		return &Not{X: randExpr(r, groups, depth-1)}
	}
	return &Binary{Op: BinOp(r.IntN(4)), L: randExpr(r, groups, depth-1),
		R: randExpr(r, groups, depth-1)}
}

func newRandCatalog(r *rand.Rand) randCatalog {
	var rc randCatalog
	ng := 2 + r.IntN(4)
	for i := range ng {
		rc.m.Groups = append(rc.m.Groups, randGroup(r, i))
	}
	for i := range r.IntN(4) {
		e := randExpr(r, rc.m.Groups, 2)
		rc.exprs = append(rc.exprs, e)
		rc.m.Rules = append(rc.m.Rules, Rule{ID: fmt.Sprintf("r%d", i), Expr: e.String(),
			Message: fmt.Sprintf("message of r%d", i)})
	}
	for i := range r.IntN(3) {
		t := Table{ID: fmt.Sprintf("t%d", i), Conflicts: r.IntN(3) != 0,
			Message: fmt.Sprintf("message of t%d", i)}
		var keys [][]string
		for range 1 + r.IntN(3) {
			g := rc.m.Groups[r.IntN(ng)]
			if k := valueKeysOf(g); len(k) > 0 {
				t.Scope = append(t.Scope, g.Key)
				keys = append(keys, k)
			}
		}
		for range r.IntN(10) {
			tu := make([]string, len(keys))
			for j, k := range keys {
				tu[j] = k[r.IntN(len(k))]
			}
			t.Tuples = append(t.Tuples, tu)
		}
		rc.m.Tables = append(rc.m.Tables, t)
	}
	return rc
}

func randSelections(r *rand.Rand, groups []Group, n int) []Selection {
	var sel []Selection
	for range n {
		g := groups[r.IntN(len(groups))]
		keys := valueKeysOf(g)
		if len(keys) == 0 {
			continue
		}
		sel = append(sel, Selection{g.Key, keys[r.IntN(len(keys))]})
	}
	return sel
}

// customerSelections mostly picks choices that keep the configuration consistent, like a
// customer following the AVAILABLE states, with an occasional conflicting one.
func customerSelections(r *rand.Rand, o *oracle, groups []Group, n int) []Selection {
	var sel []Selection
	for range n {
		for try := range 6 {
			cand := randSelections(r, groups, 1)
			if len(cand) == 0 {
				continue
			}
			next := append(slices.Clone(sel), cand[0])
			if try == 5 || r.IntN(8) == 0 || o.count(next) > 0 {
				sel = next
				break
			}
		}
	}
	return sel
}

// --- property tests --------------------------------------------------------------------

func TestOracleRandomCatalogs(t *testing.T) {
	catalogs := 5000
	if testing.Short() {
		catalogs = 600
	} else if raceEnabled {
		catalogs = 1500
	}
	r := rand.New(rand.NewPCG(42, 7))
	var st oracleStats
	defer func() { t.Logf("%+v", st) }()
	for ci := range catalogs {
		rc := newRandCatalog(r)
		c, err := Compile(rc.m)
		require.NoError(t, err, "catalog %d: %+v", ci, rc.m)
		o := newOracle(rc.m, rc.exprs)
		for si := range 4 {
			sel := customerSelections(r, o, rc.m.Groups, r.IntN(6))
			name := fmt.Sprintf("catalog %d selection %d: %v", ci, si, sel)
			checkStep(t, c, o, rc, sel, r, name, &st)
		}
		if t.Failed() {
			t.Logf("model: %+v", rc.m)
			return
		}
	}
}

// oracleStats shows that the random catalogs exercise every case.
type oracleStats struct {
	Steps, Consistent, Complete, Explained, WithRules, Resolved, Dropping int
}

func checkStep(t *testing.T, c *Compiled, o *oracle, rc randCatalog, sel []Selection,
	r *rand.Rand, name string, st *oracleStats,
) {
	t.Helper()
	st.Steps++
	res, err := c.Propagate(sel)
	require.NoError(t, err, name)
	want := o.count(sel)
	require.Equal(t, int64(want), res.Count.Int64(), name+": count")
	n, err := c.Count(sel)
	require.NoError(t, err)
	require.Equal(t, int64(want), n.Int64(), name+": Count")
	require.Equal(t, want > 0, res.Consistent, name+": consistent")
	require.Equal(t, o.complete(sel), res.Complete, name+": complete")
	if res.Consistent {
		st.Consistent++
	}
	if res.Complete {
		st.Complete++
	}

	var excluded []Selection
	for gi, g := range rc.m.Groups {
		gr := res.Groups[gi]
		require.Equal(t, g.Key, gr.Key)
		keys := valueKeysOf(g)
		for _, k := range keys {
			st := gr.None
			if k != NoneKey {
				i := slices.IndexFunc(gr.Options, func(x OptionResult) bool { return x.Key == k })
				require.GreaterOrEqual(t, i, 0, name)
				st = gr.Options[i].State
			}
			require.Equal(t, o.state(sel, g.Key, k), st, "%s: state of %s=%s", name, g.Key, k)
			if st == StateExcluded {
				excluded = append(excluded, Selection{g.Key, k})
			}
		}
	}
	if len(excluded) > 0 {
		x := excluded[r.IntN(len(excluded))]
		for range 3 {
			if o.count([]Selection{x}) > 0 {
				break // prefer options that some change of selections makes possible
			}
			x = excluded[r.IntN(len(excluded))]
		}
		ex := checkExplain(t, c, o, sel, x, name)
		st.Explained++
		if len(ex.Rules) > 0 && len(ex.Selections) > 0 {
			st.WithRules++
		}
		if res := checkResolve(t, c, o, sel, x, name); res != nil {
			st.Resolved++
			if len(res.Dropped) > 0 {
				st.Dropping++
			}
		}
	}
	if len(rc.m.Groups) > 0 {
		checkRepair(t, c, o, sel, name)
		ga := rc.m.Groups[r.IntN(len(rc.m.Groups))]
		gb := rc.m.Groups[r.IntN(len(rc.m.Groups))]
		mx, err := c.Matrix(sel, ga.Key, gb.Key)
		require.NoError(t, err)
		require.Equal(t, valueKeysOf(ga), nilIfEmpty(mx.A), name)
		for i, a := range mx.A {
			for j, b := range mx.B {
				want := o.count(append(slices.Clone(sel), Selection{ga.Key, a},
					Selection{gb.Key, b})) > 0
				require.Equal(t, want, mx.Allowed[i][j], "%s: matrix %s=%s %s=%s", name,
					ga.Key, a, gb.Key, b)
			}
		}
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func checkExplain(t *testing.T, c *Compiled, o *oracle, sel []Selection, x Selection,
	name string,
) *Explanation {
	t.Helper()
	ex, err := c.Explain(sel, x.Group, x.Option)
	require.NoError(t, err, name)
	with := func(s []Selection) []Selection { return append(slices.Clone(s), x) }
	require.Zero(t, o.count(with(ex.Selections)), "%s: explanation %v must exclude %v",
		name, ex.Selections, x)
	for i := range ex.Selections {
		rest := slices.Delete(slices.Clone(ex.Selections), i, i+1)
		require.NotZero(t, o.count(with(rest)), "%s: explanation %v of %v not minimal",
			name, ex.Selections, x)
	}
	for _, s := range ex.Selections {
		require.Contains(t, sel, s)
	}
	subset := map[string]bool{}
	for _, rr := range ex.Rules {
		subset[rr.ID] = true
	}
	require.False(t, o.satSubset(with(ex.Selections), subset),
		"%s: rules %v do not exclude %v with %v", name, ex.Rules, x, ex.Selections)
	for _, rr := range ex.Rules {
		delete(subset, rr.ID)
		require.True(t, o.satSubset(with(ex.Selections), subset),
			"%s: rules %v not minimal for %v", name, ex.Rules, x)
		subset[rr.ID] = true
	}
	return ex
}

func replacedByOracle(m Model, sel []Selection, x Selection) []bool {
	soft := make([]bool, len(sel))
	var multi bool
	for _, g := range m.Groups {
		if g.Key == x.Group {
			multi = g.Kind == KindMulti
		}
	}
	for i, s := range sel {
		soft[i] = true
		if s.Group == x.Group {
			if !multi && s.Option != x.Option {
				soft[i] = false
			}
			if multi && (s.Option == NoneKey) != (x.Option == NoneKey) {
				soft[i] = false
			}
		}
	}
	return soft
}

func checkResolve(t *testing.T, c *Compiled, o *oracle, sel []Selection, x Selection,
	name string,
) *Resolution {
	t.Helper()
	soft := replacedByOracle(o.m, sel, x)
	want, ok := o.minDrop(sel, soft, &x)
	res, err := c.Resolve(sel, x.Group, x.Option)
	if !ok {
		require.ErrorIs(t, err, ErrImpossible, name)
		return nil
	}
	require.NoError(t, err, name)
	var wantDropped, wantKept []Selection
	for i, s := range sel {
		switch {
		case !soft[i]:
		case slices.Contains(want, i):
			wantDropped = append(wantDropped, s)
		default:
			wantKept = append(wantKept, s)
		}
	}
	assert.Equal(t, wantDropped, nilIfEmptySel(res.Dropped), "%s: resolve %v dropped", name, x)
	assert.Equal(t, wantKept, nilIfEmptySel(res.Kept), "%s: resolve %v kept", name, x)
	require.NotZero(t, o.count(append(slices.Clone(res.Kept), x)), name)
	return res
}

func nilIfEmptySel(s []Selection) []Selection {
	if len(s) == 0 {
		return nil
	}
	return s
}

func checkRepair(t *testing.T, c *Compiled, o *oracle, sel []Selection, name string) {
	t.Helper()
	soft := make([]bool, len(sel))
	for i := range soft {
		soft[i] = true
	}
	want, ok := o.minDrop(sel, soft, nil)
	res, err := c.Repair(sel)
	if !ok {
		require.ErrorIs(t, err, ErrImpossible, name)
		return
	}
	require.NoError(t, err, name)
	var wantDropped []Selection
	for _, i := range want {
		wantDropped = append(wantDropped, sel[i])
	}
	require.Equal(t, wantDropped, nilIfEmptySel(res.Dropped), "%s: repair", name)
	require.Equal(t, len(sel), len(res.Kept)+len(res.Dropped))
}

func TestLintAgainstOracle(t *testing.T) {
	catalogs := 2000
	if testing.Short() {
		catalogs = 200
	} else if raceEnabled {
		catalogs = 600
	}
	r := rand.New(rand.NewPCG(11, 13))
	findings := 0
	for ci := range catalogs {
		rc := newRandCatalog(r)
		c, err := Compile(rc.m)
		require.NoError(t, err)
		o := newOracle(rc.m, rc.exprs)
		var got, want []string
		for _, f := range c.Lint() {
			if f.Code != "CONTRADICTORY_RULES" {
				got = append(got, f.Code+" "+f.Group+" "+f.Option+" "+f.RuleID)
			}
		}
		for _, g := range rc.m.Groups {
			if g.Required && g.Kind != KindText && len(g.Options) == 0 {
				want = append(want, "EMPTY_REQUIRED_GROUP "+g.Key+"  ")
			}
		}
		if len(o.configs) == 0 {
			want = append(want, "NO_VALID_CONFIGURATION   ")
		} else {
			for _, g := range rc.m.Groups {
				keys := valueKeysOf(g)
				for _, k := range keys {
					if k == NoneKey {
						continue
					}
					switch n := o.count([]Selection{{g.Key, k}}); {
					case n == 0:
						want = append(want, "DEAD_OPTION "+g.Key+" "+k+" ")
					case n == len(o.configs) && (g.Kind == KindMulti || len(keys) > 1):
						want = append(want, "ALWAYS_FORCED "+g.Key+" "+k+" ")
					}
				}
			}
			for i, rule := range rc.m.Rules {
				m := rc.m
				m.Rules = slices.Delete(slices.Clone(m.Rules), i, i+1)
				exprs := slices.Delete(slices.Clone(rc.exprs), i, i+1)
				if len(newOracle(m, exprs).configs) == len(o.configs) {
					want = append(want, "REDUNDANT_RULE   "+rule.ID)
				}
			}
			for i, tb := range rc.m.Tables {
				m := rc.m
				m.Tables = slices.Delete(slices.Clone(m.Tables), i, i+1)
				if len(newOracle(m, rc.exprs).configs) == len(o.configs) {
					want = append(want, "REDUNDANT_RULE   "+tb.ID)
				}
			}
		}
		require.Equal(t, want, got, "catalog %d: %+v", ci, rc.m)
		findings += len(got)
	}
	t.Logf("%d catalogs, %d findings", catalogs, findings)
}
