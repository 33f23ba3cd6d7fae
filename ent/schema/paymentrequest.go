package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/atelier/atelier/server/auth"
)

// PaymentRequest holds the schema definition for money asked of the customer through the payment
// provider: the deposit at checkout, the balance before shipping (a Stripe PaymentIntent each).
type PaymentRequest struct {
	ent.Schema
}

// Fields of the PaymentRequest.
func (PaymentRequest) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").
			NamedValues("Deposit", "DEPOSIT", "Balance", "BALANCE").
			Immutable().
			Comment("DEPOSIT at checkout, BALANCE before shipping."),
		field.Int64("amount").
			Positive().
			Immutable().
			Comment("Amount asked, in minor units of the order currency."),
		field.String("provider_ref").
			NotEmpty().
			MaxLen(255).
			Immutable().
			Comment("The provider's id of the request (a PaymentIntent id)."),
		field.String("client_secret").
			Sensitive().
			Default("").
			Immutable().
			Comment("What the customer's browser confirms the payment with (Stripe Payment Element)."),
		field.Enum("status").
			NamedValues("Open", "OPEN", "Paid", "PAID", "Cancelled", "CANCELLED").
			Default("OPEN").
			Comment("OPEN until a verified webhook reports it paid."),
		field.Time("created_at").
			Default(time.Now).
			Immutable().
			Comment("When it was asked."),
	}
}

// Edges of the PaymentRequest.
func (PaymentRequest) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("order", Order.Type).
			Ref("payment_requests").
			Unique().
			Required().
			Immutable().
			Comment("The order asked to pay."),
	}
}

// Indexes of the PaymentRequest.
func (PaymentRequest) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("provider_ref"),
	}
}

// Annotations of the PaymentRequest.
func (PaymentRequest) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}

// Policy of the PaymentRequest: who reads it (server/auth/policy.go holds every read policy).
func (PaymentRequest) Policy() ent.Policy {
	return auth.PaymentRequestPolicy()
}
