package fix_test

import (
	"fmt"
	"testing"

	"github.com/kpiflow/kpi/internal/apicheck/testdata/field"
	"github.com/stretchr/testify/assert"
)

func TestAdd(t *testing.T) {
	h := fix.Holder{Add: func(x int) int { return x }}
	for _, x := range []int{1, 2} {
		assert.Equal(t, x, h.Add(x))
	}
}

func ExampleSum_Add() {
	h := fix.Holder{Add: func(x int) int { return x }}
	fmt.Println(h.Add(1))
	// Output: 1
}
