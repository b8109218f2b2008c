//go:build race

package attribution_test

// raceEnabled is true under the race detector, which slows the coverage
// simulation tenfold: it then runs its -short size.
const raceEnabled = true
