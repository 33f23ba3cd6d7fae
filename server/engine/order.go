package engine

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// forceOrder returns a variable order (level -> variable) that keeps the variables of each
// constraint close together, using the FORCE heuristic (Aloul, Markov, Sakallah 2003):
// repeatedly move every variable to the mean centre of gravity of its constraints and
// re-rank. Several deterministic starts are tried; the order with the smallest total span
// of the constraint scopes wins.
func forceOrder(nvars int, scopes [][]int) []int32 {
	var edges [][]int
	incident := make([][]int, nvars)
	for _, s := range scopes {
		if len(s) < 2 {
			continue
		}
		e := len(edges)
		edges = append(edges, s)
		for _, v := range s {
			incident[v] = append(incident[v], e)
		}
	}
	order := make([]int32, nvars)
	for i := range order {
		order[i] = int32(i)
	}
	if len(edges) == 0 {
		return order
	}
	pos := make([]float64, nvars)
	cog := make([]float64, len(edges))
	rank := make([]int, nvars)
	totalSpan := func(p []int) int {
		t := 0
		for _, e := range edges {
			lo, hi := p[e[0]], p[e[0]]
			for _, v := range e[1:] {
				lo, hi = min(lo, p[v]), max(hi, p[v])
			}
			t += hi - lo
		}
		return t
	}
	best := slices.Clone(order)
	for i, v := range best {
		rank[v] = i
	}
	bestSpan := totalSpan(rank)
	rng := rand.New(rand.NewPCG(1, 2))
	cur := make([]int32, nvars)
	for start := range 8 {
		copy(cur, order)
		if start > 0 {
			rng.Shuffle(nvars, func(i, j int) { cur[i], cur[j] = cur[j], cur[i] })
		}
		stale := 0
		for iter := 0; iter < 200 && stale < 10; iter++ {
			for i, v := range cur {
				rank[v] = i
			}
			for ei, e := range edges {
				s := 0
				for _, v := range e {
					s += rank[v]
				}
				cog[ei] = float64(s) / float64(len(e))
			}
			for v := range nvars {
				if len(incident[v]) == 0 {
					pos[v] = float64(rank[v])
					continue
				}
				s := 0.0
				for _, e := range incident[v] {
					s += cog[e]
				}
				pos[v] = s / float64(len(incident[v]))
			}
			slices.SortStableFunc(cur, func(a, b int32) int {
				switch {
				case pos[a] < pos[b]:
					return -1
				case pos[a] > pos[b]:
					return 1
				}
				return 0
			})
			for i, v := range cur {
				rank[v] = i
			}
			if s := totalSpan(rank); s < bestSpan {
				bestSpan = s
				copy(best, cur)
				stale = 0
			} else {
				stale++
			}
		}
	}
	return best
}

// minFillOrder returns a min-fill elimination order of the constraint graph (variables
// sharing a scope are adjacent), together with each variable's neighbours when it is
// eliminated (its bag, without itself). Ties go to the smaller degree, then the smaller
// variable. Fill counts are recomputed only around the eliminated variable.
func minFillOrder(nvars int, scopes [][]int) (elim []int, bags [][]int) {
	words := (nvars + 63) / 64
	adj := make([]uint64, nvars*words)
	row := func(v int) []uint64 { return adj[v*words : (v+1)*words] }
	for _, s := range scopes {
		for _, a := range s {
			for _, b := range s {
				if a != b {
					row(a)[b/64] |= 1 << (b % 64)
				}
			}
		}
	}
	gone := make([]bool, nvars)
	fill := make([]int, nvars)
	deg := make([]int, nvars)
	nbrs := func(v int, out []int) []int {
		out = out[:0]
		for w, x := range row(v) {
			for x != 0 {
				out = append(out, w*64+bits.TrailingZeros64(x))
				x &= x - 1
			}
		}
		return out
	}
	var buf []int
	score := func(v int) {
		buf = nbrs(v, buf)
		deg[v] = len(buf)
		f := 0
		rv := row(v)
		for _, a := range buf {
			ra := row(a)
			for w := range rv {
				f += bits.OnesCount64(rv[w] &^ ra[w])
			}
			f-- // a itself
		}
		fill[v] = f / 2
	}
	for v := range nvars {
		score(v)
	}
	var nb, touched []int
	mark := make([]bool, nvars)
	for range nvars {
		best := -1
		for v := range nvars {
			if gone[v] {
				continue
			}
			if best < 0 || fill[v] < fill[best] || fill[v] == fill[best] && deg[v] < deg[best] {
				best = v
			}
		}
		nb = nbrs(best, nb)
		elim = append(elim, best)
		bags = append(bags, slices.Clone(nb))
		gone[best] = true
		for _, a := range nb {
			ra := row(a)
			for _, b := range nb {
				if a != b {
					ra[b/64] |= 1 << (b % 64)
				}
			}
			ra[best/64] &^= 1 << (best % 64)
		}
		// The fill of the neighbours and of their neighbours may have changed.
		touched = touched[:0]
		for _, a := range nb {
			if !mark[a] {
				mark[a] = true
				touched = append(touched, a)
			}
			buf = nbrs(a, buf)
			for _, b := range buf {
				if !mark[b] {
					mark[b] = true
					touched = append(touched, b)
				}
			}
		}
		for _, v := range touched {
			mark[v] = false
			score(v)
		}
	}
	return elim, bags
}

// decomposition is a min-fill tree decomposition of the constraint graph, as an
// elimination tree: every variable's parent is its first-eliminated later neighbour.
type decomposition struct {
	elim   []int   // elimination order (children before parents)
	parent []int   // per variable, -1 for roots
	order  []int32 // level -> variable
}

// treeOrder returns the min-fill decomposition and a variable order derived from it: the
// elimination tree is walked depth first, parents before children and smaller subtrees
// first. Every subtree of the decomposition then occupies a contiguous band of levels below
// its separator, so a diagram's width inside the band is at most the number of assignments
// of the separator. (Children first, separators below the band, is far worse: the width
// becomes the number of sets of separator assignments.)
func treeOrder(nvars int, scopes [][]int) decomposition {
	elim, bags := minFillOrder(nvars, scopes)
	pos := make([]int, nvars)
	for i, v := range elim {
		pos[v] = i
	}
	d := decomposition{elim: elim, parent: make([]int, nvars)}
	kids := make([][]int, nvars)
	var roots []int
	for i, v := range elim {
		d.parent[v] = -1
		for _, a := range bags[i] {
			if d.parent[v] < 0 || pos[a] < pos[d.parent[v]] {
				d.parent[v] = a
			}
		}
		if d.parent[v] < 0 {
			roots = append(roots, v)
		} else {
			kids[d.parent[v]] = append(kids[d.parent[v]], v)
		}
	}
	size := make([]int, nvars)
	for _, v := range elim { // children are eliminated before their parent
		size[v]++
		if p := d.parent[v]; p >= 0 {
			size[p] += size[v]
		}
	}
	bySize := func(a, b int) int {
		if size[a] != size[b] {
			return size[a] - size[b]
		}
		return a - b
	}
	slices.SortFunc(roots, bySize)
	d.order = make([]int32, 0, nvars)
	stack := slices.Clone(roots)
	slices.Reverse(stack)
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		d.order = append(d.order, int32(v))
		k := kids[v]
		slices.SortFunc(k, bySize)
		for i := len(k) - 1; i >= 0; i-- {
			stack = append(stack, k[i])
		}
	}
	return d
}

// widthBound estimates the size of a diagram under an order (level -> variable): the sum,
// over levels, of the logarithm of the number of assignments of the earlier variables that
// share a scope with this level or a later one (an upper bound on the width there).
func widthBound(order []int32, scopes [][]int, dom []int32) float64 {
	n := len(order)
	level := make([]int, n)
	for l, v := range order {
		level[v] = l
	}
	// lastUse[v]: the deepest level of a variable sharing a scope with v.
	lastUse := make([]int, n)
	for v := range lastUse {
		lastUse[v] = level[v]
	}
	for _, s := range scopes {
		hi := 0
		for _, v := range s {
			hi = max(hi, level[v])
		}
		for _, v := range s {
			lastUse[v] = max(lastUse[v], hi)
		}
	}
	// v is in the cut of levels level[v]+1..lastUse[v].
	diff := make([]float64, n+1)
	for v := range n {
		if lastUse[v] > level[v] {
			w := math.Log2(float64(max(dom[v], 1)))
			diff[level[v]+1] += w
			diff[lastUse[v]+1] -= w
		}
	}
	total, run := 0.0, 0.0
	for l := range n {
		run += diff[l]
		total += math.Exp2(min(run, 40))
	}
	return total
}
