package fix_test

import (
	"fmt"
	"testing"

	"github.com/kpiflow/kpi/internal/apicheck/testdata/good"
	"github.com/stretchr/testify/assert"
)

var areas = []struct {
	name  string
	shape fix.Shape
	want  int
}{
	{"square", fix.Square{Side: 2}, 4},
	{"rect", fix.Rect{W: 2, H: 3}, 6},
}

func TestArea(t *testing.T) {
	for _, tc := range areas {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.shape.Area()) })
	}
}

func check(t *testing.T, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("got %d, want %d", got, want)
	}
}

func TestDouble(t *testing.T) {
	tests := map[string]int{"one": 1, "two": 2}
	for _, x := range tests {
		check(t, fix.Double(x), x+x)
	}
}

func TestName(t *testing.T) {
	for _, n := range []fix.Name{"a", "b"} {
		assert.Equal(t, string(n), n.String())
	}
}

func ExampleDouble() {
	fmt.Println(fix.Double(2))
	// Output: 4
}

func ExampleSquare_Area() {
	fmt.Println(fix.Square{Side: 3}.Area())
	// Output: 9
}

func ExampleRect_Area() {
	fmt.Println(fix.Rect{W: 1, H: 3}.Area())
	// Output: 3
}

func ExampleName_String() {
	fmt.Println(fix.Name("x"))
	// Output: x
}

func TestDoubleRows(t *testing.T) {
	tests := []struct {
		name string
		run  func() int
		want int
	}{
		{"one", func() int { return fix.Double(1) }, 2},
		{"two", func() int { return fix.Double(2) }, 4},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.run(), tc.name)
	}
}
