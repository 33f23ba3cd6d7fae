package seed

import "github.com/atelier/atelier/server/catalog"

// Snapshots returns the demo catalog as unpublished snapshots (version 1, IDs counted from 1),
// without a database: the fixture of the engine and configure tests.
func Snapshots() []*catalog.Snapshot {
	out := make([]*catalog.Snapshot, 0, len(products))
	id := 0
	next := func() int { id++; return id }
	for _, def := range products {
		s := &catalog.Snapshot{
			ProductID: next(), Version: 1, Slug: def.Slug, Name: def.Name, Style: def.Style,
			Currency: "USD", BasePrice: def.BasePrice, BuildDaysMin: def.BuildMin,
			BuildDaysMax: def.BuildMax, PiecesPerExtraDay: 5, DepositBasisPoints: 3000,
		}
		for _, g := range def.Groups {
			kind := g.Kind
			if kind == "" {
				kind = "SINGLE"
			}
			sg := catalog.Group{
				ID: next(), Key: g.Key, Name: g.Name, Description: g.Description, Kind: kind,
				Required: !g.Optional, MaxSelect: g.MaxSelect, MaxLength: g.MaxLength,
				AllowedCharacters: g.Allowed, NumberMin: g.NumberMin, NumberMax: g.NumberMax,
				NumberStep: max(g.NumberStep, 1), Unit: g.Unit, PreviewRole: g.Role,
			}
			for _, o := range g.Options {
				sg.Options = append(sg.Options, catalog.Option{
					ID: next(), Key: o.Key, Name: o.Name, PriceDelta: o.PriceDelta,
					LeadDays: o.LeadDays, Swatch: o.Swatch, PreviewAsset: o.Asset,
				})
			}
			s.Groups = append(s.Groups, sg)
		}
		for _, r := range def.Rules {
			s.Rules = append(s.Rules, catalog.Rule{ID: next(), Key: r.Key, Expression: r.Expr, Message: r.Message})
		}
		for _, r := range def.PriceRules {
			s.PriceRules = append(s.PriceRules, catalog.PriceRule{
				ID: next(), Label: r.Label, Condition: r.Condition, Amount: r.Amount,
			})
		}
		for _, t := range def.Tiers {
			s.Tiers = append(s.Tiers, catalog.Tier{MinQuantity: t.Min, DiscountBasisPoints: t.BasisPoints})
		}
		out = append(out, s)
	}
	return out
}
