package quote

import (
	"fmt"
	"slices"
)

// MaxClosureDays bounds one workshop closure, in calendar days.
const MaxClosureDays = 366

// MaxTransitDays bounds a carrier's transit time, in business days.
const MaxTransitDays = 60

// Closure is a span of days the workshop is closed besides weekends and holidays, e.g. Lunar
// New Year or August. No work is done in it: build days skip it as they skip holidays, so a
// ship date that would fall inside it moves to the first business day after it.
type Closure struct {
	// From and To are the first and the last closed day (inclusive).
	From, To Date
	// Reason says why, in the customer's words, e.g. "summer holidays"; it may be empty.
	Reason string
}

// Validate checks that the closure names real days in order, at most [MaxClosureDays] long.
func (c Closure) Validate() error {
	switch {
	case !c.From.IsValid():
		return inputErr("From", "%s is not a calendar day", c.From)
	case !c.To.IsValid():
		return inputErr("To", "%s is not a calendar day", c.To)
	case c.To.Before(c.From):
		return inputErr("To", "the closure ends (%s) before it starts (%s)", c.To, c.From)
	case c.From.AddDays(MaxClosureDays - 1).Before(c.To):
		return inputErr("To", "a closure lasts at most %d days", MaxClosureDays)
	}
	return nil
}

// Contains reports whether d is a closed day of c.
func (c Closure) Contains(d Date) bool {
	d = d.normalized()
	return !d.Before(c.From.normalized()) && !d.After(c.To.normalized())
}

// overlaps reports whether c has a day in [from, to].
func (c Closure) overlaps(from, to Date) bool {
	return !c.To.normalized().Before(from.normalized()) && !c.From.normalized().After(to.normalized())
}

// Message tells the customer why dates move: "The workshop is closed 1–21 August", with the
// reason in brackets when there is one. Months and years are named only where they differ.
func (c Closure) Message() string {
	f, t := c.From.normalized(), c.To.normalized()
	var span string
	switch {
	case f == t:
		span = fmt.Sprintf("on %d %s", f.Day, f.Month)
	case f.Year != t.Year:
		span = fmt.Sprintf("%d %s %d–%d %s %d", f.Day, f.Month, f.Year, t.Day, t.Month, t.Year)
	case f.Month != t.Month:
		span = fmt.Sprintf("%d %s–%d %s", f.Day, f.Month, t.Day, t.Month)
	default:
		span = fmt.Sprintf("%d–%d %s", f.Day, t.Day, t.Month)
	}
	msg := "The workshop is closed " + span
	if c.Reason != "" {
		msg += " (" + c.Reason + ")"
	}
	return msg
}

// ClosuresBetween returns the closures with a day in [from, to], in calendar order.
func (c Calendar) ClosuresBetween(from, to Date) []Closure {
	var out []Closure
	for _, cl := range c.Closures {
		if cl.overlaps(from, to) {
			out = append(out, cl)
		}
	}
	slices.SortFunc(out, func(a, b Closure) int { return a.From.Compare(b.From) })
	return out
}

// closed reports whether d lies in one of the calendar's closures.
func (c Calendar) closed(d Date) bool {
	for _, cl := range c.Closures {
		if cl.Contains(d) {
			return true
		}
	}
	return false
}

// Transit is a carrier's door-to-door time, in the carrier's business days.
type Transit struct {
	// MinDays and MaxDays bound it (0 ≤ MinDays ≤ MaxDays ≤ [MaxTransitDays]).
	MinDays, MaxDays int
}

// Validate checks the transit bounds.
func (t Transit) Validate() error {
	switch {
	case t.MinDays < 0:
		return inputErr("Transit.MinDays", "must not be negative, got %d", t.MinDays)
	case t.MaxDays < t.MinDays:
		return inputErr("Transit.MaxDays", "must be at least MinDays (%d), got %d",
			t.MinDays, t.MaxDays)
	case t.MaxDays > MaxTransitDays:
		return inputErr("Transit.MaxDays", "must be at most %d, got %d", MaxTransitDays,
			t.MaxDays)
	}
	return nil
}

// Arrival is the window in which a shipment reaches the customer.
type Arrival struct {
	// Earliest and Latest are civil dates (the workshop's calendar days).
	Earliest, Latest Date
}

// CarrierCalendar is the calendar carriers count transit days in: Monday to Friday. Carriers
// work on the workshop's holidays and closures (those are the workshop's, not theirs), and
// the destination's own holidays are not known, so none are skipped.
var CarrierCalendar = Calendar{}

// Arrive turns a ship window into an arrival window: the earliest ship date plus the shortest
// transit, to the latest ship date plus the longest, each counted in [CarrierCalendar]
// business days. It returns an [*InputError] for an invalid transit or an inverted window.
func Arrive(shipsEarliest, shipsLatest Date, t Transit) (Arrival, error) {
	if err := t.Validate(); err != nil {
		return Arrival{}, err
	}
	if shipsLatest.Before(shipsEarliest) {
		return Arrival{}, inputErr("ShipsLatest", "%s is before ShipsEarliest %s",
			shipsLatest, shipsEarliest)
	}
	return Arrival{
		Earliest: CarrierCalendar.AddBusinessDays(shipsEarliest, t.MinDays),
		Latest:   CarrierCalendar.AddBusinessDays(shipsLatest, t.MaxDays),
	}, nil
}

// AddShipping returns q with a shipping line of amount appended: the total and the balance
// grow by amount, the deposit stays (shipping is paid with the balance, before the piece
// ships), so the lines still add up exactly to the total. q itself is not changed. It returns
// an [*InputError] for a negative amount, one out of [CheckAmount]'s range, or an overflow.
func AddShipping(q Quote, label string, amount int64) (Quote, error) {
	if amount < 0 {
		return Quote{}, inputErr("Shipping", "must not be negative, got %d", amount)
	}
	if err := CheckAmount(amount); err != nil {
		return Quote{}, &InputError{Field: "Shipping", Msg: err.Error(), Err: err}
	}
	total, ok := addChecked(q.Total, amount)
	if !ok {
		return Quote{}, overflowErr("Shipping")
	}
	out := q
	out.Lines = append(slices.Clone(q.Lines), Line{Label: label, Amount: amount})
	out.Total = total
	out.Balance = q.Balance + amount // Balance ≤ Total, so this cannot overflow either
	return out, nil
}
