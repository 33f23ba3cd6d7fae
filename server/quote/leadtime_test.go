package quote_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zoneinfo

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/quote"
)

func mustDate(t *testing.T, s string) quote.Date {
	t.Helper()
	d, err := quote.ParseDate(s)
	require.NoError(t, err)
	return d
}

func mustLocation(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func TestEstimate(t *testing.T) {
	t.Parallel()
	zurich := mustLocation(t, "Europe/Zurich")
	newYork := mustLocation(t, "America/New_York")
	christmas := quote.Calendar{
		Location: zurich,
		Holidays: []quote.Date{
			mustDate(t, "2026-12-24"), mustDate(t, "2026-12-25"),
			mustDate(t, "2026-12-31"), mustDate(t, "2027-01-01"),
		},
	}
	window := func(lo, hi int) quote.LeadInput {
		return quote.LeadInput{BaseMinDays: lo, BaseMaxDays: hi, Quantity: 1}
	}
	tests := []struct {
		name                string
		in                  quote.LeadInput
		now                 time.Time
		cal                 quote.Calendar
		min, max            int
		starts, early, late string
	}{
		{
			name: "monday order", in: window(3, 7),
			now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
			min: 3, max: 7, starts: "2026-03-02", early: "2026-03-05", late: "2026-03-11",
		},
		{
			name: "friday order spans the weekend", in: window(3, 5),
			now: time.Date(2026, 3, 6, 10, 0, 0, 0, time.UTC),
			min: 3, max: 5, starts: "2026-03-06", early: "2026-03-11", late: "2026-03-13",
		},
		{
			name: "saturday order starts on monday", in: window(3, 5),
			now: time.Date(2026, 3, 7, 10, 0, 0, 0, time.UTC),
			min: 3, max: 5, starts: "2026-03-09", early: "2026-03-12", late: "2026-03-16",
		},
		{
			name: "friday 23:30 UTC is already saturday in Zurich", in: window(3, 5),
			now: time.Date(2026, 3, 6, 23, 30, 0, 0, time.UTC), cal: quote.Calendar{Location: zurich},
			min: 3, max: 5, starts: "2026-03-09", early: "2026-03-12", late: "2026-03-16",
		},
		{
			name: "the same instant in a UTC workshop is still friday", in: window(3, 5),
			now: time.Date(2026, 3, 6, 23, 30, 0, 0, time.UTC),
			min: 3, max: 5, starts: "2026-03-06", early: "2026-03-11", late: "2026-03-13",
		},
		{
			name: "saturday 03:00 UTC is still friday in New York", in: window(1, 2),
			now: time.Date(2026, 3, 7, 3, 0, 0, 0, time.UTC), cal: quote.Calendar{Location: newYork},
			min: 1, max: 2, starts: "2026-03-06", early: "2026-03-09", late: "2026-03-10",
		},
		{
			name: "before the cutoff", in: window(2, 4),
			now: time.Date(2026, 3, 2, 13, 59, 59, 0, zurich),
			cal: quote.Calendar{Location: zurich, CutoffHour: 14},
			min: 2, max: 4, starts: "2026-03-02", early: "2026-03-04", late: "2026-03-06",
		},
		{
			name: "at the cutoff", in: window(2, 4),
			now: time.Date(2026, 3, 2, 14, 0, 0, 0, zurich),
			cal: quote.Calendar{Location: zurich, CutoffHour: 14},
			min: 2, max: 4, starts: "2026-03-03", early: "2026-03-05", late: "2026-03-09",
		},
		{
			name: "friday after the cutoff starts on monday", in: window(2, 4),
			// 13:30 UTC is 14:30 in Zurich: after the cutoff there, before it in UTC.
			now: time.Date(2026, 3, 6, 13, 30, 0, 0, time.UTC),
			cal: quote.Calendar{Location: zurich, CutoffHour: 14},
			min: 2, max: 4, starts: "2026-03-09", early: "2026-03-11", late: "2026-03-13",
		},
		{
			name: "christmas week", in: window(3, 5),
			now: time.Date(2026, 12, 23, 10, 0, 0, 0, zurich), cal: christmas,
			min: 3, max: 5, starts: "2026-12-23", early: "2026-12-30", late: "2027-01-05",
		},
		{
			name: "ordered on a holiday", in: window(3, 3),
			now: time.Date(2026, 12, 24, 9, 0, 0, 0, zurich), cal: christmas,
			min: 3, max: 3, starts: "2026-12-28", early: "2027-01-04", late: "2027-01-04",
		},
		{
			name: "options and quantity add days",
			in: quote.LeadInput{
				BaseMinDays: 5, BaseMaxDays: 10, OptionDays: []int{5, -1, 0},
				Quantity: 11, PiecesPerExtraDay: 5,
			},
			now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
			min: 11, max: 16, starts: "2026-03-02", early: "2026-03-17", late: "2026-03-24",
		},
		{
			name: "five pieces at five per day add nothing",
			in:   quote.LeadInput{BaseMinDays: 1, BaseMaxDays: 1, Quantity: 5, PiecesPerExtraDay: 5},
			now:  time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
			min:  1, max: 1, starts: "2026-03-02", early: "2026-03-03", late: "2026-03-03",
		},
		{
			name: "negative option days stop at zero",
			in:   quote.LeadInput{BaseMinDays: 1, BaseMaxDays: 2, OptionDays: []int{-3}, Quantity: 1},
			now:  time.Date(2026, 3, 7, 10, 0, 0, 0, time.UTC),
			min:  0, max: 0, starts: "2026-03-09", early: "2026-03-09", late: "2026-03-09",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := quote.Estimate(tt.in, tt.now, tt.cal)
			require.NoError(t, err)
			assert.Equal(t, quote.LeadTime{
				MinBusinessDays: tt.min,
				MaxBusinessDays: tt.max,
				BuildStarts:     mustDate(t, tt.starts),
				ShipsEarliest:   mustDate(t, tt.early),
				ShipsLatest:     mustDate(t, tt.late),
			}, got)
		})
	}
}

func TestEstimateErrors(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		in    quote.LeadInput
		cal   quote.Calendar
		field string
	}{
		{"zero quantity", quote.LeadInput{BaseMaxDays: 1}, quote.Calendar{}, "Quantity"},
		{"negative min", quote.LeadInput{BaseMinDays: -1, Quantity: 1}, quote.Calendar{}, "BaseMinDays"},
		{
			"inverted window", quote.LeadInput{BaseMinDays: 5, BaseMaxDays: 3, Quantity: 1},
			quote.Calendar{}, "BaseMaxDays",
		},
		{
			"window too long", quote.LeadInput{BaseMaxDays: 1001, Quantity: 1},
			quote.Calendar{}, "BaseMaxDays",
		},
		{
			"options push the window too far",
			quote.LeadInput{BaseMaxDays: 900, OptionDays: []int{60, 60}, Quantity: 1},
			quote.Calendar{}, "OptionDays",
		},
		{
			"absurd option delta", quote.LeadInput{OptionDays: []int{1 << 40}, Quantity: 1},
			quote.Calendar{}, "OptionDays[0]",
		},
		{
			"negative pieces per day",
			quote.LeadInput{Quantity: 1, PiecesPerExtraDay: -5}, quote.Calendar{}, "PiecesPerExtraDay",
		},
		{
			"a huge order", quote.LeadInput{Quantity: math.MaxInt, PiecesPerExtraDay: 1},
			quote.Calendar{}, "Quantity",
		},
		{"cutoff 24", quote.LeadInput{Quantity: 1}, quote.Calendar{CutoffHour: 24}, "CutoffHour"},
		{"negative cutoff", quote.LeadInput{Quantity: 1}, quote.Calendar{CutoffHour: -1}, "CutoffHour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := quote.Estimate(tt.in, now, tt.cal)
			var inErr *quote.InputError
			require.ErrorAs(t, err, &inErr)
			assert.Equal(t, tt.field, inErr.Field)
			assert.ErrorIs(t, err, quote.ErrInvalidInput)
		})
	}
}

func TestAddBusinessDays(t *testing.T) {
	t.Parallel()
	cal := quote.Calendar{Holidays: []quote.Date{
		mustDate(t, "2026-12-24"), mustDate(t, "2026-12-25"),
		mustDate(t, "2026-12-25"),                   // listed twice
		mustDate(t, "2026-12-26"),                   // a Saturday: changes nothing
		{Year: 2026, Month: time.December, Day: 31}, // built by hand
		{Year: 2026, Month: time.December, Day: 32}, // 2027-01-01, unnormalised
	}}
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"zero days", "2026-03-07", 0, "2026-03-07"},
		{"one day from monday", "2026-03-02", 1, "2026-03-03"},
		{"one day from friday", "2026-03-06", 1, "2026-03-09"},
		{"one day from saturday", "2026-03-07", 1, "2026-03-09"},
		{"one day from sunday", "2026-03-08", 1, "2026-03-09"},
		{"five days is a week", "2026-03-04", 5, "2026-03-11"},
		{"five days from saturday", "2026-03-07", 5, "2026-03-13"},
		{"many weeks", "2026-03-02", 50, "2026-05-11"},
		{"over christmas", "2026-12-23", 1, "2026-12-28"},
		{"over new year", "2026-12-30", 1, "2027-01-04"},
		{"across both", "2026-12-22", 6, "2027-01-05"},
		{"back one from monday", "2026-03-09", -1, "2026-03-06"},
		{"back one from sunday", "2026-03-08", -1, "2026-03-06"},
		{"back over christmas", "2026-12-28", -1, "2026-12-23"},
		{"back five", "2026-03-11", -5, "2026-03-04"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := cal.AddBusinessDays(mustDate(t, tt.from), tt.n)
			assert.Equal(t, tt.want, got.String())
		})
	}
}

// TestAddBusinessDaysOracle checks the week-jumping implementation against stepping one day
// at a time, over random holiday sets.
func TestAddBusinessDaysOracle(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 14))
	start := quote.Date{Year: 2026, Month: time.January, Day: 1}
	for i := range 3000 {
		var cal quote.Calendar
		for range r.IntN(40) {
			cal.Holidays = append(cal.Holidays, start.AddDays(r.IntN(200)))
		}
		from := start.AddDays(r.IntN(120))
		n := r.IntN(121) - 60
		want := from
		for k := n; k != 0; {
			if k > 0 {
				want = want.AddDays(1)
			} else {
				want = want.AddDays(-1)
			}
			if cal.IsBusinessDay(want) {
				k -= sign(k)
			}
		}
		require.Equal(t, want, cal.AddBusinessDays(from, n), "case %d: %s %+d with %v",
			i, from, n, cal.Holidays)
	}
}

func sign(n int) int {
	if n < 0 {
		return -1
	}
	return 1
}

func TestIsBusinessDay(t *testing.T) {
	t.Parallel()
	cal := quote.Calendar{Holidays: []quote.Date{mustDate(t, "2026-12-25")}}
	tests := []struct {
		date string
		want bool
	}{
		{"2026-12-21", true},
		{"2026-12-24", true},
		{"2026-12-25", false},
		{"2026-12-26", false},
		{"2026-12-27", false},
		{"2026-12-28", true},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, cal.IsBusinessDay(mustDate(t, tt.date)))
		})
	}
}

func TestDate(t *testing.T) {
	t.Parallel()
	t.Run("round trip", func(t *testing.T) {
		t.Parallel()
		d := mustDate(t, "2026-02-28")
		assert.Equal(t, quote.Date{Year: 2026, Month: time.February, Day: 28}, d)
		assert.Equal(t, "2026-02-28", d.String())
		assert.True(t, d.IsValid())
		assert.Equal(t, "2026-03-01", d.AddDays(1).String())
		assert.Equal(t, time.Saturday, d.Weekday())
	})
	t.Run("ordering", func(t *testing.T) {
		t.Parallel()
		a, b := mustDate(t, "2026-12-31"), mustDate(t, "2027-01-01")
		assert.True(t, a.Before(b))
		assert.True(t, b.After(a))
		assert.Equal(t, 0, a.Compare(a))
	})
	t.Run("invalid", func(t *testing.T) {
		t.Parallel()
		assert.False(t, quote.Date{Year: 2026, Month: time.February, Day: 30}.IsValid())
		for _, s := range []string{"", "2026-2-3", "2026-02-30", "24.12.2026", "2026-12-24T00:00"} {
			_, err := quote.ParseDate(s)
			assert.Error(t, err, s)
		}
	})
	t.Run("in a zone", func(t *testing.T) {
		t.Parallel()
		zurich := mustLocation(t, "Europe/Zurich")
		d := mustDate(t, "2026-03-29")
		assert.Equal(t, time.Date(2026, 3, 29, 0, 0, 0, 0, zurich), d.In(zurich))
		assert.Equal(t, time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), d.In(nil))
		assert.Equal(t, d, quote.DateOf(d.In(zurich)))
	})
}
