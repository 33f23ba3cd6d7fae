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

// CatalogVersion holds the schema definition for one published, immutable catalog of a product.
type CatalogVersion struct {
	ent.Schema
}

// Fields of the CatalogVersion.
func (CatalogVersion) Fields() []ent.Field {
	return []ent.Field{
		field.Int("version").
			Positive().
			Immutable().
			Comment("Version number, 1, 2, 3 … per product."),
		field.JSON("snapshot", &catalog.Snapshot{}).
			Immutable().
			Comment("The whole published catalog, as the engine, quote and preview read it."),
		field.String("published_by").
			Default("").
			Immutable().
			Comment("Name of the staff member (or `seed`) who published it."),
		field.Time("published_at").
			Immutable().
			Comment("When it was published."),
	}
}

// Edges of the CatalogVersion.
func (CatalogVersion) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("product", Product.Type).
			Ref("catalog_versions").
			Unique().
			Required().
			Immutable().
			Comment("The product this version belongs to."),
	}
}

// Indexes of the CatalogVersion.
func (CatalogVersion) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("version").Edges("product").Unique(),
	}
}

// Annotations of the CatalogVersion.
func (CatalogVersion) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}

// Policy of the CatalogVersion: who reads it (server/auth/policy.go holds every read policy).
func (CatalogVersion) Policy() ent.Policy {
	return auth.CatalogVersionPolicy()
}
