// Package orders runs the made-to-order book: placing orders from complete configurations
// (idempotently, within limited editions and pre-order windows), recording payments, and moving
// each order through its build, every step recorded as an event in the same transaction.
package orders

import (
	"slices"
	"strings"
	"time"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/quote"
)

// transitions are the build steps the workshop may take from each status.
var transitions = map[order.Status][]order.Status{
	order.StatusPlaced:       {order.StatusConfirmed, order.StatusCancelled},
	order.StatusConfirmed:    {order.StatusMaterials, order.StatusCancelled},
	order.StatusMaterials:    {order.StatusCrafting, order.StatusCancelled},
	order.StatusCrafting:     {order.StatusFinishing},
	order.StatusFinishing:    {order.StatusQualityCheck},
	order.StatusQualityCheck: {order.StatusShipped, order.StatusCrafting},
	order.StatusShipped:      {order.StatusDelivered},
	order.StatusDelivered:    nil,
	order.StatusCancelled:    nil,
}

// Next returns the statuses an order in status may move to.
func Next(status order.Status) []order.Status {
	return slices.Clone(transitions[status])
}

// CanMove reports whether from → to is a legal build step.
func CanMove(from, to order.Status) bool {
	return slices.Contains(transitions[from], to)
}

// describeNext lists the allowed next statuses for an error message.
func describeNext(from order.Status) string {
	next := transitions[from]
	if len(next) == 0 {
		return "none: " + string(from) + " is final"
	}
	names := make([]string, len(next))
	for i, s := range next {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// remainingShare is the part of the build window still ahead once an order reaches a status,
// in percent: ship estimates tighten as the build progresses.
var remainingShare = map[order.Status]int{
	order.StatusPlaced:       100,
	order.StatusConfirmed:    100,
	order.StatusMaterials:    90,
	order.StatusCrafting:     70,
	order.StatusFinishing:    35,
	order.StatusQualityCheck: 10,
}

// RemainingDays is the build window left, in business days, once an order of window
// [minDays, maxDays] reaches status; ok is false once it has shipped or ended.
func RemainingDays(status order.Status, minDays, maxDays int) (lo, hi int, ok bool) {
	share, ok := remainingShare[status]
	if !ok {
		return 0, 0, false
	}
	// Round up: a partly remaining day is still a day of work.
	return (minDays*share + 99) / 100, (maxDays*share + 99) / 100, true
}

// Delivery is when an order arrives, as its build stands.
type Delivery struct {
	// Shipping is the destination zone, transit and price frozen at placing.
	Shipping *catalog.OrderShipping
	// Arrival is the current ship window (re-estimated at every build step) plus the transit.
	Arrival quote.Arrival
}

// Delivery returns when o arrives, or nil for an order placed before shipping zones. The ship
// window tightens as the build progresses (RemainingDays), and the arrival window with it.
func (s *Service) Delivery(o *ent.Order) *Delivery {
	sh := o.Snapshot.Shipping
	if sh == nil {
		return nil
	}
	early, late := s.shipDate(o.ShipsEarliest), s.shipDate(o.ShipsLatest)
	if late.Before(early) {
		late = early
	}
	arr, err := quote.Arrive(early, late, quote.Transit{MinDays: sh.TransitMinDays, MaxDays: sh.TransitMaxDays})
	if err != nil {
		return nil // a frozen transit was validated at placing; nothing better to show
	}
	return &Delivery{Shipping: sh, Arrival: arr}
}

// Closures returns the workshop closures between today and o's latest ship date, while it
// is still being made: why its dates are later than its build window alone makes them.
func (s *Service) Closures(o *ent.Order) []quote.Closure {
	if _, building := remainingShare[o.Status]; !building {
		return nil
	}
	today := quote.DateOf(s.now().In(s.location()))
	return s.cal.ClosuresBetween(today, s.shipDate(o.ShipsLatest))
}

// ShipWindow returns o's current ship dates as workshop calendar days. (A stored date is
// midnight in the workshop's zone; PostgreSQL returns it in UTC, where it may be the day
// before: formatting it as stored shows the wrong day.)
func (s *Service) ShipWindow(o *ent.Order) (earliest, latest quote.Date) {
	return s.shipDate(o.ShipsEarliest), s.shipDate(o.ShipsLatest)
}

// shipDate is the workshop's calendar day of a stored ship date (midnight, workshop time).
func (s *Service) shipDate(t time.Time) quote.Date {
	return quote.DateOf(t.In(s.location()))
}
