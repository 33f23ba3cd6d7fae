//go:build !linux

package main

import (
	"errors"
	"syscall"
	"time"
)

// childAttr has no portable way to tie the server's life to the load generator's.
func childAttr() *syscall.SysProcAttr { return nil }

// processCPU is only measured on Linux.
func processCPU(int) (time.Duration, error) {
	return 0, errors.New("process CPU time is only measured on Linux")
}

// loadAverage is only read on Linux.
func loadAverage() string { return "" }
