package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/atelier/atelier/server/auth"
)

// StaffToken holds the schema definition for a bearer token of a designer or workshop member.
type StaffToken struct {
	ent.Schema
}

// Mixin of the StaffToken.
func (StaffToken) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}}
}

// Fields of the StaffToken.
func (StaffToken) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(120).
			Comment("Who holds the token; recorded as the actor of their changes."),
		field.Enum("role").
			NamedValues(
				"Designer", "DESIGNER",
				"Workshop", "WORKSHOP",
			).
			Comment("DESIGNER edits the catalog; WORKSHOP runs orders."),
		field.Bytes("token_hash").
			Sensitive().
			Unique().
			Comment("SHA-256 of the token; the token itself is shown once and never stored."),
		field.Time("revoked_at").
			Optional().
			Nillable().
			Comment("When the token was revoked; revoked tokens authenticate nobody."),
		field.Time("last_used_at").
			Optional().
			Nillable().
			Comment("When the token last authenticated a request."),
	}
}

// Annotations of the StaffToken.
func (StaffToken) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipAll),
	}
}

// Policy of the StaffToken: who reads it (server/auth/policy.go holds every read policy).
func (StaffToken) Policy() ent.Policy {
	return auth.StaffTokenPolicy()
}
