package engine

import (
	"fmt"
	"slices"
)

// Resolution is the outcome of Resolve or Repair.
type Resolution struct {
	// Kept are the selections that stay, in their original order (without the new choice).
	Kept []Selection
	// Dropped are the selections to clear, in their original order.
	Dropped []Selection
}

// Resolve returns the smallest set of selections to drop so that group=option becomes
// possible; among equally small sets it keeps the most recent choices. For a SINGLE (or
// NUMBER or TEXT) group, earlier selections of that group are replaced by the new choice
// and appear in neither list; likewise choosing NoneKey of a MULTI group replaces its chosen
// options and choosing an option replaces a NoneKey selection. The shortest path is
// computed exactly on the diagram. ErrImpossible (wrapped) means no valid configuration
// contains the option at all.
func (c *Compiled) Resolve(sel []Selection, group, option string) (*Resolution, error) {
	target, err := c.selLit(Selection{Group: group, Option: option})
	if err != nil {
		return nil, err
	}
	if _, err := c.litsOf(sel); err != nil {
		return nil, err
	}
	multi := c.groups[c.groupIdx[group]].kind == KindMulti
	soft := make([]bool, len(sel))
	for i, x := range sel {
		soft[i] = true
		if x.Group != group {
			continue
		}
		if !multi && x.Option != option ||
			multi && (option == NoneKey) != (x.Option == NoneKey) {
			soft[i] = false
		}
	}
	r, err := c.minDrop(sel, soft, &target)
	if err != nil {
		return nil, fmt.Errorf("resolving %s=%s: %w", group, option, err)
	}
	return r, nil
}

// Repair drops the fewest selections (preferring to drop older ones) so that the rest is
// consistent, e.g. after a catalog version change.
func (c *Compiled) Repair(sel []Selection) (*Resolution, error) {
	soft := make([]bool, len(sel))
	for i := range soft {
		soft[i] = true
	}
	r, err := c.minDrop(sel, soft, nil)
	if err != nil {
		return nil, fmt.Errorf("repairing selections: %w", err)
	}
	return r, nil
}

func (c *Compiled) litsOf(sel []Selection) ([]lit, error) {
	out := make([]lit, len(sel))
	for i, x := range sel {
		l, err := c.selLit(x)
		if err != nil {
			return nil, err
		}
		out[i] = l
	}
	return out, nil
}

// cost is a lexicographic cost: the number of dropped selections, then the set of dropped
// selections as a binary number whose high bits are the most recent selections. Both add up
// along a path because each selection constrains exactly one level.
type cost struct {
	n    int32 // -1 = infinite
	mask []uint64
}

func less(a, b cost) bool {
	if b.n < 0 {
		return a.n >= 0
	}
	if a.n < 0 {
		return false
	}
	if a.n != b.n {
		return a.n < b.n
	}
	for w := len(a.mask) - 1; w >= 0; w-- {
		if a.mask[w] != b.mask[w] {
			return a.mask[w] < b.mask[w]
		}
	}
	return false
}

// minDrop finds the cheapest root-to-terminal path, where taking value v at a level costs
// the soft selections at that level whose value differs; the target literal is hard.
func (c *Compiled) minDrop(sel []Selection, soft []bool, target *lit) (*Resolution, error) {
	lits, err := c.litsOf(sel)
	if err != nil {
		return nil, err
	}
	if c.root < 0 {
		return nil, ErrImpossible
	}
	words := (len(sel) + 63) / 64
	nv := len(c.dom)
	byLevel := make([][]int, nv)
	for i, x := range lits {
		if soft[i] {
			byLevel[x.level] = append(byLevel[x.level], i)
		}
	}
	newCost := func() cost { return cost{mask: make([]uint64, words)} }
	valCost := func(l int32, v int32) cost {
		if target != nil && target.level == l && target.val != v {
			return cost{n: -1}
		}
		k := newCost()
		for _, i := range byLevel[l] {
			if lits[i].val != v {
				k.n++
				k.mask[i/64] |= 1 << (i % 64)
			}
		}
		return k
	}
	add := func(dst *cost, a cost) {
		if dst.n < 0 || a.n < 0 {
			dst.n = -1
			return
		}
		dst.n += a.n
		for w := range a.mask {
			dst.mask[w] |= a.mask[w]
		}
	}
	minCost := make([]cost, nv)
	for l := range nv {
		best := cost{n: -1}
		for v := range c.dom[l] {
			if k := valCost(int32(l), v); less(k, best) {
				best = k
			}
		}
		minCost[l] = best
	}
	spanCost := make([]cost, len(c.spans))
	for i, sp := range c.spans {
		k := newCost()
		for l := sp.a; l < sp.b; l++ {
			add(&k, minCost[l])
		}
		spanCost[i] = k
	}
	term := len(c.nodeLevel) - 1
	best := make([]cost, term+1)
	best[term] = newCost()
	for i := term - 1; i >= 0; i-- {
		b := cost{n: -1}
		l := c.nodeLevel[i]
		for e := c.edgeStart[i]; e < c.edgeStart[i+1]; e++ {
			k := valCost(l, c.eVal[e]-c.valOff[l])
			add(&k, spanCost[c.eSpan[e]])
			add(&k, best[c.eChild[e]])
			if less(k, b) {
				b = k
			}
		}
		best[i] = b
	}
	total := newCost()
	add(&total, spanCost[c.rootSpan])
	add(&total, best[c.root])
	if total.n < 0 {
		return nil, ErrImpossible
	}
	r := &Resolution{Kept: []Selection{}, Dropped: []Selection{}}
	for i, x := range sel {
		switch {
		case !soft[i]:
		case total.mask[i/64]&(1<<(i%64)) != 0:
			r.Dropped = append(r.Dropped, x)
		default:
			r.Kept = append(r.Kept, x)
		}
	}
	r.Kept = slices.Clip(r.Kept)
	return r, nil
}
