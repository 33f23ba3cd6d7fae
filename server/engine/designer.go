package engine

import (
	"fmt"
	"math/big"
	"strings"
)

// Matrix tells which pairs of values of two groups appear together in some valid
// configuration extending the selections. A and B list the option keys, followed by
// NoneKey for optional groups.
type Matrix struct {
	A, B    []string
	Allowed [][]bool // Allowed[i][j]: A[i] and B[j] together
}

// valueKeys lists the keys of a group's values, NoneKey last for optional groups.
func (c *Compiled) valueKeys(gi int) []string {
	g := c.groups[gi]
	var keys []string
	if g.kind == KindText {
		keys = append(keys, FilledKey)
	} else {
		for _, o := range c.model.Groups[gi].Options {
			keys = append(keys, o.Key)
		}
	}
	if g.optional {
		keys = append(keys, NoneKey)
	}
	return keys
}

// Matrix computes the compatibility matrix of groupA and groupB under sel: one restricted
// pass over the diagram per value of groupA.
func (c *Compiled) Matrix(sel []Selection, groupA, groupB string) (*Matrix, error) {
	ga, ok := c.groupIdx[groupA]
	if !ok {
		return nil, &InputError{Group: groupA, Msg: "unknown group"}
	}
	gb, ok := c.groupIdx[groupB]
	if !ok {
		return nil, &InputError{Group: groupB, Msg: "unknown group"}
	}
	mx := &Matrix{A: c.valueKeys(ga), B: c.valueKeys(gb)}
	lits, err := c.litsOf(sel)
	if err != nil {
		return nil, err
	}
	bLits := make([]lit, len(mx.B))
	for j, k := range mx.B {
		if bLits[j], err = c.selLit(Selection{Group: groupB, Option: k}); err != nil {
			return nil, err
		}
	}
	s := c.getScratch()
	defer c.putScratch(s)
	for _, a := range mx.A {
		la, err := c.selLit(Selection{Group: groupA, Option: a})
		if err != nil {
			return nil, err
		}
		s.lits = append(append(s.lits[:0], lits...), la)
		c.restrict(s, s.lits)
		c.down(s, c.up(s))
		row := make([]bool, len(mx.B))
		for j, lb := range bLits {
			row[j] = s.supp[c.valOff[lb.level]+lb.val]
		}
		mx.Allowed = append(mx.Allowed, row)
	}
	return mx, nil
}

// Severity is the severity of a lint finding.
type Severity int

// The lint severities.
const (
	// SeverityError means the catalog cannot be sold as is.
	SeverityError Severity = iota
	// SeverityWarning means the catalog works but probably not as intended.
	SeverityWarning
)

// String returns "ERROR" or "WARNING".
func (s Severity) String() string {
	if s == SeverityError {
		return "ERROR"
	}
	return "WARNING"
}

// Finding is one lint result.
type Finding struct {
	Severity Severity
	// Code is one of NO_VALID_CONFIGURATION, EMPTY_REQUIRED_GROUP, DEAD_OPTION,
	// ALWAYS_FORCED, REDUNDANT_RULE, CONTRADICTORY_RULES (and NEGATIVE_PRICE from configure).
	Code                  string
	Message               string
	Group, Option, RuleID string
}

// Lint checks the catalog for designer mistakes: required groups without options, no valid
// configuration (with a minimal set of contradictory rules), options that can never be
// chosen, options that are always forced, and rules or tables that never bite.
func (c *Compiled) Lint() []Finding {
	var out []Finding
	empty := false
	for _, g := range c.model.Groups {
		if g.Required && g.Kind != KindText && len(g.Options) == 0 {
			empty = true
			out = append(out, Finding{Severity: SeverityError, Code: "EMPTY_REQUIRED_GROUP",
				Group: g.Key, Message: fmt.Sprintf("required group %q has no options", g.Key)})
		}
	}
	res, err := c.Propagate(nil)
	if err != nil {
		panic("configurator: propagating the empty selection cannot fail: " + err.Error())
	}
	if !res.Consistent {
		out = append(out, Finding{Severity: SeverityError, Code: "NO_VALID_CONFIGURATION",
			Message: "no configuration satisfies all rules"})
		if !empty {
			mc := c.minimalConstraints(nil)
			ids := make([]string, len(mc))
			for i, ci := range mc {
				ids[i] = c.cons[ci].id
			}
			for _, ci := range mc {
				out = append(out, Finding{Severity: SeverityWarning, Code: "CONTRADICTORY_RULES",
					RuleID: c.cons[ci].id, Message: fmt.Sprintf(
						"rules %s contradict each other: together they admit no configuration",
						strings.Join(ids, ", "))})
			}
		}
		return out
	}
	for gi, gr := range res.Groups {
		g := c.groups[gi]
		for _, o := range gr.Options {
			switch o.State {
			case StateExcluded:
				out = append(out, Finding{Severity: SeverityWarning, Code: "DEAD_OPTION",
					Group: gr.Key, Option: o.Key, Message: fmt.Sprintf(
						"option %s=%s can never be chosen", gr.Key, o.Key)})
			case StateForced:
				if g.kind == KindMulti || c.vars[g.v].dom > 1 {
					out = append(out, Finding{Severity: SeverityWarning, Code: "ALWAYS_FORCED",
						Group: gr.Key, Option: o.Key, Message: fmt.Sprintf(
							"option %s=%s is in every valid configuration", gr.Key, o.Key)})
				}
			}
		}
	}
	for _, ci := range c.redundant() {
		k := c.cons[ci]
		out = append(out, Finding{Severity: SeverityWarning, Code: "REDUNDANT_RULE",
			RuleID: k.id, Message: fmt.Sprintf(
				"rule %s never bites: removing it leaves the valid configurations unchanged", k.id)})
	}
	return out
}

// redundant returns the rules and tables implied by all the other constraints. The
// "all but one" conjunctions are shared through a divide-and-conquer over the constraint
// list, so this takes O(m log m) conjunctions instead of m full compilations.
func (c *Compiled) redundant() []int {
	x := c.newConjCtx(nil)
	all := make([]int, len(c.cons))
	for i := range all {
		all[i] = i
	}
	full := x.conj(all)
	var out []int
	var solve func(items []int, outside int32)
	solve = func(items []int, outside int32) {
		if len(items) == 1 {
			if k := c.cons[items[0]].kind; k != ckCount && outside == full {
				out = append(out, items[0])
			}
			return
		}
		mid := len(items) / 2
		left, right := items[:mid], items[mid:]
		solve(left, conjoin(x.m, []int32{outside, x.conj(right)}))
		solve(right, conjoin(x.m, []int32{outside, x.conj(left)}))
	}
	if len(all) > 0 {
		solve(all, trueNode)
	}
	return out
}

// Impact describes what adding a rule would change.
type Impact struct {
	CountBefore, CountAfter *big.Int
	// Changes lists the options (and none values, as NoneKey) whose state on the empty
	// selection changes.
	Changes []Change
}

// Change is the state of one option on the empty selection before and after a rule.
type Change struct {
	Group, Option string
	Before, After State
}

// Impact compiles the catalog with r added and compares option states on the empty
// selection and the configuration counts. c itself is not modified.
func (c *Compiled) Impact(r Rule) (*Impact, error) {
	m := c.Model()
	m.Rules = append(m.Rules, r)
	after, err := Compile(m)
	if err != nil {
		return nil, fmt.Errorf("compiling catalog with rule %q: %w", r.ID, err)
	}
	rb, err := c.Propagate(nil)
	if err != nil {
		return nil, err
	}
	ra, err := after.Propagate(nil)
	if err != nil {
		return nil, err
	}
	im := &Impact{CountBefore: rb.Count, CountAfter: ra.Count, Changes: []Change{}}
	for gi, gb := range rb.Groups {
		ga := ra.Groups[gi]
		for oi, o := range gb.Options {
			if o.State != ga.Options[oi].State {
				im.Changes = append(im.Changes, Change{Group: gb.Key, Option: o.Key,
					Before: o.State, After: ga.Options[oi].State})
			}
		}
		if c.groups[gi].optional && gb.None != ga.None {
			im.Changes = append(im.Changes, Change{Group: gb.Key, Option: NoneKey,
				Before: gb.None, After: ga.None})
		}
	}
	return im, nil
}
