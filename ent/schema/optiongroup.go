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

// OptionGroup holds the schema definition for one customisable aspect of a strap (leather, colour,
// stitching, wrist size, monogram …).
type OptionGroup struct {
	ent.Schema
}

// Mixin of the OptionGroup.
func (OptionGroup) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}}
}

// Fields of the OptionGroup.
func (OptionGroup) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").
			NotEmpty().
			MaxLen(40).
			Match(keyPattern).
			Comment("Key rules refer to, unique within the product, e.g. `leather`."),
		field.String("name").
			NotEmpty().
			MaxLen(80).
			Comment("Display name, e.g. `Leather grade`."),
		field.Text("description").
			Default("").
			Comment("Help text shown beside the group."),
		field.Enum("kind").
			NamedValues(
				"Single", "SINGLE",
				"Multi", "MULTI",
				"Text", "TEXT",
				"Number", "NUMBER",
			).
			Default("SINGLE").
			Comment("SINGLE: pick one option; MULTI: pick between min_select and max_select; " +
				"TEXT: free text (the monogram); NUMBER: a measure from number_min to number_max."),
		field.Bool("required").
			Default(true).
			Comment("Whether a complete configuration needs a choice in this group."),
		field.Int("min_select").
			Default(0).
			NonNegative().
			Comment("MULTI: fewest options to choose."),
		field.Int("max_select").
			Default(0).
			NonNegative().
			Comment("MULTI: most options to choose (0: no upper bound)."),
		field.Int("max_length").
			Default(0).
			NonNegative().
			Comment("TEXT: longest text accepted, in characters (0: no text accepted)."),
		field.String("allowed_characters").
			Default("").
			MaxLen(200).
			Comment("TEXT: every character a customer may type (empty: letters, digits and space)."),
		field.Int("number_min").
			Default(0).
			Comment("NUMBER: smallest value, in `unit`."),
		field.Int("number_max").
			Default(0).
			Comment("NUMBER: largest value, in `unit`."),
		field.Int("number_step").
			Default(1).
			Positive().
			Comment("NUMBER: step between accepted values."),
		field.String("unit").
			Default("").
			MaxLen(16).
			Comment("NUMBER: unit of the values, e.g. `mm`."),
		field.String("preview_role").
			Default("").
			MaxLen(40).
			Comment("What the group changes in the preview: leather, stitching, edge, hardware, " +
				"buckle, keeper, lining, monogram, size, or empty."),
		field.Int("position").
			Default(0).
			Comment("Order of the group on the configurator page.").
			Annotations(entgql.OrderField("POSITION")),
		field.Bool("active").
			Default(true).
			Comment("Archived groups are kept for history but leave the next published catalog.").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput | entgql.SkipMutationUpdateInput)),
	}
}

// Edges of the OptionGroup.
func (OptionGroup) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("product", Product.Type).
			Ref("option_groups").
			Unique().
			Required().
			Immutable().
			Comment("The product this group belongs to."),
		edge.To("options", OptionValue.Type).
			Comment("The options of a SINGLE or MULTI group.").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the OptionGroup.
func (OptionGroup) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("key").Edges("product").Unique(),
	}
}

// Annotations of the OptionGroup.
func (OptionGroup) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Policy of the OptionGroup: who reads it (server/auth/policy.go holds every read policy).
func (OptionGroup) Policy() ent.Policy {
	return auth.OptionGroupPolicy()
}
