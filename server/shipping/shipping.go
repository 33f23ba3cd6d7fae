// Package shipping finds the shipping zone of a destination and turns a configuration's ship
// window and price into an arrival window and a price with its shipping line.
package shipping

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/shippingzone"
	"github.com/atelier/atelier/server/country"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/quote"
)

// Zone is a shipping zone as a configuration shows it and an order freezes it.
type Zone struct {
	ID       int
	Name     string
	Transit  quote.Transit
	Currency string
	Price    int64
}

// Delivery is where a configuration ships and when it arrives.
type Delivery struct {
	// Country is the destination, an ISO 3166-1 alpha-2 code.
	Country string
	Zone    Zone
	// Arrival is the ship window plus the zone's transit.
	Arrival quote.Arrival
}

// Normalize upper-cases and checks a destination country; field names the input field in
// the error.
func Normalize(field, code string) (string, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if !country.Valid(code) {
		return "", fault.BadInput(field,
			"%q is not an assigned ISO 3166-1 alpha-2 country code such as FR", code)
	}
	return code, nil
}

// ZoneFor returns the zone shipping to code (already normalized): the zone listing it, else
// the rest-of-world zone. A country no zone covers is BAD_USER_INPUT naming it.
func ZoneFor(ctx context.Context, client *ent.Client, field, code string) (Zone, error) {
	zones, err := client.ShippingZone.Query().Order(ent.Asc(shippingzone.FieldID)).All(ctx)
	if err != nil {
		return Zone{}, fmt.Errorf("reading shipping zones: %w", err)
	}
	var fallback *ent.ShippingZone
	for _, z := range zones {
		if slices.Contains(z.Countries, code) {
			return zoneOf(z), nil
		}
		if z.RestOfWorld && fallback == nil {
			fallback = z
		}
	}
	if fallback != nil {
		return zoneOf(fallback), nil
	}
	return Zone{}, fault.BadInput(field, "the workshop does not ship to %s: no shipping zone covers it", code)
}

func zoneOf(z *ent.ShippingZone) Zone {
	return Zone{
		ID: z.ID, Name: z.Name, Currency: z.Currency, Price: z.Price,
		Transit: quote.Transit{MinDays: z.TransitMinDays, MaxDays: z.TransitMaxDays},
	}
}

// Label is the price line of shipping to zone, e.g. "Shipping: European Union".
func Label(z Zone) string { return "Shipping: " + z.Name }

// Apply adds shipping to zone z in country to a priced, estimated configuration: the price gets
// the shipping line, the lead time an arrival window. The zone must be priced in the
// configuration's currency.
func Apply(lead quote.LeadTime, price quote.Quote, z Zone, code, field string) (*Delivery, quote.Quote, error) {
	if z.Currency != price.Currency {
		return nil, quote.Quote{}, fault.BadInput(field,
			"shipping to %s (%s) is priced in %s, not in %s", code, z.Name, z.Currency, price.Currency)
	}
	priced, err := quote.AddShipping(price, Label(z), z.Price)
	if err != nil {
		return nil, quote.Quote{}, fmt.Errorf("adding shipping to %s: %w", z.Name, err)
	}
	arr, err := quote.Arrive(lead.ShipsEarliest, lead.ShipsLatest, z.Transit)
	if err != nil {
		return nil, quote.Quote{}, fmt.Errorf("estimating arrival in %s: %w", z.Name, err)
	}
	return &Delivery{Country: code, Zone: z, Arrival: arr}, priced, nil
}

// ClosureNotice joins the messages of closures, "" for none.
func ClosureNotice(closures []quote.Closure) string {
	msgs := make([]string, len(closures))
	for i, c := range closures {
		msgs[i] = c.Message()
	}
	return strings.Join(msgs, ". ")
}

// CheckZones enforces what spans zones: every country in at most one zone, at most one
// rest-of-world zone, and transit windows in order. Run it inside the transaction that
// changed a zone, after the change, so a refused change rolls back.
func CheckZones(zones []*ent.ShippingZone) error {
	owner := map[string]string{}
	var fallback string
	for _, z := range zones {
		if err := (quote.Transit{MinDays: z.TransitMinDays, MaxDays: z.TransitMaxDays}).Validate(); err != nil {
			return fault.BadInput("transitMaxDays", "%s: the longest transit (%d business days) "+
				"must not be shorter than the shortest (%d)", z.Name, z.TransitMaxDays, z.TransitMinDays)
		}
		if _, ok := quote.MinorUnitDigits(z.Currency); !ok {
			return fault.BadInput("currency", "%s: unsupported currency %q", z.Name, z.Currency)
		}
		if z.RestOfWorld {
			if fallback != "" {
				return fault.BadInput("restOfWorld",
					"%s is already the rest-of-world zone; there can be only one", fallback)
			}
			fallback = z.Name
		}
		for _, c := range z.Countries {
			if other, ok := owner[c]; ok {
				return fault.BadInput("countries", "%s is already in the zone %s", c, other)
			}
			owner[c] = z.Name
		}
	}
	return nil
}

// CheckAll reads every zone through client (a transaction's) and checks them with CheckZones.
func CheckAll(ctx context.Context, client *ent.Client) error {
	zones, err := client.ShippingZone.Query().Order(ent.Asc(shippingzone.FieldID)).All(ctx)
	if err != nil {
		return fmt.Errorf("reading shipping zones: %w", err)
	}
	return CheckZones(zones)
}

// zoneWriteLock is the PostgreSQL advisory lock key that serialises shipping zone writes
// ("zones" in ASCII).
const zoneWriteLock = 0x7a6f6e6573

// LockZones serialises the writes of shipping zones: call it in the writing transaction (tx),
// before the write. Two transactions each checking zones (CheckAll) after their own write
// cannot see each other's uncommitted rows, so on PostgreSQL they would both pass; the second
// waits here, on a transaction-scoped advisory lock, until the first commits or rolls back,
// and then its check sees the committed zones. SQLite runs one writing transaction at a time
// already: there it is a no-op.
func LockZones(ctx context.Context, tx *ent.Client) error {
	var dia string
	// The dialect is the selector's: a query that reads no row asks the driver for it.
	if _, err := tx.ShippingZone.Query().Where(func(s *sql.Selector) {
		dia = s.Dialect()
		s.Where(sql.False())
	}).Exist(ctx); err != nil {
		return fmt.Errorf("locking shipping zones: %w", err)
	}
	if dia != dialect.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", zoneWriteLock); err != nil {
		return fmt.Errorf("locking shipping zones: %w", err)
	}
	return nil
}
