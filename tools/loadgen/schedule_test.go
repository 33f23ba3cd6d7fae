package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScheduleArrivesOnTimeWithoutWaitingForClients(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	end := time.Now().Add(300 * time.Millisecond)
	s := newSchedule(ctx, 100, end)
	// Nobody takes an arrival for a while: they are still due at their own times.
	time.Sleep(200 * time.Millisecond)
	var got []time.Time
	for {
		at, ok := s.next(ctx)
		if !ok {
			break
		}
		got = append(got, at)
	}
	require.InDelta(t, 31, len(got), 2, "100/s for 300 ms")
	for i := 1; i < len(got); i++ {
		assert.Equal(t, 10*time.Millisecond, got[i].Sub(got[i-1]), "arrival %d", i)
	}
	assert.False(t, got[len(got)-1].After(end))
}

func TestClosedLoopScheduleIsNow(t *testing.T) {
	t.Parallel()
	var s *schedule
	before := time.Now()
	at, ok := s.next(context.Background())
	assert.True(t, ok)
	assert.False(t, at.Before(before))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, ok = s.next(ctx)
	assert.False(t, ok)
}

func TestArrivalsAreNotServedEarly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// The schedule hands arrivals out lead early; next waits for each one's time.
	s := newSchedule(ctx, 200, time.Now().Add(100*time.Millisecond))
	n := 0
	for {
		at, ok := s.next(ctx)
		if !ok {
			break
		}
		now := time.Now()
		require.False(t, now.Before(at), "arrival %d served %s early", n, at.Sub(now))
		n++
	}
	assert.InDelta(t, 21, n, 1, "200/s for 100 ms")
}
