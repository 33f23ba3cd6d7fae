package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/quote"
)

// Payment holds the schema definition for a payment the workshop recorded against an order.
type Payment struct {
	ent.Schema
}

// Fields of the Payment.
func (Payment) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("amount").
			Positive().
			Validate(quote.CheckAmount).
			Immutable().
			Comment("Amount received, in minor units of the order currency."),
		field.String("reference").
			Default("").
			MaxLen(200).
			Immutable().
			Comment("Payment reference (transfer id, card receipt …)."),
		field.String("recorded_by").
			Default("").
			MaxLen(200).
			Immutable().
			Comment("Staff member who recorded it."),
		field.Time("at").
			Default(time.Now).
			Immutable().
			Comment("When it was recorded."),
	}
}

// Edges of the Payment.
func (Payment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("order", Order.Type).
			Ref("payments").
			Unique().
			Required().
			Immutable().
			Comment("The order paid."),
	}
}

// Annotations of the Payment.
func (Payment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}

// Policy of the Payment: who reads it (server/auth/policy.go holds every read policy).
func (Payment) Policy() ent.Policy {
	return auth.PaymentPolicy()
}
