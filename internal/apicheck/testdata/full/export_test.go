package fix

// Twice is visible to the external tests only.
func Twice(x int) int { return 2 * x }
