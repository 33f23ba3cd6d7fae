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

// transitions are the build steps from each status of an order that needs no approval.
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

// approvalTransitions replace transitions for an order whose customer approves a proof of the
// design before production: CONFIRMED → PROOF_SENT → (REVISION_REQUESTED → PROOF_SENT)* →
// APPROVED → MATERIALS. A proof may also replace a proof still awaiting its answer.
var approvalTransitions = map[order.Status][]order.Status{
	order.StatusConfirmed: {order.StatusProofSent, order.StatusCancelled},
	order.StatusProofSent: {order.StatusApproved, order.StatusRevisionRequested, order.StatusProofSent,
		order.StatusCancelled},
	order.StatusRevisionRequested: {order.StatusProofSent, order.StatusCancelled},
	order.StatusApproved:          {order.StatusMaterials, order.StatusCancelled},
}

// Operation names the API operation that takes a step to a status.
type Operation string

// The operations that move an order.
const (
	// OpAdvance is the workshop's advanceOrder (and payments confirming an order).
	OpAdvance Operation = "advanceOrder"
	// OpSendProof is the workshop's sendProof.
	OpSendProof Operation = "sendProof"
	// OpApprove is the customer's approveProof.
	OpApprove Operation = "approveProof"
	// OpRevise is the customer's requestRevision.
	OpRevise Operation = "requestRevision"
)

// Via is the operation that moves an order to status.
func Via(status order.Status) Operation {
	switch status {
	case order.StatusProofSent:
		return OpSendProof
	case order.StatusApproved:
		return OpApprove
	case order.StatusRevisionRequested:
		return OpRevise
	default:
		return OpAdvance
	}
}

// Next returns the statuses an order in status may move to, by any operation; approval says
// whether its customer approves a proof before production.
func Next(status order.Status, approval bool) []order.Status {
	if next, ok := approvalTransitions[status]; ok && approval {
		return slices.Clone(next)
	}
	return slices.Clone(transitions[status])
}

// Moves returns the statuses the workshop's advanceOrder may move an order in status to.
func Moves(status order.Status, approval bool) []order.Status {
	return slices.DeleteFunc(Next(status, approval), func(s order.Status) bool { return Via(s) != OpAdvance })
}

// CanMove reports whether from → to is a legal step of an order (approval: see Next).
func CanMove(from, to order.Status, approval bool) bool {
	return slices.Contains(Next(from, approval), to)
}

// AwaitsApproval reports whether an order in status waits for its customer's answer to a proof.
func AwaitsApproval(status order.Status) bool {
	return status == order.StatusProofSent
}

// ProofDue reports whether the workshop has a proof to send next.
func ProofDue(status order.Status, approval bool) bool {
	return approval && (status == order.StatusConfirmed || status == order.StatusRevisionRequested)
}

// describeNext lists the allowed next statuses for an error message, naming the operation of
// the steps advanceOrder does not take.
func describeNext(from order.Status, approval bool) string {
	next := Next(from, approval)
	if len(next) == 0 {
		return "none: " + string(from) + " is final"
	}
	names := make([]string, len(next))
	for i, s := range next {
		names[i] = string(s)
		if op := Via(s); op != OpAdvance {
			names[i] += " (" + string(op) + ")"
		}
	}
	return strings.Join(names, ", ")
}

// remainingShare is the part of the build window still ahead once an order reaches a status,
// in percent: ship estimates tighten as the build progresses.
var remainingShare = map[order.Status]int{
	order.StatusPlaced:    100,
	order.StatusConfirmed: 100,
	// Production has not started while the design waits for approval: the whole window is ahead.
	order.StatusProofSent:         100,
	order.StatusRevisionRequested: 100,
	order.StatusApproved:          100,
	order.StatusMaterials:         90,
	order.StatusCrafting:          70,
	order.StatusFinishing:         35,
	order.StatusQualityCheck:      10,
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
