package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/catalog"
)

// Bundle holds the schema definition for a capsule collection: products whose pieces count
// together towards a minimum order quantity and quantity tiers.
type Bundle struct {
	ent.Schema
}

// Mixin of the Bundle.
func (Bundle) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}}
}

// Fields of the Bundle.
func (Bundle) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(120).
			Comment("Display name customers see, e.g. `Capsule`."),
		field.Int("min_quantity").
			Default(1).
			Range(1, 500).
			Comment("Fewest pieces of the bundle's products an order holds when it holds any."),
		field.JSON("tiers", []catalog.Tier{}).
			Optional().
			Comment("Quantity tiers counted over the pieces of every product of the bundle.").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the Bundle.
func (Bundle) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("products", Product.Type).
			Comment("The products of the bundle."),
	}
}

// Annotations of the Bundle.
func (Bundle) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
	}
}

// Policy of the Bundle: who reads it (server/auth/policy.go holds every read policy).
func (Bundle) Policy() ent.Policy {
	return auth.BundlePolicy()
}
