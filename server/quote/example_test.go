package quote_test

import (
	"fmt"
	"time"

	"github.com/atelier/atelier/server/quote"
)

func ExamplePrice() {
	q, err := quote.Price(demoInput(10))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range q.Lines {
		fmt.Printf("%-32s %8d\n", l.Label, l.Amount)
	}
	fmt.Printf("%-32s %8d\n", "Total", q.Total)
	fmt.Printf("%-32s %8d\n", "Deposit now", q.Deposit)
	fmt.Printf("%-32s %8d\n", "Balance before shipping", q.Balance)
	// Output:
	// Base strap × 10                    185000
	// Leather: Shell cordovan × 10        45000
	// Buckle: Brushed steel × 10          -5000
	// Monogram × 10                       15000
	// Quantity tier 10+ (−10%)           -24000
	// Total                              216000
	// Deposit now                         64800
	// Balance before shipping            151200
}

func ExampleEstimate() {
	zurich := time.FixedZone("CET", 3600)
	cal := quote.Calendar{
		Location: zurich,
		Holidays: []quote.Date{
			{Year: 2026, Month: time.December, Day: 24},
			{Year: 2026, Month: time.December, Day: 25},
		},
		CutoffHour: 14,
	}
	in := quote.LeadInput{BaseMinDays: 3, BaseMaxDays: 5, OptionDays: []int{2}, Quantity: 1}
	// Ordered on Tuesday after the 14:00 cutoff: the build starts on Wednesday.
	lt, err := quote.Estimate(in, time.Date(2026, 12, 22, 15, 0, 0, 0, zurich), cal)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(lt.MinBusinessDays, lt.MaxBusinessDays, lt.BuildStarts, lt.ShipsEarliest,
		lt.ShipsLatest)
	// Output: 5 7 2026-12-23 2027-01-01 2027-01-05
}
