// Package orders runs the made-to-order book: placing orders from complete configurations
// (idempotently, within limited editions and pre-order windows), recording payments, and moving
// each order through its build, every step recorded as an event in the same transaction.
package orders

import (
	"slices"
	"strings"

	"github.com/atelier/atelier/ent/order"
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
