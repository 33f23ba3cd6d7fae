package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/atelier/atelier/server/auth"
)

// WebhookEvent holds the schema definition for a provider webhook event already applied: stored
// in the same transaction as its effect, so a delivery repeated, late or out of order is applied
// at most once.
type WebhookEvent struct {
	ent.Schema
}

// Fields of the WebhookEvent.
func (WebhookEvent) Fields() []ent.Field {
	return []ent.Field{
		field.String("event_id").
			NotEmpty().
			MaxLen(255).
			Unique().
			Immutable().
			Comment("The provider's event id, e.g. evt_…"),
		field.String("type").
			Default("").
			MaxLen(255).
			Immutable().
			Comment("The event type, e.g. payment_intent.succeeded."),
		field.Time("received_at").
			Default(time.Now).
			Immutable().
			Comment("When it was applied."),
	}
}

// Annotations of the WebhookEvent.
func (WebhookEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}

// Policy of the WebhookEvent: who reads it (server/auth/policy.go holds every read policy).
func (WebhookEvent) Policy() ent.Policy {
	return auth.WebhookEventPolicy()
}
