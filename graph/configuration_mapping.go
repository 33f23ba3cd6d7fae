package graph

import (
	"strconv"
	"strings"

	"github.com/atelier/atelier/graph/model"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/configuration"
	"github.com/atelier/atelier/server/engine"
	"github.com/atelier/atelier/server/pageview"
	"github.com/atelier/atelier/server/quote"
	"github.com/atelier/atelier/server/shipping"
)

// optionStates maps engine states to the GraphQL enum.
var optionStates = map[engine.State]model.OptionState{
	engine.StateSelected:  model.OptionStateSelected,
	engine.StateAvailable: model.OptionStateAvailable,
	engine.StateExcluded:  model.OptionStateExcluded,
	engine.StateForced:    model.OptionStateForced,
}

// configurationPayload maps a session result to the mutation payload.
func configurationPayload(res *configuration.Result) *model.ConfigurationPayload {
	p := &model.ConfigurationPayload{
		Configuration: configurationModel(res),
		Changes:       make([]*model.SelectionChange, 0, len(res.Changes)),
	}
	for _, c := range res.Changes {
		p.Changes = append(p.Changes, &model.SelectionChange{
			Group: c.Group, From: optional(c.From), To: optional(c.To), Message: c.Message,
		})
	}
	return p
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func selectionModels(choices []pageview.Choice) []*model.Selection {
	out := make([]*model.Selection, 0, len(choices))
	for _, c := range choices {
		out = append(out, &model.Selection{Group: c.Group, Option: optional(c.Option), Text: optional(c.Text)})
	}
	return out
}

// configurationModel maps a session result to the GraphQL Configuration.
func configurationModel(res *configuration.Result) *model.Configuration {
	st, v, snap := res.State, res.View, res.Snap
	m := &model.Configuration{
		ID: st.ID, Version: st.Version, ProductID: st.ProductID, CatalogVersion: st.CatalogVersion,
		Quantity: st.Quantity, Complete: v.Complete, Valid: v.Valid, Completions: v.Completions,
		Selections: selectionModels(st.Choices),
		Notices:    append([]string{}, st.Notices...),
	}
	var static *configurationStatic
	if res.Catalog != nil {
		static = staticOf(res.Catalog)
		// Built per answer, not kept with the cached view: a view's answer parts are cached
		// from its second encoding (ConfigurationEncoder), and models kept with every cached
		// view were a third of the objects each garbage collection had to mark.
		m.Groups = buildGroupModels(v, static)
		m.View = v
	} else {
		static = newConfigurationStatic(snap)
		m.Groups = buildGroupModels(v, static)
	}
	m.Price = priceModel(res.Price, snap, static.tiers)
	m.LeadTime = &model.LeadTime{
		MinBusinessDays: v.Lead.MinBusinessDays, MaxBusinessDays: v.Lead.MaxBusinessDays,
		ShipsEarliest: v.Lead.ShipsEarliest.String(), ShipsLatest: v.Lead.ShipsLatest.String(),
		ClosureNotice: optional(shipping.ClosureNotice(v.Lead.Closures)),
	}
	if d := res.Delivery; d != nil {
		m.Destination = &d.Country
		deliveryModel(m.LeadTime, d.Country, d.Zone.Name, d.Zone.Transit, d.Arrival,
			money(res.Price.Total-res.View.Price.Total, snap.Currency))
		// The encoded price and leadTime depend on the zone as well as on the view.
		m.ShippingKey = *d
	}
	m.Preview = &model.Preview{SVG: v.Preview.SVG}
	for _, l := range v.Preview.Layers {
		m.Preview.Layers = append(m.Preview.Layers, &model.PreviewLayer{
			Group: l.Group, Option: l.Option, Asset: l.Asset, Tint: l.Tint, Z: l.Z,
		})
	}
	if m.Preview.Layers == nil {
		m.Preview.Layers = []*model.PreviewLayer{}
	}
	return m
}

// deliveryModel fills in where a lead time ships to and when it arrives there.
func deliveryModel(l *model.LeadTime, country, zone string, t quote.Transit, arr quote.Arrival,
	price *model.Money,
) {
	early, late := arr.Earliest.String(), arr.Latest.String()
	l.Destination, l.ShippingZone = &country, &zone
	l.TransitMinDays, l.TransitMaxDays = &t.MinDays, &t.MaxDays
	l.ArrivesEarliest, l.ArrivesLatest = &early, &late
	l.Shipping = price
}

func priceModel(q quote.Quote, snap *catalog.Snapshot, tiers []*model.TierInfo) *model.Price {
	cur := snap.Currency
	p := &model.Price{
		Unit: money(q.Unit, cur), Quantity: q.Quantity, Subtotal: money(q.Subtotal, cur),
		Discount: money(q.Discount, cur), Total: money(q.Total, cur),
		DepositDue: money(q.Deposit, cur), BalanceDue: money(q.Balance, cur),
		Lines: make([]*model.PriceLine, 0, len(q.Lines)),
	}
	for _, l := range q.Lines {
		p.Lines = append(p.Lines, &model.PriceLine{Label: l.Label, Amount: money(l.Amount, cur)})
	}
	if q.Tier != nil {
		p.Tier = &q.Tier.MinQuantity
	}
	p.Tiers = tiers
	return p
}

// catalogStatics are a catalog's configurationStatic, derived once per compiled catalog.
var catalogStatics = pageview.NewDerivation[*configurationStatic]("configuration statics")

// numStates bounds engine.State values (SELECTED, AVAILABLE, EXCLUDED, FORCED).
const numStates = 4

// configurationStatic is what the configuration models of one catalog version share, built
// once per compiled catalog: the catalog groups and options, and for each option and state
// the ConfigurationOption without reasons (all but the EXCLUDED ones with an explanation).
// Everything in it is shared between requests and must never be modified.
type configurationStatic struct {
	groups []*model.CatalogGroup
	// options[gi][oi][state], for catalog options (SINGLE, MULTI) and NUMBER values.
	options  [][][numStates]*model.ConfigurationOption
	states   [numStates]*model.OptionState
	tiers    []*model.TierInfo
	currency string
	// textSurcharge[gi] is what filling TEXT group gi adds by itself (the monogram's price).
	textSurcharge []int64
}

func staticOf(cat *pageview.Published) *configurationStatic {
	return pageview.DerivedFromCatalog(cat, catalogStatics, func() *configurationStatic {
		return newConfigurationStatic(cat.Snap)
	})
}

func newConfigurationStatic(snap *catalog.Snapshot) *configurationStatic {
	cur := snap.Currency
	st := &configurationStatic{groups: catalogGroups(snap), tiers: []*model.TierInfo{}, currency: cur}
	for s, ms := range optionStates {
		if int(s) >= 0 && int(s) < numStates {
			st.states[s] = &ms
		}
	}
	st.textSurcharge = make([]int64, len(snap.Groups))
	for gi, g := range snap.Groups {
		if g.Kind == pageview.KindText {
			st.textSurcharge[gi] = pageview.TextSurcharge(snap, g.Key)
		}
	}
	for _, t := range snap.Tiers {
		st.tiers = append(st.tiers, &model.TierInfo{MinQuantity: t.MinQuantity, DiscountBasisPoints: t.DiscountBasisPoints})
	}
	noReasons := []*model.Reason{}
	zero := money(0, cur)
	st.options = make([][][numStates]*model.ConfigurationOption, len(snap.Groups))
	for gi, g := range snap.Groups {
		var opts []*model.CatalogOption
		switch g.Kind {
		case pageview.KindSingle, pageview.KindMulti:
			opts = st.groups[gi].Options
		case pageview.KindNumber:
			// NUMBER values have no catalog record of their own.
			for _, v := range pageview.NumberValues(g) {
				key := numberValue(v)
				opts = append(opts, &model.CatalogOption{
					ID: strconv.Itoa(g.ID), Key: key, Name: strings.TrimSpace(key + " " + g.Unit), PriceDelta: zero,
				})
			}
		}
		st.options[gi] = make([][numStates]*model.ConfigurationOption, len(opts))
		for oi, o := range opts {
			for s := range numStates {
				st.options[gi][oi][s] = &model.ConfigurationOption{
					Option: o, State: optionStates[engine.State(s)], Reasons: noReasons, PriceDelta: o.PriceDelta,
				}
			}
		}
	}
	return st
}

// option returns the shared reason-less model of option oi of group gi in state s, if it
// matches the view's option.
func (st *configurationStatic) option(gi, oi int, ov *pageview.OptionView) *model.ConfigurationOption {
	if gi >= len(st.options) || oi >= len(st.options[gi]) || int(ov.State) < 0 || int(ov.State) >= numStates {
		return nil
	}
	co := st.options[gi][oi][ov.State]
	if co == nil || co.Option.Key != ov.Key || co.Option.Name != ov.Name {
		return nil
	}
	return co
}

// groupModels maps a view's groups with their option states and reasons.
func groupModels(v *pageview.View, snap *catalog.Snapshot) []*model.ConfigurationGroup {
	return buildGroupModels(v, newConfigurationStatic(snap))
}

func buildGroupModels(v *pageview.View, static *configurationStatic) []*model.ConfigurationGroup {
	out := make([]*model.ConfigurationGroup, 0, len(v.Groups))
	for gi, gv := range v.Groups {
		cg := &model.ConfigurationGroup{
			Group: static.groups[gi], Options: make([]*model.ConfigurationOption, 0, len(gv.Options)),
		}
		if !gv.Group.Required {
			cg.None = static.stateOf(gv.None)
		}
		for oi := range gv.Options {
			ov := &gv.Options[oi]
			co := static.option(gi, oi, ov)
			if co == nil {
				// A filled TEXT group (or anything unforeseen): built for this view.
				cur := static.currency
				co = &model.ConfigurationOption{
					State: optionStates[ov.State], Reasons: []*model.Reason{},
					PriceDelta: money(static.textSurcharge[gi], cur),
					Option: &model.CatalogOption{
						ID: strconv.Itoa(gv.Group.ID), Key: ov.Key, Name: ov.Name, PriceDelta: money(0, cur),
					},
				}
				if ov.Option != nil {
					co.Option = static.groups[gi].Options[oi]
					co.PriceDelta = co.Option.PriceDelta
				}
			}
			if len(ov.Reasons) > 0 {
				withReasons := *co
				withReasons.Reasons = make([]*model.Reason, 0, len(ov.Reasons))
				for _, r := range ov.Reasons {
					withReasons.Reasons = append(withReasons.Reasons,
						&model.Reason{Message: r.Message, Selections: selectionModels(r.Selections)})
				}
				co = &withReasons
			}
			cg.Options = append(cg.Options, co)
		}
		out = append(out, cg)
	}
	return out
}

func (st *configurationStatic) stateOf(s engine.State) *model.OptionState {
	if int(s) >= 0 && int(s) < numStates && st.states[s] != nil {
		return st.states[s]
	}
	ms := optionStates[s]
	return &ms
}

// numberValue renders a NUMBER input for the engine.
func numberValue(v int) string { return strconv.Itoa(v) }
