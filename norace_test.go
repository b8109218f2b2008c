//go:build !race

package kpi_test

const raceEnabled = false
