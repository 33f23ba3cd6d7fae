//go:build race

package engine

// raceEnabled scales the oracle property tests down under the race detector, which makes them
// about ten times slower; the full counts run without it.
const raceEnabled = true
