package pageview

import (
	"github.com/atelier/atelier/server/engine"
	"github.com/atelier/atelier/server/fault"
)

// Choices maps designer selections to choices, checking each group, option and text. Designers
// may ask about any combination, even one that does not fit together, so nothing is resolved.
func (c *Published) Choices(sel []Choice) ([]Choice, error) {
	out := make([]Choice, 0, len(sel))
	for _, s := range sel {
		g, ok := c.group(s.Group)
		if !ok {
			return nil, fault.BadInput("selections", "unknown option group %q", s.Group)
		}
		switch g.Kind {
		case KindText:
			if err := ValidateText(g, s.Text); err != nil {
				return nil, err
			}
			if s.Text != "" {
				out = append(out, Choice{Group: g.Key, Text: s.Text})
			}
		case KindNumber:
			if _, _, err := c.SetNumber(nil, g.Key, s.Option, true); err != nil {
				return nil, err
			}
			out = append(out, Choice{Group: g.Key, Option: s.Option})
		default:
			if _, ok := c.option(g, s.Option); !ok {
				return nil, fault.BadInput("selections", "%s has no option %q", g.Name, s.Option)
			}
			out = append(out, Choice{Group: g.Key, Option: s.Option})
		}
	}
	return out, nil
}

// Explanation is why an option is in its state, with the smallest fix when it is EXCLUDED.
type Explanation struct {
	State      engine.State
	Selections []Choice
	Rules      []engine.RuleRef
	Fix        []Change
}

// Explain explains the state of group=option under choices (the group's own choice aside, as
// the configurator page shows it).
func (c *Published) Explain(choices []Choice, group, option string) (*Explanation, error) {
	g, ok := c.group(group)
	if !ok {
		return nil, fault.BadInput("group", "unknown option group %q", group)
	}
	key := option
	switch g.Kind {
	case KindText:
		key = engine.FilledKey
	case KindNumber:
		if _, _, err := c.SetNumber(nil, group, option, true); err != nil {
			return nil, err
		}
	default:
		if _, ok := c.option(g, option); !ok {
			return nil, fault.BadInput("option", "%s has no option %q", g.Name, option)
		}
	}
	base := choices
	if g.Kind != KindMulti {
		base, _ = without(choices, group, "")
	}
	sel := selections(base)
	res, err := c.Engine.Propagate(sel)
	if err != nil {
		return nil, engineErr(err)
	}
	out := &Explanation{State: stateOf(res, group, key)}
	if out.State != engine.StateExcluded || !res.Consistent {
		return out, nil
	}
	exp, err := c.Engine.Explain(sel, group, key)
	if err != nil {
		return nil, engineErr(err)
	}
	fix, err := c.Engine.Resolve(sel, group, key)
	if err != nil {
		return nil, engineErr(err)
	}
	out.Selections = choicesFrom(exp.Selections, base)
	out.Rules = exp.Rules
	out.Fix = c.dropChanges(choicesFrom(fix.Dropped, base))
	return out, nil
}
