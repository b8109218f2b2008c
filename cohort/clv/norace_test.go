//go:build !race

package clv_test

const raceEnabled = false
