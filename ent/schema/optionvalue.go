package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/quote"
)

// OptionValue holds the schema definition for one choice within an option group.
type OptionValue struct {
	ent.Schema
}

// Mixin of the OptionValue.
func (OptionValue) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}}
}

// Fields of the OptionValue.
func (OptionValue) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").
			NotEmpty().
			MaxLen(40).
			Match(keyPattern).
			Comment("Key rules refer to, unique within the group, e.g. `shell-cordovan`."),
		field.String("name").
			NotEmpty().
			MaxLen(80).
			Comment("Display name, e.g. `Shell cordovan`."),
		field.Text("description").
			Default("").
			Comment("A line about the material or finish."),
		field.Int64("price_delta").
			Default(0).
			Validate(quote.CheckAmount).
			Comment("Price added to one strap, in minor units of the product currency.").
			Annotations(entgql.Skip(entgql.SkipType | entgql.SkipWhereInput | entgql.SkipOrderField)),
		field.Int("lead_days").
			Default(0).
			NonNegative().
			Comment("Business days this option adds to the build window."),
		field.String("swatch").
			Default("").
			Match(colourPattern).
			Comment("Swatch colour `#rrggbb`, also the tint of the preview layer."),
		field.String("preview_asset").
			Default("").
			MaxLen(120).
			Comment("Preview asset, e.g. `stitch/saddle` or `buckle/deployant`."),
		field.Int("position").
			Default(0).
			Comment("Order of the option within its group.").
			Annotations(entgql.OrderField("POSITION")),
		field.Bool("active").
			Default(true).
			Comment("Inactive options are kept for history but leave the next published catalog.").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput | entgql.SkipMutationUpdateInput)),
	}
}

// Edges of the OptionValue.
func (OptionValue) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("group", OptionGroup.Type).
			Ref("options").
			Unique().
			Required().
			Immutable().
			Comment("The group this option belongs to."),
	}
}

// Indexes of the OptionValue.
func (OptionValue) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("key").Edges("group").Unique(),
	}
}

// Annotations of the OptionValue.
func (OptionValue) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Policy of the OptionValue: who reads it (server/auth/policy.go holds every read policy).
func (OptionValue) Policy() ent.Policy {
	return auth.OptionValuePolicy()
}
