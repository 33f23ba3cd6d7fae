package engine

import (
	"math"
	"math/big"
	"math/bits"
)

// lit is one selection in diagram terms: the variable at level must take val.
type lit struct {
	level, val int32
}

// scratch holds the per-step arrays; catalogs pool them so steps do not allocate.
type scratch struct {
	allowed  []bool   // per flat value: permitted by the selections
	selected []bool   // per flat value: selected
	acnt     []uint64 // per level: number of permitted values
	spanMul  []uint64 // per span: product of acnt over the span (saturating)
	cnt      []uint64 // per node: number of completions below it (saturating)
	reach    []bool   // per node: on a valid root-to-terminal path
	supp     []bool   // per flat value: in the valid domain
	cover    []int32  // per level: difference array of skipped levels on valid paths
	assign   []int32  // per level: the default completion
	fixed    []bool
	lits     []lit
	overflow bool
	// 128-bit counts (catalogs whose total exceeds 2^64): per node and per span, low and
	// high words; cnt and spanMul then hold nonzero markers (lo|hi) for down.
	cnt128, spanMul128 []u128
	total128           u128
	word               big.Int
}

// u128 is an unsigned 128-bit integer.
type u128 struct{ lo, hi uint64 }

// mul128 returns a*b and whether it overflowed 128 bits.
func mul128(a, b u128) (u128, bool) {
	hi, lo := bits.Mul64(a.lo, b.lo)
	h1, l1 := bits.Mul64(a.lo, b.hi)
	h2, l2 := bits.Mul64(a.hi, b.lo)
	hi, c1 := bits.Add64(hi, l1, 0)
	hi, c2 := bits.Add64(hi, l2, 0)
	of := h1|h2|c1|c2 != 0 || a.hi != 0 && b.hi != 0
	return u128{lo, hi}, of
}

// add128 returns a+b and whether it overflowed 128 bits.
func add128(a, b u128) (u128, bool) {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, c := bits.Add64(a.hi, b.hi, c)
	return u128{lo, hi}, c != 0
}

func (c *Compiled) newScratch() any {
	nv := len(c.dom)
	nvals := c.valOff[nv]
	nn := len(c.nodeLevel)
	s := &scratch{
		allowed:  make([]bool, nvals),
		selected: make([]bool, nvals),
		acnt:     make([]uint64, nv),
		spanMul:  make([]uint64, len(c.spans)),
		cnt:      make([]uint64, nn),
		reach:    make([]bool, nn),
		supp:     make([]bool, nvals),
		cover:    make([]int32, nv+1),
		assign:   make([]int32, nv),
		fixed:    make([]bool, nv),
	}
	if c.wide == wide128 {
		s.cnt128 = make([]u128, nn)
		s.spanMul128 = make([]u128, len(c.spans))
	}
	return s
}

func (c *Compiled) getScratch() *scratch  { return c.pool.Get().(*scratch) }
func (c *Compiled) putScratch(s *scratch) { s.lits = s.lits[:0]; c.pool.Put(s) }

// selLit maps a selection to its literal.
func (c *Compiled) selLit(s Selection) (lit, error) {
	gi, ok := c.groupIdx[s.Group]
	if !ok {
		return lit{}, &InputError{Group: s.Group, Option: s.Option, Msg: "unknown group"}
	}
	g := &c.groups[gi]
	if s.Option == NoneKey {
		if !g.optional {
			return lit{}, &InputError{Group: s.Group, Option: s.Option,
				Msg: "group is required and cannot be none"}
		}
		if g.kind == KindMulti {
			return lit{c.levelOf[g.v], 0}, nil
		}
		return lit{c.levelOf[g.v], g.noneVal}, nil
	}
	oi, ok := g.opts[s.Option]
	if !ok {
		return lit{}, &InputError{Group: s.Group, Option: s.Option, Msg: "unknown option"}
	}
	if g.kind == KindMulti {
		return lit{c.levelOf[g.bools[oi]], 1}, nil
	}
	return lit{c.levelOf[g.v], int32(oi)}, nil
}

// lits appends the literals of sel to s.lits.
func (c *Compiled) appendLits(s *scratch, sel []Selection) error {
	for _, x := range sel {
		l, err := c.selLit(x)
		if err != nil {
			return err
		}
		s.lits = append(s.lits, l)
	}
	return nil
}

// restrict sets allowed/acnt from the literals.
func (c *Compiled) restrict(s *scratch, lits []lit) {
	for i := range s.allowed {
		s.allowed[i] = true
	}
	for l, d := range c.dom {
		s.acnt[l] = uint64(d)
	}
	for _, x := range lits {
		off := c.valOff[x.level]
		for v := range c.dom[x.level] {
			if v != x.val && s.allowed[off+v] {
				s.allowed[off+v] = false
				s.acnt[x.level]--
			}
		}
	}
}

func mulSat(a, b uint64, of *bool) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi != 0 {
		*of = true
		return math.MaxUint64
	}
	return lo
}

func addSat(a, b uint64, of *bool) uint64 {
	s, carry := bits.Add64(a, b, 0)
	if carry != 0 {
		*of = true
		return math.MaxUint64
	}
	return s
}

// up is the bottom-up pass: completions below every node; returns the (saturated) total.
// Saturation keeps zero and nonzero apart, so liveness is exact even on overflow.
func (c *Compiled) up(s *scratch) uint64 {
	s.overflow = false
	if c.root < 0 {
		return 0
	}
	of := false
	prev := span{-1, -1}
	var prevMul uint64
	for i := 1; i < len(c.spans); i++ {
		sp := c.spans[i]
		var m uint64
		from := sp.a
		if sp.a == prev.a {
			m, from = prevMul, prev.b
		} else {
			m = 1
		}
		for l := from; l < sp.b; l++ {
			m = mulSat(m, s.acnt[l], &of)
		}
		s.spanMul[i] = m
		prev, prevMul = sp, m
	}
	s.spanMul[0] = 1
	term := len(c.nodeLevel) - 1
	s.cnt[term] = 1
	allowed, cnt, spanMul := s.allowed, s.cnt, s.spanMul
	eVal, eChild, eSpan := c.eVal, c.eChild, c.eSpan
	for i := term - 1; i >= 0; i-- {
		var t uint64
		for e := c.edgeStart[i]; e < c.edgeStart[i+1]; e++ {
			if !allowed[eVal[e]] {
				continue
			}
			k := cnt[eChild[e]]
			if k == 0 {
				continue
			}
			if sp := eSpan[e]; sp != 0 {
				k = mulSat(k, spanMul[sp], &of)
			}
			t = addSat(t, k, &of)
		}
		cnt[i] = t
	}
	total := mulSat(s.spanMul[c.rootSpan], cnt[c.root], &of)
	s.overflow = of
	return total
}

// up128 is up with exact 128-bit counts, for catalogs whose unrestricted total needs more
// than 64 bits but at most 128 (every count of a step is at most that total, so nothing
// overflows; an overflow would still be caught and reported in s.overflow). It leaves in
// s.cnt and s.spanMul the nonzero markers that down reads, and the total in s.total128.
func (c *Compiled) up128(s *scratch) uint64 {
	s.overflow = false
	s.total128 = u128{}
	if c.root < 0 {
		return 0
	}
	of := false
	prev := span{-1, -1}
	var prevMul u128
	for i := 1; i < len(c.spans); i++ {
		sp := c.spans[i]
		var m u128
		from := sp.a
		if sp.a == prev.a {
			m, from = prevMul, prev.b
		} else {
			m = u128{lo: 1}
		}
		for l := from; l < sp.b; l++ {
			var o bool
			m, o = mul128(m, u128{lo: s.acnt[l]})
			of = of || o
		}
		s.spanMul128[i] = m
		s.spanMul[i] = m.lo | m.hi
		prev, prevMul = sp, m
	}
	s.spanMul128[0], s.spanMul[0] = u128{lo: 1}, 1
	term := len(c.nodeLevel) - 1
	s.cnt128[term], s.cnt[term] = u128{lo: 1}, 1
	allowed, cnt, cnt128, spanMul128 := s.allowed, s.cnt, s.cnt128, s.spanMul128
	eVal, eChild, eSpan := c.eVal, c.eChild, c.eSpan
	for i := term - 1; i >= 0; i-- {
		var t u128
		for e := c.edgeStart[i]; e < c.edgeStart[i+1]; e++ {
			if !allowed[eVal[e]] {
				continue
			}
			k := cnt128[eChild[e]]
			if k.lo|k.hi == 0 {
				continue
			}
			var o bool
			if sp := eSpan[e]; sp != 0 {
				k, o = mul128(k, spanMul128[sp])
				of = of || o
			}
			t, o = add128(t, k)
			of = of || o
		}
		cnt128[i], cnt[i] = t, t.lo|t.hi
	}
	total, o := mul128(spanMul128[c.rootSpan], cnt128[c.root])
	s.overflow = of || o
	s.total128 = total
	return total.lo | total.hi
}

// countPass runs the bottom-up pass of the catalog's width and returns a value that is
// zero exactly when there is no valid configuration.
func (c *Compiled) countPass(s *scratch) uint64 {
	if c.wide == wide128 {
		return c.up128(s)
	}
	return c.up(s)
}

// setCount stores the exact count of the last countPass in n (math/big only beyond the
// catalog's width).
func (c *Compiled) setCount(s *scratch, n *big.Int, total uint64) {
	switch {
	case s.overflow:
		n.Set(c.bigCount(s))
	case c.wide == wide128:
		n.SetUint64(s.total128.hi)
		n.Lsh(n, 64)
		n.Or(n, s.word.SetUint64(s.total128.lo))
	default:
		n.SetUint64(total)
	}
}

// down is the top-down pass after up: valid domains into s.supp.
func (c *Compiled) down(s *scratch, total uint64) {
	clear(s.supp)
	clear(s.cover)
	clear(s.reach)
	if total == 0 {
		return
	}
	cover := s.cover
	addCover := func(sp int32) {
		r := c.spans[sp]
		cover[r.a]++
		cover[r.b]--
	}
	if c.rootSpan != 0 {
		addCover(c.rootSpan)
	}
	s.reach[c.root] = true
	allowed, cnt, spanMul, reach, supp := s.allowed, s.cnt, s.spanMul, s.reach, s.supp
	eVal, eChild, eSpan := c.eVal, c.eChild, c.eSpan
	term := len(c.nodeLevel) - 1
	for i := int(c.root); i < term; i++ {
		if !reach[i] {
			continue
		}
		for e := c.edgeStart[i]; e < c.edgeStart[i+1]; e++ {
			if !allowed[eVal[e]] || cnt[eChild[e]] == 0 {
				continue
			}
			sp := eSpan[e]
			if sp != 0 {
				if spanMul[sp] == 0 {
					continue
				}
				addCover(sp)
			}
			reach[eChild[e]] = true
			supp[eVal[e]] = true
		}
	}
	run := int32(0)
	for l := range c.dom {
		run += cover[l]
		if run > 0 {
			for fv := c.valOff[l]; fv < c.valOff[l+1]; fv++ {
				if allowed[fv] {
					supp[fv] = true
				}
			}
		}
	}
}

// bigCount recounts exactly with math/big (used only when uint64 overflowed).
func (c *Compiled) bigCount(s *scratch) *big.Int {
	if c.root < 0 {
		return new(big.Int)
	}
	spanMul := make([]*big.Int, len(c.spans))
	for i, sp := range c.spans {
		m := big.NewInt(1)
		for l := sp.a; l < sp.b; l++ {
			m.Mul(m, new(big.Int).SetUint64(s.acnt[l]))
		}
		spanMul[i] = m
	}
	term := len(c.nodeLevel) - 1
	cnt := make([]*big.Int, term+1)
	cnt[term] = big.NewInt(1)
	tmp := new(big.Int)
	for i := term - 1; i >= 0; i-- {
		t := new(big.Int)
		for e := c.edgeStart[i]; e < c.edgeStart[i+1]; e++ {
			if !s.allowed[c.eVal[e]] {
				continue
			}
			tmp.Mul(cnt[c.eChild[e]], spanMul[c.eSpan[e]])
			t.Add(t, tmp)
		}
		cnt[i] = t
	}
	return new(big.Int).Mul(cnt[c.root], spanMul[c.rootSpan])
}

// Result is the answer to one configuration step.
type Result struct {
	// Consistent reports that the selections admit at least one valid complete configuration.
	Consistent bool
	// Complete reports that the default completion (unselected optional groups none,
	// unselected MULTI options not chosen, unselected TEXT none) is valid: the customer may
	// order now.
	Complete bool
	// Count is the exact number of valid complete configurations extending the selections.
	Count *big.Int
	// Groups holds the state of every option, in model order.
	Groups []GroupResult
}

// GroupResult is the state of one group's options.
type GroupResult struct {
	Key string
	// None is the state of "none" for optional groups (EXCLUDED for required groups).
	None    State
	Options []OptionResult
}

// OptionResult is the state of one option.
type OptionResult struct {
	Key   string
	State State
}

// Propagate computes the state of every option under the selections (oldest first).
// Unknown groups or options are *InputError values.
func (c *Compiled) Propagate(sel []Selection) (*Result, error) {
	res := &Result{}
	if err := c.PropagateInto(res, sel); err != nil {
		return nil, err
	}
	return res, nil
}

// PropagateInto is Propagate writing into res, reusing its slices and Count when res
// came from an earlier call on the same catalog, so that a step does not allocate.
func (c *Compiled) PropagateInto(res *Result, sel []Selection) error {
	s := c.getScratch()
	defer c.putScratch(s)
	if err := c.appendLits(s, sel); err != nil {
		return err
	}
	c.restrict(s, s.lits)
	total := c.countPass(s)
	c.down(s, total)
	if res.Count == nil {
		res.Count = new(big.Int)
	}
	c.setCount(s, res.Count, total)
	res.Consistent = total > 0
	res.Complete = res.Consistent && c.complete(s)
	c.fill(res, s)
	return nil
}

// Count returns the exact number of valid complete configurations extending sel.
func (c *Compiled) Count(sel []Selection) (*big.Int, error) {
	s := c.getScratch()
	defer c.putScratch(s)
	if err := c.appendLits(s, sel); err != nil {
		return nil, err
	}
	c.restrict(s, s.lits)
	total := c.countPass(s)
	n := new(big.Int)
	c.setCount(s, n, total)
	return n, nil
}

// consistent reports whether the literals admit a valid configuration (one bottom-up pass).
func (c *Compiled) consistent(s *scratch, lits []lit) bool {
	c.restrict(s, lits)
	return c.up(s) > 0
}

// complete evaluates the default completion of s.lits on the diagram.
func (c *Compiled) complete(s *scratch) bool {
	clear(s.fixed)
	for l, v := range c.varAt {
		s.assign[l] = 0
		if x := c.vars[v]; x.kind == vkValue {
			s.assign[l] = c.groups[x.group].noneVal // -1 when required
		}
	}
	for _, x := range s.lits {
		if s.fixed[x.level] && s.assign[x.level] != x.val {
			return false
		}
		s.assign[x.level], s.fixed[x.level] = x.val, true
	}
	for _, g := range c.groups {
		if g.kind != KindMulti {
			continue
		}
		if l := c.levelOf[g.v]; !s.fixed[l] {
			n := int32(0)
			for _, b := range g.bools {
				n += s.assign[c.levelOf[b]]
			}
			s.assign[l] = n
		}
	}
	for l := range c.dom {
		if s.assign[l] < 0 {
			return false
		}
	}
	node := c.root
	term := int32(len(c.nodeLevel) - 1)
	for node != term {
		l := c.nodeLevel[node]
		fv := c.valOff[l] + s.assign[l]
		next := int32(-1)
		for e := c.edgeStart[node]; e < c.edgeStart[node+1]; e++ {
			if c.eVal[e] == fv {
				next = c.eChild[e]
				break
			}
		}
		if next < 0 {
			return false
		}
		node = next
	}
	return true
}

// stateOf returns the state of flat value fv of the variable at level l.
func (c *Compiled) stateOf(s *scratch, l, fv int32) State {
	if s.selected[fv] {
		return StateSelected
	}
	if !s.supp[fv] {
		return StateExcluded
	}
	for o := c.valOff[l]; o < c.valOff[l+1]; o++ {
		if o != fv && s.supp[o] {
			return StateAvailable
		}
	}
	return StateForced
}

// fill writes the option states into res.
func (c *Compiled) fill(res *Result, s *scratch) {
	for _, x := range s.lits {
		s.selected[c.valOff[x.level]+x.val] = true
	}
	if len(res.Groups) != len(c.groups) {
		res.Groups = make([]GroupResult, len(c.groups))
		n := 0
		for _, g := range c.groups {
			n += g.nopts
		}
		opts := make([]OptionResult, n)
		for gi, g := range c.groups {
			mg := c.model.Groups[gi]
			res.Groups[gi] = GroupResult{Key: g.key, Options: opts[:g.nopts:g.nopts]}
			opts = opts[g.nopts:]
			for oi := range g.nopts {
				key := FilledKey
				if g.kind != KindText {
					key = mg.Options[oi].Key
				}
				res.Groups[gi].Options[oi].Key = key
			}
		}
	}
	for gi, g := range c.groups {
		gr := &res.Groups[gi]
		gr.None = StateExcluded
		l := c.levelOf[g.v]
		if g.kind == KindMulti {
			if g.optional {
				gr.None = c.stateOf(s, l, c.valOff[l])
			}
			for oi, b := range g.bools {
				lb := c.levelOf[b]
				st := c.stateOf(s, lb, c.valOff[lb]+1)
				gr.Options[oi].State = st
			}
			continue
		}
		if g.optional {
			gr.None = c.stateOf(s, l, c.valOff[l]+g.noneVal)
		}
		for oi := range g.nopts {
			gr.Options[oi].State = c.stateOf(s, l, c.valOff[l]+int32(oi))
		}
	}
	for _, x := range s.lits {
		s.selected[c.valOff[x.level]+x.val] = false
	}
}
