package pageview

import (
	"slices"

	"github.com/atelier/atelier/server/engine"
)

// assignment is the value set of each group under the choices' default completion: chosen
// options (several for MULTI), `filled` for a TEXT group with text, `none` for an empty group.
type assignment map[string][]string

// Assignment is the value set of each group under the choices' default completion.
func (c *Published) Assignment(choices []Choice) map[string][]string { return c.assignment(choices) }

func (c *Published) assignment(choices []Choice) assignment {
	a := assignment{}
	for _, s := range selections(choices) {
		a[s.Group] = append(a[s.Group], s.Option)
	}
	return a
}

// Holds evaluates a condition (a price rule's) against an assignment: `g = o` holds when o is
// among g's values, `g in {…}` when any is; a group with no value equals `none`.
func Holds(e engine.Expr, a map[string][]string) bool {
	switch x := e.(type) {
	case *engine.Lit:
		return x.Value
	case *engine.Not:
		return !Holds(x.X, a)
	case *engine.Binary:
		l := Holds(x.L, a)
		switch x.Op {
		case engine.OpAnd:
			return l && Holds(x.R, a)
		case engine.OpOr:
			return l || Holds(x.R, a)
		case engine.OpImplies:
			return !l || Holds(x.R, a)
		default:
			return l == Holds(x.R, a)
		}
	case *engine.Cmp:
		vals := a[x.Group]
		if len(vals) == 0 {
			vals = []string{engine.NoneKey}
		}
		any := false
		for _, o := range x.Options {
			if slices.Contains(vals, o) {
				any = true
				break
			}
		}
		switch x.Op {
		case engine.OpEq, engine.OpIn:
			return any
		default:
			return !any
		}
	}
	return false
}
