package main

import (
	"syscall"
	"time"
)

// waitUntil returns at t (at most lead later than now) or just after: nanosleep wakes within
// the kernel's timer slack (50 µs by default), where a Go timer may be a millisecond late.
func waitUntil(t time.Time) {
	for d := time.Until(t); d > 0; d = time.Until(t) {
		ts := syscall.NsecToTimespec(int64(d))
		_ = syscall.Nanosleep(&ts, nil) // EINTR: sleep the rest
	}
}
