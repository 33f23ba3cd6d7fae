package pageview

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/engine"
	"github.com/atelier/atelier/server/fault"
)

// Choice is one of a customer's choices. Choices are kept oldest first: that order breaks ties
// when a conflict is resolved (the most recent choices are kept).
type Choice struct {
	// Group is the group key.
	Group string `json:"g"`
	// Option is the option key (SINGLE, MULTI) or the value (NUMBER).
	Option string `json:"o,omitempty"`
	// Text is the text of a TEXT group.
	Text string `json:"t,omitempty"`
}

// Change is one effect of an edit, for the SPA to show ("stitching: ivory → cleared").
type Change struct {
	Group string
	// From and To are option keys or texts; empty means nothing chosen.
	From, To string
	// Message says it in words.
	Message string
}

// defaultAllowed is the monogram alphabet when a TEXT group does not set its own.
func defaultAllowed(r rune) bool {
	return r == ' ' || (r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
}

// selections maps choices to the engine's selections.
func selections(choices []Choice) []engine.Selection {
	out := make([]engine.Selection, 0, len(choices))
	for _, ch := range choices {
		if ch.Option != "" {
			out = append(out, engine.Selection{Group: ch.Group, Option: ch.Option})
		} else if ch.Text != "" {
			out = append(out, engine.Selection{Group: ch.Group, Option: engine.FilledKey})
		}
	}
	return out
}

// choicesFrom maps engine selections back to choices, taking texts from prev.
func choicesFrom(sel []engine.Selection, prev []Choice) []Choice {
	out := make([]Choice, 0, len(sel))
	for _, s := range sel {
		if s.Option == engine.FilledKey {
			for _, p := range prev {
				if p.Group == s.Group && p.Text != "" {
					out = append(out, Choice{Group: s.Group, Text: p.Text})
					break
				}
			}
			continue
		}
		out = append(out, Choice{Group: s.Group, Option: s.Option})
	}
	return out
}

// without returns choices minus every choice of group (or just group=option when option is set).
func without(choices []Choice, group, option string) ([]Choice, []Choice) {
	kept := make([]Choice, 0, len(choices))
	var removed []Choice
	for _, ch := range choices {
		if ch.Group == group && (option == "" || ch.Option == option) {
			removed = append(removed, ch)
			continue
		}
		kept = append(kept, ch)
	}
	return kept, removed
}

// Select chooses option in group (SINGLE or MULTI). An EXCLUDED option is refused with the
// explanation, unless resolve is set: then the fewest other choices are dropped, and listed.
func (c *Published) Select(choices []Choice, group, option string, resolve bool) ([]Choice, []Change, error) {
	g, ok := c.group(group)
	if !ok {
		return nil, nil, fault.BadInput("group", "unknown option group %q", group)
	}
	var value string
	switch g.Kind {
	case KindSingle, KindMulti:
		o, ok := c.option(g, option)
		if !ok {
			return nil, nil, fault.BadInput("option", "%s has no option %q", g.Name, option)
		}
		value = o.Key
	case KindNumber:
		return c.SetNumber(choices, group, option, resolve)
	default:
		return nil, nil, fault.BadInput("group", "%s takes text: use setText", g.Name)
	}
	if slices.Contains(choices, Choice{Group: group, Option: value}) {
		return choices, nil, nil
	}
	base := choices
	var replaced []Choice
	if g.Kind != KindMulti {
		base, replaced = without(choices, group, "")
	}
	return c.add(base, replaced, Choice{Group: group, Option: value}, resolve)
}

// SetNumber sets a NUMBER group to value (decimal), which must be on the group's steps.
func (c *Published) SetNumber(choices []Choice, group, value string, resolve bool) ([]Choice, []Change, error) {
	g, ok := c.group(group)
	if !ok {
		return nil, nil, fault.BadInput("group", "unknown option group %q", group)
	}
	if g.Kind != KindNumber {
		return nil, nil, fault.BadInput("group", "%s is not a number", g.Name)
	}
	v, err := strconv.Atoi(strings.TrimSpace(value))
	step := max(g.NumberStep, 1)
	if err != nil || v < g.NumberMin || v > g.NumberMax || (v-g.NumberMin)%step != 0 {
		return nil, nil, fault.BadInput("value", "%s must be %d to %d %s in steps of %d",
			g.Name, g.NumberMin, g.NumberMax, g.Unit, step)
	}
	key := strconv.Itoa(v)
	if slices.Contains(choices, Choice{Group: group, Option: key}) {
		return choices, nil, nil
	}
	base, replaced := without(choices, group, "")
	return c.add(base, replaced, Choice{Group: group, Option: key}, resolve)
}

// SetText sets a TEXT group; empty text clears it. Length and characters are checked here, the
// engine only knows whether the group is filled.
func (c *Published) SetText(choices []Choice, group, text string, resolve bool) ([]Choice, []Change, error) {
	g, ok := c.group(group)
	if !ok {
		return nil, nil, fault.BadInput("group", "unknown option group %q", group)
	}
	if g.Kind != KindText {
		return nil, nil, fault.BadInput("group", "%s does not take text", g.Name)
	}
	text = strings.TrimSpace(text)
	if err := ValidateText(g, text); err != nil {
		return nil, nil, err
	}
	base, replaced := without(choices, group, "")
	if text == "" {
		return base, changesFor(c, replaced, nil), nil
	}
	if len(replaced) > 0 {
		// Changing the text of a group already filled keeps it filled: no compatibility change.
		return append(base, Choice{Group: group, Text: text}), []Change{{
			Group: group, From: replaced[0].Text, To: text,
			Message: fmt.Sprintf("%s: %s → %s", g.Name, replaced[0].Text, text),
		}}, nil
	}
	return c.add(base, nil, Choice{Group: group, Text: text}, resolve)
}

// ValidateText checks text against a TEXT group's length and alphabet.
func ValidateText(g *catalog.Group, text string) error {
	if !utf8.ValidString(text) {
		return fault.BadInput("text", "%s must be valid text", g.Name)
	}
	if n := utf8.RuneCountInString(text); n > g.MaxLength {
		return fault.BadInput("text", "%s takes at most %d characters, not %d", g.Name, g.MaxLength, n)
	}
	for _, r := range text {
		allowed := defaultAllowed(r)
		if g.AllowedCharacters != "" {
			allowed = strings.ContainsRune(g.AllowedCharacters, r)
		}
		if !allowed {
			return fault.BadInput("text", "%s cannot contain %q", g.Name, r)
		}
	}
	return nil
}

// Clear removes the choice of group (or only option, in a MULTI group).
func (c *Published) Clear(choices []Choice, group, option string) ([]Choice, []Change, error) {
	g, ok := c.group(group)
	if !ok {
		return nil, nil, fault.BadInput("group", "unknown option group %q", group)
	}
	if option != "" && g.Kind == KindMulti {
		if _, ok := c.option(g, option); !ok {
			return nil, nil, fault.BadInput("option", "%s has no option %q", g.Name, option)
		}
	} else {
		option = ""
	}
	kept, removed := without(choices, group, option)
	return kept, changesFor(c, removed, nil), nil
}

// add appends ch to base (from which the replaced choices of the same group were removed), or
// refuses / resolves a conflict.
func (c *Published) add(base, replaced []Choice, ch Choice, resolve bool) ([]Choice, []Change, error) {
	sel := selections(base)
	target := selections([]Choice{ch})[0]
	res, err := c.propagate(sel)
	if err != nil {
		return nil, nil, err
	}
	state := stateOf(res, target.Group, target.Option)
	c.release(res)
	changes := changesFor(c, replaced, &ch)
	if state != engine.StateExcluded {
		return append(base, ch), changes, nil
	}
	if !resolve {
		exp, err := c.Engine.Explain(sel, target.Group, target.Option)
		if err != nil {
			return nil, nil, engineErr(err)
		}
		fix, err := c.Engine.Resolve(sel, target.Group, target.Option)
		if err != nil {
			return nil, nil, engineErr(err)
		}
		reasons := c.reasons(exp, base)
		msg := fmt.Sprintf("%s is not available with your current choices", c.label(ch))
		if len(reasons) > 0 {
			msg += ": " + reasons[0].Message
		}
		return nil, nil, fault.BadInput("option", "%s", msg).
			With("reasons", reasonsExt(reasons)).
			With("fix", changesExt(c.dropChanges(choicesFrom(fix.Dropped, base))))
	}
	fix, err := c.Engine.Resolve(sel, target.Group, target.Option)
	if err != nil {
		return nil, nil, engineErr(err)
	}
	kept := choicesFrom(fix.Kept, base)
	dropped := choicesFrom(fix.Dropped, base)
	return append(kept, ch), append(changes, c.dropChanges(dropped)...), nil
}

// dropChanges describes choices that a resolution clears.
func (c *Published) dropChanges(dropped []Choice) []Change {
	out := make([]Change, 0, len(dropped))
	for _, d := range dropped {
		g, _ := c.group(d.Group)
		out = append(out, Change{
			Group: d.Group, From: value(d),
			Message: fmt.Sprintf("%s: %s → cleared", g.Name, c.valueName(g, d)),
		})
	}
	return out
}

// changesFor describes replacing the removed choices by added (nil: cleared).
func changesFor(c *Published, removed []Choice, added *Choice) []Change {
	var out []Change
	if added != nil && len(removed) == 0 {
		g, _ := c.group(added.Group)
		return []Change{{Group: added.Group, To: value(*added),
			Message: fmt.Sprintf("%s: %s", g.Name, c.valueName(g, *added))}}
	}
	for _, r := range removed {
		g, _ := c.group(r.Group)
		ch := Change{Group: r.Group, From: value(r)}
		if added != nil {
			ch.To = value(*added)
			ch.Message = fmt.Sprintf("%s: %s → %s", g.Name, c.valueName(g, r), c.valueName(g, *added))
		} else {
			ch.Message = fmt.Sprintf("%s: %s → cleared", g.Name, c.valueName(g, r))
		}
		out = append(out, ch)
	}
	return out
}

func value(ch Choice) string {
	if ch.Option != "" {
		return ch.Option
	}
	return ch.Text
}

// valueName is the display name of a choice's value.
func (c *Published) valueName(g *catalog.Group, ch Choice) string {
	if ch.Text != "" {
		return strconv.Quote(ch.Text)
	}
	if g.Kind == KindNumber {
		return strings.TrimSpace(ch.Option + " " + g.Unit)
	}
	if o, ok := c.option(g, ch.Option); ok {
		return o.Name
	}
	return ch.Option
}

// label is "Group: Value".
func (c *Published) label(ch Choice) string {
	g, ok := c.group(ch.Group)
	if !ok {
		return ch.Group
	}
	return g.Name + ": " + c.valueName(g, ch)
}

// Revalidate keeps the choices that still exist and fit together in this catalog, dropping the
// fewest (oldest first), and says what was dropped. Used when a session's catalog version is
// older than the published one.
func (c *Published) Revalidate(choices []Choice) ([]Choice, []string) {
	var notices []string
	known := make([]Choice, 0, len(choices))
	for _, ch := range choices {
		g, ok := c.group(ch.Group)
		switch {
		case !ok:
			notices = append(notices, fmt.Sprintf("%q is no longer offered and was removed", ch.Group))
		case g.Kind == KindText:
			if ValidateText(g, ch.Text) != nil {
				notices = append(notices, fmt.Sprintf("%s %q no longer fits and was cleared", g.Name, ch.Text))
				continue
			}
			known = append(known, ch)
		case g.Kind == KindNumber:
			if _, _, err := c.SetNumber(nil, ch.Group, ch.Option, true); err != nil {
				notices = append(notices, fmt.Sprintf("%s %s is no longer offered and was cleared", g.Name, ch.Option))
				continue
			}
			known = append(known, ch)
		default:
			if _, ok := c.option(g, ch.Option); !ok {
				notices = append(notices, fmt.Sprintf("%s %q is no longer offered and was removed", g.Name, ch.Option))
				continue
			}
			known = append(known, ch)
		}
	}
	fix, err := c.Engine.Repair(selections(known))
	if err != nil {
		return nil, append(notices, "your choices could not be kept and were reset")
	}
	for _, d := range choicesFrom(fix.Dropped, known) {
		g, _ := c.group(d.Group)
		notices = append(notices, fmt.Sprintf("%s %s is no longer possible with your other choices and was cleared",
			g.Name, c.valueName(g, d)))
	}
	return choicesFrom(fix.Kept, known), notices
}

// engineErr maps engine input errors to BAD_USER_INPUT.
func engineErr(err error) error {
	if ie, ok := err.(*engine.InputError); ok {
		return fault.BadInput("option", "%s", ie.Error())
	}
	return err
}

func stateOf(res *engine.Result, group, option string) engine.State {
	for _, g := range res.Groups {
		if g.Key != group {
			continue
		}
		if option == engine.NoneKey {
			return g.None
		}
		for _, o := range g.Options {
			if o.Key == option {
				return o.State
			}
		}
	}
	return engine.StateExcluded
}

// reasonsExt renders reasons for an error's extensions.
func reasonsExt(reasons []Reason) []map[string]any {
	out := make([]map[string]any, 0, len(reasons))
	for _, r := range reasons {
		sel := make([]map[string]string, 0, len(r.Selections))
		for _, s := range r.Selections {
			sel = append(sel, map[string]string{"group": s.Group, "option": s.Option, "text": s.Text})
		}
		out = append(out, map[string]any{"message": r.Message, "selections": sel})
	}
	return out
}

// changesExt renders changes for an error's extensions.
func changesExt(changes []Change) []map[string]string {
	out := make([]map[string]string, 0, len(changes))
	for _, c := range changes {
		out = append(out, map[string]string{"group": c.Group, "from": c.From, "to": c.To, "message": c.Message})
	}
	return out
}

// Reset clears every choice.
func (c *Published) Reset(choices []Choice) ([]Choice, []Change, error) {
	return nil, changesFor(c, choices, nil), nil
}

// TextSurcharge is what filling TEXT group key adds to one strap by itself: the sum of the
// price rules whose whole condition is `key = filled` (a rule with a further condition
// depends on other choices and shows on the price breakdown instead).
func TextSurcharge(s *catalog.Snapshot, key string) int64 {
	want := key + "=filled"
	var sum int64
	for _, p := range s.PriceRules {
		if strings.Join(strings.Fields(p.Condition), "") == want {
			sum += p.Amount
		}
	}
	return sum
}
