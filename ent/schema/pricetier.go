package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/atelier/atelier/server/auth"
)

// PriceTier holds the schema definition for a quantity discount.
type PriceTier struct {
	ent.Schema
}

// Mixin of the PriceTier.
func (PriceTier) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}}
}

// Fields of the PriceTier.
func (PriceTier) Fields() []ent.Field {
	return []ent.Field{
		field.Int("min_quantity").
			Min(2).
			Comment("Pieces from which the tier applies."),
		field.Int("discount_basis_points").
			Range(1, 9000).
			Comment("Discount on the order subtotal, in basis points (1000 = 10%)."),
	}
}

// Edges of the PriceTier.
func (PriceTier) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("product", Product.Type).
			Ref("price_tiers").
			Unique().
			Required().
			Immutable().
			Comment("The product this tier applies to."),
	}
}

// Indexes of the PriceTier.
func (PriceTier) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("min_quantity").Edges("product").Unique(),
	}
}

// Annotations of the PriceTier.
func (PriceTier) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Policy of the PriceTier: who reads it (server/auth/policy.go holds every read policy).
func (PriceTier) Policy() ent.Policy {
	return auth.PriceTierPolicy()
}
