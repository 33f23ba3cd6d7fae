package graph

import (
	"cmp"

	"github.com/atelier/atelier/graph/model"
	"github.com/atelier/atelier/server/bag"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/orders"
	"github.com/atelier/atelier/server/shipping"
	"github.com/atelier/atelier/server/studio"
)

// bagModel maps a priced bag to its GraphQL type.
func bagModel(p *bag.Priced) *model.Bag {
	cur := cmp.Or(p.Currency, "USD")
	q := p.Quote
	out := &model.Bag{
		ID: p.Bag.ID, Lines: make([]*model.BagLine, 0, len(p.Lines)), Pieces: q.Pieces,
		Subtotal: money(q.Subtotal, cur), Discount: money(q.Discount, cur), GoodsTotal: money(q.Total, cur),
		Total: money(p.Shipped.Total, cur), Deposit: money(p.Shipped.Deposit, cur),
		Balance:    money(p.Shipped.Balance, cur),
		Shortfalls: make([]*model.Shortfall, 0, len(q.Shortfalls)),
		Orderable:  p.Orderable() == nil,
	}
	if p.Lead.ShipsLatest.IsValid() {
		l := p.Lead
		out.Delivery = &model.LeadTime{
			MinBusinessDays: l.MinBusinessDays, MaxBusinessDays: l.MaxBusinessDays,
			ShipsEarliest: l.ShipsEarliest.String(), ShipsLatest: l.ShipsLatest.String(),
			ClosureNotice: optional(shipping.ClosureNotice(l.Closures)),
		}
	}
	if d := p.Delivery; d != nil {
		out.Destination = &d.Country
		out.Shipping = money(p.Shipping(), cur)
		deliveryModel(out.Delivery, d.Country, d.Zone.Name, d.Zone.Transit, d.Arrival, out.Shipping)
	} else if p.Bag.Destination != "" {
		out.Destination = &p.Bag.Destination
	}
	for _, l := range p.Lines {
		ml := &model.BagLine{
			ID: l.LineID, ConfigurationID: l.ConfigurationID, Quantity: l.Quantity,
			Product: l.Product, Selections: []*model.OrderedSelection{},
			UnitPrice: money(0, cur), Subtotal: money(l.Quote.Subtotal, cur),
			Discount: money(l.Quote.Discount, cur), Total: money(l.Quote.Total, cur),
		}
		if l.Result != nil {
			snap := orders.SnapshotOf(l.Result, l.Product)
			ml.ProductName = snap.ProductName
			ml.Selections = orderedSelections(snap)
			ml.PreviewSVG = snap.PreviewSVG
			ml.UnitPrice = money(l.Result.View.Price.Unit, cur)
		}
		if l.Quote.Label != "" {
			ml.DiscountLabel = &l.Quote.Label
		}
		if l.Problem != "" {
			ml.Problem = &l.Problem
		}
		out.Lines = append(out.Lines, ml)
	}
	for _, s := range q.Shortfalls {
		out.Shortfalls = append(out.Shortfalls, &model.Shortfall{
			Name: s.Name, Minimum: s.Minimum, Have: s.Have, Missing: s.Missing, Message: s.Message,
		})
	}
	return out
}

func bagPayload(p *bag.Priced, err error) (*model.BagPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.BagPayload{Bag: bagModel(p)}, nil
}

// orderLineSnapshot is a line's frozen snapshot (never nil).
func orderLineSnapshot(s *catalog.OrderSnapshot) *catalog.OrderSnapshot {
	if s == nil {
		return &catalog.OrderSnapshot{}
	}
	return s
}

// bundleInput decodes a BundleInput.
func bundleInput(in model.BundleInput) (studio.BundleInput, error) {
	out := studio.BundleInput{Name: in.Name, MinQuantity: in.MinQuantity}
	for _, id := range in.ProductIds {
		pid, err := entID(id)
		if err != nil {
			return out, err
		}
		out.ProductIDs = append(out.ProductIDs, pid)
	}
	for _, t := range in.Tiers {
		out.Tiers = append(out.Tiers, catalog.Tier{MinQuantity: t.MinQuantity, DiscountBasisPoints: t.DiscountBasisPoints})
	}
	return out, nil
}

// placeOrderPayload maps a placed order (of a configuration or a bag) to its payload.
func placeOrderPayload(placed *orders.Placed) *model.PlaceOrderPayload {
	p := &model.PlaceOrderPayload{Order: placed.Order, OrderToken: placed.Token, PriceChanged: placed.PriceChanged}
	if placed.PriceChanged {
		p.PreviousTotal = money(placed.PreviousTotal, placed.Order.Currency)
	}
	return p
}
