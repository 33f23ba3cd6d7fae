package schema

import (
	"fmt"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/country"
	"github.com/atelier/atelier/server/quote"
)

// ShippingZone holds the schema definition for a set of destination countries sharing a
// carrier's transit time and a shipping price.
type ShippingZone struct {
	ent.Schema
}

// Mixin of the ShippingZone.
func (ShippingZone) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}}
}

// Fields of the ShippingZone.
func (ShippingZone) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			Unique().
			NotEmpty().
			MaxLen(80).
			Comment("Name customers see, e.g. `European Union`."),
		field.Strings("countries").
			Default([]string{}).
			Validate(validCountries).
			Comment("ISO 3166-1 alpha-2 codes of the countries in the zone; a country is in at most one zone."),
		field.Bool("rest_of_world").
			Default(false).
			Comment("The fallback zone for countries in no other zone (at most one zone)."),
		field.Int("transit_min_days").
			Range(0, quote.MaxTransitDays).
			Comment("Shortest carrier transit in business days (Monday to Friday)."),
		field.Int("transit_max_days").
			Range(0, quote.MaxTransitDays).
			Comment("Longest carrier transit in business days (Monday to Friday)."),
		field.String("currency").
			Default("USD").
			Match(currencyPattern).
			Comment("ISO 4217 currency of the price."),
		field.Int64("price").
			NonNegative().
			Validate(quote.CheckAmount).
			Comment("Shipping price of one order, in minor units of `currency`.").
			Annotations(entgql.Skip(entgql.SkipType | entgql.SkipWhereInput | entgql.SkipOrderField)),
	}
}

// Annotations of the ShippingZone.
func (ShippingZone) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Policy of the ShippingZone: who reads it (server/auth/policy.go holds every read policy).
func (ShippingZone) Policy() ent.Policy {
	return auth.ShippingZonePolicy()
}

// validCountries accepts assigned ISO 3166-1 alpha-2 codes, each once.
func validCountries(codes []string) error {
	seen := make(map[string]bool, len(codes))
	for _, c := range codes {
		if !country.Valid(c) {
			return fmt.Errorf("%q is not an assigned ISO 3166-1 alpha-2 code such as FR", c)
		}
		if seen[c] {
			return fmt.Errorf("%s is listed twice", c)
		}
		seen[c] = true
	}
	return nil
}
