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

// Payment holds the schema definition for money received for an order (positive) or refunded
// (negative): recorded by the workshop (manual provider) or from a verified provider webhook.
type Payment struct {
	ent.Schema
}

// Fields of the Payment.
func (Payment) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("amount").
			Validate(quote.CheckAmount).
			Immutable().
			Comment("Amount received (negative: refunded), in minor units of the order currency."),
		field.Enum("kind").
			NamedValues(
				"Manual", "MANUAL",
				"Deposit", "DEPOSIT",
				"Balance", "BALANCE",
				"Refund", "REFUND",
			).
			Default("MANUAL").
			Immutable().
			Comment("What the money was: recorded by hand, a deposit, a balance or a refund."),
		field.String("provider_ref").
			Optional().
			Nillable().
			Unique().
			Immutable().
			MaxLen(255).
			Comment("The provider's id of the money movement (PaymentIntent or Refund): one payment each."),
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
