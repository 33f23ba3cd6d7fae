package studio

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/fault"
)

// BundleInput defines a bundle (a capsule collection).
type BundleInput struct {
	Name        string
	ProductIDs  []int
	MinQuantity int
	Tiers       []catalog.Tier
}

func (in *BundleInput) validate() error {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 120 {
		return fault.BadInput("name", "a bundle needs a name of 1 to 120 characters")
	}
	if len(in.ProductIDs) == 0 {
		return fault.BadInput("productIds", "a bundle needs at least one product")
	}
	in.ProductIDs = slices.Compact(slices.Sorted(slices.Values(in.ProductIDs)))
	if in.MinQuantity < 1 || in.MinQuantity > 500 {
		return fault.BadInput("minQuantity", "the minimum must be 1 to 500 pieces")
	}
	seen := map[int]bool{}
	for i, t := range in.Tiers {
		if t.MinQuantity < 2 || t.DiscountBasisPoints < 1 || t.DiscountBasisPoints > 9000 {
			return fault.BadInput("tiers", "tier %d needs at least 2 pieces and 1 to 9000 basis points", i+1)
		}
		if seen[t.MinQuantity] {
			return fault.BadInput("tiers", "two tiers start at %d pieces", t.MinQuantity)
		}
		seen[t.MinQuantity] = true
	}
	slices.SortFunc(in.Tiers, func(a, b catalog.Tier) int { return a.MinQuantity - b.MinQuantity })
	return nil
}

// SaveBundle creates (id 0) or replaces bundle id in one designer write.
func SaveBundle(ctx context.Context, client *ent.Client, id int, in BundleInput) (*ent.Bundle, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	return Edit(ctx, client, func(tx *ent.Client) (*ent.Bundle, error) {
		n, err := tx.Product.Query().Where(product.IDIn(in.ProductIDs...)).Count(ctx)
		if err != nil {
			return nil, err
		}
		if n != len(in.ProductIDs) {
			return nil, fault.BadInput("productIds", "no such product among %v", in.ProductIDs)
		}
		if id == 0 {
			return tx.Bundle.Create().SetName(in.Name).SetMinQuantity(in.MinQuantity).
				SetTiers(in.Tiers).AddProductIDs(in.ProductIDs...).Save(ctx)
		}
		b, err := tx.Bundle.UpdateOneID(id).SetName(in.Name).SetMinQuantity(in.MinQuantity).
			SetTiers(in.Tiers).ClearProducts().AddProductIDs(in.ProductIDs...).Save(ctx)
		if ent.IsNotFound(err) {
			return nil, fault.New(fault.NotFound, "no bundle %d", id)
		}
		return b, err
	})
}

// DeleteBundle deletes bundle id in one designer write (its audit record commits with it); a
// bundle that does not exist is NOT_FOUND.
func DeleteBundle(ctx context.Context, client *ent.Client, id int) error {
	return EditExec(ctx, client, func(tx *ent.Client) error {
		err := tx.Bundle.DeleteOneID(id).Exec(ctx)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "no bundle %d", id)
		}
		return err
	})
}
