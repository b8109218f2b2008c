// Package fix is a fixture that does not type-check.
package fix

// Broken returns a string as an int.
func Broken() int { return "x" }
