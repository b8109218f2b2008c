// Package fix is a fixture that follows the rule.
package fix

// Double returns 2x.
func Double(x int) int { return 2 * x }

// Shape has an area.
type Shape interface{ Area() int }

// Square is a shape.
type Square struct{ Side int }

// Area returns the square's area.
func (s Square) Area() int { return s.Side * s.Side }

// Rect is a shape.
type Rect struct{ W, H int }

// Area returns the rectangle's area.
func (r Rect) Area() int { return r.W * r.H }

// Name has a text form.
type Name string

// String returns the name.
func (n Name) String() string { return string(n) }
