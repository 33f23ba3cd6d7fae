// Package orders runs the made-to-order book: placing orders from complete configurations
// (idempotently, within limited editions and pre-order windows), recording payments, and moving
// each order through its build, every step recorded as an event in the same transaction.
package orders

import (
	"slices"
	"strings"

	"github.com/atelier/atelier/ent/order"
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
