//go:build !race

package configurator

// raceEnabled is false: the oracle property tests run at full size.
const raceEnabled = false
