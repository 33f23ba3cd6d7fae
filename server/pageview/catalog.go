// Package pageview turns a published catalog snapshot and a customer's choices into everything
// the configurator page shows — per-option states with reasons, price, lead time, preview — and
// applies the customer's edits (select, clear, text, number) with conflict resolution. It is pure:
// no I/O, no GraphQL; the configuration package stores choices and caches views.
package pageview

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/engine"
)

// Kinds of option groups, as stored in snapshots.
const (
	KindSingle = "SINGLE"
	KindMulti  = "MULTI"
	KindText   = "TEXT"
	KindNumber = "NUMBER"
)

// Published is a published catalog version compiled for the configurator page: safe for concurrent use.
type Published struct {
	// Snap is the published snapshot.
	Snap *catalog.Snapshot
	// Engine answers compatibility queries.
	Engine *engine.Compiled

	groups     map[string]int
	options    []map[string]int
	priceConds []engine.Expr
	// numberNames[gi] are the display names of NUMBER group gi's values, by option index.
	numberNames [][]string
	// alts caches group states and explanations (see groupCache).
	alts groupCache
	memo memo
	// results recycles the engine results a step reads and drops (propagate).
	results sync.Pool
}

// propagate runs the engine on sel into a recycled result, which the caller hands back with
// release once nothing refers to it (nothing of a result is kept: what a view keeps is copied).
// A step propagates up to once per chosen group; each fresh result was ~2.4 KB of garbage.
func (c *Published) propagate(sel []engine.Selection) (*engine.Result, error) {
	res, _ := c.results.Get().(*engine.Result)
	if res == nil {
		res = &engine.Result{}
	}
	if err := c.Engine.PropagateInto(res, sel); err != nil {
		c.results.Put(res)
		return nil, engineErr(err)
	}
	return res, nil
}

// release hands a result from propagate back.
func (c *Published) release(res *engine.Result) { c.results.Put(res) }

// Model maps a snapshot to the engine's model: one variable per group (NUMBER groups discretised
// by their step, TEXT groups as filled/none), the enabled rules with their customer messages.
func Model(s *catalog.Snapshot) engine.Model {
	var m engine.Model
	for _, g := range s.Groups {
		eg := engine.Group{Key: g.Key, Name: g.Name, Required: g.Required}
		switch g.Kind {
		case KindMulti:
			eg.Kind = engine.KindMulti
			eg.MinSelect, eg.MaxSelect = g.MinSelect, g.MaxSelect
		case KindText:
			eg.Kind = engine.KindText
		case KindNumber:
			eg.Kind = engine.KindNumber
			for _, v := range NumberValues(g) {
				k := strconv.Itoa(v)
				eg.Options = append(eg.Options, engine.Option{Key: k, Name: k + " " + g.Unit})
			}
		default:
			eg.Kind = engine.KindSingle
		}
		if g.Kind == KindSingle || g.Kind == KindMulti {
			for _, o := range g.Options {
				eg.Options = append(eg.Options, engine.Option{Key: o.Key, Name: o.Name})
			}
		}
		m.Groups = append(m.Groups, eg)
	}
	for _, r := range s.Rules {
		m.Rules = append(m.Rules, engine.Rule{ID: r.Key, Expr: r.Expression, Message: r.Message})
	}
	return m
}

// NumberValues lists the accepted values of a NUMBER group.
func NumberValues(g catalog.Group) []int {
	step := g.NumberStep
	if step <= 0 {
		step = 1
	}
	var out []int
	for v := g.NumberMin; v <= g.NumberMax && len(out) < 10000; v += step {
		out = append(out, v)
	}
	return out
}

// Compile compiles a published snapshot.
func Compile(s *catalog.Snapshot) (*Published, error) {
	compiled, err := engine.Compile(Model(s))
	if err != nil {
		return nil, fmt.Errorf("compiling catalog %s v%d: %w", s.Slug, s.Version, err)
	}
	c := &Published{Snap: s, Engine: compiled, groups: make(map[string]int, len(s.Groups))}
	for i, g := range s.Groups {
		c.groups[g.Key] = i
		idx := make(map[string]int, len(g.Options))
		for j, o := range g.Options {
			idx[o.Key] = j
		}
		c.options = append(c.options, idx)
		var names []string
		if g.Kind == KindNumber {
			for _, v := range NumberValues(g) {
				names = append(names, strings.TrimSpace(strconv.Itoa(v)+" "+g.Unit))
			}
		}
		c.numberNames = append(c.numberNames, names)
	}
	for _, pr := range s.PriceRules {
		e, err := engine.ParseRule(pr.Condition)
		if err != nil {
			return nil, fmt.Errorf("parsing price rule %q: %w", pr.Label, err)
		}
		c.priceConds = append(c.priceConds, e)
	}
	return c, nil
}

// group returns the snapshot group with key, if any.
func (c *Published) group(key string) (*catalog.Group, bool) {
	i, ok := c.groups[key]
	if !ok {
		return nil, false
	}
	return &c.Snap.Groups[i], true
}

// option returns the option key of group g, if any.
func (c *Published) option(g *catalog.Group, key string) (*catalog.Option, bool) {
	j, ok := c.options[c.groups[g.Key]][key]
	if !ok {
		return nil, false
	}
	return &g.Options[j], true
}
