// Package fix is a fixture that reaches the checker's corners: generics,
// method expressions, JSON methods, in-package test files, a dependent
// sub-package, build tags and a nested module.
package fix

import "encoding/json"

// Map applies f to every element.
func Map[T any](xs []T, f func(T) T) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// Pair is a key and a value.
type Pair[K comparable, V any] struct {
	K K
	V V
}

// Key returns the key.
func (p Pair[K, V]) Key() K { return p.K }

// Iface is an interface; its methods are not checked.
type Iface interface{ M() }

// Alias is another name for a pair.
type Alias = Pair[string, int]

type hidden struct{}

// Exported is a method of an unexported type: not API.
func (hidden) Exported() {}

// Doc has a JSON form.
type Doc struct{ N int }

// MarshalJSON writes the number as a string.
func (d Doc) MarshalJSON() ([]byte, error) { return json.Marshal(map[string]int{"n": d.N}) }

// UnmarshalJSON reads what MarshalJSON writes.
func (d *Doc) UnmarshalJSON(b []byte) error {
	var m map[string]int
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	d.N = m["n"]
	return nil
}
