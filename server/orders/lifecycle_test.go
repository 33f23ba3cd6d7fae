package orders_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/orderevent"
	"github.com/atelier/atelier/server/orders"
)

func TestLifecycle(t *testing.T) {
	t.Parallel()
	all := []order.Status{order.StatusPlaced, order.StatusConfirmed, order.StatusMaterials,
		order.StatusCrafting, order.StatusFinishing, order.StatusQualityCheck, order.StatusShipped,
		order.StatusDelivered, order.StatusCancelled}
	legal := map[[2]order.Status]bool{}
	happy := []order.Status{order.StatusPlaced, order.StatusConfirmed, order.StatusMaterials,
		order.StatusCrafting, order.StatusFinishing, order.StatusQualityCheck, order.StatusShipped,
		order.StatusDelivered}
	for i := 0; i+1 < len(happy); i++ {
		legal[[2]order.Status{happy[i], happy[i+1]}] = true
	}
	legal[[2]order.Status{order.StatusQualityCheck, order.StatusCrafting}] = true
	for _, s := range []order.Status{order.StatusPlaced, order.StatusConfirmed, order.StatusMaterials} {
		legal[[2]order.Status{s, order.StatusCancelled}] = true
	}
	for _, from := range all {
		for _, to := range all {
			assert.Equal(t, legal[[2]order.Status{from, to}], orders.CanMove(from, to, false), "%s → %s", from, to)
		}
	}
	assert.Empty(t, orders.Next(order.StatusDelivered, false))
	assert.Empty(t, orders.Next(order.StatusCancelled, false))
	for _, s := range []order.Status{order.StatusProofSent, order.StatusRevisionRequested, order.StatusApproved} {
		assert.Empty(t, orders.Next(s, false), "an order without approval never enters %s", s)
	}
}

func TestLifecycleWithApproval(t *testing.T) {
	t.Parallel()
	all := []order.Status{order.StatusPlaced, order.StatusConfirmed, order.StatusProofSent,
		order.StatusRevisionRequested, order.StatusApproved, order.StatusMaterials,
		order.StatusCrafting, order.StatusFinishing, order.StatusQualityCheck, order.StatusShipped,
		order.StatusDelivered, order.StatusCancelled}
	legal := map[[2]order.Status]bool{}
	steps := [][2]order.Status{
		{order.StatusPlaced, order.StatusConfirmed},
		{order.StatusConfirmed, order.StatusProofSent},
		{order.StatusProofSent, order.StatusRevisionRequested},
		{order.StatusRevisionRequested, order.StatusProofSent},
		{order.StatusProofSent, order.StatusProofSent},
		{order.StatusProofSent, order.StatusApproved},
		{order.StatusApproved, order.StatusMaterials},
		{order.StatusMaterials, order.StatusCrafting},
		{order.StatusCrafting, order.StatusFinishing},
		{order.StatusFinishing, order.StatusQualityCheck},
		{order.StatusQualityCheck, order.StatusCrafting},
		{order.StatusQualityCheck, order.StatusShipped},
		{order.StatusShipped, order.StatusDelivered},
	}
	for _, st := range steps {
		legal[st] = true
	}
	for _, s := range []order.Status{order.StatusPlaced, order.StatusConfirmed, order.StatusProofSent,
		order.StatusRevisionRequested, order.StatusApproved, order.StatusMaterials} {
		legal[[2]order.Status{s, order.StatusCancelled}] = true
	}
	for _, from := range all {
		for _, to := range all {
			assert.Equal(t, legal[[2]order.Status{from, to}], orders.CanMove(from, to, true), "%s → %s", from, to)
		}
	}
	assert.False(t, orders.CanMove(order.StatusConfirmed, order.StatusMaterials, true),
		"production waits for the approval")

	// The workshop's advanceOrder takes only its own steps: proofs and answers have their operations.
	assert.Equal(t, []order.Status{order.StatusCancelled}, orders.Moves(order.StatusConfirmed, true))
	assert.Equal(t, []order.Status{order.StatusCancelled}, orders.Moves(order.StatusProofSent, true))
	assert.Equal(t, []order.Status{order.StatusMaterials, order.StatusCancelled}, orders.Moves(order.StatusApproved, true))
	assert.Equal(t, orders.OpSendProof, orders.Via(order.StatusProofSent))
	assert.Equal(t, orders.OpApprove, orders.Via(order.StatusApproved))
	assert.Equal(t, orders.OpRevise, orders.Via(order.StatusRevisionRequested))
	assert.Equal(t, orders.OpAdvance, orders.Via(order.StatusMaterials))

	assert.True(t, orders.ProofDue(order.StatusConfirmed, true))
	assert.True(t, orders.ProofDue(order.StatusRevisionRequested, true))
	assert.False(t, orders.ProofDue(order.StatusProofSent, true))
	assert.False(t, orders.ProofDue(order.StatusConfirmed, false))
	assert.True(t, orders.AwaitsApproval(order.StatusProofSent))
	assert.False(t, orders.AwaitsApproval(order.StatusApproved))
}

func TestProofsFollowTheTimeline(t *testing.T) {
	t.Parallel()
	ev := func(id, seq int, kind orderevent.Kind, status orderevent.Status, proof int) *ent.OrderEvent {
		return &ent.OrderEvent{ID: id, Seq: seq, Kind: kind, Status: status, ProofNumber: proof}
	}
	timeline := []*ent.OrderEvent{
		// Given out of order: Proofs sorts by seq.
		ev(17, 7, orderevent.KindStatus, orderevent.StatusApproved, 3),
		ev(11, 1, orderevent.KindProof, orderevent.StatusProofSent, 1),
		ev(12, 2, orderevent.KindStatus, orderevent.StatusRevisionRequested, 1),
		ev(13, 3, orderevent.KindProof, orderevent.StatusProofSent, 2),
		ev(14, 4, orderevent.KindPayment, orderevent.StatusProofSent, 0),
		ev(15, 5, orderevent.KindProof, orderevent.StatusProofSent, 3),
	}
	ps := orders.Proofs(timeline)
	require.Len(t, ps, 3)
	assert.Equal(t, orders.ProofRevisionRequested, ps[0].State)
	assert.Equal(t, 12, ps[0].Decision.ID)
	assert.Equal(t, orders.ProofSuperseded, ps[1].State, "a newer proof replaced it unanswered")
	assert.Nil(t, ps[1].Decision)
	assert.Equal(t, orders.ProofApproved, ps[2].State)
	assert.Equal(t, 15, ps[2].Event.ID)
	assert.Equal(t, orders.ProofPending, orders.Proofs(timeline[1:5])[1].State)
	assert.Empty(t, orders.Proofs(nil))
}

func TestRemainingDaysShrinkAsTheBuildProgresses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status order.Status
		lo, hi int
		ok     bool
	}{
		{order.StatusConfirmed, 8, 12, true},
		{order.StatusProofSent, 8, 12, true},
		{order.StatusApproved, 8, 12, true},
		{order.StatusMaterials, 8, 11, true},
		{order.StatusCrafting, 6, 9, true},
		{order.StatusFinishing, 3, 5, true},
		{order.StatusQualityCheck, 1, 2, true},
		{order.StatusShipped, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			lo, hi, ok := orders.RemainingDays(tt.status, 8, 12)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.lo, lo)
			assert.Equal(t, tt.hi, hi)
		})
	}
}
