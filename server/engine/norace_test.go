//go:build !race

package engine

// raceEnabled is false: the oracle property tests run at full size.
const raceEnabled = false
