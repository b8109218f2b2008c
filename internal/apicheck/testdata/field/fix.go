// Package fix is a fixture where a struct field is named like a method.
package fix

// Holder has a field named Add.
type Holder struct{ Add func(int) int }

// Sum has a method named Add.
type Sum struct{ n int }

// Add adds x to the sum and returns it.
func (s *Sum) Add(x int) int { s.n += x; return s.n }
