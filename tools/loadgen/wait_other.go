//go:build !linux

package main

import "time"

// waitUntil returns at t or just after (as precisely as a Go timer allows here).
func waitUntil(t time.Time) {
	time.Sleep(time.Until(t))
}
