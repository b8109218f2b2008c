package zerotest

import (
	"math"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
)

type sample struct{ X []float64 }

func TestHasNaN(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want bool
	}{
		{"number", 1.5, false},
		{"NaN", math.NaN(), true},
		{"in a struct slice", sample{X: []float64{1, math.NaN()}}, true},
		{"in a map", map[string]float64{"a": math.NaN()}, true},
		{"nil pointer", (*sample)(nil), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := hasNaN(reflect.ValueOf(tt.v), "v", 0)
			assert.Equal(t, tt.want, got)
		})
	}
}
