package main

import (
	"context"
	"time"
)

// schedule hands out the arrival times of an open-loop run: one every 1/rate seconds from its
// start until the window ends, whether or not earlier steps have finished. A step's latency is
// measured from its arrival time, so time spent waiting for a free client (queueing) counts.
type schedule struct {
	ch chan time.Time
}

// newSchedule starts handing out arrivals at rate per second from now until end.
func newSchedule(ctx context.Context, rate float64, end time.Time) *schedule {
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	n := int(time.Until(end)/interval) + 1
	s := &schedule{ch: make(chan time.Time, n)}
	go func() {
		defer close(s.ch)
		for k := 0; ; k++ {
			at := start.Add(time.Duration(k) * interval)
			if at.After(end) {
				return
			}
			// Arrivals are due at their time whether or not a client is free: the buffer holds
			// every arrival of the run, so the schedule never waits for the clients.
			sleep(ctx, time.Until(at))
			if ctx.Err() != nil {
				return
			}
			s.ch <- at
		}
	}()
	return s
}

// next returns the time the next step is due: now in a closed loop (s nil), else the next
// arrival (false when the run is over).
func (s *schedule) next(ctx context.Context) (time.Time, bool) {
	if s == nil {
		return time.Now(), ctx.Err() == nil
	}
	select {
	case at, ok := <-s.ch:
		return at, ok && ctx.Err() == nil
	case <-ctx.Done():
		return time.Time{}, false
	}
}
