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

// orderStatuses are the build states of an order, shared by Order and OrderEvent.
var orderStatuses = []string{
	"Placed", "PLACED",
	"Confirmed", "CONFIRMED",
	"ProofSent", "PROOF_SENT",
	"RevisionRequested", "REVISION_REQUESTED",
	"Approved", "APPROVED",
	"Materials", "MATERIALS",
	"Crafting", "CRAFTING",
	"Finishing", "FINISHING",
	"QualityCheck", "QUALITY_CHECK",
	"Shipped", "SHIPPED",
	"Delivered", "DELIVERED",
	"Cancelled", "CANCELLED",
}

// Order holds the schema definition for a customer's order of one configured strap design.
type Order struct {
	ent.Schema
}

// Mixin of the Order.
func (Order) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}}
}

// Fields of the Order.
func (Order) Fields() []ent.Field {
	return []ent.Field{
		field.String("number").
			Unique().
			Immutable().
			NotEmpty().
			Comment("Human-readable order number, e.g. `AT-2026-000042`.").
			Annotations(entgql.OrderField("NUMBER")),
		field.Enum("status").
			NamedValues(orderStatuses...).
			Default("PLACED").
			Comment("Where the build stands.").
			Annotations(entgql.OrderField("STATUS")),
		field.String("idempotency_key").
			Immutable().
			NotEmpty().
			MaxLen(200).
			Comment("Client key that makes placing the order idempotent.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Bytes("token_hash").
			Sensitive().
			Unique().
			Comment("SHA-256 of the order token that lets the customer follow this order.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("configuration_id").
			Immutable().
			Default("").
			Comment("The configuration session the order was placed from.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("catalog_version").
			Immutable().
			Comment("Catalog version the configuration was priced against."),
		field.Int("quantity").
			Positive().
			Immutable().
			Comment("Pieces ordered."),
		field.String("currency").
			Immutable().
			Comment("ISO 4217 currency of every amount of the order."),
		field.Int64("total").
			Immutable().
			Comment("Total price in minor units.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int64("deposit_due").
			Immutable().
			Comment("Deposit due at ordering, in minor units.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int64("balance_due").
			Immutable().
			Comment("Balance due before shipping, in minor units.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int64("amount_paid").
			Default(0).
			Comment("Payments recorded so far, in minor units.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("customer_name").
			NotEmpty().
			MaxLen(200).
			Comment("Customer's name."),
		field.String("customer_email").
			NotEmpty().
			MaxLen(320).
			Comment("Customer's e-mail address."),
		field.JSON("shipping_address", map[string]string{}).
			Optional().
			Comment("Shipping address lines (name, line1, line2, city, postalCode, region, country).").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.JSON("snapshot", &catalog.OrderSnapshot{}).
			Immutable().
			Comment("What was ordered, priced and promised, frozen at ordering.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("ships_earliest").
			Comment("Current estimate of the earliest ship date.").
			Annotations(entgql.OrderField("SHIPS_EARLIEST")),
		field.Time("ships_latest").
			Comment("Current estimate of the latest ship date."),
		field.String("tracking_number").
			Default("").
			MaxLen(100).
			Comment("Carrier tracking number, once shipped."),
		field.Bool("requires_approval").
			Default(false).
			Immutable().
			Comment("The customer approves a proof of the design before production starts (frozen from the product at ordering)."),
		field.Int("last_seq").
			Default(0).
			Comment("Sequence number of the latest order event.").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the Order.
func (Order) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("product", Product.Type).
			Ref("orders").
			Unique().
			Required().
			Immutable().
			Comment("The product ordered (of the first line, for an order of several lines)."),
		edge.To("lines", OrderLine.Type).
			Comment("The configured pieces ordered, by position.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("events", OrderEvent.Type).
			Comment("The build timeline, in sequence order.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("payments", Payment.Type).
			Comment("Payments recorded against the order.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("payment_requests", PaymentRequest.Type).
			Comment("Money asked through the payment provider.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("access_links", AccessLink.Type).
			Comment("Secret links that open the order.").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Order.
func (Order) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("idempotency_key").Unique(),
		index.Fields("status", "created_at"),
	}
}

// Annotations of the Order.
func (Order) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
	}
}

// Policy of the Order: who reads it (server/auth/policy.go holds every read policy).
func (Order) Policy() ent.Policy {
	return auth.OrderPolicy()
}
