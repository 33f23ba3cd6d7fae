package engine

import (
	"encoding/binary"
	"fmt"
	"slices"
)

// Explanation is a minimal conflict set for an excluded option.
type Explanation struct {
	// Selections is a minimal subset of the selections (in their original order) that
	// excludes the option: removing any one of them makes it available.
	Selections []Selection
	// Rules is a minimal set of rules, tables and count constraints ("count:<group>") that
	// together with Selections exclude the option.
	Rules []RuleRef
}

// RuleRef names a rule (or table, or count constraint) and its customer message.
type RuleRef struct {
	ID, Message string
}

// quickXplain returns a minimal subset of items that is inconsistent, given that items as a
// whole is (Junker 2004). Earlier items are preferred in the conflict. It returns nil when
// items is consistent (and an empty, non-nil slice when the background alone conflicts).
func quickXplain(items []int, consistent func([]int) bool) []int {
	if consistent(items) {
		return nil
	}
	if len(items) == 0 || !consistent(nil) {
		return []int{}
	}
	return qx(nil, false, items, consistent)
}

func qx(b []int, hasDelta bool, c []int, consistent func([]int) bool) []int {
	if hasDelta && !consistent(b) {
		return nil
	}
	if len(c) <= 1 {
		return slices.Clone(c)
	}
	k := len(c) / 2
	c1, c2 := c[:k], c[k:]
	d2 := qx(slices.Concat(b, c1), true, c2, consistent)
	d1 := qx(slices.Concat(b, d2), len(d2) > 0, c1, consistent)
	return append(d1, d2...)
}

// Explain returns a minimal explanation of why group=option is excluded under sel.
// It returns ErrNotExcluded (wrapped) when the option is available.
func (c *Compiled) Explain(sel []Selection, group, option string) (*Explanation, error) {
	target, err := c.selLit(Selection{Group: group, Option: option})
	if err != nil {
		return nil, err
	}
	s := c.getScratch()
	defer c.putScratch(s)
	if err := c.appendLits(s, sel); err != nil {
		return nil, err
	}
	lits := slices.Clone(s.lits)
	buf := make([]lit, 0, len(lits)+1)
	check := func(idx []int) bool {
		buf = append(buf[:0], target)
		for _, i := range idx {
			buf = append(buf, lits[i])
		}
		return c.consistent(s, buf)
	}
	all := make([]int, len(sel))
	for i := range all {
		all[i] = i
	}
	conflict := quickXplain(all, check)
	if conflict == nil {
		return nil, fmt.Errorf("explaining %s=%s: %w", group, option, ErrNotExcluded)
	}
	slices.Sort(conflict)
	ex := &Explanation{Selections: []Selection{}, Rules: []RuleRef{}}
	used := []lit{target}
	for _, i := range conflict {
		ex.Selections = append(ex.Selections, sel[i])
		used = append(used, lits[i])
	}
	for _, ci := range c.cachedMinimalConstraints(used) {
		ex.Rules = append(ex.Rules, RuleRef{ID: c.cons[ci].id, Message: c.cons[ci].msg})
	}
	return ex, nil
}

// allowedFor returns per-level value restrictions for the literals (nil = unrestricted).
func (c *Compiled) allowedFor(lits []lit) [][]bool {
	allowed := make([][]bool, len(c.dom))
	for _, x := range lits {
		if allowed[x.level] == nil {
			allowed[x.level] = make([]bool, c.dom[x.level])
			for v := range allowed[x.level] {
				allowed[x.level][v] = true
			}
		}
		for v := range allowed[x.level] {
			if int32(v) != x.val {
				allowed[x.level][v] = false
			}
		}
	}
	return allowed
}

// conjCtx conjoins subsets of the catalog's constraints, restricted to some values, in a
// private manager (the catalog stays read-only).
type conjCtx struct {
	c     *Compiled
	m     *mgr
	roots []int32
}

func (c *Compiled) newConjCtx(allowed [][]bool) *conjCtx {
	x := &conjCtx{c: c, m: newMgr(c.dom), roots: make([]int32, len(c.cons))}
	memo := make(map[int32]int32)
	for i, k := range c.cons {
		x.roots[i] = x.m.importFrom(c.base, k.root, allowed, memo)
	}
	return x
}

func (x *conjCtx) conj(idx []int) int32 {
	roots := make([]int32, len(idx))
	for i, k := range idx {
		roots[i] = x.roots[k]
	}
	if d := x.c.dec; d != nil {
		// Along the decomposition, as in Compile: intermediates stay within subtrees.
		cons := make([]*constraint, len(idx))
		for i, k := range idx {
			cons[i] = &x.c.cons[k]
		}
		return conjoinTree(x.m, d, cons, roots)
	}
	return conjoin(x.m, roots)
}

// maxMinConsCache bounds the memo of minimal constraint sets. Conflicts are small (the
// target and a selection or two), so a catalog meets few distinct ones; past the bound new
// sets are computed but not kept.
const maxMinConsCache = 1 << 16

// cachedMinimalConstraints is minimalConstraints memoised by the set of literals: the result
// depends only on that set (not its order), and is by far the most expensive part of an
// explanation, while the same small conflicts (target plus one or two selections) recur
// across customers' steps. The returned slice is shared: callers must not modify it.
func (c *Compiled) cachedMinimalConstraints(lits []lit) []int {
	sorted := slices.Clone(lits)
	slices.SortFunc(sorted, func(a, b lit) int {
		if a.level != b.level {
			return int(a.level - b.level)
		}
		return int(a.val - b.val)
	})
	key := make([]byte, 0, 8*len(sorted))
	for _, x := range sorted {
		key = binary.LittleEndian.AppendUint32(key, uint32(x.level))
		key = binary.LittleEndian.AppendUint32(key, uint32(x.val))
	}
	if mc, ok := c.minCons.Load(string(key)); ok {
		return mc.([]int)
	}
	mc := c.minimalConstraints(lits)
	if c.minConsSize.Load() < maxMinConsCache {
		if _, loaded := c.minCons.LoadOrStore(string(key), mc); !loaded {
			c.minConsSize.Add(1)
		}
	}
	return mc
}

// minimalConstraints returns a minimal set of constraints inconsistent with the literals
// (empty when the literals clash by themselves).
func (c *Compiled) minimalConstraints(lits []lit) []int {
	allowed := c.allowedFor(lits)
	for _, a := range allowed {
		if a != nil && !slices.Contains(a, true) {
			return nil // the literals clash by themselves
		}
	}
	x := c.newConjCtx(allowed)
	// A variable with an empty domain is unsatisfiable without any constraint.
	for _, d := range c.dom {
		if d == 0 {
			return nil
		}
	}
	consistent := func(idx []int) bool { return x.conj(idx) != falseNode }
	mc := quickXplain(c.neighbourhood(lits, consistent), consistent)
	slices.Sort(mc)
	return mc
}

// neighbourhood returns the constraints within the smallest radius, around the literals'
// variables in the constraint graph, that already conflicts with the literals (all of them
// when none does). Conflicts are usually local: QuickXplain then checks a few small
// conjunctions instead of conjunctions of half a large catalog.
func (c *Compiled) neighbourhood(lits []lit, consistent func([]int) bool) []int {
	reached := make([]bool, len(c.vars))
	for _, x := range lits {
		reached[c.varAt[x.level]] = true
	}
	taken := make([]bool, len(c.cons))
	var in []int
	for {
		grew := false
		for i, k := range c.cons {
			if taken[i] || !slices.ContainsFunc(k.vars, func(v int) bool { return reached[v] }) {
				continue
			}
			taken[i], grew = true, true
			in = append(in, i)
		}
		if !grew || len(in) == len(c.cons) {
			break
		}
		slices.Sort(in)
		if !consistent(in) {
			return in
		}
		for _, i := range in {
			for _, v := range c.cons[i].vars {
				reached[v] = true
			}
		}
	}
	all := make([]int, len(c.cons))
	for i := range all {
		all[i] = i
	}
	return all
}
