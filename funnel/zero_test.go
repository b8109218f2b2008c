package funnel_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
	"github.com/kpiflow/kpi/internal/zerotest"
)

// TestZeroValues calls every exported method on the zero value of every
// exported type with zero arguments: none may panic or return NaN.
func TestZeroValues(t *testing.T) {
	zerotest.Run(t, ".", new(funnel.Funnel), new(funnel.Counter), new(funnel.Result), new(funnel.Bottleneck),
		new(funnel.Mode), new(funnel.Model), new(funnel.Step), new(funnel.Verdict),
		new(funnel.Lifecycle), new(funnel.History), new(funnel.Reach), new(funnel.SegmentRate),
		new(funnel.Bin), new(funnel.Change), new(funnel.Counting), new(funnel.Definition), new(funnel.Durations),
		new(funnel.Exclusion), new(funnel.Match), new(funnel.Projection), new(funnel.StepResult), new(funnel.Targets),
		new(funnel.Grain), new(funnel.Periods), new(funnel.Series), new(funnel.PeriodStep), new(funnel.Volume))
}

// TestZeroErrors checks the errors of the methods whose zero receiver or
// argument cannot give a result: each names the method and wraps
// kpi.ErrInvalid.
func TestZeroErrors(t *testing.T) {
	var c funnel.Counter
	var f funnel.Funnel
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"Counter.Add", func() error { return c.Add(funnel.Event{}) }, "funnel.Counter.Add: Counter zero value: use funnel.NewCounter"},
		{"Counter.AddAll", func() error { return c.AddAll(nil) }, "funnel.Counter.AddAll: Counter zero value: use funnel.NewCounter"},
		{"Counter.AddSorted", func() error { return c.AddSorted(nil) }, "funnel.Counter.AddSorted: Counter zero value: use funnel.NewCounter"},
		{"Counter.Merge", func() error { return c.Merge(&funnel.Counter{}) }, "funnel.Counter.Merge: Counter zero value: use funnel.NewCounter"},
		{"Counter.Result", func() error { _, err := c.Result(); return err }, "funnel.Counter.Result: Counter zero value: use funnel.NewCounter"},
		{"Counter.MarshalBinary", func() error { _, err := c.MarshalBinary(); return err }, "funnel.Counter.MarshalBinary: Counter zero value: use funnel.NewCounter"},
		{"Counter.UnmarshalBinary", func() error { return c.UnmarshalBinary(nil) }, "funnel.Counter.UnmarshalBinary: data 0 bytes: byte 0: 0 bytes: too short for a header"},
		{"Funnel.Model", func() error { _, err := f.Model(decimal.NewFromInt(1)); return err }, "funnel.Funnel.Model: Funnel zero value: use funnel.New"},
		{"Funnel.WriteTo", func() error { _, err := f.WriteTo(nil); return err }, "funnel.Funnel.WriteTo: w <nil>: nil writer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			assert.EqualError(t, err, tt.want)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
		})
	}
}
