package kpi_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

// TestAlternativeText round-trips every alternative through its name.
func TestAlternativeText(t *testing.T) {
	tests := []struct {
		a    kpi.Alternative
		want string
	}{
		{kpi.TwoSided, "TwoSided"}, {kpi.Less, "Less"}, {kpi.Greater, "Greater"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			got, err := tc.a.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
			var back kpi.Alternative
			require.NoError(t, back.UnmarshalText(got))
			assert.Equal(t, tc.a, back)
		})
	}
}

// TestAdjustmentText round-trips every adjustment through its name.
func TestAdjustmentText(t *testing.T) {
	tests := []struct {
		a    kpi.Adjustment
		want string
	}{
		{kpi.Holm, "Holm"}, {kpi.Bonferroni, "Bonferroni"}, {kpi.Hochberg, "Hochberg"}, {kpi.Hommel, "Hommel"},
		{kpi.BenjaminiHochberg, "BenjaminiHochberg"}, {kpi.BenjaminiYekutieli, "BenjaminiYekutieli"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			got, err := tc.a.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
			var back kpi.Adjustment
			require.NoError(t, back.UnmarshalText(got))
			assert.Equal(t, tc.a, back)
		})
	}
}

func TestTextErrors(t *testing.T) {
	tests := []struct {
		name string
		run  func() error
		msg  string
	}{
		{"marshal alternative", func() error { _, err := kpi.Alternative(4).MarshalText(); return err }, "kpi.Alternative.MarshalText: alternative Alternative(4): unknown alternative"},
		{"unmarshal alternative", func() error { var a kpi.Alternative; return a.UnmarshalText([]byte("greater")) }, `kpi.Alternative.UnmarshalText: alternative "greater": unknown alternative`},
		{"marshal adjustment", func() error { _, err := kpi.Adjustment(-2).MarshalText(); return err }, "kpi.Adjustment.MarshalText: adjustment -2: unknown adjustment"},
		{"unmarshal adjustment", func() error { var a kpi.Adjustment; return a.UnmarshalText([]byte("BH")) }, `kpi.Adjustment.UnmarshalText: adjustment "BH": unknown adjustment`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
		})
	}
}

// An Alternative reads in JSON as its name.
func ExampleAlternative_MarshalText() {
	b, _ := json.Marshal(struct {
		Alternative kpi.Alternative `json:"alternative"`
	}{kpi.Greater})
	fmt.Println(string(b))
	// Output: {"alternative":"Greater"}
}

// An Alternative is read back from its name; other text is an error.
func ExampleAlternative_UnmarshalText() {
	var a kpi.Alternative
	fmt.Println(a.UnmarshalText([]byte("Less")), a)
	// Output: <nil> Less
}

// An Adjustment reads in JSON as its name.
func ExampleAdjustment_MarshalText() {
	b, _ := json.Marshal([]kpi.Adjustment{kpi.Holm, kpi.BenjaminiHochberg})
	fmt.Println(string(b))
	// Output: ["Holm","BenjaminiHochberg"]
}

// An Adjustment is read back from its name, as a JSON string here.
func ExampleAdjustment_UnmarshalText() {
	var a kpi.Adjustment
	err := json.Unmarshal([]byte(`"Hommel"`), &a)
	fmt.Println(err, a)
	// Output: <nil> Hommel
}
