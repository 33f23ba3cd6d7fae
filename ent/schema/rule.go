package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/atelier/atelier/server/auth"
)

// Rule holds the schema definition for a compatibility rule between options.
type Rule struct {
	ent.Schema
}

// Mixin of the Rule.
func (Rule) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}}
}

// Fields of the Rule.
func (Rule) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").
			NotEmpty().
			MaxLen(60).
			Match(keyPattern).
			Comment("Stable handle of the rule, unique within the product."),
		field.Text("expression").
			NotEmpty().
			Comment("Rule in the expression language, e.g. " +
				"`leather = shell-cordovan -> stitching in {natural, black}`."),
		field.String("message").
			NotEmpty().
			MaxLen(300).
			Comment("Why, in words a customer understands, shown on options the rule excludes."),
		field.Bool("enabled").
			Default(true).
			Comment("Disabled rules stay in the draft but are not compiled."),
	}
}

// Edges of the Rule.
func (Rule) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("product", Product.Type).
			Ref("rules").
			Unique().
			Required().
			Immutable().
			Comment("The product this rule constrains."),
	}
}

// Annotations of the Rule.
func (Rule) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Policy of the Rule: who reads it (server/auth/policy.go holds every read policy).
func (Rule) Policy() ent.Policy {
	return auth.RulePolicy()
}
