// Package fix is a fixture whose test takes a method value.
package fix

// Counter counts.
type Counter struct{ n int }

// Inc adds one and returns the count.
func (c *Counter) Inc() int { c.n++; return c.n }
