package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/quote"
)

// PriceRule holds the schema definition for a conditional surcharge (or discount) per strap.
type PriceRule struct {
	ent.Schema
}

// Mixin of the PriceRule.
func (PriceRule) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}}
}

// Fields of the PriceRule.
func (PriceRule) Fields() []ent.Field {
	return []ent.Field{
		field.String("label").
			NotEmpty().
			MaxLen(120).
			Comment("Line label on the price breakdown, e.g. `Exotic leather hand-finishing`."),
		field.Text("condition").
			NotEmpty().
			Comment("When it applies, in the rule expression language."),
		field.Int64("amount").
			Validate(quote.CheckAmount).
			Comment("Amount added per strap, in minor units (negative for a discount).").
			Annotations(entgql.Skip(entgql.SkipType | entgql.SkipWhereInput | entgql.SkipOrderField)),
		field.Bool("enabled").
			Default(true).
			Comment("Disabled price rules stay in the draft but are not applied."),
	}
}

// Edges of the PriceRule.
func (PriceRule) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("product", Product.Type).
			Ref("price_rules").
			Unique().
			Required().
			Immutable().
			Comment("The product this price rule applies to."),
	}
}

// Annotations of the PriceRule.
func (PriceRule) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Policy of the PriceRule: who reads it (server/auth/policy.go holds every read policy).
func (PriceRule) Policy() ent.Policy {
	return auth.PriceRulePolicy()
}
