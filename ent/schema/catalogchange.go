package schema

import (
	"encoding/json"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/atelier/atelier/server/auth"
)

// CatalogChange holds the schema definition for one recorded edit of a product's catalog, or of
// the shipping zones: who changed what, when, with the record before and after.
type CatalogChange struct {
	ent.Schema
}

// Fields of the CatalogChange.
func (CatalogChange) Fields() []ent.Field {
	return []ent.Field{
		field.String("actor").
			Immutable().
			Comment("Who made the change (staff name, or `seed`)."),
		field.String("entity").
			Immutable().
			Comment("What kind of record changed: Product, OptionGroup, OptionValue, Rule, PriceRule, PriceTier, Bundle, Catalog or ShippingZone."),
		field.Int("entity_id").
			Immutable().
			Comment("ID of the record that changed."),
		field.String("action").
			Immutable().
			Comment("CREATE, UPDATE, DELETE or PUBLISH."),
		field.JSON("before", json.RawMessage{}).
			Optional().
			Immutable().
			Comment("The record before the change (absent on CREATE).").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.JSON("after", json.RawMessage{}).
			Optional().
			Immutable().
			Comment("The record after the change (absent on DELETE).").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("at").
			Default(time.Now).
			Immutable().
			Comment("When it happened.").
			Annotations(entgql.OrderField("AT")),
	}
}

// Edges of the CatalogChange.
func (CatalogChange) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("product", Product.Type).
			Ref("changes").
			Unique().
			Immutable().
			Comment("The product whose catalog changed; null for a change of no product's (a shipping zone)."),
	}
}

// Indexes of the CatalogChange.
func (CatalogChange) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("at").Edges("product"),
	}
}

// Annotations of the CatalogChange.
func (CatalogChange) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
	}
}

// Policy of the CatalogChange: who reads it (server/auth/policy.go holds every read policy).
func (CatalogChange) Policy() ent.Policy {
	return auth.CatalogChangePolicy()
}
