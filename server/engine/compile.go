package engine

import (
	"container/heap"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

type varKind int8

const (
	vkValue varKind = iota // SINGLE, NUMBER and TEXT groups: one value per option (+ none)
	vkBool                 // one option of a MULTI group: 0 = not chosen, 1 = chosen
	vkCount                // number of chosen options of a MULTI group (auxiliary)
)

type variable struct {
	group  int
	kind   varKind
	option int // vkBool: option index
	dom    int32
}

type groupInfo struct {
	key      string
	kind     Kind
	optional bool
	opts     map[string]int // option key -> index
	nopts    int
	v        int   // the vkValue variable, or the vkCount variable of a MULTI group
	bools    []int // MULTI: the vkBool variable of each option
	noneVal  int32 // vkValue: value index of none, -1 when required
}

type conKind int8

const (
	ckRule conKind = iota
	ckTable
	ckCount
)

type constraint struct {
	id, msg string
	kind    conKind
	index   int   // index in Model.Rules / Model.Tables / Model.Groups
	vars    []int // scope
	root    int32 // in Compiled.base
}

type span struct{ a, b int32 }

// Compiled is a compiled catalog version. It is immutable and safe for concurrent use.
type Compiled struct {
	model    Model
	groups   []groupInfo
	groupIdx map[string]int
	vars     []variable
	cons     []constraint

	levelOf []int32 // var -> level
	varAt   []int32 // level -> var
	dom     []int32 // per level
	valOff  []int32 // per level: offset in the flat value arrays (len nvars+1)

	// The diagram, nodes sorted by level; node n (= len(nodeLevel)-1) is the true terminal.
	root      int32 // -1 when there is no valid configuration
	rootSpan  int32
	nodeLevel []int32
	edgeStart []int32
	eVal      []int32 // flat value index (valOff[level]+value)
	eChild    []int32
	eSpan     []int32
	spans     []span // spans[0] is the empty span

	base *mgr // per-constraint diagrams, read-only after Compile
	pool sync.Pool

	// minCons memoises minimalConstraints by its set of literals (see explain.go).
	minCons     sync.Map // string -> []int
	minConsSize atomic.Int64

	// dec is the tree decomposition whose order the diagram follows (nil: FORCE order).
	dec *decomposition
	// wide is the arithmetic that counts exactly: uint64, two words, or math/big beyond.
	wide int8
}

// Widths of exact counting, chosen at compile time from the unrestricted total, which
// bounds every count of every step (restricting never adds paths).
const (
	wide64 int8 = iota
	wide128
	wideBig
)

// Stats describes the size of a compiled catalog.
type Stats struct {
	// Variables is the number of diagram variables (MULTI groups add one per option + 1).
	Variables int
	// Nodes and Edges are the size of the reduced diagram (edges to false not counted).
	Nodes, Edges int
	// Constraints is the number of compiled rules, tables and count constraints.
	Constraints int
}

// Stats returns the size of the compiled diagram.
func (c *Compiled) Stats() Stats {
	return Stats{
		Variables:   len(c.vars),
		Nodes:       len(c.nodeLevel) - 1,
		Edges:       len(c.eChild),
		Constraints: len(c.cons),
	}
}

// Model returns a copy of the compiled model.
func (c *Compiled) Model() Model { return c.model.clone() }

// Compile validates and compiles a model into a catalog. A model with no valid configuration
// still compiles (Lint reports it); bad references and syntax are *CompileError values.
func Compile(m Model) (*Compiled, error) {
	c := &Compiled{model: m.clone(), groupIdx: make(map[string]int)}
	if err := c.buildVars(); err != nil {
		return nil, err
	}
	exprs := make([]Expr, len(c.model.Rules))
	for i, r := range c.model.Rules {
		e, err := ParseRule(r.Expr)
		if err != nil {
			return nil, &CompileError{RuleID: r.ID, Msg: "parsing rule", Err: err}
		}
		vars, err := c.exprVars(r.ID, e, nil)
		if err != nil {
			return nil, err
		}
		exprs[i] = e
		c.cons = append(c.cons, constraint{id: r.ID, msg: r.Message, kind: ckRule, index: i,
			vars: dedupe(vars)})
	}
	tables := make([]compiledTable, len(c.model.Tables))
	for i, t := range c.model.Tables {
		ct, err := c.checkTable(t)
		if err != nil {
			return nil, err
		}
		tables[i] = ct
		c.cons = append(c.cons, constraint{id: t.ID, msg: t.Message, kind: ckTable, index: i,
			vars: dedupe(ct.vars)})
	}
	for gi, g := range c.groups {
		if g.kind != KindMulti {
			continue
		}
		vars := append(append([]int(nil), g.bools...), g.v)
		c.cons = append(c.cons, constraint{id: "count:" + g.key, msg: c.countMessage(gi),
			kind: ckCount, index: gi, vars: vars})
	}

	scopes := make([][]int, len(c.cons))
	for i, k := range c.cons {
		scopes[i] = k.vars
	}
	var dec *decomposition
	c.varAt, dec = chooseOrder(len(c.vars), scopes, c.vars)
	c.levelOf = make([]int32, len(c.vars))
	c.dom = make([]int32, len(c.vars))
	c.valOff = make([]int32, len(c.vars)+1)
	for l, v := range c.varAt {
		c.levelOf[v] = int32(l)
		c.dom[l] = c.vars[v].dom
		c.valOff[l+1] = c.valOff[l] + c.vars[v].dom
	}

	mm := newMgr(c.dom)
	roots := make([]int32, len(c.cons))
	for i, k := range c.cons {
		switch k.kind {
		case ckRule:
			roots[i] = c.buildExpr(mm, exprs[k.index])
		case ckTable:
			roots[i] = c.buildTable(mm, tables[k.index])
		case ckCount:
			roots[i] = c.buildCount(mm, k.index)
		}
	}
	var root int32
	c.dec = dec
	if dec != nil {
		cons := make([]*constraint, len(c.cons))
		for i := range c.cons {
			cons[i] = &c.cons[i]
		}
		root = conjoinTree(mm, dec, cons, roots)
	} else {
		root = conjoin(mm, roots)
	}
	for _, v := range c.vars {
		if v.dom == 0 {
			root = falseNode
		}
	}
	c.flatten(mm, root)

	// Keep only the per-constraint diagrams (for explanations and lint), not the intermediate
	// conjunctions.
	c.base = newMgr(c.dom)
	memo := make(map[int32]int32)
	for i := range c.cons {
		c.cons[i].root = c.base.importFrom(mm, roots[i], nil, memo)
	}
	c.pool.New = func() any { return c.newScratch() }
	s := c.getScratch()
	c.restrict(s, nil)
	if c.up(s); s.overflow {
		c.wide = wideBig
		if c.bigCount(s).BitLen() <= 128 {
			c.wide = wide128
		}
	}
	// Scratch arrays are sized by the width: drop the one made before it was known.
	c.pool = sync.Pool{New: c.pool.New}
	return c, nil
}

// orderSlack is how much smaller the tree order's width bound must be for it to replace
// the FORCE order. The bound counts every assignment of a cut, but catalog tables are
// largely functional (a few columns determine the rest), which makes real widths orders of
// magnitude smaller; FORCE's short scope spans exploit that. Measured: on Mégane the tree
// order's bound is 157 times smaller, yet its diagram is four times larger (105,380 nodes
// against 25,560); on the generated models of issue 18 the bound is 10^5 times smaller and
// FORCE's diagram does not compile in minutes.
const orderSlack = 1 << 12

// chooseOrder returns the FORCE order, or the order of a min-fill tree decomposition (then
// also returned, for the conjunction schedule) when its width bound is far smaller.
func chooseOrder(nvars int, scopes [][]int, vars []variable) ([]int32, *decomposition) {
	dom := make([]int32, nvars)
	for i, v := range vars {
		dom[i] = v.dom
	}
	force := forceOrder(nvars, scopes)
	tree := treeOrder(nvars, scopes)
	if widthBound(tree.order, scopes, dom)*orderSlack < widthBound(force, scopes, dom) {
		return tree.order, &tree
	}
	return force, nil
}

// conjoinTree ands the diagrams bottom-up along the decomposition: every constraint goes to
// the bucket of its scope's last-eliminated variable, and a variable's bucket is conjoined
// with its children's results (two smallest first), so that each intermediate diagram
// covers one subtree of the decomposition.
func conjoinTree(mm *mgr, d *decomposition, cons []*constraint, roots []int32) int32 {
	pos := make([]int, len(d.parent))
	for i, v := range d.elim {
		pos[v] = i
	}
	buckets := make([][]int32, len(d.parent))
	var free []int32
	for i, k := range cons {
		if len(k.vars) == 0 {
			free = append(free, roots[i])
			continue
		}
		top := k.vars[0]
		for _, v := range k.vars {
			if pos[v] > pos[top] {
				top = v
			}
		}
		buckets[top] = append(buckets[top], roots[i])
	}
	for _, v := range d.elim {
		r := conjoin(mm, buckets[v])
		buckets[v] = nil
		if r == falseNode {
			return falseNode
		}
		if p := d.parent[v]; p >= 0 {
			buckets[p] = append(buckets[p], r)
		} else {
			free = append(free, r)
		}
	}
	return conjoin(mm, free)
}

func dedupe(v []int) []int {
	slices.Sort(v)
	return slices.Compact(v)
}

func (c *Compiled) buildVars() error {
	for gi, g := range c.model.Groups {
		if g.Key == "" {
			return &CompileError{Msg: fmt.Sprintf("group %d has an empty key", gi)}
		}
		if _, dup := c.groupIdx[g.Key]; dup {
			return &CompileError{Key: g.Key, Msg: "duplicate group key"}
		}
		c.groupIdx[g.Key] = gi
		info := groupInfo{key: g.Key, kind: g.Kind, optional: !g.Required, noneVal: -1,
			opts: make(map[string]int)}
		var keys []string
		switch g.Kind {
		case KindSingle, KindMulti, KindNumber:
			for _, o := range g.Options {
				keys = append(keys, o.Key)
			}
		case KindText:
			keys = []string{FilledKey}
		default:
			return &CompileError{Key: g.Key, Msg: fmt.Sprintf("unknown group kind %d", g.Kind)}
		}
		for _, k := range keys {
			if k == "" || k == NoneKey {
				return &CompileError{Key: g.Key, Msg: fmt.Sprintf("invalid option key %q", k)}
			}
			if _, dup := info.opts[k]; dup {
				return &CompileError{Key: g.Key + "." + k, Msg: "duplicate option key"}
			}
			info.opts[k] = len(info.opts)
		}
		info.nopts = len(keys)
		if g.Kind == KindMulti {
			for oi := range keys {
				info.bools = append(info.bools, len(c.vars))
				c.vars = append(c.vars, variable{group: gi, kind: vkBool, option: oi, dom: 2})
			}
			info.v = len(c.vars)
			c.vars = append(c.vars, variable{group: gi, kind: vkCount, dom: int32(len(keys) + 1)})
		} else {
			d := int32(len(keys))
			if info.optional {
				info.noneVal = d
				d++
			}
			info.v = len(c.vars)
			c.vars = append(c.vars, variable{group: gi, kind: vkValue, dom: d})
		}
		c.groups = append(c.groups, info)
	}
	return nil
}

// countRange returns the allowed numbers of chosen options of a MULTI group.
func (c *Compiled) countRange(gi int) (lo, hi int, zero bool) {
	g := c.model.Groups[gi]
	n := c.groups[gi].nopts
	lo, hi = g.MinSelect, g.MaxSelect
	if hi <= 0 || hi > n {
		hi = n
	}
	zero = !g.Required
	lo = max(lo, 1)
	return lo, hi, zero
}

func (c *Compiled) countMessage(gi int) string {
	lo, hi, zero := c.countRange(gi)
	name := c.model.Groups[gi].Name
	if name == "" {
		name = c.model.Groups[gi].Key
	}
	s := fmt.Sprintf("Choose between %d and %d options of %s", lo, hi, name)
	if lo == hi {
		s = fmt.Sprintf("Choose exactly %d options of %s", lo, name)
	}
	if zero {
		s += ", or none"
	}
	return s
}

// atomVars resolves an atom: the variables it mentions, after checking every key.
func (c *Compiled) atomVars(ruleID string, x *Cmp) ([]int, error) {
	gi, ok := c.groupIdx[x.Group]
	if !ok {
		return nil, &CompileError{RuleID: ruleID, Key: x.Group, Msg: "unknown group"}
	}
	g := c.groups[gi]
	var vars []int
	for _, o := range x.Options {
		if o == NoneKey {
			if !g.optional {
				return nil, &CompileError{RuleID: ruleID, Key: x.Group + "." + o,
					Msg: "group is required and has no none value"}
			}
			vars = append(vars, g.v)
			continue
		}
		oi, ok := g.opts[o]
		if !ok {
			return nil, &CompileError{RuleID: ruleID, Key: x.Group + "." + o, Msg: "unknown option"}
		}
		if g.kind == KindMulti {
			vars = append(vars, g.bools[oi])
		} else {
			vars = append(vars, g.v)
		}
	}
	return vars, nil
}

func (c *Compiled) exprVars(ruleID string, e Expr, out []int) ([]int, error) {
	switch x := e.(type) {
	case *Cmp:
		v, err := c.atomVars(ruleID, x)
		return append(out, v...), err
	case *Not:
		return c.exprVars(ruleID, x.X, out)
	case *Binary:
		out, err := c.exprVars(ruleID, x.L, out)
		if err != nil {
			return nil, err
		}
		return c.exprVars(ruleID, x.R, out)
	}
	return out, nil
}

// optionLit returns the diagram of "group gi has option key chosen" (key may be NoneKey).
func (c *Compiled) optionLit(mm *mgr, gi int, key string) int32 {
	g := c.groups[gi]
	if g.kind == KindMulti {
		if key == NoneKey {
			return c.valueLit(mm, g.v, 0)
		}
		return c.valueLit(mm, g.bools[g.opts[key]], 1)
	}
	if key == NoneKey {
		return c.valueLit(mm, g.v, g.noneVal)
	}
	return c.valueLit(mm, g.v, int32(g.opts[key]))
}

func (c *Compiled) valueLit(mm *mgr, v int, val int32) int32 {
	allowed := make([]bool, c.vars[v].dom)
	allowed[val] = true
	return mm.literal(c.levelOf[v], allowed)
}

// buildExpr compiles a checked expression.
func (c *Compiled) buildExpr(mm *mgr, e Expr) int32 {
	switch x := e.(type) {
	case *Lit:
		if x.Value {
			return trueNode
		}
		return falseNode
	case *Not:
		return mm.not(c.buildExpr(mm, x.X))
	case *Binary:
		l := c.buildExpr(mm, x.L)
		r := c.buildExpr(mm, x.R)
		switch x.Op {
		case OpAnd:
			return mm.apply(opAnd, l, r)
		case OpOr:
			return mm.apply(opOr, l, r)
		case OpImplies:
			return mm.apply(opOr, mm.not(l), r)
		default:
			return mm.apply(opIff, l, r)
		}
	case *Cmp:
		gi := c.groupIdx[x.Group]
		g := c.groups[gi]
		var r int32
		if g.kind == KindMulti {
			r = falseNode
			for _, o := range x.Options {
				r = mm.apply(opOr, r, c.optionLit(mm, gi, o))
			}
		} else {
			allowed := make([]bool, c.vars[g.v].dom)
			for _, o := range x.Options {
				if o == NoneKey {
					allowed[g.noneVal] = true
				} else {
					allowed[g.opts[o]] = true
				}
			}
			r = mm.literal(c.levelOf[g.v], allowed)
		}
		if x.Op == OpNeq || x.Op == OpNotIn {
			r = mm.not(r)
		}
		return r
	}
	panic("configurator: unknown expression type")
}

type compiledTable struct {
	t      Table
	groups []int
	vars   []int
	fast   bool      // all scope groups are distinct non-MULTI groups
	tuples [][]int32 // fast path: value indexes
}

func (c *Compiled) checkTable(t Table) (compiledTable, error) {
	ct := compiledTable{t: t, fast: true}
	seen := make(map[int]bool)
	for _, key := range t.Scope {
		gi, ok := c.groupIdx[key]
		if !ok {
			return ct, &CompileError{RuleID: t.ID, Key: key, Msg: "unknown group in table scope"}
		}
		if seen[gi] || c.groups[gi].kind == KindMulti {
			ct.fast = false
		}
		seen[gi] = true
		ct.groups = append(ct.groups, gi)
	}
	for ti, tu := range t.Tuples {
		if len(tu) != len(t.Scope) {
			return ct, &CompileError{RuleID: t.ID, Msg: fmt.Sprintf(
				"tuple %d has %d values, scope has %d", ti, len(tu), len(t.Scope))}
		}
		if !ct.fast {
			for j, o := range tu {
				vars, err := c.atomVars(t.ID, &Cmp{Group: t.Scope[j], Op: OpEq, Options: []string{o}})
				if err != nil {
					return ct, err
				}
				ct.vars = append(ct.vars, vars...)
			}
			continue
		}
		row := make([]int32, len(tu))
		for j, o := range tu {
			g := &c.groups[ct.groups[j]]
			if o == NoneKey && g.optional {
				row[j] = g.noneVal
			} else if oi, ok := g.opts[o]; ok {
				row[j] = int32(oi)
			} else {
				// Let atomVars describe the error.
				_, err := c.atomVars(t.ID, &Cmp{Group: t.Scope[j], Op: OpEq, Options: []string{o}})
				return ct, err
			}
		}
		ct.tuples = append(ct.tuples, row)
	}
	if ct.fast {
		for _, gi := range ct.groups {
			ct.vars = append(ct.vars, c.groups[gi].v)
		}
	}
	return ct, nil
}

func (c *Compiled) buildTable(mm *mgr, ct compiledTable) int32 {
	var r int32
	if ct.fast {
		levels := make([]int32, len(ct.groups))
		for j, gi := range ct.groups {
			levels[j] = c.levelOf[c.groups[gi].v]
		}
		r = mm.table(levels, ct.tuples)
	} else {
		r = falseNode
		for _, tu := range ct.t.Tuples {
			row := trueNode
			for j, o := range tu {
				row = mm.apply(opAnd, row, c.optionLit(mm, ct.groups[j], o))
			}
			r = mm.apply(opOr, r, row)
		}
	}
	if ct.t.Conflicts {
		r = mm.not(r)
	}
	return r
}

// buildCount compiles "count variable = number of chosen options, and that number is allowed".
func (c *Compiled) buildCount(mm *mgr, gi int) int32 {
	g := c.groups[gi]
	lo, hi, zero := c.countRange(gi)
	bools := append([]int(nil), g.bools...)
	slices.SortFunc(bools, func(a, b int) int { return int(c.levelOf[a] - c.levelOf[b]) })
	n := len(bools)
	r := falseNode
	for k := 0; k <= n; k++ {
		if !(k == 0 && zero) && (k < lo || k > hi) {
			continue
		}
		memo := make(map[[2]int]int32)
		var exact func(pos, need int) int32
		exact = func(pos, need int) int32 {
			if need < 0 || need > n-pos {
				return falseNode
			}
			if pos == n {
				return trueNode
			}
			key := [2]int{pos, need}
			if v, ok := memo[key]; ok {
				return v
			}
			kids := []int32{exact(pos+1, need), exact(pos+1, need-1)}
			v := mm.mk(c.levelOf[bools[pos]], kids)
			memo[key] = v
			return v
		}
		r = mm.apply(opOr, r, mm.apply(opAnd, exact(0, k), c.valueLit(mm, g.v, int32(k))))
	}
	return r
}

// conjoin ands the diagrams, always combining the two smallest first.
func conjoin(mm *mgr, roots []int32) int32 {
	h := &sizeHeap{}
	for _, r := range roots {
		if r == falseNode {
			return falseNode
		}
		if r != trueNode {
			heap.Push(h, sized{r, mm.size(r)})
		}
	}
	for h.Len() > 1 {
		a := heap.Pop(h).(sized)
		b := heap.Pop(h).(sized)
		r := mm.apply(opAnd, a.root, b.root)
		if r == falseNode {
			return falseNode
		}
		heap.Push(h, sized{r, mm.size(r)})
	}
	if h.Len() == 0 {
		return trueNode
	}
	return (*h)[0].root
}

type sized struct {
	root int32
	size int
}

type sizeHeap []sized

func (h sizeHeap) Len() int { return len(h) }
func (h sizeHeap) Less(i, j int) bool {
	if h[i].size != h[j].size {
		return h[i].size < h[j].size
	}
	return h[i].root < h[j].root
}
func (h sizeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *sizeHeap) Push(x any)   { *h = append(*h, x.(sized)) }
func (h *sizeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// importFrom copies the diagram a of src into m, restricted to the allowed values
// (allowed nil, or allowed[level] nil, means no restriction). src is only read.
func (m *mgr) importFrom(src *mgr, a int32, allowed [][]bool, memo map[int32]int32) int32 {
	if a <= trueNode {
		return a
	}
	if r, ok := memo[a]; ok {
		return r
	}
	l := src.level[a]
	d := src.dom[l]
	off := src.kidOff[a]
	base := len(m.stack)
	for range d {
		m.stack = append(m.stack, 0)
	}
	for v := range d {
		k := falseNode
		if allowed == nil || allowed[l] == nil || allowed[l][v] {
			k = m.importFrom(src, src.kids[off+v], allowed, memo)
		}
		m.stack[base+int(v)] = k
	}
	r := m.mk(l, m.stack[base:base+int(d)])
	m.stack = m.stack[:base]
	memo[a] = r
	return r
}

// flatten stores the diagram rooted at root in the catalog's flat arrays.
func (c *Compiled) flatten(mm *mgr, root int32) {
	nv := int32(len(c.vars))
	c.spans = []span{{0, 0}}
	spanIdx := map[span]int32{{0, 0}: 0}
	spanOf := func(a, b int32) int32 {
		if a >= b {
			return 0
		}
		s := span{a, b}
		if i, ok := spanIdx[s]; ok {
			return i
		}
		i := int32(len(c.spans))
		c.spans = append(c.spans, s)
		spanIdx[s] = i
		return i
	}
	if root == falseNode {
		c.root = -1
		c.nodeLevel = []int32{nv}
		c.edgeStart = []int32{0, 0}
		return
	}
	var nodes []int32
	seen := map[int32]bool{}
	var walk func(int32)
	walk = func(n int32) {
		if n <= trueNode || seen[n] {
			return
		}
		seen[n] = true
		nodes = append(nodes, n)
		for _, k := range mm.children(n) {
			walk(k)
		}
	}
	walk(root)
	slices.SortStableFunc(nodes, func(a, b int32) int { return int(mm.level[a] - mm.level[b]) })
	idx := make(map[int32]int32, len(nodes)+1)
	for i, n := range nodes {
		idx[n] = int32(i)
	}
	term := int32(len(nodes))
	idx[trueNode] = term
	c.nodeLevel = make([]int32, len(nodes)+1)
	c.edgeStart = make([]int32, len(nodes)+2)
	for i, n := range nodes {
		l := mm.level[n]
		c.nodeLevel[i] = l
		c.edgeStart[i] = int32(len(c.eChild))
		for v, k := range mm.children(n) {
			if k == falseNode {
				continue
			}
			c.eVal = append(c.eVal, c.valOff[l]+int32(v))
			c.eChild = append(c.eChild, idx[k])
			c.eSpan = append(c.eSpan, spanOf(l+1, mm.level[k]))
		}
	}
	c.nodeLevel[term] = nv
	c.edgeStart[term] = int32(len(c.eChild))
	c.edgeStart[term+1] = int32(len(c.eChild))
	c.root = idx[root]
	c.rootSpan = spanOf(0, mm.level[root])
	// Sort spans by (a, b) so that a step computes their products incrementally.
	order := make([]int32, len(c.spans))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order[1:], func(x, y int32) int {
		sx, sy := c.spans[x], c.spans[y]
		if sx.a != sy.a {
			return int(sx.a - sy.a)
		}
		return int(sx.b - sy.b)
	})
	remap := make([]int32, len(c.spans))
	sorted := make([]span, len(c.spans))
	for newI, oldI := range order {
		remap[oldI] = int32(newI)
		sorted[newI] = c.spans[oldI]
	}
	c.spans = sorted
	for i, s := range c.eSpan {
		c.eSpan[i] = remap[s]
	}
	c.rootSpan = remap[c.rootSpan]
}
