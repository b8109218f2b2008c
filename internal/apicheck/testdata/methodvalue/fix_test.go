package fix_test

import (
	"fmt"
	"testing"

	"github.com/kpiflow/kpi/internal/apicheck/testdata/methodvalue"
	"github.com/stretchr/testify/assert"
)

func TestInc(t *testing.T) {
	var c fix.Counter
	inc := c.Inc
	for _, want := range []int{1, 2} {
		assert.Equal(t, want, inc())
	}
}

func ExampleCounter_Inc() {
	var c fix.Counter
	inc := c.Inc
	fmt.Println(inc())
	// Output: 1
}
