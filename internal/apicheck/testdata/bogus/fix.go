// Package fix is a fixture with the Bogus trick.
package fix

// Bogus is never really tested.
func Bogus() string { return "bogus" }
