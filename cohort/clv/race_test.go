//go:build race

package clv_test

// raceEnabled: the race detector slows the bootstrap's 200 refits about
// tenfold and adds nothing to a statistical check, which is skipped.
const raceEnabled = true
