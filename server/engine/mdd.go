package engine

import (
	"slices"
)

// Node ids of the two terminals in a manager.
const (
	falseNode int32 = 0
	trueNode  int32 = 1
)

// Binary operations of apply.
const (
	opAnd = iota
	opOr
	opIff
)

// mgr builds reduced, ordered multi-valued decision diagrams with skip levels: a node
// whose children are all equal is never created (the variable is unconstrained there),
// and identical nodes are shared through a unique table, so every function has exactly
// one node (canonical). Levels are positions in the variable order; terminals sit at
// level nvars. It is used only while compiling and is not safe for concurrent use.
type mgr struct {
	nvars  int32
	dom    []int32 // domain size per level
	level  []int32 // per node
	kidOff []int32 // per node: offset of its children in kids
	kids   []int32
	uniq   []int32 // open addressing table of node ids, -1 = empty
	nuniq  int
	memo   map[uint64]int32
	nmemo  map[int32]int32
	stack  []int32
	mark   []uint32
	epoch  uint32
}

func newMgr(dom []int32) *mgr {
	m := &mgr{
		nvars: int32(len(dom)),
		dom:   dom,
		memo:  make(map[uint64]int32),
		nmemo: make(map[int32]int32),
	}
	for range 2 {
		m.level = append(m.level, m.nvars)
		m.kidOff = append(m.kidOff, 0)
	}
	m.uniq = make([]int32, 1<<10)
	for i := range m.uniq {
		m.uniq[i] = -1
	}
	return m
}

func (m *mgr) children(n int32) []int32 {
	off := m.kidOff[n]
	return m.kids[off : off+m.dom[m.level[n]]]
}

func hashNode(level int32, kids []int32) uint64 {
	h := uint64(level)*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	for _, k := range kids {
		h ^= uint64(uint32(k))
		h *= 0xBF58476D1CE4E5B9
		h ^= h >> 29
	}
	return h
}

// mk returns the node (level, kids), reducing redundant nodes and sharing duplicates.
func (m *mgr) mk(level int32, kids []int32) int32 {
	if len(kids) == 0 {
		return falseNode // an empty domain admits nothing
	}
	first := kids[0]
	same := true
	for _, k := range kids[1:] {
		if k != first {
			same = false
			break
		}
	}
	if same {
		return first
	}
	mask := uint64(len(m.uniq) - 1)
	for i := hashNode(level, kids) & mask; ; i = (i + 1) & mask {
		id := m.uniq[i]
		if id < 0 {
			id = int32(len(m.level))
			m.level = append(m.level, level)
			m.kidOff = append(m.kidOff, int32(len(m.kids)))
			m.kids = append(m.kids, kids...)
			m.uniq[i] = id
			m.nuniq++
			if m.nuniq*2 > len(m.uniq) {
				m.grow()
			}
			return id
		}
		if m.level[id] == level && slices.Equal(m.children(id), kids) {
			return id
		}
	}
}

func (m *mgr) grow() {
	old := m.uniq
	m.uniq = make([]int32, len(old)*2)
	for i := range m.uniq {
		m.uniq[i] = -1
	}
	mask := uint64(len(m.uniq) - 1)
	for _, id := range old {
		if id < 0 {
			continue
		}
		i := hashNode(m.level[id], m.children(id)) & mask
		for m.uniq[i] >= 0 {
			i = (i + 1) & mask
		}
		m.uniq[i] = id
	}
}

// literal returns the diagram of "variable at level l takes a value in allowed".
func (m *mgr) literal(l int32, allowed []bool) int32 {
	base := len(m.stack)
	for _, a := range allowed {
		k := falseNode
		if a {
			k = trueNode
		}
		m.stack = append(m.stack, k)
	}
	r := m.mk(l, m.stack[base:])
	m.stack = m.stack[:base]
	return r
}

// apply combines a and b with op; the memo is cleared afterwards.
func (m *mgr) apply(op int, a, b int32) int32 {
	r := m.app(op, a, b)
	clear(m.memo)
	return r
}

func (m *mgr) app(op int, a, b int32) int32 {
	switch op {
	case opAnd:
		if a == falseNode || b == falseNode {
			return falseNode
		}
		if a == trueNode || a == b {
			return b
		}
		if b == trueNode {
			return a
		}
	case opOr:
		if a == trueNode || b == trueNode {
			return trueNode
		}
		if a == falseNode || a == b {
			return b
		}
		if b == falseNode {
			return a
		}
	case opIff:
		if a == b {
			return trueNode
		}
		if a <= trueNode && b <= trueNode {
			return falseNode
		}
	}
	if a > b {
		a, b = b, a // all ops are commutative
	}
	key := uint64(op)<<62 | uint64(uint32(a))<<31 | uint64(uint32(b))
	if r, ok := m.memo[key]; ok {
		return r
	}
	la, lb := m.level[a], m.level[b]
	l := min(la, lb)
	d := m.dom[l]
	base := len(m.stack)
	for range d {
		m.stack = append(m.stack, 0)
	}
	for v := range d {
		ca, cb := a, b
		if la == l {
			ca = m.kids[m.kidOff[a]+v]
		}
		if lb == l {
			cb = m.kids[m.kidOff[b]+v]
		}
		m.stack[base+int(v)] = m.app(op, ca, cb)
	}
	r := m.mk(l, m.stack[base:base+int(d)])
	m.stack = m.stack[:base]
	m.memo[key] = r
	return r
}

// not returns the complement of a.
func (m *mgr) not(a int32) int32 {
	r := m.neg(a)
	clear(m.nmemo)
	return r
}

func (m *mgr) neg(a int32) int32 {
	switch a {
	case falseNode:
		return trueNode
	case trueNode:
		return falseNode
	}
	if r, ok := m.nmemo[a]; ok {
		return r
	}
	l := m.level[a]
	d := m.dom[l]
	base := len(m.stack)
	for range d {
		m.stack = append(m.stack, 0)
	}
	for v := range d {
		m.stack[base+int(v)] = m.neg(m.kids[m.kidOff[a]+v])
	}
	r := m.mk(l, m.stack[base:base+int(d)])
	m.stack = m.stack[:base]
	m.nmemo[a] = r
	return r
}

// size returns the number of nonterminal nodes reachable from a.
func (m *mgr) size(a int32) int {
	if len(m.mark) < len(m.level) {
		m.mark = make([]uint32, len(m.level)*2)
		m.epoch = 0
	}
	m.epoch++
	n := 0
	stack := []int32{a}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x <= trueNode || m.mark[x] == m.epoch {
			continue
		}
		m.mark[x] = m.epoch
		n++
		stack = append(stack, m.children(x)...)
	}
	return n
}

// table returns the diagram of a table over distinct levels: the disjunction of its tuples
// (each tuple lists one value index per scope position). Tuples are built as a trie in
// level order, which the unique table reduces.
func (m *mgr) table(levels []int32, tuples [][]int32) int32 {
	k := len(levels)
	perm := make([]int, k)
	for i := range perm {
		perm[i] = i
	}
	slices.SortFunc(perm, func(x, y int) int { return int(levels[x] - levels[y]) })
	rows := make([][]int32, len(tuples))
	for i, t := range tuples {
		r := make([]int32, k)
		for j, p := range perm {
			r[j] = t[p]
		}
		rows[i] = r
	}
	slices.SortFunc(rows, slices.Compare)
	sorted := make([]int32, k)
	for j, p := range perm {
		sorted[j] = levels[p]
	}
	var build func(depth, lo, hi int) int32
	build = func(depth, lo, hi int) int32 {
		if depth == k {
			return trueNode
		}
		l := sorted[depth]
		d := m.dom[l]
		kids := make([]int32, d)
		for i := lo; i < hi; {
			v := rows[i][depth]
			j := i
			for j < hi && rows[j][depth] == v {
				j++
			}
			kids[v] = build(depth+1, i, j)
			i = j
		}
		return m.mk(l, kids)
	}
	if len(rows) == 0 {
		return falseNode
	}
	return build(0, 0, len(rows))
}
