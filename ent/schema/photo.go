package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/atelier/atelier/server/auth"
)

// Photo holds the schema definition for a photo the workshop posted to an order: uploaded
// first (attached to the order only), then shown on the timeline with the event it is posted
// with.
type Photo struct {
	ent.Schema
}

// Fields of the Photo.
func (Photo) Fields() []ent.Field {
	return []ent.Field{
		field.Int("width").
			Positive().
			Immutable().
			Comment("Width in pixels of the largest size served (DISPLAY)."),
		field.Int("height").
			Positive().
			Immutable().
			Comment("Height in pixels of the largest size served (DISPLAY)."),
		field.Int("thumb_width").
			Positive().
			Immutable().
			Comment("Width in pixels of the THUMB size."),
		field.Int("thumb_height").
			Positive().
			Immutable().
			Comment("Height in pixels of the THUMB size."),
		field.String("content_type").
			Immutable().
			Comment("Format served: image/jpeg, or image/png for a photo with transparency."),
		field.String("key").
			Unique().
			Immutable().
			NotEmpty().
			Comment("Blob key of the photo without size and extension: the file of a size is " +
				"KEY-SIZE.EXT (e.g. orders/7/3f9c…-thumb.jpg).").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("bytes").
			NonNegative().
			Immutable().
			Comment("Bytes stored, every size together.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("actor").
			Default("").
			MaxLen(200).
			Immutable().
			Comment("Who uploaded it (staff name)."),
		field.Time("created_at").
			Default(time.Now).
			Immutable().
			Comment("When it was uploaded."),
	}
}

// Edges of the Photo.
func (Photo) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("order", Order.Type).
			Ref("photos").
			Unique().
			Required().
			Immutable().
			Comment("The order the photo belongs to.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.From("event", OrderEvent.Type).
			Ref("photos").
			Unique().
			Comment("The timeline event that shows it; none until it is posted.").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Policy of the Photo: who reads it (server/auth/policy.go holds every read policy).
func (Photo) Policy() ent.Policy {
	return auth.PhotoPolicy()
}
