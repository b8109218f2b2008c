//go:build ignore

package fix

func Twice(x int) int { return 3 * x }
