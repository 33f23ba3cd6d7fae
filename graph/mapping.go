package graph

import (
	"github.com/atelier/atelier/server/auth"
	"strconv"

	"context"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/optiongroup"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/graph/model"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/fault"
)

// money maps an amount in minor units to the GraphQL Money type.
func money(amount int64, currency string) *model.Money {
	return &model.Money{Amount: int(amount), Currency: currency}
}

// catalogGroups maps a published snapshot's groups to the GraphQL catalog types.
func catalogGroups(s *catalog.Snapshot) []*model.CatalogGroup {
	out := make([]*model.CatalogGroup, 0, len(s.Groups))
	for _, g := range s.Groups {
		mg := &model.CatalogGroup{
			ID: strconv.Itoa(g.ID), Key: g.Key, Name: g.Name, Description: g.Description,
			Kind: optiongroup.Kind(g.Kind), Required: g.Required,
			MinSelect: g.MinSelect, MaxSelect: g.MaxSelect, MaxLength: g.MaxLength,
			AllowedCharacters: g.AllowedCharacters, NumberMin: g.NumberMin,
			NumberMax: g.NumberMax, NumberStep: g.NumberStep, Unit: g.Unit,
			PreviewRole: g.PreviewRole, Options: make([]*model.CatalogOption, 0, len(g.Options)),
		}
		for _, o := range g.Options {
			mg.Options = append(mg.Options, &model.CatalogOption{
				ID: strconv.Itoa(o.ID), Key: o.Key, Name: o.Name, Description: o.Description,
				PriceDelta: money(o.PriceDelta, s.Currency), LeadDays: o.LeadDays,
				Swatch: o.Swatch, PreviewAsset: o.PreviewAsset,
			})
		}
		out = append(out, mg)
	}
	return out
}

// visibleNode hides from node(id) what a viewer must not read by id: draft products, other
// customers' orders, and order events outside the workshop. The status is read
// apart because field collection loads only the fields the query asked for.
func (r *Resolver) visibleNode(ctx context.Context, n ent.Noder) (ent.Noder, error) {
	switch v := n.(type) {
	case *ent.Product:
		draft, err := r.client.Product.Query().
			Where(product.ID(v.ID), product.StatusEQ(product.StatusDraft)).Exist(ctx)
		if err != nil {
			return nil, err
		}
		if draft {
			return nil, fault.New(fault.NotFound, "not found")
		}
	case *ent.Order:
		if err := auth.CanReadOrder(ctx, v.ID); err != nil {
			return nil, err
		}
	case *ent.OrderEvent:
		if !auth.FromContext(ctx).IsStaff() {
			return nil, fault.New(fault.NotFound, "not found")
		}
	}
	return n, nil
}

// entID parses the integer ID of an ent record; anything else names no record.
func entID(id string) (int, error) {
	n, err := strconv.Atoi(id)
	if err != nil || n <= 0 {
		return 0, fault.New(fault.NotFound, "no record %q", id)
	}
	return n, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// orderedSelections maps an order snapshot's choices.
func orderedSelections(s *catalog.OrderSnapshot) []*model.OrderedSelection {
	out := make([]*model.OrderedSelection, 0, len(s.Selections))
	for _, v := range s.Selections {
		out = append(out, &model.OrderedSelection{
			Group: v.Group, GroupName: v.GroupName, Option: optional(v.Option),
			OptionName: optional(v.OptionName), Text: optional(v.Text),
		})
	}
	return out
}

// findMyOrderMessage is the one answer of findMyOrder, whether or not an order matched.
const findMyOrderMessage = "If an order with this number was placed with this email address, " +
	"we have sent it a sign-in link. It works once, for 30 minutes."

// paymentDue maps an open payment request (nil: none).
func paymentDue(req *ent.PaymentRequest, currency string) *model.PaymentDue {
	if req == nil {
		return nil
	}
	return &model.PaymentDue{
		Kind: model.PaymentKind(req.Kind), Amount: money(req.Amount, currency),
		ClientSecret: req.ClientSecret,
	}
}
