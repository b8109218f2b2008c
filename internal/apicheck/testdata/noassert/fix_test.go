package fix_test

import (
	"fmt"
	"testing"

	"github.com/kpiflow/kpi/internal/apicheck/testdata/noassert"
	"github.com/stretchr/testify/assert"
)

func TestHalf(t *testing.T) {
	for _, x := range []int{2, 4} {
		t.Log(fix.Half(x))
	}
}

// A loop over a table of one row is not a table.
func TestThird(t *testing.T) {
	for _, x := range []int{3} {
		assert.Equal(t, 1, fix.Third(x))
	}
}

func ExampleHalf() {
	fmt.Println(fix.Half(4))
	// Output: 2
}

// An example without an output comment is compiled but never run.
func ExampleThird() {
	fmt.Println(fix.Third(3))
}

// A call in a row's plain value runs before the loop and does not count.
func TestHalfRows(t *testing.T) {
	tests := []struct {
		got, want int
	}{{fix.Half(2), 1}, {fix.Half(4), 2}}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.got)
	}
}
