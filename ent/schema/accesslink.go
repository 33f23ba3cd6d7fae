package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/atelier/atelier/server/auth"
)

// AccessLink holds the schema definition for a secret link that opens one order: the private
// link of the customer's emails, or a one-time, expiring sign-in link ("find my order"). Only
// the SHA-256 of the secret is stored; the secret exists only in the email.
type AccessLink struct {
	ent.Schema
}

// Fields of the AccessLink.
func (AccessLink) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("purpose").
			NamedValues("Link", "LINK", "SignIn", "SIGN_IN").
			Immutable().
			Comment("LINK opens the order as its token does; SIGN_IN is redeemed once for a LINK."),
		field.Bytes("token_hash").
			Sensitive().
			Unique().
			Immutable().
			Comment("SHA-256 of the secret."),
		field.Time("expires_at").
			Optional().
			Nillable().
			Immutable().
			Comment("When a SIGN_IN link stops working (unset: never)."),
		field.Time("used_at").
			Optional().
			Nillable().
			Comment("When a SIGN_IN link was redeemed; it works once."),
		field.Time("created_at").
			Default(time.Now).
			Immutable().
			Comment("When it was issued."),
	}
}

// Edges of the AccessLink.
func (AccessLink) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("order", Order.Type).
			Ref("access_links").
			Unique().
			Required().
			Immutable().
			Comment("The order it opens."),
	}
}

// Annotations of the AccessLink.
func (AccessLink) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}

// Policy of the AccessLink: who reads it (server/auth/policy.go holds every read policy).
func (AccessLink) Policy() ent.Policy {
	return auth.AccessLinkPolicy()
}
