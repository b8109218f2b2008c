package fix_test

import (
	"fmt"
	"testing"

	"github.com/kpiflow/kpi/internal/apicheck/testdata/bogus"
)

func TestBogus(t *testing.T) {
	for range []int{1, 2} {
		_ = fix.Bogus
	}
}

func ExampleBogus() {
	fmt.Println("anything")
	// Output: anything
}
