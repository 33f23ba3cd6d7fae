package pageview

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/engine"
	"github.com/atelier/atelier/server/preview"
	"github.com/atelier/atelier/server/quote"
)

// Reason says why an option is EXCLUDED: a rule's customer message and the current choices that,
// together, rule the option out (a minimal set: dropping any one of them frees the option).
type Reason struct {
	Message    string
	Selections []Choice
}

// OptionView is one option of a group as the customer sees it now.
type OptionView struct {
	Option  *catalog.Option
	Key     string
	Name    string
	State   engine.State
	Reasons []Reason
}

// GroupView is one group as the customer sees it now.
type GroupView struct {
	Group *catalog.Group
	// None is the state of choosing nothing, for optional groups.
	None    engine.State
	Options []OptionView
}

// View is everything the configurator page shows for one state of a configuration.
type View struct {
	// Complete is true when the configuration can be ordered as it is.
	Complete bool
	// Valid is true when the choices admit at least one complete configuration.
	Valid bool
	// Completions is the exact number of complete configurations reachable from here.
	Completions string
	Choices     []Choice
	Groups      []GroupView
	Price       quote.Quote
	Lead        quote.LeadTime
	Preview     preview.Preview
}

// Evaluate computes the view of choices for quantity pieces, with ship dates from now.
func (c *Published) Evaluate(choices []Choice, quantity int, now time.Time, cal quote.Calendar) (*View, error) {
	sel := selections(choices)
	res, err := c.propagate(sel)
	if err != nil {
		return nil, err
	}
	defer c.release(res)
	v := &View{
		Complete:    res.Complete,
		Valid:       res.Consistent,
		Completions: res.Count.String(),
		Choices:     choices,
	}
	v.Groups = make([]GroupView, 0, len(res.Groups))
	fullKey := ""
	if len(res.Groups) > 0 {
		fullKey = selKey(sel)
	}
	for gi, gr := range res.Groups {
		g := &c.Snap.Groups[gi]
		// In a group that takes one value, the other options are what the customer could switch
		// to: their states come from the choices without this group's own.
		var alt *groupAlt
		if g.Kind != KindMulti && hasChoice(choices, g.Key) {
			groupSel := selections(mustWithout(choices, g.Key))
			alt, err = c.groupAlternatives(groupSel, selKey(groupSel), gi, nil, res.Consistent)
		} else {
			alt, err = c.groupAlternatives(sel, fullKey, gi, res, res.Consistent)
		}
		if err != nil {
			return nil, err
		}
		chosen := alt.states
		gv := GroupView{Group: g, None: chosen.None, Options: make([]OptionView, 0, len(gr.Options))}
		for oi, or := range chosen.Options {
			ov := OptionView{Key: or.Key, State: or.State, Name: or.Key}
			if gr.Options[oi].State == engine.StateSelected {
				ov.State = engine.StateSelected
			}
			if o, ok := c.option(g, or.Key); ok {
				ov.Option, ov.Name = o, o.Name
			} else if g.Kind == KindNumber {
				ov.Name = c.numberName(g, gi, oi, or.Key)
			}
			if ov.State == engine.StateExcluded && res.Consistent {
				exp := alt.exps[oi]
				if exp == nil {
					return nil, explainErr(g.Key, or.Key, engine.ErrNotExcluded)
				}
				ov.Reasons = c.reasons(exp, choices)
			}
			gv.Options = append(gv.Options, ov)
		}
		v.Groups = append(v.Groups, gv)
	}
	if v.Price, err = c.price(choices, quantity); err != nil {
		return nil, err
	}
	if v.Lead, err = c.lead(choices, quantity, now, cal); err != nil {
		return nil, err
	}
	v.Preview = c.preview(choices)
	return v, nil
}

func explainErr(group, option string, err error) error {
	return fmt.Errorf("explaining %s=%s: %w", group, option, err)
}

// numberName is the display name of value key of NUMBER group g (index gi), e.g. "18 cm".
func (c *Published) numberName(g *catalog.Group, gi, oi int, key string) string {
	if names := c.numberNames[gi]; oi < len(names) && names[oi] != "" {
		return names[oi]
	}
	return strings.TrimSpace(key + " " + g.Unit)
}

func hasChoice(choices []Choice, group string) bool {
	for _, ch := range choices {
		if ch.Group == group {
			return true
		}
	}
	return false
}

func mustWithout(choices []Choice, group string) []Choice {
	kept, _ := without(choices, group, "")
	return kept
}

// reasons turns an explanation into customer reasons, one per rule.
func (c *Published) reasons(exp *engine.Explanation, choices []Choice) []Reason {
	sel := choicesFrom(exp.Selections, choices)
	out := make([]Reason, 0, len(exp.Rules))
	for _, r := range exp.Rules {
		out = append(out, Reason{Message: r.Message, Selections: sel})
	}
	if len(out) == 0 {
		out = append(out, Reason{Message: "Not available with your current choices.", Selections: sel})
	}
	return out
}

// chosenOptions yields each chosen SINGLE/MULTI option with its group.
func (c *Published) chosenOptions(choices []Choice, yield func(*catalog.Group, *catalog.Option)) {
	for _, ch := range choices {
		g, ok := c.group(ch.Group)
		if !ok || (g.Kind != KindSingle && g.Kind != KindMulti) {
			continue
		}
		if o, ok := c.option(g, ch.Option); ok {
			yield(g, o)
		}
	}
}

func (c *Published) price(choices []Choice, quantity int) (quote.Quote, error) {
	in := quote.Input{
		Currency:           c.Snap.Currency,
		BasePrice:          c.Snap.BasePrice,
		Quantity:           quantity,
		DepositBasisPoints: c.Snap.DepositBasisPoints,
	}
	// Lines follow page order, not choice order, so the breakdown reads the same every time.
	byGroup := map[string][]*catalog.Option{}
	c.chosenOptions(choices, func(g *catalog.Group, o *catalog.Option) {
		byGroup[g.Key] = append(byGroup[g.Key], o)
	})
	for _, g := range c.Snap.Groups {
		for _, o := range byGroup[g.Key] {
			if o.PriceDelta != 0 {
				in.Options = append(in.Options, quote.Line{Label: g.Name + ": " + o.Name, Amount: o.PriceDelta})
			}
		}
	}
	assign := c.assignment(choices)
	for i, pr := range c.Snap.PriceRules {
		if Holds(c.priceConds[i], assign) {
			in.Surcharges = append(in.Surcharges, quote.Line{Label: pr.Label, Amount: pr.Amount})
		}
	}
	for _, t := range c.Snap.Tiers {
		in.Tiers = append(in.Tiers, quote.Tier{MinQuantity: t.MinQuantity, DiscountBasisPoints: t.DiscountBasisPoints})
	}
	q, err := quote.Price(in)
	if err != nil {
		return quote.Quote{}, fmt.Errorf("pricing: %w", err)
	}
	return q, nil
}

func (c *Published) lead(choices []Choice, quantity int, now time.Time, cal quote.Calendar) (quote.LeadTime, error) {
	in := quote.LeadInput{
		BaseMinDays:       c.Snap.BuildDaysMin,
		BaseMaxDays:       c.Snap.BuildDaysMax,
		Quantity:          quantity,
		PiecesPerExtraDay: c.Snap.PiecesPerExtraDay,
	}
	c.chosenOptions(choices, func(_ *catalog.Group, o *catalog.Option) {
		if o.LeadDays != 0 {
			in.OptionDays = append(in.OptionDays, o.LeadDays)
		}
	})
	lt, err := quote.Estimate(in, now, cal)
	if err != nil {
		return quote.LeadTime{}, fmt.Errorf("estimating lead time: %w", err)
	}
	return lt, nil
}

func (c *Published) preview(choices []Choice) preview.Preview {
	in := preview.Input{Product: c.Snap.Name, Style: c.Snap.Style}
	for _, ch := range choices {
		g, ok := c.group(ch.Group)
		if !ok {
			continue
		}
		z := c.groups[g.Key] + 1
		switch {
		case g.Kind == KindText && g.PreviewRole == "monogram":
			in.Monogram = ch.Text
		case g.Kind == KindSingle || g.Kind == KindMulti:
			o, ok := c.option(g, ch.Option)
			if !ok {
				continue
			}
			if w, ok := lugWidth(o.PreviewAsset); ok {
				in.LugWidthMM = w
			}
			in.Layers = append(in.Layers, preview.Layer{
				Group: g.Key, Option: o.Key, Role: g.PreviewRole, Asset: o.PreviewAsset,
				Tint: o.Swatch, Z: z,
			})
		}
	}
	return preview.Render(in)
}

// lugWidth reads the width of a `lug/20` preview asset.
func lugWidth(asset string) (int, bool) {
	rest, ok := strings.CutPrefix(asset, "lug/")
	if !ok {
		return 0, false
	}
	w, err := strconv.Atoi(rest)
	return w, err == nil
}

// Missing says, in words, what keeps the configuration from being complete.
func (v *View) Missing() string {
	var names []string
	for _, g := range v.Groups {
		chosen := false
		for _, o := range g.Options {
			chosen = chosen || o.State == engine.StateSelected
		}
		if !chosen && (g.Group.Required || g.None == engine.StateExcluded) {
			names = append(names, g.Group.Name)
		}
	}
	if len(names) == 0 {
		return "some choices do not fit together"
	}
	return "choose " + strings.Join(names, ", ")
}
