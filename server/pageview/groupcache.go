package pageview

import (
	"slices"
	"strings"
	"sync"

	"github.com/atelier/atelier/server/engine"
)

// groupCacheSize bounds the per-catalog cache of group states and explanations. An entry is
// one group's option states and the explanations of its excluded options (under 1 KB on the
// demo catalog), so a full cache is at most a few megabytes per compiled catalog version.
const groupCacheSize = 8192

// groupKey identifies one group's alternatives: the engine selections they are computed under
// (canonical: order-independent, texts reduced to "filled", as the engine sees them) and the
// group's index.
type groupKey struct {
	sel   string
	group int
}

// groupAlt is what a group shows under some selections: the state of each of its options and,
// for the EXCLUDED ones, the engine's explanation. It is immutable once cached.
type groupAlt struct {
	states engine.GroupResult
	// exps[oi] explains option oi when it is EXCLUDED; nil otherwise, and all nil when the
	// entry was made without explanations (explained false).
	exps      []*engine.Explanation
	explained bool
}

// groupCache memoises groupAlt values of a catalog. Explanations (QuickXplain over the
// selections, then over the rules) are by far the most expensive part of a step and a random
// walk keeps meeting the same "all my choices but this group" sets even when the whole
// state is new, so they are cached per group rather than per view.
//
// Like the session's view cache, the key is order-independent: an explanation is a minimal
// conflict set computed under the selections in the order they were first seen; any order
// gives a correct minimal set, possibly a different one when several exist.
type groupCache struct {
	once  sync.Once
	cache *lru[groupKey, *groupAlt]
}

func (g *groupCache) get() *lru[groupKey, *groupAlt] {
	g.once.Do(func() { g.cache = newLRU[groupKey, *groupAlt](groupCacheSize) })
	return g.cache
}

// selKey is the canonical key of engine selections.
func selKey(sel []engine.Selection) string {
	switch len(sel) {
	case 0:
		return ""
	case 1:
		return sel[0].Group + "\x00" + sel[0].Option
	}
	parts := make([]string, len(sel))
	n := 0
	for i, s := range sel {
		parts[i] = s.Group + "\x00" + s.Option
		n += len(parts[i]) + 1
	}
	slices.Sort(parts)
	var b strings.Builder
	b.Grow(n)
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('\x01')
		}
		b.WriteString(p)
	}
	return b.String()
}

// groupAlternatives returns group gi's option states under sel (res when it was computed
// under exactly sel, else a propagation of its own) with, when explain is set, an explanation
// of each EXCLUDED option.
func (c *Published) groupAlternatives(sel []engine.Selection, key string, gi int,
	res *engine.Result, explain bool) (*groupAlt, error) {
	cache := c.alts.get()
	k := groupKey{sel: key, group: gi}
	if a, ok := cache.Get(k); ok && (a.explained || !explain) {
		return a, nil
	}
	if res == nil {
		own, err := c.propagate(sel)
		if err != nil {
			return nil, err
		}
		defer c.release(own)
		res = own
	}
	gr := res.Groups[gi]
	a := &groupAlt{
		states: engine.GroupResult{
			Key: gr.Key, None: gr.None, Options: slices.Clone(gr.Options),
		},
		explained: explain,
	}
	if explain {
		g := &c.Snap.Groups[gi]
		a.exps = make([]*engine.Explanation, len(gr.Options))
		for oi, or := range gr.Options {
			if or.State != engine.StateExcluded {
				continue
			}
			exp, err := c.Engine.Explain(sel, g.Key, or.Key)
			if err != nil {
				return nil, explainErr(g.Key, or.Key, err)
			}
			a.exps[oi] = exp
		}
	}
	cache.Add(k, a)
	return a, nil
}
