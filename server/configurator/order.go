package configurator

import (
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
