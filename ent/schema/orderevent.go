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

// OrderEvent holds the schema definition for one step of an order's build timeline.
type OrderEvent struct {
	ent.Schema
}

// Fields of the OrderEvent.
func (OrderEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Int("seq").
			Positive().
			Immutable().
			Comment("Position in the order's timeline: 1, 2, 3 … without gaps."),
		field.Enum("status").
			NamedValues(orderStatuses...).
			Immutable().
			Comment("The status the order entered."),
		field.Enum("kind").
			NamedValues(
				"Status", "STATUS",
				"Payment", "PAYMENT",
				"Refund", "REFUND",
				"Proof", "PROOF",
			).
			Default("STATUS").
			Immutable().
			Comment("STATUS: the order entered status; PAYMENT or REFUND: money moved, status unchanged; " +
				"PROOF: the workshop sent a proof of the design (status PROOF_SENT)."),
		field.Int64("amount").
			Default(0).
			Immutable().
			Comment("Money received (PAYMENT) or refunded (REFUND), in minor units of the order currency."),
		field.String("note").
			Default("").
			MaxLen(1000).
			Immutable().
			Comment("Workshop note shown to the customer, or the customer's note asking for a revision."),
		field.String("actor").
			Default("").
			MaxLen(200).
			Immutable().
			Comment("Who made the change (staff name, `customer` or `system`)."),
		field.String("tracking_number").
			Default("").
			MaxLen(100).
			Immutable().
			Comment("Carrier tracking number given with a SHIPPED event."),
		field.Int("proof_number").
			Default(0).
			NonNegative().
			Immutable().
			Comment("The proof sent (PROOF) or decided on (APPROVED, REVISION_REQUESTED): 1, 2 … (0: none)."),
		field.Text("preview_svg").
			Default("").
			Immutable().
			Comment("The rendered design a PROOF shows, as ordered.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("at").
			Default(time.Now).
			Immutable().
			Comment("When it happened."),
	}
}

// Edges of the OrderEvent.
func (OrderEvent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("order", Order.Type).
			Ref("events").
			Unique().
			Required().
			Immutable().
			Comment("The order this event belongs to."),
	}
}

// Indexes of the OrderEvent.
func (OrderEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("seq").Edges("order").Unique(),
	}
}

// Annotations of the OrderEvent.
func (OrderEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
	}
}

// Policy of the OrderEvent: who reads it (server/auth/policy.go holds every read policy).
func (OrderEvent) Policy() ent.Policy {
	return auth.OrderEventPolicy()
}
