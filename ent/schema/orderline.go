package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/catalog"
)

// OrderLine holds the schema definition for one configured piece of an order, frozen at ordering.
type OrderLine struct {
	ent.Schema
}

// Fields of the OrderLine.
func (OrderLine) Fields() []ent.Field {
	return []ent.Field{
		field.Int("position").
			Immutable().
			NonNegative().
			Comment("Place of the line in the order, from 0."),
		field.String("configuration_id").
			Immutable().
			Default("").
			Comment("The configuration session the line was ordered from."),
		field.Int("quantity").
			Positive().
			Immutable().
			Comment("Pieces of this configuration."),
		field.Int64("unit_price").
			Immutable().
			Comment("Price of one piece before discounts, in minor units of the order's currency."),
		field.Int64("discount").
			Immutable().
			Default(0).
			Comment("Quantity or bundle discount of the whole line, in minor units (≥ 0)."),
		field.Int64("total").
			Immutable().
			Comment("What the line costs: unit price × quantity − discount, in minor units."),
		field.JSON("snapshot", &catalog.OrderSnapshot{}).
			Immutable().
			Comment("What was ordered on this line, as named and priced at ordering."),
	}
}

// Edges of the OrderLine.
func (OrderLine) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("order", Order.Type).
			Ref("lines").
			Unique().
			Required().
			Immutable().
			Comment("The order the line belongs to."),
		edge.From("product", Product.Type).
			Ref("order_lines").
			Unique().
			Required().
			Immutable().
			Comment("The product of the line."),
	}
}

// Indexes of the OrderLine.
func (OrderLine) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("position").Edges("order").Unique(),
	}
}

// Annotations of the OrderLine.
func (OrderLine) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}

// Policy of the OrderLine: who reads it (server/auth/policy.go holds every read policy).
func (OrderLine) Policy() ent.Policy {
	return auth.OrderLinePolicy()
}
