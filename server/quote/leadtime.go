package quote

import (
	"fmt"
	"slices"
	"time"
)

// MaxLeadBusinessDays bounds a build window; longer estimates are rejected as input errors.
const MaxLeadBusinessDays = 1000

// Calendar is the workshop's working calendar.
type Calendar struct {
	// Location is the workshop's time zone; nil means UTC.
	Location *time.Location
	// Holidays are the days the workshop is closed (in addition to Saturdays and Sundays).
	Holidays []Date
	// Closures are longer spans the workshop is closed, e.g. Lunar New Year or August.
	Closures []Closure
	// CutoffHour is the local hour (1..23) from which an order counts as placed on the next
	// business day: with 14, an order at 14:00 or later starts a day later. 0 = no cutoff.
	CutoffHour int
}

// LeadInput describes the build window of an order line.
type LeadInput struct {
	// BaseMinDays and BaseMaxDays are the product's build window in business days.
	BaseMinDays, BaseMaxDays int
	// OptionDays are the lead-time deltas of the chosen options (exotic leather +5); they
	// may be negative, but neither end of the window drops below zero.
	OptionDays []int
	// Quantity is the number of pieces (≥ 1).
	Quantity int
	// PiecesPerExtraDay adds one business day to both ends for every full PiecesPerExtraDay
	// pieces beyond the first (with 5: 6–10 pieces +1, 11–15 pieces +2). 0 = none.
	PiecesPerExtraDay int
}

// LeadTime is the estimated build window and ship dates.
type LeadTime struct {
	// MinBusinessDays and MaxBusinessDays are the build window, all deltas applied.
	MinBusinessDays, MaxBusinessDays int
	// BuildStarts is the business day the order enters the workshop: the order day, or the
	// next business day after a weekend, holiday or the cutoff.
	BuildStarts Date
	// ShipsEarliest and ShipsLatest are BuildStarts plus the window, in business days.
	ShipsEarliest, ShipsLatest Date
	// Closures are the workshop closures between the order day and ShipsLatest: the reasons
	// the dates are later than the window alone makes them. Nil when there are none.
	Closures []Closure
}

// Estimate computes the build window of in and its ship dates for an order placed at now,
// read in the workshop's time zone. It returns an [*InputError] for a quantity below 1,
// negative or inverted base days, a negative PiecesPerExtraDay, a cutoff outside 0..23, or
// a window beyond [MaxLeadBusinessDays].
func Estimate(in LeadInput, now time.Time, cal Calendar) (LeadTime, error) {
	if err := validateLead(in, cal); err != nil {
		return LeadTime{}, err
	}
	delta := 0
	for i, d := range in.OptionDays {
		// Each term is bounded before summing, so the sum cannot overflow.
		if d < -MaxLeadBusinessDays || d > MaxLeadBusinessDays {
			return LeadTime{}, inputErr(fmt.Sprintf("OptionDays[%d]", i),
				"option lead time must be within ±%d business days, got %d",
				MaxLeadBusinessDays, d)
		}
		delta += d
		if delta < -MaxLeadBusinessDays*2 || delta > MaxLeadBusinessDays*2 {
			return LeadTime{}, inputErr("OptionDays", "option lead times add up to too much")
		}
	}
	if in.PiecesPerExtraDay > 0 {
		extra := (in.Quantity - 1) / in.PiecesPerExtraDay
		if extra > MaxLeadBusinessDays {
			return LeadTime{}, inputErr("Quantity",
				"%d pieces add %d business days, more than %d", in.Quantity, extra,
				MaxLeadBusinessDays)
		}
		delta += extra
	}
	lt := LeadTime{
		MinBusinessDays: max(in.BaseMinDays+delta, 0),
		MaxBusinessDays: max(in.BaseMaxDays+delta, 0),
	}
	if lt.MaxBusinessDays > MaxLeadBusinessDays {
		return LeadTime{}, inputErr("OptionDays",
			"build window of %d business days exceeds %d", lt.MaxBusinessDays,
			MaxLeadBusinessDays)
	}

	local := now.In(cal.location())
	ordered := DateOf(local)
	lt.BuildStarts = ordered
	afterCutoff := cal.CutoffHour > 0 && local.Hour() >= cal.CutoffHour
	if afterCutoff || !cal.IsBusinessDay(lt.BuildStarts) {
		lt.BuildStarts = cal.AddBusinessDays(lt.BuildStarts, 1)
	}
	lt.ShipsEarliest = cal.AddBusinessDays(lt.BuildStarts, lt.MinBusinessDays)
	lt.ShipsLatest = cal.AddBusinessDays(lt.BuildStarts, lt.MaxBusinessDays)
	lt.Closures = cal.ClosuresBetween(ordered, lt.ShipsLatest)
	return lt, nil
}

func validateLead(in LeadInput, cal Calendar) error {
	switch {
	case in.Quantity < 1:
		return inputErr("Quantity", "quantity must be at least 1, got %d", in.Quantity)
	case in.BaseMinDays < 0:
		return inputErr("BaseMinDays", "must not be negative, got %d", in.BaseMinDays)
	case in.BaseMaxDays < in.BaseMinDays:
		return inputErr("BaseMaxDays", "must be at least BaseMinDays (%d), got %d",
			in.BaseMinDays, in.BaseMaxDays)
	case in.BaseMaxDays > MaxLeadBusinessDays:
		return inputErr("BaseMaxDays", "must be at most %d, got %d",
			MaxLeadBusinessDays, in.BaseMaxDays)
	case in.PiecesPerExtraDay < 0:
		return inputErr("PiecesPerExtraDay", "must not be negative, got %d",
			in.PiecesPerExtraDay)
	case cal.CutoffHour < 0 || cal.CutoffHour > 23:
		return inputErr("CutoffHour", "must be 0..23, got %d", cal.CutoffHour)
	}
	for _, c := range cal.Closures {
		if err := c.Validate(); err != nil {
			return err
		}
	}
	return nil
}

func (c Calendar) location() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// IsBusinessDay reports whether the workshop works on d: a Monday to Friday that is not a
// holiday and not in a closure.
func (c Calendar) IsBusinessDay(d Date) bool {
	if isWeekend(d.Weekday()) || c.closed(d) {
		return false
	}
	d = d.normalized()
	for _, h := range c.Holidays {
		if h.normalized() == d {
			return false
		}
	}
	return true
}

// AddBusinessDays returns the date n business days after from: every step moves to the next
// business day, skipping weekends, holidays and closures, whether or not from itself is one.
// A negative n counts backwards; 0 returns from unchanged. It takes time proportional to the
// number of holidays and closed days, not to n. Closures longer than [MaxClosureDays] count
// only their first MaxClosureDays days ([Estimate] refuses them).
func (c Calendar) AddBusinessDays(from Date, n int) Date {
	from = from.normalized()
	if n == 0 {
		return from
	}
	holidays := make(map[Date]struct{}, len(c.Holidays))
	for _, h := range c.Holidays {
		if h = h.normalized(); !isWeekend(h.Weekday()) {
			holidays[h] = struct{}{}
		}
	}
	for _, cl := range c.Closures {
		d := cl.From.normalized()
		for i := 0; i < MaxClosureDays && !d.After(cl.To.normalized()); i++ {
			if !isWeekend(d.Weekday()) {
				holidays[d] = struct{}{}
			}
			d = d.AddDays(1)
		}
	}
	step := 1
	if n < 0 {
		step = -1
	}
	// Jump over n weekdays, then count the holidays jumped over and jump over that many
	// more weekdays from there, until a jump crosses no holiday. The holidays each jump
	// counts lie in disjoint spans, so this ends after at most len(holidays)+1 jumps.
	for n != 0 {
		to := addWeekdays(from, n)
		n = 0
		for h := range holidays {
			if between(from, h, to, step) {
				n += step
			}
		}
		from = to
	}
	return from
}

// between reports whether h lies in (from, to] (step 1) or [to, from) (step −1).
func between(from, h, to Date, step int) bool {
	if step > 0 {
		return h.After(from) && !h.After(to)
	}
	return h.Before(from) && !h.Before(to)
}

func isWeekend(w time.Weekday) bool { return w == time.Saturday || w == time.Sunday }

// addWeekdays returns the date n weekdays (Monday to Friday) after from, or before it for a
// negative n.
func addWeekdays(from Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	// Weekdays after a Saturday or Sunday are those after the Friday before it (and,
	// counting backwards, those before the Monday after it), so start from that weekday.
	for isWeekend(from.Weekday()) {
		from = from.AddDays(-step)
	}
	from = from.AddDays(step * 7 * (n / 5))
	for rem := n % 5; rem > 0; {
		from = from.AddDays(step)
		if !isWeekend(from.Weekday()) {
			rem--
		}
	}
	return from
}

// Together is the lead time of several lead times built as one order: the longest build
// window, the latest ship dates and every closure among them (once each, in calendar order).
// It returns the zero LeadTime for none.
func Together(leads []LeadTime) LeadTime {
	var out LeadTime
	for i, l := range leads {
		if i == 0 {
			out = l
			out.Closures = slices.Clone(l.Closures)
			continue
		}
		out.MinBusinessDays = max(out.MinBusinessDays, l.MinBusinessDays)
		out.MaxBusinessDays = max(out.MaxBusinessDays, l.MaxBusinessDays)
		if l.BuildStarts.After(out.BuildStarts) {
			out.BuildStarts = l.BuildStarts
		}
		if l.ShipsEarliest.After(out.ShipsEarliest) {
			out.ShipsEarliest = l.ShipsEarliest
		}
		if l.ShipsLatest.After(out.ShipsLatest) {
			out.ShipsLatest = l.ShipsLatest
		}
		for _, c := range l.Closures {
			if !slices.Contains(out.Closures, c) {
				out.Closures = append(out.Closures, c)
			}
		}
	}
	slices.SortFunc(out.Closures, func(a, b Closure) int { return a.From.Compare(b.From) })
	return out
}
