package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/quote"
)

// Product holds the schema definition for a made-to-order strap model.
type Product struct {
	ent.Schema
}

// Mixin of the Product.
func (Product) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}}
}

// Fields of the Product.
func (Product) Fields() []ent.Field {
	return []ent.Field{
		field.String("slug").
			Unique().
			NotEmpty().
			MaxLen(80).
			Match(slugPattern).
			Comment("URL-safe unique handle, e.g. `heritage-sport`."),
		field.String("name").
			NotEmpty().
			MaxLen(120).
			Comment("Display name customers see.").
			Annotations(entgql.OrderField("NAME")),
		field.Text("description").
			Default("").
			Comment("Marketing description shown on the product page."),
		field.String("style").
			Default("").
			MaxLen(40).
			Comment("Silhouette used by the preview renderer: `sport`, `dress` or empty."),
		field.String("currency").
			Default("USD").
			Match(currencyPattern).
			Comment("ISO 4217 currency of every price of this product."),
		field.Int64("base_price").
			NonNegative().
			Validate(quote.CheckAmount).
			Comment("Price of one strap before options, in minor units of `currency`.").
			Annotations(entgql.Skip(entgql.SkipType | entgql.SkipWhereInput | entgql.SkipOrderField)),
		field.Int("build_days_min").
			Positive().
			Comment("Shortest build window in business days, before option deltas."),
		field.Int("build_days_max").
			Positive().
			Comment("Longest build window in business days, before option deltas."),
		field.Int("pieces_per_extra_day").
			Default(5).
			NonNegative().
			Comment("Every full this-many pieces beyond the first add one business day (0: none)."),
		field.Int("deposit_basis_points").
			Default(3000).
			Range(0, 10000).
			Comment("Share of the total due as a deposit when ordering, in basis points (3000 = 30%)."),
		field.Enum("status").
			NamedValues(
				"Draft", "DRAFT",
				"Active", "ACTIVE",
				"Archived", "ARCHIVED",
			).
			Default("DRAFT").
			Comment("DRAFT products are hidden from customers; ARCHIVED ones can no longer be ordered.").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput | entgql.SkipMutationUpdateInput)),
		field.Int("catalog_version").
			Default(0).
			NonNegative().
			Comment("The last published catalog version customers configure against (0: never published).").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput | entgql.SkipMutationUpdateInput)),
		field.Int("edition_limit").
			Optional().
			Nillable().
			Positive().
			Comment("Limited edition: most pieces that may ever be ordered (unset: unlimited)."),
		field.Int("edition_sold").
			Default(0).
			NonNegative().
			Comment("Pieces of a limited edition ordered so far.").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput | entgql.SkipMutationUpdateInput)),
		field.Bool("requires_approval").
			Default(false).
			Comment("Orders wait for the customer to approve a proof of the design before production (e.g. monogrammed pieces)."),
		field.Int("min_order_quantity").
			Default(1).
			Range(1, 500).
			Comment("Fewest pieces of this product an order may hold (1: no minimum)."),
		field.Time("orders_open_at").
			Optional().
			Nillable().
			Comment("Pre-order window: orders are refused before this instant (unset: open)."),
		field.Time("orders_close_at").
			Optional().
			Nillable().
			Comment("Pre-order window: orders are refused from this instant on (unset: no end)."),
	}
}

// Edges of the Product.
func (Product) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("option_groups", OptionGroup.Type).
			Comment("Option groups of the draft catalog.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("rules", Rule.Type).
			Comment("Compatibility rules of the draft catalog.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("price_rules", PriceRule.Type).
			Comment("Conditional surcharges of the draft catalog.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("price_tiers", PriceTier.Type).
			Comment("Quantity tiers of the draft catalog.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("catalog_versions", CatalogVersion.Type).
			Comment("Published, immutable catalog versions.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("orders", Order.Type).
			Comment("Orders placed for this product.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("order_lines", OrderLine.Type).
			Comment("Order lines of this product.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.From("bundles", Bundle.Type).
			Ref("products").
			Comment("The bundles (capsule collections) the product belongs to."),
		edge.To("changes", CatalogChange.Type).
			Comment("The audit trail of catalog edits.").
			// As when a change required its product: a product's trail is never orphaned.
			Annotations(entgql.Skip(entgql.SkipAll), entsql.OnDelete(entsql.NoAction)),
	}
}

// Annotations of the Product.
func (Product) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField("products").Description("Products customers can configure (designers also see drafts)."),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Policy of the Product: who reads it (server/auth/policy.go holds every read policy).
func (Product) Policy() ent.Policy {
	return auth.ProductPolicy()
}
