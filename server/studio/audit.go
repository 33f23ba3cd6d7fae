package studio

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/bundle"
	"github.com/atelier/atelier/ent/hook"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/server/auth"
)

// Audited entity names, as recorded in CatalogChange.entity.
const (
	entityProduct     = "Product"
	entityOptionGroup = "OptionGroup"
	entityOptionValue = "OptionValue"
	entityRule        = "Rule"
	entityPriceRule   = "PriceRule"
	entityPriceTier   = "PriceTier"
	entityBundle      = "Bundle"
	entityCatalog     = "Catalog"
	// EntityShippingZone is a shipping zone's change: it belongs to no product.
	EntityShippingZone = "ShippingZone"
)

// AuditHook records every change of a catalog record or shipping zone — who, what, when, before and after — as a
// CatalogChange through the mutation's own client: in the same transaction as the change when
// the change runs in one, as every designer edit does (Edit, EditExec). app.UseHooks registers
// it once per client.
func AuditHook(now func() time.Time) ent.Hook {
	audited := func(_ context.Context, m ent.Mutation) bool {
		switch m.Type() {
		case entityProduct:
			return !bookkeepingOnly(m)
		case entityOptionGroup, entityOptionValue, entityRule, entityPriceRule, entityPriceTier,
			entityBundle, EntityShippingZone:
			return true
		}
		return false
	}
	return hook.If(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			client := m.(interface{ Client() *ent.Client }).Client()
			ids, err := mutatedIDs(ctx, m)
			if err != nil {
				return nil, err
			}
			before := map[int]record{}
			for _, id := range ids {
				if before[id], err = load(ctx, client, m.Type(), id); err != nil {
					return nil, err
				}
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			if m.Op().Is(ent.OpCreate) {
				ids = []int{createdID(v)}
			}
			actor := auth.FromContext(ctx).Actor()
			for _, id := range ids {
				ch := client.CatalogChange.Create().
					SetActor(actor).SetEntity(m.Type()).SetEntityID(id).SetAt(now())
				prev, hadPrev := before[id]
				productID := prev.productID
				switch {
				case m.Op().Is(ent.OpDelete | ent.OpDeleteOne):
					ch.SetAction("DELETE").SetBefore(prev.data)
				default:
					cur, err := load(ctx, client, m.Type(), id)
					if err != nil {
						return nil, err
					}
					productID = cur.productID
					ch.SetAfter(cur.data)
					if hadPrev {
						ch.SetAction("UPDATE").SetBefore(prev.data)
					} else {
						ch.SetAction("CREATE")
					}
				}
				if productID != 0 {
					ch.SetProductID(productID)
				}
				if err := ch.Exec(ctx); err != nil {
					return nil, fmt.Errorf("recording catalog change: %w", err)
				}
			}
			return v, nil
		})
	}, hook.Condition(audited))
}

// mutatedIDs lists the records an update or delete is about to change.
func mutatedIDs(ctx context.Context, m ent.Mutation) ([]int, error) {
	if m.Op().Is(ent.OpCreate) {
		return nil, nil
	}
	im, ok := m.(interface {
		IDs(context.Context) ([]int, error)
	})
	if !ok {
		return nil, fmt.Errorf("auditing %s: mutation has no IDs", m.Type())
	}
	return im.IDs(auth.System(ctx))
}

// record is an audited record as JSON, with the product it belongs to.
type record struct {
	data      json.RawMessage
	productID int
}

// load reads an audited record in full (never through GraphQL field collection).
func load(ctx context.Context, c *ent.Client, typ string, id int) (record, error) {
	// The audit trail records a write already allowed: reading the record is no caller's read.
	ctx = auth.System(ctx)
	var (
		v         any
		productID int
		err       error
	)
	switch typ {
	case entityProduct:
		v, productID, err = getWith(c.Product.Get(ctx, id))(func(p *ent.Product) (int, error) { return p.ID, nil })
	case entityOptionGroup:
		v, productID, err = getWith(c.OptionGroup.Get(ctx, id))(func(g *ent.OptionGroup) (int, error) {
			return g.QueryProduct().OnlyID(ctx)
		})
	case entityOptionValue:
		v, productID, err = getWith(c.OptionValue.Get(ctx, id))(func(o *ent.OptionValue) (int, error) {
			return o.QueryGroup().QueryProduct().OnlyID(ctx)
		})
	case entityRule:
		v, productID, err = getWith(c.Rule.Get(ctx, id))(func(r *ent.Rule) (int, error) {
			return r.QueryProduct().OnlyID(ctx)
		})
	case entityPriceRule:
		v, productID, err = getWith(c.PriceRule.Get(ctx, id))(func(r *ent.PriceRule) (int, error) {
			return r.QueryProduct().OnlyID(ctx)
		})
	case entityPriceTier:
		v, productID, err = getWith(c.PriceTier.Get(ctx, id))(func(t *ent.PriceTier) (int, error) {
			return t.QueryProduct().OnlyID(ctx)
		})
	case entityBundle:
		// A bundle spans products: its trail goes with its first product's, the record names
		// them all.
		v, productID, err = getWith(c.Bundle.Query().Where(bundle.ID(id)).WithProducts().Only(ctx))(
			func(b *ent.Bundle) (int, error) {
				ids := make([]int, 0, len(b.Edges.Products))
				for _, p := range b.Edges.Products {
					ids = append(ids, p.ID)
				}
				if len(ids) == 0 {
					return 0, fmt.Errorf("bundle %d has no product", b.ID)
				}
				return slices.Min(ids), nil
			})
	case EntityShippingZone:
		// A shipping zone belongs to no product: its change has none.
		v, productID, err = getWith(c.ShippingZone.Get(ctx, id))(func(*ent.ShippingZone) (int, error) { return 0, nil })
	default:
		return record{}, fmt.Errorf("auditing: unknown entity %s", typ)
	}
	if err != nil {
		return record{}, fmt.Errorf("auditing %s %d: %w", typ, id, err)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return record{}, fmt.Errorf("encoding %s %d: %w", typ, id, err)
	}
	return record{data: data, productID: productID}, nil
}

// getWith pairs a loaded record with the lookup of its product.
func getWith[T any](v T, err error) func(func(T) (int, error)) (any, int, error) {
	return func(product func(T) (int, error)) (any, int, error) {
		if err != nil {
			return nil, 0, err
		}
		id, err := product(v)
		return v, id, err
	}
}

// createdID is the ID of a record a create mutation returned.
func createdID(v ent.Value) int {
	switch r := v.(type) {
	case *ent.Product:
		return r.ID
	case *ent.OptionGroup:
		return r.ID
	case *ent.OptionValue:
		return r.ID
	case *ent.Rule:
		return r.ID
	case *ent.PriceRule:
		return r.ID
	case *ent.PriceTier:
		return r.ID
	case *ent.Bundle:
		return r.ID
	case *ent.ShippingZone:
		return r.ID
	}
	return 0
}

// bookkeepingFields change as a side effect of publishing and ordering, not of catalog edits.
var bookkeepingFields = map[string]bool{
	product.FieldCatalogVersion: true, product.FieldEditionSold: true, product.FieldUpdatedAt: true,
}

// bookkeepingOnly reports whether a product mutation touches bookkeeping fields only (the
// version bump of a publish, the edition count of an order): those are not catalog edits.
func bookkeepingOnly(m ent.Mutation) bool {
	if !m.Op().Is(ent.OpUpdate | ent.OpUpdateOne) {
		return false
	}
	for _, f := range append(m.Fields(), m.AddedFields()...) {
		if !bookkeepingFields[f] {
			return false
		}
	}
	return true
}
