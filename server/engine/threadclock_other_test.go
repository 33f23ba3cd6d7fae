//go:build !linux

package engine

import "time"

var clockStart = time.Now()

// threadCPU falls back to the wall clock where no thread CPU clock is wired up.
func threadCPU() time.Duration { return time.Since(clockStart) }

// processCPU falls back to the wall clock.
func processCPU() time.Duration { return time.Since(clockStart) }
