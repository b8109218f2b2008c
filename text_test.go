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

// TestSizingText round-trips every sizing through its name.
func TestSizingText(t *testing.T) {
	tests := []struct {
		s    kpi.Sizing
		want string
	}{
		{kpi.Normal, "Normal"}, {kpi.Arcsine, "Arcsine"}, {kpi.Exact, "Exact"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			got, err := tc.s.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
			var back kpi.Sizing
			require.NoError(t, back.UnmarshalText(got))
			assert.Equal(t, tc.s, back)
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
		{"marshal sizing", func() error { _, err := kpi.Sizing(5).MarshalText(); return err }, "kpi.Sizing.MarshalText: sizing 5: unknown sizing"},
		{"unmarshal sizing", func() error { var s kpi.Sizing; return s.UnmarshalText([]byte("exact")) }, `kpi.Sizing.UnmarshalText: sizing "exact": unknown sizing`},
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

// A Design in JSON, with its alternative and sizing by name.
func ExampleSizing_MarshalText() {
	b, _ := json.Marshal(kpi.Design{Alpha: 0.05, Power: 0.8, Alternative: kpi.Less, Sizing: kpi.Exact})
	fmt.Println(string(b))
	// Output: {"alpha":0.05,"power":0.8,"alternative":"Less","sizing":"Exact"}
}

// A Sizing is read back from its name.
func ExampleSizing_UnmarshalText() {
	var d kpi.Design
	err := json.Unmarshal([]byte(`{"alpha":0.05,"power":0.9,"sizing":"Arcsine"}`), &d)
	fmt.Println(err, d.Sizing, d.Power)
	// Output: <nil> Arcsine 0.9
}
