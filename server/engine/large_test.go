package engine

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// --- a seeded generator of large, tree-like configuration models ------------------------
//
// Models of the shape of industrial car configurators (issue 18): a few hundred groups,
// mostly binary, a few with hundreds of values, some optional (with "none"), and
// allowed-tuple tables of arity 2–12 whose scopes follow a tree of clusters, so that the
// constraint graph has treewidth at most maxArity-1. Every table keeps a planted
// configuration, so the model is consistent; the number of configurations is set by keep.

// genParams shapes a generated model.
type genParams struct {
	Vars, Tables int
	MaxArity     int     // largest cluster (and table scope)
	MaxCombos    int     // largest product of the domain sizes of a cluster
	BigDoms      []int   // domain sizes of the few large groups
	SmallFrac    float64 // fraction of groups with 3–8 values (the rest are binary)
	Optional     float64 // fraction of optional groups
	KeepLo       float64 // each table keeps a fraction in [KeepLo, KeepHi] of its tuples
	KeepHi       float64
	Conflicts    float64 // fraction of tables written as forbidden tuples
	Functional   float64 // fraction of tables where a few key groups determine the rest
	RowsPerKey   int     // a functional table allows 1..RowsPerKey rows per key combination
}

// largeParams is the shape of issue 18's model: 268 groups, 332 tables, a 324-value group.
var largeParams = genParams{
	Vars: 268, Tables: 332, MaxArity: 12, MaxCombos: 1 << 12,
	BigDoms:   []int{324, 120, 48, 30},
	SmallFrac: 0.1, Optional: 0.2, KeepLo: 0.55, KeepHi: 0.98, Conflicts: 0.05,
	Functional: 0.3, RowsPerKey: 32,
}

// genModel returns the seeded model and its planted configuration (value index per group:
// options first, then none).
func genModel(seed uint64, p genParams) (Model, []int) {
	r := rand.New(rand.NewPCG(seed, 0x18))
	dom := make([]int, p.Vars)
	for i := range dom {
		dom[i] = 2
		if r.Float64() < p.SmallFrac {
			dom[i] = 3 + r.IntN(6)
		}
	}
	for i, d := range p.BigDoms {
		dom[(i*7919+int(seed))%p.Vars] = d
	}
	var m Model
	for i, d := range dom {
		g := Group{Key: fmt.Sprintf("g%d", i), Name: fmt.Sprintf("Group %d", i), Kind: KindSingle,
			Required: r.Float64() >= p.Optional}
		n := d
		if !g.Required {
			n-- // the last value is none
		}
		for j := range n {
			g.Options = append(g.Options, Option{Key: fmt.Sprintf("o%d", j)})
		}
		m.Groups = append(m.Groups, g)
	}
	planted := make([]int, p.Vars)
	for i, d := range dom {
		planted[i] = r.IntN(d)
	}
	key := func(v, val int) string {
		if val == len(m.Groups[v].Options) {
			return NoneKey
		}
		return m.Groups[v].Options[val].Key
	}

	// Clusters: each new cluster takes a separator of 1–3 groups of a random earlier cluster
	// and fresh groups up to MaxArity groups and MaxCombos combinations.
	perm := r.Perm(p.Vars)
	var clusters [][]int
	next := 0
	for next < p.Vars {
		var cl []int
		prod := 1
		if len(clusters) > 0 {
			parent := clusters[r.IntN(len(clusters))]
			for _, j := range r.Perm(len(parent))[:min(len(parent), 1+r.IntN(3))] {
				if prod*dom[parent[j]] <= p.MaxCombos/2 {
					cl = append(cl, parent[j])
					prod *= dom[parent[j]]
				}
			}
		}
		fresh := 0
		for next < p.Vars && len(cl) < p.MaxArity {
			v := perm[next]
			if prod*dom[v] > p.MaxCombos && fresh > 0 {
				break
			}
			cl = append(cl, v)
			prod *= dom[v]
			next++
			fresh++
		}
		clusters = append(clusters, cl)
	}

	// Tables: one over every cluster, the rest over random sub-scopes of random clusters.
	for ti := range p.Tables {
		var scope []int
		if ti < len(clusters) {
			scope = slices.Clone(clusters[ti])
		} else {
			cl := clusters[r.IntN(len(clusters))]
			if len(cl) < 2 {
				cl = clusters[0]
			}
			k := 2 + r.IntN(min(len(cl), p.MaxArity)-1)
			for _, j := range r.Perm(len(cl))[:k] {
				scope = append(scope, cl[j])
			}
		}
		t := Table{ID: fmt.Sprintf("t%d", ti), Message: fmt.Sprintf("table %d", ti),
			Conflicts: r.Float64() < p.Conflicts}
		for _, v := range scope {
			t.Scope = append(t.Scope, m.Groups[v].Key)
		}
		keep := p.KeepLo + r.Float64()*(p.KeepHi-p.KeepLo)
		// Compiled tables are mostly functional: a few key groups (the first of the scope)
		// select which combinations of the others are allowed. Each kept combination of
		// the key admits one to three combinations of the rest; the planted one always.
		nkey := len(scope)
		if r.Float64() < p.Functional {
			nkey = 1 + r.IntN(min(3, len(scope)-1))
		}
		tu := make([]int, len(scope))
		add := func() {
			row := make([]string, len(scope))
			for k, v := range scope {
				row[k] = key(v, tu[k])
			}
			t.Tuples = append(t.Tuples, row)
		}
		var rows [][]int
		var rec func(j int, isPlanted bool)
		rec = func(j int, isPlanted bool) {
			if j == nkey {
				if !isPlanted && r.Float64() >= keep {
					return
				}
				seen := map[string]bool{}
				for n := range 1 + r.IntN(p.RowsPerKey) {
					for k := nkey; k < len(scope); k++ {
						tu[k] = r.IntN(dom[scope[k]])
						if isPlanted && n == 0 {
							tu[k] = planted[scope[k]]
						}
					}
					if s := fmt.Sprint(tu); !seen[s] {
						seen[s] = true
						rows = append(rows, slices.Clone(tu))
					}
				}
				return
			}
			for val := range dom[scope[j]] {
				tu[j] = val
				rec(j+1, isPlanted && val == planted[scope[j]])
			}
		}
		rec(0, true)
		if !t.Conflicts {
			for _, row := range rows {
				copy(tu, row)
				add()
			}
		} else {
			allowed := map[string]bool{}
			for _, row := range rows {
				allowed[fmt.Sprint(row)] = true
			}
			var all func(j int)
			all = func(j int) {
				if j == len(scope) {
					if !allowed[fmt.Sprint(tu)] {
						add()
					}
					return
				}
				for val := range dom[scope[j]] {
					tu[j] = val
					all(j + 1)
				}
			}
			all(0)
		}
		m.Tables = append(m.Tables, t)
	}
	return m, planted
}

// --- an independent exact counter: variable elimination along a min-fill order --------

// veModel is a model as factors over value indexes (options, then none), for counting.
type veModel struct {
	dom   []int
	index map[string]int // group key -> variable
	keys  [][]string     // per variable: value keys
	facs  []veFactor
	order []int // min-fill elimination order of the model's variables (lazily)
}

// veFactor is a function of its scope, row-major over the scope's domains.
type veFactor struct {
	vars []int
	vals []big.Int
}

// newVEModel turns a model of SINGLE/NUMBER groups and tables (no rules, no MULTI) into
// 0/1 factors. It shares no code with the engine.
func newVEModel(m Model) *veModel {
	vm := &veModel{index: make(map[string]int)}
	for i, g := range m.Groups {
		if g.Kind == KindMulti || g.Kind == KindText {
			panic("ve: only SINGLE and NUMBER groups")
		}
		var keys []string
		for _, o := range g.Options {
			keys = append(keys, o.Key)
		}
		if !g.Required {
			keys = append(keys, NoneKey)
		}
		vm.index[g.Key] = i
		vm.keys = append(vm.keys, keys)
		vm.dom = append(vm.dom, len(keys))
	}
	if len(m.Rules) > 0 {
		panic("ve: rules are not supported")
	}
	for _, t := range m.Tables {
		var vars []int
		for _, k := range t.Scope {
			vars = append(vars, vm.index[k])
		}
		if len(dedupeInts(vars)) != len(vars) {
			panic("ve: repeated group in a table scope")
		}
		f := veFactor{vars: vars, vals: make([]big.Int, vm.size(vars))}
		def := int64(0)
		if t.Conflicts {
			def = 1
		}
		for i := range f.vals {
			f.vals[i].SetInt64(def)
		}
		for _, tu := range t.Tuples {
			idx := 0
			for j, k := range tu {
				idx = idx*vm.dom[vars[j]] + slices.Index(vm.keys[vars[j]], k)
			}
			f.vals[idx].SetInt64(1 - def)
		}
		vm.facs = append(vm.facs, f)
	}
	return vm
}

func dedupeInts(v []int) []int {
	s := slices.Clone(v)
	slices.Sort(s)
	return slices.Compact(s)
}

func (vm *veModel) size(vars []int) int {
	n := 1
	for _, v := range vars {
		n *= vm.dom[v]
	}
	return n
}

// marginal returns, for variable keep (or -1), the number of valid configurations
// extending sel with each of its values (or the total, as a one-element slice).
func (vm *veModel) marginal(sel []Selection, keep int) []*big.Int {
	facs := slices.Clone(vm.facs)
	for _, s := range sel {
		v := vm.index[s.Group]
		f := veFactor{vars: []int{v}, vals: make([]big.Int, vm.dom[v])}
		f.vals[slices.Index(vm.keys[v], s.Option)].SetInt64(1)
		facs = append(facs, f)
	}
	// Variables in no factor contribute their domain size.
	inFac := make([]bool, len(vm.dom))
	for _, f := range facs {
		for _, v := range f.vars {
			inFac[v] = true
		}
	}
	free := big.NewInt(1)
	for v, ok := range inFac {
		if !ok && v != keep {
			free.Mul(free, big.NewInt(int64(vm.dom[v])))
		}
	}
	if vm.order == nil {
		vm.order = vm.minFill(vm.facs, -1)
	}
	// Selections add unary factors only: the constraint graph, hence the order, is the
	// model's; the kept variable goes last (a bag grows by at most that variable).
	var left []int // selected variables in no table
	for _, f := range facs {
		for _, v := range f.vars {
			if v != keep && !slices.Contains(vm.order, v) && !slices.Contains(left, v) {
				left = append(left, v)
			}
		}
	}
	for _, v := range append(slices.Clone(vm.order), left...) {
		if v == keep {
			continue
		}
		var with, rest []veFactor
		for _, f := range facs {
			if slices.Contains(f.vars, v) {
				with = append(with, f)
			} else {
				rest = append(rest, f)
			}
		}
		facs = append(rest, vm.eliminate(with, v))
	}
	out := []*big.Int{new(big.Int).Set(free)}
	if keep >= 0 {
		out = make([]*big.Int, vm.dom[keep])
		for i := range out {
			out[i] = new(big.Int).Set(free)
		}
	}
	for _, f := range facs {
		for i := range out {
			j := 0
			if len(f.vars) == 1 {
				j = i
			}
			out[i].Mul(out[i], &f.vals[j])
		}
	}
	return out
}

// count returns the number of valid configurations extending sel.
// (Variables of selections that are in no table still count: their unary factor remains.)
func (vm *veModel) count(sel []Selection) *big.Int { return vm.marginal(sel, -1)[0] }

// minFill orders the variables of the factors (all but keep) by the min-fill heuristic.
func (vm *veModel) minFill(facs []veFactor, keep int) []int {
	adj := make(map[int]map[int]bool)
	for _, f := range facs {
		for _, a := range f.vars {
			if adj[a] == nil {
				adj[a] = make(map[int]bool)
			}
			for _, b := range f.vars {
				if a != b {
					adj[a][b] = true
				}
			}
		}
	}
	var order []int
	for len(adj) > 0 && !(len(adj) == 1 && adj[keep] != nil) {
		best, bestFill, bestDeg := -1, 0, 0
		for v, nb := range adj {
			if v == keep {
				continue
			}
			fill := 0
			for a := range nb {
				for b := range nb {
					if a < b && !adj[a][b] {
						fill++
					}
				}
			}
			if best < 0 || fill < bestFill || fill == bestFill &&
				(len(nb) < bestDeg || len(nb) == bestDeg && v < best) {
				best, bestFill, bestDeg = v, fill, len(nb)
			}
		}
		for a := range adj[best] {
			for b := range adj[best] {
				if a != b {
					adj[a][b] = true
				}
			}
			delete(adj[a], best)
		}
		delete(adj, best)
		order = append(order, best)
	}
	return order
}

// eliminate multiplies the factors and sums v out.
func (vm *veModel) eliminate(fs []veFactor, v int) veFactor {
	var scope []int
	for _, f := range fs {
		for _, x := range f.vars {
			if x != v && !slices.Contains(scope, x) {
				scope = append(scope, x)
			}
		}
	}
	slices.Sort(scope)
	all := append(slices.Clone(scope), v)
	// strides[i][k]: the stride of all[k] in factor i.
	strides := make([][]int, len(fs))
	for i, f := range fs {
		strides[i] = make([]int, len(all))
		st := 1
		for j := len(f.vars) - 1; j >= 0; j-- {
			strides[i][slices.Index(all, f.vars[j])] = st
			st *= vm.dom[f.vars[j]]
		}
	}
	out := veFactor{vars: scope, vals: make([]big.Int, vm.size(scope))}
	asg := make([]int, len(all))
	pos := make([]int, len(fs))
	var prod big.Int
	for idx := range out.vals {
		// asg of the scope from idx (row-major).
		r := idx
		for k := len(scope) - 1; k >= 0; k-- {
			asg[k] = r % vm.dom[scope[k]]
			r /= vm.dom[scope[k]]
		}
		for i := range fs {
			pos[i] = 0
			for k := range scope {
				pos[i] += asg[k] * strides[i][k]
			}
		}
		acc := &out.vals[idx]
		for val := range vm.dom[v] {
			prod.SetInt64(1)
			for i, f := range fs {
				e := &f.vals[pos[i]+val*strides[i][len(scope)]]
				if e.Sign() == 0 {
					prod.SetInt64(0)
					break
				}
				prod.Mul(&prod, e)
			}
			acc.Add(acc, &prod)
		}
	}
	return out
}

// --- property tests on generated models with counts beyond 2^64 -------------------------

// testParams is largeParams with smaller clusters, so that the counter stays quick.
var testParams = func() genParams {
	p := largeParams
	p.MaxArity, p.MaxCombos, p.BigDoms = 9, 1<<9, []int{100, 30}
	return p
}()

// veState is the state of value val of group v from the counter's marginal counts.
func veState(vm *veModel, sel []Selection, marg []*big.Int, v, val int) State {
	for _, s := range sel {
		if vm.index[s.Group] == v && s.Option == vm.keys[v][val] {
			return StateSelected
		}
	}
	if marg[val].Sign() == 0 {
		return StateExcluded
	}
	for o := range marg {
		if o != val && marg[o].Sign() > 0 {
			return StateAvailable
		}
	}
	return StateForced
}

func TestLargeGeneratedModels(t *testing.T) {
	// Seed 3 counts 1.0e33 (the 128-bit path), seed 2 2.5e40 (past 2^128: math/big).
	seeds := []uint64{3, 2}
	paths, groupsPerStep := 3, 4
	if testing.Short() || raceEnabled {
		seeds, paths, groupsPerStep = seeds[:1], 2, 3
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			m, planted := genModel(seed, testParams)
			c, err := Compile(m)
			require.NoError(t, err)
			vm := newVEModel(m)
			total := vm.count(nil)
			require.Greater(t, total.BitLen(), 64, "the generated model must count past 2^64")
			n, err := c.Count(nil)
			require.NoError(t, err)
			require.Equal(t, total.String(), n.String())
			t.Logf("seed %d: %s configurations, %+v", seed, total, c.Stats())

			// The planted configuration is valid: exactly one configuration.
			var full []Selection
			for v, val := range planted {
				full = append(full, Selection{m.Groups[v].Key, vm.keys[v][val]})
			}
			n, err = c.Count(full)
			require.NoError(t, err)
			require.Equal(t, "1", n.String())

			// Matrix of the two first groups of a table: a pair is possible iff it counts.
			tb := m.Tables[0]
			for _, x := range m.Tables { // the smallest pair of domains, for the counter
				if vm.size([]int{vm.index[x.Scope[0]], vm.index[x.Scope[1]]}) <
					vm.size([]int{vm.index[tb.Scope[0]], vm.index[tb.Scope[1]]}) {
					tb = x
				}
			}
			mx, err := c.Matrix(nil, tb.Scope[0], tb.Scope[1])
			require.NoError(t, err)
			a, b := vm.index[tb.Scope[0]], vm.index[tb.Scope[1]]
			pairs := 0
			for i, ka := range vm.keys[a] {
				for j, kb := range vm.keys[b] {
					n := vm.count([]Selection{{tb.Scope[0], ka}, {tb.Scope[1], kb}})
					require.Equal(t, n.Sign() > 0, mx.Allowed[i][j], "%s=%s, %s=%s",
						tb.Scope[0], ka, tb.Scope[1], kb)
					pairs++
				}
			}
			require.Positive(t, pairs)

			r := rand.New(rand.NewPCG(seed, 99))
			explained, resolved := 0, 0
			defer func() { t.Logf("explained %d, resolved %d", explained, resolved) }()
			for range paths {
				sel := customerPath(t, c, r, 2+r.IntN(10))
				res, err := c.Propagate(sel)
				require.NoError(t, err)
				want := vm.count(sel)
				require.Equal(t, want.String(), res.Count.String(), "count of %v", sel)
				require.Equal(t, want.Sign() > 0, res.Consistent)
				for range groupsPerStep {
					v := r.IntN(len(m.Groups))
					marg := vm.marginal(sel, v)
					gr := res.Groups[v]
					for oi, o := range gr.Options {
						require.Equal(t, veState(vm, sel, marg, v, oi), o.State,
							"%s.%s after %v", m.Groups[v].Key, o.Key, sel)
					}
					if !m.Groups[v].Required {
						require.Equal(t, veState(vm, sel, marg, v, len(gr.Options)), gr.None,
							"%s.none after %v", m.Groups[v].Key, sel)
					}
					// Explain one excluded value: its selections rule it out, minimally.
					for oi, o := range gr.Options {
						if o.State != StateExcluded || marg[oi].Sign() != 0 || explained > paths {
							continue
						}
						x := Selection{m.Groups[v].Key, o.Key}
						ex, err := c.Explain(sel, x.Group, x.Option)
						require.NoError(t, err)
						with := append(slices.Clone(ex.Selections), x)
						require.Zero(t, vm.count(with).Sign(), "explanation %v of %v", ex, x)
						for i := range ex.Selections {
							rest := slices.Delete(slices.Clone(ex.Selections), i, i+1)
							require.Positive(t, vm.count(append(rest, x)).Sign(),
								"explanation %v of %v is not minimal", ex.Selections, x)
						}
						// Resolve: keeping rs.Kept makes x possible (checked by the counter).
						// (ErrImpossible exactly when x is in no configuration at all.)
						rs, err := c.Resolve(sel, x.Group, x.Option)
						if vm.count([]Selection{x}).Sign() == 0 {
							require.ErrorIs(t, err, ErrImpossible)
						} else {
							resolved++
							require.NoError(t, err)
							require.Positive(t, vm.count(append(slices.Clone(rs.Kept), x)).Sign(),
								"resolution %v of %v", rs, x)
						}
						explained++
						break
					}
				}
			}
		})
	}
}

// TestMeganeSquared compiles two independent copies of Mégane: the count is exactly the
// square of Mégane's, past 2^64 (and past the uint64 fast path).
func TestMeganeSquared(t *testing.T) {
	m := loadRenault(t)
	var sq Model
	for _, p := range []string{"a.", "b."} {
		for _, g := range m.Groups {
			g.Key = p + g.Key
			sq.Groups = append(sq.Groups, g)
		}
		for _, tb := range m.Tables {
			tb.ID = p + tb.ID
			tb.Scope = slices.Clone(tb.Scope)
			for i := range tb.Scope {
				tb.Scope[i] = p + tb.Scope[i]
			}
			sq.Tables = append(sq.Tables, tb)
		}
	}
	c, err := Compile(sq)
	require.NoError(t, err)
	n, err := c.Count(nil)
	require.NoError(t, err)
	one, _ := new(big.Int).SetString("2835456006272", 10)
	want := new(big.Int).Mul(one, one)
	require.Greater(t, want.BitLen(), 64)
	require.Equal(t, want.String(), n.String())
	res, err := c.Propagate([]Selection{{sq.Groups[0].Key, sq.Groups[0].Options[0].Key}})
	require.NoError(t, err)
	first, err := c.Count([]Selection{{m.Groups[0].Key, m.Groups[0].Options[0].Key}}[:0])
	require.NoError(t, err)
	require.Equal(t, want.String(), first.String())
	// Selecting in copy a scales the count by copy a's share only.
	ca, err := Compile(m)
	require.NoError(t, err)
	na, err := ca.Count([]Selection{{m.Groups[0].Key, m.Groups[0].Options[0].Key}})
	require.NoError(t, err)
	require.Equal(t, new(big.Int).Mul(na, one).String(), res.Count.String())
}
