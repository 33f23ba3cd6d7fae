package orders_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/atelier/atelier/ent/order"
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
			assert.Equal(t, legal[[2]order.Status{from, to}], orders.CanMove(from, to), "%s → %s", from, to)
		}
	}
	assert.Empty(t, orders.Next(order.StatusDelivered))
	assert.Empty(t, orders.Next(order.StatusCancelled))
}

func TestRemainingDaysShrinkAsTheBuildProgresses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status order.Status
		lo, hi int
		ok     bool
	}{
		{order.StatusConfirmed, 8, 12, true},
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
