// Package fix is a fixture whose name is only called in another package.
package fix

// Join joins with a comma.
func Join(a, b string) string { return a + "," + b }
