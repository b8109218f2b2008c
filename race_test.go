//go:build race

package kpi_test

// raceEnabled is true under the race detector, which slows the coverage
// simulations about tenfold: they then run a tenth of the streams.
const raceEnabled = true
