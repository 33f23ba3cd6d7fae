package engine

import (
	"math/bits"
	"slices"
)

// refCSP is the slow reference: backtracking search with forward checking over the groups of
// a model (MULTI groups as one variable over subsets), written independently of the
// diagram. Domains are uint64 bitsets, so every group has at most 64 values.
type refCSP struct {
	o     *oracle
	nvals []int    // values per group
	cons  []refCon // constraints
	byVar [][]int  // constraint indexes per group
}

type refCon struct {
	scope []int
	ok    func(cfg, aux []int) bool // cfg/aux are full-length; only scope entries are read
	// tuples lists the allowed value tuples when the scope is small enough to enumerate (or
	// the constraint is an allowed table); such constraints are filtered to generalised arc
	// consistency, the others are only checked once at most one variable is free.
	tuples [][]uint8
}

func newRefCSP(m Model, exprs []Expr) *refCSP {
	o := &oracle{m: m, exprs: exprs}
	for _, g := range m.Groups {
		keys := valueKeysOf(g)
		if g.Kind == KindMulti {
			keys = keys[:len(keys)-boolInt(!g.Required)]
		}
		o.keys = append(o.keys, keys)
	}
	p := &refCSP{o: o, byVar: make([][]int, len(m.Groups))}
	for gi, g := range m.Groups {
		n := len(o.keys[gi])
		if g.Kind == KindMulti {
			n = 1 << len(g.Options)
			gi := gi
			p.add([]int{gi}, func(cfg, aux []int) bool {
				return o.valid(cfg, aux, map[string]bool{"count:" + m.Groups[gi].Key: true})
			})
		}
		if n > 64 {
			panic("reference: group with more than 64 values")
		}
		p.nvals = append(p.nvals, n)
	}
	for i := range m.Rules {
		var scope []int
		for _, g := range exprGroups(exprs[i], nil) {
			scope = append(scope, o.gidx(g))
		}
		e := exprs[i]
		p.add(dedupe(scope), func(cfg, aux []int) bool { return o.eval(e, cfg, aux) })
	}
	for _, t := range m.Tables {
		var scope []int
		for _, g := range t.Scope {
			scope = append(scope, o.gidx(g))
		}
		id := t.ID
		p.add(dedupe(scope), func(cfg, aux []int) bool {
			return o.valid(cfg, aux, map[string]bool{id: true})
		})
		// Tables over plain groups get a hashed membership test: much faster.
		if fast := p.fastTable(t, scope); fast != nil {
			p.cons[len(p.cons)-1].ok = fast
			if !t.Conflicts && len(scope) == len(t.Scope) {
				var tuples [][]uint8
				for _, tu := range t.Tuples {
					row := make([]uint8, len(tu))
					for j, v := range tu {
						row[j] = uint8(slices.Index(o.keys[scope[j]], v))
					}
					tuples = append(tuples, row)
				}
				p.cons[len(p.cons)-1].tuples = tuples
			}
		}
	}
	for i := range p.cons {
		if p.cons[i].tuples == nil {
			p.cons[i].tuples = p.enumerate(p.cons[i])
		}
	}
	return p
}

// enumerate lists the allowed tuples of a constraint with a small scope (nil otherwise).
func (p *refCSP) enumerate(c refCon) [][]uint8 {
	if len(c.scope) > 16 {
		return nil
	}
	size := 1
	for _, v := range c.scope {
		size *= p.nvals[v]
		if size > 1<<16 {
			return nil
		}
	}
	cfg := make([]int, len(p.nvals))
	aux := make([]int, len(p.nvals))
	out := [][]uint8{}
	row := make([]uint8, len(c.scope))
	var rec func(j int)
	rec = func(j int) {
		if j == len(c.scope) {
			if c.ok(cfg, aux) {
				out = append(out, slices.Clone(row))
			}
			return
		}
		v := c.scope[j]
		for val := range p.nvals[v] {
			cfg[v], aux[v], row[j] = val, bits.OnesCount(uint(val)), uint8(val)
			rec(j + 1)
		}
	}
	rec(0)
	return out
}

// revise filters the domains of c's scope to values with a support in c.
func (s *refSearch) revise(c *refCon, doms []uint64, changed func(v int)) bool {
	var supp [16]uint64
	for _, t := range c.tuples {
		ok := true
		for j, val := range t {
			if doms[c.scope[j]]&(1<<val) == 0 {
				ok = false
				break
			}
		}
		if ok {
			for j, val := range t {
				supp[j] |= 1 << val
			}
		}
	}
	for j, v := range c.scope {
		nd := doms[v] & supp[j]
		if nd == 0 {
			return false
		}
		if nd != doms[v] {
			doms[v] = nd
			changed(v)
		}
	}
	return true
}

// propagate runs the table constraints of the queued variables to a fixpoint.
func (s *refSearch) propagate(queue []int, doms []uint64) bool {
	inQ := make([]bool, len(s.p.cons))
	var q []int
	push := func(v int) {
		for _, ci := range s.p.byVar[v] {
			if !inQ[ci] && s.p.cons[ci].tuples != nil {
				inQ[ci] = true
				q = append(q, ci)
			}
		}
	}
	for _, v := range queue {
		push(v)
	}
	for len(q) > 0 {
		ci := q[0]
		q = q[1:]
		inQ[ci] = false
		if !s.revise(&s.p.cons[ci], doms, push) {
			return false
		}
	}
	return true
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (p *refCSP) add(scope []int, ok func(cfg, aux []int) bool) {
	for _, v := range scope {
		p.byVar[v] = append(p.byVar[v], len(p.cons))
	}
	p.cons = append(p.cons, refCon{scope: scope, ok: ok})
}

func (p *refCSP) fastTable(t Table, scope []int) func(cfg, aux []int) bool {
	for _, gi := range scope {
		if p.o.m.Groups[gi].Kind == KindMulti {
			return nil
		}
	}
	if len(scope) != len(t.Scope) || len(scope) > 10 {
		return nil
	}
	set := make(map[uint64]bool, len(t.Tuples))
	for _, tu := range t.Tuples {
		var k uint64
		for j, v := range tu {
			k = k<<6 | uint64(slices.Index(p.o.keys[scope[j]], v))
		}
		set[k] = true
	}
	conflicts := t.Conflicts
	return func(cfg, _ []int) bool {
		var k uint64
		for _, gi := range scope {
			k = k<<6 | uint64(cfg[gi])
		}
		return set[k] != conflicts
	}
}

// refSearch holds one search's state.
type refSearch struct {
	p     *refCSP
	cfg   []int // -1 = unassigned
	aux   []int
	nodes int
}

func (p *refCSP) newSearch() *refSearch {
	s := &refSearch{p: p, cfg: make([]int, len(p.nvals)), aux: make([]int, len(p.nvals))}
	return s
}

func (s *refSearch) set(v, val int) {
	s.cfg[v] = val
	if val >= 0 && s.p.o.m.Groups[v].Kind == KindMulti {
		s.aux[v] = bits.OnesCount(uint(val))
	}
}

// forward filters the domains after v was assigned; false on a wipe-out.
func (s *refSearch) forward(v int, doms []uint64) bool {
	if !s.propagate([]int{v}, doms) {
		return false
	}
	for _, ci := range s.p.byVar[v] {
		c := s.p.cons[ci]
		if c.tuples != nil {
			continue
		}
		free, nfree := -1, 0
		for _, x := range c.scope {
			if s.cfg[x] < 0 {
				free, nfree = x, nfree+1
			}
		}
		switch nfree {
		case 0:
			if !c.ok(s.cfg, s.aux) {
				return false
			}
		case 1:
			d := doms[free]
			for rest := d; rest != 0; rest &= rest - 1 {
				val := bits.TrailingZeros64(rest)
				s.set(free, val)
				if !c.ok(s.cfg, s.aux) {
					d &^= 1 << val
				}
			}
			s.set(free, -1)
			if d == 0 {
				return false
			}
			doms[free] = d
		}
	}
	return true
}

// solve searches for solutions within doms; visit is called on each one and returns
// whether to continue. It returns false when the search was stopped.
func (s *refSearch) solve(doms []uint64, visit func(cfg []int) bool) bool {
	s.nodes++
	best, bestSize := -1, 65
	for v, d := range doms {
		if s.cfg[v] < 0 {
			if n := bits.OnesCount64(d); n < bestSize {
				best, bestSize = v, n
			}
		}
	}
	if best < 0 {
		return visit(s.cfg)
	}
	saved := make([]uint64, len(doms))
	for rest := doms[best]; rest != 0; rest &= rest - 1 {
		val := bits.TrailingZeros64(rest)
		copy(saved, doms)
		s.set(best, val)
		doms[best] = 1 << val
		if s.forward(best, doms) && !s.solve(doms, visit) {
			copy(doms, saved)
			s.set(best, -1)
			return false
		}
		copy(doms, saved)
	}
	s.set(best, -1)
	return true
}

// initial returns the domains restricted by the selections (and a consistency flag).
func (p *refCSP) initial(sel []Selection) ([]uint64, bool) {
	doms := make([]uint64, len(p.nvals))
	for v, n := range p.nvals {
		doms[v] = 1<<n - 1
		if n == 64 {
			doms[v] = ^uint64(0)
		}
	}
	aux := make([]int, len(p.nvals))
	cfg := make([]int, len(p.nvals))
	for _, s := range sel {
		gi := p.o.gidx(s.Group)
		var d uint64
		for val := range p.nvals[gi] {
			cfg[gi] = val
			aux[gi] = bits.OnesCount(uint(val))
			if p.o.atom(cfg, aux, gi, s.Option) {
				d |= 1 << val
			}
		}
		doms[gi] &= d
	}
	for _, d := range doms {
		if d == 0 {
			return doms, false
		}
	}
	return doms, true
}

// prepare applies forward checking on constraints whose scope is a single variable.
func (p *refCSP) run(sel []Selection, fn func(s *refSearch, doms []uint64)) {
	doms, ok := p.initial(sel)
	if !ok {
		return
	}
	s := p.newSearch()
	for i := range s.cfg {
		s.cfg[i] = -1
	}
	all := make([]int, len(doms))
	for i := range all {
		all[i] = i
	}
	if !s.propagate(all, doms) {
		return
	}
	fn(s, doms)
}

// supported returns, per group, the bitset of values in some solution extending sel.
func (p *refCSP) supported(sel []Selection) []uint64 {
	supp := make([]uint64, len(p.nvals))
	p.run(sel, func(s *refSearch, doms []uint64) {
		record := func(cfg []int) bool {
			for v, val := range cfg {
				supp[v] |= 1 << val
			}
			return false
		}
		work := make([]uint64, len(doms))
		for v := range doms {
			for rest := doms[v] &^ supp[v]; rest != 0; rest &= rest - 1 {
				val := bits.TrailingZeros64(rest)
				if supp[v]&(1<<val) != 0 {
					continue
				}
				copy(work, doms)
				work[v] = 1 << val
				s.set(v, val)
				if s.forward(v, work) {
					s.solve(work, record)
				}
				s.set(v, -1)
			}
		}
	})
	return supp
}

// count enumerates all solutions extending sel.
func (p *refCSP) count(sel []Selection) int {
	n := 0
	p.run(sel, func(s *refSearch, doms []uint64) {
		s.solve(doms, func([]int) bool { n++; return true })
	})
	return n
}

// states maps the supported sets to option states as the engine reports them.
func (p *refCSP) states(sel []Selection) [][]State {
	supp := p.supported(sel)
	out := make([][]State, len(p.nvals))
	for gi, g := range p.o.m.Groups {
		keys := valueKeysOf(g)
		for _, k := range keys {
			var with, all uint64
			cfg := make([]int, len(p.nvals))
			aux := make([]int, len(p.nvals))
			for val := range p.nvals[gi] {
				if supp[gi]&(1<<val) == 0 {
					continue
				}
				all++
				cfg[gi] = val
				aux[gi] = bits.OnesCount(uint(val))
				if p.o.atom(cfg, aux, gi, k) {
					with++
				}
			}
			st := StateAvailable
			switch {
			case slices.Contains(sel, Selection{g.Key, k}):
				st = StateSelected
			case with == 0:
				st = StateExcluded
			case with == all:
				st = StateForced
			}
			out[gi] = append(out[gi], st)
		}
	}
	return out
}

// engineStates extracts the same shape from an engine result.
func engineStates(m Model, res *Result) [][]State {
	out := make([][]State, len(m.Groups))
	for gi, g := range m.Groups {
		for _, o := range res.Groups[gi].Options {
			out[gi] = append(out[gi], o.State)
		}
		if !g.Required {
			out[gi] = append(out[gi], res.Groups[gi].None)
		}
	}
	return out
}

// exprGroups appends the group names referenced by e.
func exprGroups(e Expr, out []string) []string {
	switch x := e.(type) {
	case *Cmp:
		out = append(out, x.Group)
	case *Not:
		out = exprGroups(x.X, out)
	case *Binary:
		out = exprGroups(x.L, out)
		out = exprGroups(x.R, out)
	}
	return out
}
