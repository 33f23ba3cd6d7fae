package quote_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/atelier/atelier/server/quote"
)

// TestTogether: lines built as one order take the longest window, the latest ship dates and
// every closure once.
func TestTogether(t *testing.T) {
	t.Parallel()
	august := quote.Closure{From: mustDate(t, "2027-08-01"), To: mustDate(t, "2027-08-21"), Reason: "summer holidays"}
	may := quote.Closure{From: mustDate(t, "2027-05-03"), To: mustDate(t, "2027-05-07"), Reason: "inventory"}
	a := quote.LeadTime{MinBusinessDays: 5, MaxBusinessDays: 8, BuildStarts: mustDate(t, "2027-04-29"),
		ShipsEarliest: mustDate(t, "2027-05-13"), ShipsLatest: mustDate(t, "2027-05-18"),
		Closures: []quote.Closure{may}}
	b := quote.LeadTime{MinBusinessDays: 7, MaxBusinessDays: 7, BuildStarts: mustDate(t, "2027-04-29"),
		ShipsEarliest: mustDate(t, "2027-05-17"), ShipsLatest: mustDate(t, "2027-05-17"),
		Closures: []quote.Closure{august, may}}

	got := quote.Together([]quote.LeadTime{a, b})
	assert.Equal(t, 7, got.MinBusinessDays)
	assert.Equal(t, 8, got.MaxBusinessDays)
	assert.Equal(t, "2027-05-17", got.ShipsEarliest.String())
	assert.Equal(t, "2027-05-18", got.ShipsLatest.String())
	assert.Equal(t, []quote.Closure{may, august}, got.Closures)
	assert.Equal(t, []quote.Closure{may}, a.Closures, "the inputs are not changed")

	assert.Equal(t, a.ShipsLatest, quote.Together([]quote.LeadTime{a}).ShipsLatest)
	assert.Equal(t, quote.LeadTime{}, quote.Together(nil))
}
