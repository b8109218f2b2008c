package kpi_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

func TestNewRate(t *testing.T) {
	cases := []struct {
		name       string
		s, n       int64
		value      float64 // by hand: s/n
		str        string
		noTrials   bool
		successes  int64
		trialCount int64
	}{
		{"leads to MQL", 96, 240, 0.4, "96/240 (40.00%)", false, 96, 240},
		{"won of opportunities", 6, 25, 0.24, "6/25 (24.00%)", false, 6, 25},
		{"none", 0, 7, 0, "0/7 (0.00%)", false, 0, 7},
		{"all", 7, 7, 1, "7/7 (100.00%)", false, 7, 7},
		{"a third", 1, 3, 1.0 / 3, "1/3 (33.33%)", false, 1, 3},
		{"no trials", 0, 0, 0, "0/0 (undefined)", true, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := kpi.NewRate(c.s, c.n)
			require.NoError(t, err)
			assert.Equal(t, c.successes, r.Successes())
			assert.Equal(t, c.trialCount, r.Trials())
			assert.Equal(t, c.str, r.String())
			v, err := r.Value()
			if c.noTrials {
				assert.ErrorIs(t, err, kpi.ErrUndefined)
				assert.EqualError(t, err, "kpi.Rate.Value: trials 0: a rate with no trials has no value")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.value, v)
		})
	}
}

func TestNewRateErrors(t *testing.T) {
	cases := []struct {
		name string
		s, n int64
		msg  string
	}{
		{"negative successes", -1, 10, "kpi.NewRate: successes -1: negative count"},
		{"negative trials", 0, -5, "kpi.NewRate: trials -5: negative count"},
		{"both negative", -2, -1, "kpi.NewRate: trials -1: negative count"},
		{"successes above trials", 12, 10, "kpi.NewRate: successes 12: exceeds trials 10"},
		{"successes without trials", 1, 0, "kpi.NewRate: successes 1: exceeds trials 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := kpi.NewRate(c.s, c.n)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, c.msg)
			assert.Equal(t, kpi.Rate{}, r)
		})
	}
}

func TestError(t *testing.T) {
	longClass := errors.New(strings.Repeat("e", 300))
	cases := []struct {
		name  string
		err   *kpi.Error
		msg   string
		class error
	}{
		{"with reason", &kpi.Error{Func: "funnel.New", Arg: `stage "SQL" count`, Value: 120, Reason: `exceeds "MQL" count 96`, Err: kpi.ErrInvalid},
			`funnel.New: stage "SQL" count 120: exceeds "MQL" count 96`, kpi.ErrInvalid},
		{"reason from class", &kpi.Error{Func: "kpi.Rate.Value", Arg: "trials", Value: 0, Err: kpi.ErrUndefined},
			"kpi.Rate.Value: trials 0: undefined", kpi.ErrUndefined},
		{"no class", &kpi.Error{Func: "f", Arg: "x", Value: "y"}, "f: x y: ", nil},
		// Issue 13's probe: a 10 MB value made a 10 MB message. 96 bytes
		// are kept, then "…" and the length.
		{"10 MB value", &kpi.Error{Func: "f", Arg: "x", Value: strings.Repeat("a", 10<<20), Reason: "bad", Err: kpi.ErrInvalid},
			"f: x " + strings.Repeat("a", 96) + "… (10485760 bytes): bad", kpi.ErrInvalid},
		{"97 bytes", &kpi.Error{Func: "f", Arg: "x", Value: strings.Repeat("b", 97), Reason: "bad"},
			"f: x " + strings.Repeat("b", 96) + "… (97 bytes): bad", nil},
		{"96 bytes kept whole", &kpi.Error{Func: "f", Arg: "x", Value: strings.Repeat("b", 96), Reason: "bad"},
			"f: x " + strings.Repeat("b", 96) + ": bad", nil},
		// 95 bytes then a 3-byte "€" across the cut: the cut moves back to 95.
		{"cut at a character boundary", &kpi.Error{Func: "f", Arg: "x", Value: strings.Repeat("c", 95) + "€€", Reason: "bad"},
			"f: x " + strings.Repeat("c", 95) + "… (101 bytes): bad", nil},
		{"a long argument", &kpi.Error{Func: "f", Arg: strings.Repeat("not.", 30), Value: 1, Reason: "bad"},
			"f: " + strings.Repeat("not.", 24) + "… (120 bytes) 1: bad", nil},
		// The fuzzing of issue 13 found a decode error of 5 000 bytes: the
		// reason was encoding/json's own message, which names an unknown
		// key whole. 256 bytes of a reason are kept.
		{"a long reason", &kpi.Error{Func: "f", Arg: "JSON", Value: "document", Reason: `json: unknown field "` + strings.Repeat("k", 5000) + `"`},
			`f: JSON document: json: unknown field "` + strings.Repeat("k", 235) + "… (5022 bytes)", nil},
		{"256 bytes of reason kept whole", &kpi.Error{Func: "f", Arg: "x", Value: 1, Reason: strings.Repeat("r", 256)},
			"f: x 1: " + strings.Repeat("r", 256), nil},
		{"a long class text", &kpi.Error{Func: "f", Arg: "x", Value: 1, Err: longClass},
			"f: x 1: " + strings.Repeat("e", 256) + "… (300 bytes)", longClass},
		{"a long slice", &kpi.Error{Func: "f", Arg: "w", Value: make([]float64, 1000), Reason: "bad"},
			"f: w [" + strings.Repeat("0 ", 47) + "0… (2001 bytes): bad", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.msg, c.err.Error())
			assert.Equal(t, c.class, c.err.Unwrap())
		})
	}
}
