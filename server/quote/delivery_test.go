package quote_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/quote"
)

// TestDelivery is the table of arrival windows: build days in the workshop's calendar (its time
// zone, weekends, holidays and closures), then carrier transit in Monday-to-Friday days.
func TestDelivery(t *testing.T) {
	t.Parallel()
	zurich := mustLocation(t, "Europe/Zurich")
	shanghai := mustLocation(t, "Asia/Shanghai")
	august := quote.Closure{
		From: mustDate(t, "2027-08-01"), To: mustDate(t, "2027-08-21"), Reason: "summer holidays",
	}
	lunar := quote.Closure{
		From: mustDate(t, "2027-02-05"), To: mustDate(t, "2027-02-14"), Reason: "Lunar New Year",
	}
	workshop := quote.Calendar{
		Location: zurich,
		Holidays: []quote.Date{
			mustDate(t, "2027-12-24"), mustDate(t, "2027-12-25"),
			mustDate(t, "2027-12-31"), mustDate(t, "2028-01-01"),
		},
		Closures: []quote.Closure{august},
	}
	tests := []struct {
		name                   string
		now                    time.Time
		cal                    quote.Calendar
		lo, hi                 int
		transit                quote.Transit
		shipsEarly, shipsLate  string
		arrivesEarly, arriveLa string
		notices                []string
	}{
		{
			name: "plain weeks", cal: workshop, lo: 3, hi: 5,
			now:     time.Date(2027, 3, 1, 10, 0, 0, 0, zurich),
			transit: quote.Transit{MinDays: 2, MaxDays: 4},
			// Thu + 2 carrier days crosses the weekend to Monday.
			shipsEarly: "2027-03-04", shipsLate: "2027-03-08",
			arrivesEarly: "2027-03-08", arriveLa: "2027-03-12",
		},
		{
			name: "a ship date inside the August closure moves after it", cal: workshop,
			lo: 3, hi: 10, now: time.Date(2027, 7, 26, 10, 0, 0, 0, zurich),
			transit: quote.Transit{MinDays: 2, MaxDays: 3},
			// The carrier works through the workshop's closure: Thu 29 July + 2 = Mon 2 August.
			shipsEarly: "2027-07-29", shipsLate: "2027-08-30",
			arrivesEarly: "2027-08-02", arriveLa: "2027-09-02",
			notices: []string{"The workshop is closed 1–21 August (summer holidays)"},
		},
		{
			name: "ordered inside the closure, the build starts after it", cal: workshop,
			lo: 2, hi: 4, now: time.Date(2027, 8, 10, 10, 0, 0, 0, zurich),
			transit:    quote.Transit{MinDays: 1, MaxDays: 1},
			shipsEarly: "2027-08-25", shipsLate: "2027-08-27",
			arrivesEarly: "2027-08-26", arriveLa: "2027-08-30",
			notices: []string{"The workshop is closed 1–21 August (summer holidays)"},
		},
		{
			name: "a window ending before the closure has no notice", cal: workshop,
			lo: 1, hi: 2, now: time.Date(2027, 7, 26, 10, 0, 0, 0, zurich),
			transit:    quote.Transit{MinDays: 3, MaxDays: 5},
			shipsEarly: "2027-07-27", shipsLate: "2027-07-28",
			arrivesEarly: "2027-07-30", arriveLa: "2027-08-04",
		},
		{
			name: "holidays and the year end", cal: workshop, lo: 3, hi: 5,
			now:     time.Date(2027, 12, 20, 10, 0, 0, 0, zurich),
			transit: quote.Transit{MinDays: 2, MaxDays: 5},
			// The workshop skips 24 December; the carrier does not: Thu 23 + 2 = Mon 27.
			shipsEarly: "2027-12-23", shipsLate: "2027-12-28",
			arrivesEarly: "2027-12-27", arriveLa: "2028-01-04",
		},
		{
			name: "same-day transit arrives on the ship date", cal: workshop, lo: 0, hi: 0,
			now:        time.Date(2027, 3, 5, 10, 0, 0, 0, zurich),
			shipsEarly: "2027-03-05", shipsLate: "2027-03-05",
			arrivesEarly: "2027-03-05", arriveLa: "2027-03-05",
		},
		{
			name: "spring DST night: friday 23:30 UTC is saturday in Zurich", cal: workshop,
			lo: 1, hi: 1, now: time.Date(2027, 3, 26, 23, 30, 0, 0, time.UTC),
			transit:    quote.Transit{MinDays: 1, MaxDays: 1},
			shipsEarly: "2027-03-30", shipsLate: "2027-03-30",
			arrivesEarly: "2027-03-31", arriveLa: "2027-03-31",
		},
		{
			name: "autumn DST eve: friday 22:30 UTC is saturday in Zurich (UTC+2)", cal: workshop,
			lo: 1, hi: 2, now: time.Date(2027, 10, 29, 22, 30, 0, 0, time.UTC),
			transit:    quote.Transit{MinDays: 1, MaxDays: 2},
			shipsEarly: "2027-11-02", shipsLate: "2027-11-03",
			arrivesEarly: "2027-11-03", arriveLa: "2027-11-05",
		},
		{
			name: "autumn DST eve: friday 21:30 UTC is still friday in Zurich", cal: workshop,
			lo: 1, hi: 2, now: time.Date(2027, 10, 29, 21, 30, 0, 0, time.UTC),
			transit:    quote.Transit{MinDays: 1, MaxDays: 2},
			shipsEarly: "2027-11-01", shipsLate: "2027-11-02",
			arrivesEarly: "2027-11-02", arriveLa: "2027-11-04",
		},
		{
			name: "Lunar New Year in a Shanghai workshop: thursday 17:00 UTC is friday there",
			cal:  quote.Calendar{Location: shanghai, Closures: []quote.Closure{lunar}},
			lo:   2, hi: 3, now: time.Date(2027, 2, 4, 17, 0, 0, 0, time.UTC),
			transit:    quote.Transit{MinDays: 3, MaxDays: 6},
			shipsEarly: "2027-02-17", shipsLate: "2027-02-18",
			arrivesEarly: "2027-02-22", arriveLa: "2027-02-26",
			notices: []string{"The workshop is closed 5–14 February (Lunar New Year)"},
		},
		{
			name: "the same instant in a Zurich workshop is thursday, before the closure",
			cal:  quote.Calendar{Location: zurich, Closures: []quote.Closure{lunar}},
			lo:   0, hi: 1, now: time.Date(2027, 2, 4, 17, 0, 0, 0, time.UTC),
			transit:    quote.Transit{MinDays: 3, MaxDays: 6},
			shipsEarly: "2027-02-04", shipsLate: "2027-02-15",
			arrivesEarly: "2027-02-09", arriveLa: "2027-02-23",
			notices: []string{"The workshop is closed 5–14 February (Lunar New Year)"},
		},
		{
			name: "two closures and a holiday in one window",
			cal: quote.Calendar{
				Location: zurich,
				Holidays: []quote.Date{mustDate(t, "2027-05-13")},
				Closures: []quote.Closure{
					{From: mustDate(t, "2027-05-17"), To: mustDate(t, "2027-05-18")},
					{From: mustDate(t, "2027-05-03"), To: mustDate(t, "2027-05-07"), Reason: "inventory"},
				},
			},
			lo: 2, hi: 6, now: time.Date(2027, 4, 29, 9, 0, 0, 0, zurich),
			transit: quote.Transit{MinDays: 0, MaxDays: 2},
			// Thu 29 Apr + 2: Fri 30, then the whole week of 3 May is closed: Mon 10.
			// + 6: Fri 30, 10, 11, 12, (13 holiday) 14, (17–18 closed) 19.
			shipsEarly: "2027-05-10", shipsLate: "2027-05-19",
			arrivesEarly: "2027-05-10", arriveLa: "2027-05-21",
			notices: []string{
				"The workshop is closed 3–7 May (inventory)",
				"The workshop is closed 17–18 May",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lt, err := quote.Estimate(quote.LeadInput{BaseMinDays: tt.lo, BaseMaxDays: tt.hi,
				Quantity: 1}, tt.now, tt.cal)
			require.NoError(t, err)
			assert.Equal(t, tt.shipsEarly, lt.ShipsEarliest.String(), "ships earliest")
			assert.Equal(t, tt.shipsLate, lt.ShipsLatest.String(), "ships latest")
			for _, d := range []quote.Date{lt.ShipsEarliest, lt.ShipsLatest} {
				assert.True(t, tt.cal.IsBusinessDay(d), "%s is a workshop business day", d)
			}
			var notices []string
			for _, c := range lt.Closures {
				notices = append(notices, c.Message())
			}
			assert.Equal(t, tt.notices, notices)
			arr, err := quote.Arrive(lt.ShipsEarliest, lt.ShipsLatest, tt.transit)
			require.NoError(t, err)
			assert.Equal(t, tt.arrivesEarly, arr.Earliest.String(), "arrives earliest")
			assert.Equal(t, tt.arriveLa, arr.Latest.String(), "arrives latest")
		})
	}
}

func TestClosureMessage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ from, to, reason, want string }{
		{"2027-08-01", "2027-08-21", "", "The workshop is closed 1–21 August"},
		{"2027-07-28", "2027-08-04", "", "The workshop is closed 28 July–4 August"},
		{"2027-12-27", "2028-01-07", "winter", "The workshop is closed 27 December 2027–7 January 2028 (winter)"},
		{"2027-05-13", "2027-05-13", "", "The workshop is closed on 13 May"},
	} {
		c := quote.Closure{From: mustDate(t, tt.from), To: mustDate(t, tt.to), Reason: tt.reason}
		assert.Equal(t, tt.want, c.Message())
	}
}

func TestClosureValidate(t *testing.T) {
	t.Parallel()
	ok := quote.Closure{From: mustDate(t, "2027-08-01"), To: mustDate(t, "2027-08-21")}
	require.NoError(t, ok.Validate())
	inverted := quote.Closure{From: mustDate(t, "2027-08-21"), To: mustDate(t, "2027-08-01")}
	require.ErrorIs(t, inverted.Validate(), quote.ErrInvalidInput)
	long := quote.Closure{From: mustDate(t, "2027-01-01"), To: mustDate(t, "2028-01-02")}
	require.ErrorIs(t, long.Validate(), quote.ErrInvalidInput)
	_, err := quote.Estimate(quote.LeadInput{BaseMaxDays: 1, Quantity: 1}, time.Now(),
		quote.Calendar{Closures: []quote.Closure{inverted}})
	require.ErrorIs(t, err, quote.ErrInvalidInput)
}

func TestArriveRefusesBadTransit(t *testing.T) {
	t.Parallel()
	d := mustDate(t, "2027-03-01")
	for _, tr := range []quote.Transit{{MinDays: -1, MaxDays: 2}, {MinDays: 3, MaxDays: 2},
		{MinDays: 0, MaxDays: quote.MaxTransitDays + 1}} {
		_, err := quote.Arrive(d, d, tr)
		require.ErrorIs(t, err, quote.ErrInvalidInput, "%+v", tr)
	}
	_, err := quote.Arrive(d, d.AddDays(-1), quote.Transit{})
	require.ErrorIs(t, err, quote.ErrInvalidInput)
}

func TestAddShipping(t *testing.T) {
	t.Parallel()
	q, err := quote.Price(quote.Input{Currency: "EUR", BasePrice: 10001, Quantity: 3,
		DepositBasisPoints: 3000, Tiers: []quote.Tier{{MinQuantity: 2, DiscountBasisPoints: 333}}})
	require.NoError(t, err)
	before := len(q.Lines)
	s, err := quote.AddShipping(q, "Shipping: EU", 1250)
	require.NoError(t, err)
	assert.Len(t, q.Lines, before, "the input quote is not changed")
	var sum int64
	for _, l := range s.Lines {
		sum += l.Amount
	}
	assert.Equal(t, s.Total, sum, "the lines add up to the total")
	assert.Equal(t, q.Total+1250, s.Total)
	assert.Equal(t, q.Deposit, s.Deposit, "shipping is paid with the balance")
	assert.Equal(t, s.Total, s.Deposit+s.Balance)
	assert.Equal(t, quote.Line{Label: "Shipping: EU", Amount: 1250}, s.Lines[len(s.Lines)-1])
	_, err = quote.AddShipping(q, "x", -1)
	require.ErrorIs(t, err, quote.ErrInvalidInput)
}
