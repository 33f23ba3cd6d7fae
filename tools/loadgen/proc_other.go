//go:build !linux

package main

import (
	"errors"
	"time"
)

// processCPU is only measured on Linux.
func processCPU(int) (time.Duration, error) {
	return 0, errors.New("process CPU time is only measured on Linux")
}

// loadAverage is only read on Linux.
func loadAverage() string { return "" }
