package main

import (
	"context"
	"time"
)

// lead is how early the schedule hands an arrival to a client, which then waits for the exact
// time with waitUntil. Go's timers wake up to a millisecond late on Linux (the netpoller waits
// in whole milliseconds): measured with 600 arrivals 5 ms apart, a timer was late by p50
// 0.58 ms and p99 1.35 ms, nanosleep by p50 0.13 ms and p99 0.19 ms. That lateness was counted
// in every open-loop latency, the ceiling's too.
const lead = 2 * time.Millisecond

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
			sleep(ctx, time.Until(at)-lead)
			if ctx.Err() != nil {
				return
			}
			s.ch <- at
		}
	}()
	return s
}

// next returns the time the next step is due: now in a closed loop (s nil), else the next
// arrival (false when the run is over), returning no earlier than that arrival's time.
func (s *schedule) next(ctx context.Context) (time.Time, bool) {
	if s == nil {
		return time.Now(), ctx.Err() == nil
	}
	select {
	case at, ok := <-s.ch:
		if !ok || ctx.Err() != nil {
			return time.Time{}, false
		}
		waitUntil(at)
		return at, ctx.Err() == nil
	case <-ctx.Done():
		return time.Time{}, false
	}
}
