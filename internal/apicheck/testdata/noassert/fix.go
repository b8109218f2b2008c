// Package fix is a fixture whose table loop asserts nothing.
package fix

// Half returns x/2.
func Half(x int) int { return x / 2 }

// Third returns x/3.
func Third(x int) int { return x / 3 }
