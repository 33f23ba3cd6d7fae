package graph

import (
	"strconv"

	"github.com/atelier/atelier/graph/model"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/configurator"
	"github.com/atelier/atelier/server/configure"
	"github.com/atelier/atelier/server/session"
)

// optionStates maps engine states to the GraphQL enum.
var optionStates = map[configurator.State]model.OptionState{
	configurator.StateSelected:  model.OptionStateSelected,
	configurator.StateAvailable: model.OptionStateAvailable,
	configurator.StateExcluded:  model.OptionStateExcluded,
	configurator.StateForced:    model.OptionStateForced,
}

// configurationPayload maps a session result to the mutation payload.
func configurationPayload(res *session.Result) *model.ConfigurationPayload {
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

func selectionModels(choices []configure.Choice) []*model.Selection {
	out := make([]*model.Selection, 0, len(choices))
	for _, c := range choices {
		out = append(out, &model.Selection{Group: c.Group, Option: optional(c.Option), Text: optional(c.Text)})
	}
	return out
}

// configurationModel maps a session result to the GraphQL Configuration.
func configurationModel(res *session.Result) *model.Configuration {
	st, v, snap := res.State, res.View, res.Snap
	m := &model.Configuration{
		ID: st.ID, Version: st.Version, ProductID: st.ProductID, CatalogVersion: st.CatalogVersion,
		Quantity: st.Quantity, Complete: v.Complete, Valid: v.Valid, Completions: v.Completions,
		Selections: selectionModels(st.Choices),
		Notices:    append([]string{}, st.Notices...),
	}
	m.Groups = groupModels(v, snap)
	m.Price = priceModel(v, snap)
	m.LeadTime = &model.LeadTime{
		MinBusinessDays: v.Lead.MinBusinessDays, MaxBusinessDays: v.Lead.MaxBusinessDays,
		ShipsEarliest: v.Lead.ShipsEarliest.String(), ShipsLatest: v.Lead.ShipsLatest.String(),
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

func priceModel(v *configure.View, snap *catalog.Snapshot) *model.Price {
	q, cur := v.Price, snap.Currency
	p := &model.Price{
		Unit: money(q.Unit, cur), Quantity: q.Quantity, Subtotal: money(q.Subtotal, cur),
		Discount: money(q.Discount, cur), Total: money(q.Total, cur),
		DepositDue: money(q.Deposit, cur), BalanceDue: money(q.Balance, cur),
	}
	for _, l := range q.Lines {
		p.Lines = append(p.Lines, &model.PriceLine{Label: l.Label, Amount: money(l.Amount, cur)})
	}
	if q.Tier != nil {
		p.Tier = &q.Tier.MinQuantity
	}
	p.Tiers = []*model.TierInfo{}
	for _, t := range snap.Tiers {
		p.Tiers = append(p.Tiers, &model.TierInfo{MinQuantity: t.MinQuantity, DiscountBasisPoints: t.DiscountBasisPoints})
	}
	return p
}

// numberValue renders a NUMBER input for the engine.
func numberValue(v int) string { return strconv.Itoa(v) }

// groupModels maps a view's groups with their option states and reasons.
func groupModels(v *configure.View, snap *catalog.Snapshot) []*model.ConfigurationGroup {
	cur := snap.Currency
	groups := catalogGroups(snap)
	out := make([]*model.ConfigurationGroup, 0, len(v.Groups))
	for gi, gv := range v.Groups {
		cg := &model.ConfigurationGroup{Group: groups[gi]}
		if !gv.Group.Required {
			s := optionStates[gv.None]
			cg.None = &s
		}
		for oi, ov := range gv.Options {
			co := &model.ConfigurationOption{State: optionStates[ov.State], PriceDelta: money(0, cur)}
			if ov.Option != nil {
				co.Option = groups[gi].Options[oi]
				co.PriceDelta = co.Option.PriceDelta
			} else {
				// NUMBER values (and a filled TEXT group) have no catalog record of their own.
				co.Option = &model.CatalogOption{
					ID: strconv.Itoa(gv.Group.ID), Key: ov.Key, Name: ov.Name, PriceDelta: money(0, cur),
				}
			}
			for _, r := range ov.Reasons {
				co.Reasons = append(co.Reasons, &model.Reason{Message: r.Message, Selections: selectionModels(r.Selections)})
			}
			if co.Reasons == nil {
				co.Reasons = []*model.Reason{}
			}
			cg.Options = append(cg.Options, co)
		}
		out = append(out, cg)
	}
	return out
}
