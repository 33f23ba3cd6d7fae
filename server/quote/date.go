package quote

import (
	"fmt"
	"time"
)

// dateLayout is the ISO 8601 calendar date layout used by [Date.String] and [ParseDate].
const dateLayout = "2006-01-02"

// Date is a civil date with no time of day and no time zone, e.g. a holiday or a ship date.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses an ISO 8601 date such as "2026-12-24".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("parsing date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// String formats the date as "2026-12-24".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsValid reports whether d names a real calendar day (not "2026-02-30").
func (d Date) IsValid() bool {
	return d.normalized() == d
}

// In returns midnight at the start of d in loc (UTC when loc is nil).
func (d Date) In(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n calendar days after d (before it when n is negative).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return d.noon().Weekday()
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	return d.noon().Compare(e.noon())
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// noon is d at noon UTC: a time that names d in every computation, free of DST gaps.
func (d Date) noon() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
}

// normalized folds an out-of-range date ("2026-02-30") into a real one ("2026-03-02"),
// as time.Date does.
func (d Date) normalized() Date { return DateOf(d.noon()) }
