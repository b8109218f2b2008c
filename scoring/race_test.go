//go:build race

package scoring_test

// raceEnabled: the race detector makes sync.Pool drop items at random, so
// regexp matching may allocate and allocation counts are not checked.
const raceEnabled = true
