package funnel_test

import (
	"errors"
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

var slaSix = funnel.Targets{"Lead": 0.025, "MQL": 0.4, "SQL": 0.5, "Opportunity": 0.6, "Won": 0.25}

func TestCheck(t *testing.T) {
	type want struct {
		to      string
		verdict funnel.Verdict
		p       float64
	}
	// The p-values are R 4.x's binom.test(x, n, target, alternative = "less")$p.value.
	tests := []struct {
		name       string
		f          *funnel.Funnel
		targets    funnel.Targets
		confidence float64
		want       []want
	}{
		{"b2b month at 95%", counts(t, six, 12000, 240, 96, 40, 25, 6), slaSix, 0.95, []want{
			{"Lead", funnel.BelowConfident, 0.00016412522059628076}, // binom.test(240, 12000, 0.025)
			{"MQL", funnel.Met, 0.52799795496487723},                // 96/240 is exactly 0.4: met
			{"SQL", funnel.Below, 0.062672848594246336},             // binom.test(40, 96, 0.5)
			{"Opportunity", funnel.Met, 0.68257483976096511},        // binom.test(25, 40, 0.6)
			{"Won", funnel.Below, 0.56109805408070923},              // binom.test(6, 25, 0.25)
		}},
		{"b2b month at 90%: SQL shortfall now confident", counts(t, six, 12000, 240, 96, 40, 25, 6), funnel.Targets{"SQL": 0.5}, 0.90, []want{
			{"SQL", funnel.BelowConfident, 0.062672848594246336},
		}},
		{"too few to say", counts(t, three, 3, 1, 1), funnel.Targets{"MQL": 0.5}, 0.95, []want{
			// binom.test(1, 3, 0.5, "less") = 0.5; even 0 of 3 gives 0.5³ = 0.125 ≥ 0.05.
			{"MQL", funnel.TooLittleData, 0.5},
		}},
		{"zero of twenty against 10%", counts(t, three, 20, 0, 0), funnel.Targets{"MQL": 0.1, "SQL": 0.5}, 0.95, []want{
			// binom.test(0, 20, 0.1, "less") = 0.9^20 = 0.12157665459056929 ≥ 0.05: no outcome could show it.
			{"MQL", funnel.TooLittleData, 0.12157665459056929},
			// no trials at MQL→SQL
			{"SQL", funnel.TooLittleData, 1},
		}},
		{"30 of 100 against 40%", counts(t, three, 100, 30, 30), funnel.Targets{"MQL": 0.4, "SQL": 1}, 0.95, []want{
			{"MQL", funnel.BelowConfident, 0.024782823116492977}, // binom.test(30, 100, 0.4, "less")
			{"SQL", funnel.Met, 1},                               // 30/30 meets a target of 1
		}},
		{"30 of 100 against 40% at 99%", counts(t, three, 100, 30, 29), funnel.Targets{"MQL": 0.4, "SQL": 1}, 0.99, []want{
			{"MQL", funnel.Below, 0.024782823116492977},
			{"SQL", funnel.BelowConfident, 0}, // one failure refutes a rate of 1: P(X ≤ 29 | p = 1) = 0
		}},
		{"no targets", counts(t, three, 100, 30, 29), funnel.Targets{}, 0.95, []want{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checks, err := tc.f.Check(tc.targets, tc.confidence)
			require.NoError(t, err)
			require.Len(t, checks, len(tc.want))
			for i, w := range tc.want {
				c := checks[i]
				assert.Equal(t, w.to, c.Step.To)
				assert.Equal(t, tc.targets[w.to], c.Target)
				assert.Equal(t, w.verdict, c.Verdict, "verdict of %s", w.to)
				if w.p == 0 {
					assert.Zero(t, c.P)
				} else {
					assert.InEpsilon(t, w.p, c.P, 1e-9)
				}
			}
		})
	}
}

func TestCheckErrors(t *testing.T) {
	f := counts(t, three, 240, 96, 40)
	tests := []struct {
		name       string
		targets    funnel.Targets
		confidence float64
		msg        string
	}{
		{"unknown stage", funnel.Targets{"Won": 0.2}, 0.95, `funnel.Funnel.Check: target "Won" 0.2: the funnel has no such stage`},
		{"first stage", funnel.Targets{"Lead": 0.2}, 0.95, `funnel.Funnel.Check: target "Lead" 0.2: the first stage has no step into it`},
		{"NaN target", funnel.Targets{"MQL": math.NaN()}, 0.95, `funnel.Funnel.Check: target "MQL" NaN: must lie in (0, 1]`},
		{"infinite target", funnel.Targets{"SQL": math.Inf(1)}, 0.95, `funnel.Funnel.Check: target "SQL" +Inf: must lie in (0, 1]`},
		{"zero target", funnel.Targets{"SQL": 0}, 0.95, `funnel.Funnel.Check: target "SQL" 0: must lie in (0, 1]`},
		{"target above 1", funnel.Targets{"SQL": 1.5}, 0.95, `funnel.Funnel.Check: target "SQL" 1.5: must lie in (0, 1]`},
		{"first bad target in name order", funnel.Targets{"SQL": -1, "MQL": 2}, 0.95, `funnel.Funnel.Check: target "MQL" 2: must lie in (0, 1]`},
		{"confidence 1", funnel.Targets{"SQL": 0.5}, 1, "funnel.Funnel.Check: confidence 1: must lie in (0, 1)"},
		{"confidence NaN", funnel.Targets{"SQL": 0.5}, math.NaN(), "funnel.Funnel.Check: confidence NaN: must lie in (0, 1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checks, err := f.Check(tc.targets, tc.confidence)
			assert.Nil(t, checks)
			assert.EqualError(t, err, tc.msg)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			_, err = f.Bottlenecks(tc.targets, tc.confidence)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
		})
	}
}

func TestVerdict_String(t *testing.T) {
	tests := []struct {
		name string
		v    funnel.Verdict
		want string
	}{
		{"zero", 0, "too little data"},
		{"met", funnel.Met, "met"},
		{"below", funnel.Below, "below"},
		{"confident", funnel.BelowConfident, "below (confident)"},
		{"unknown", funnel.Verdict(7), "Verdict(7)"},
		{"negative", funnel.Verdict(-1), "Verdict(-1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.v.String())
		})
	}
}

func TestBottlenecks(t *testing.T) {
	type want struct {
		to        string
		gain      float64
		estimated bool
	}
	tests := []struct {
		name    string
		f       *funnel.Funnel
		targets funnel.Targets
		want    []want
	}{
		// By hand, with the rates of the later steps 96/240 · 40/96 · 25/40 · 6/25 = 6/240 from Lead:
		//   Lead: (0.025 − 0.02)·12000 = 60 more leads · 6/240        = 1.5 deals
		//   SQL:  (0.5 − 40/96)·96     = 8 more SQLs   · 25/40 · 6/25 = 1.2 deals
		//   Won:  (0.25 − 0.24)·25                                    = 0.25 deals
		// MQL and Opportunity meet their targets.
		{"b2b month", counts(t, six, 12000, 240, 96, 40, 25, 6), slaSix, []want{
			{"Lead", 1.5, true}, {"SQL", 1.2, true}, {"Won", 0.25, true},
		}},
		// The last step alone: (0.5 − 0.4)·10 = 1.
		{"last step", counts(t, three, 20, 10, 4), funnel.Targets{"SQL": 0.5, "MQL": 0.4}, []want{{"SQL", 1, true}}},
		// 0 of 100 leads qualify, so nothing says how extra MQLs would
		// convert to SQL: the MQL gain is unknown and ranks last; the SQL
		// step has no trials and cannot be below its target.
		{"runs dry", counts(t, []string{"Visit", "Lead", "MQL", "SQL"}, 1000, 100, 0, 0),
			funnel.Targets{"Lead": 0.2, "MQL": 0.1, "SQL": 0.5}, []want{
				{"Lead", 0, false}, {"MQL", 0, false},
			}},
		{"all met", counts(t, three, 20, 10, 5), funnel.Targets{"MQL": 0.5, "SQL": 0.5}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bs, err := tc.f.Bottlenecks(tc.targets, 0.95)
			require.NoError(t, err)
			require.Len(t, bs, len(tc.want))
			for i, w := range tc.want {
				assert.Equal(t, w.to, bs[i].Step.To)
				assert.InDelta(t, w.gain, bs[i].Gain, 1e-12)
				assert.Equal(t, w.estimated, bs[i].Estimated)
				assert.NotEqual(t, funnel.Met, bs[i].Verdict)
			}
		})
	}
}

func TestBottleneck_Revenue(t *testing.T) {
	tests := []struct {
		name string
		gain float64
		deal string
		want string
	}{
		{"whole units", 1.5, "24000", "36000"},
		{"rounds to whole units", 1.5, "18333", "27500"},       // 27499.5 rounds half away from zero
		{"rounds to cents", 1.5, "18333.33", "27500.00"},       // 27499.995 → 27500.00
		{"cents kept", 0.25, "1000.10", "250.03"},              // 250.025 → 250.03
		{"a third of a deal", 1.0 / 3, "30000.00", "10000.00"}, // 0.3333333333333333·30000 = 9999.999999999999
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := funnel.Bottleneck{Gain: tc.gain, Estimated: true}
			got, err := b.Revenue(decimal.RequireFromString(tc.deal))
			require.NoError(t, err)
			want := decimal.RequireFromString(tc.want)
			assert.True(t, got.Equal(want), "got %v, want %v", got, want)
		})
	}
}

func TestBottleneck_RevenueErrors(t *testing.T) {
	tests := []struct {
		name  string
		b     funnel.Bottleneck
		deal  decimal.Decimal
		class error
		msg   string
	}{
		{"zero deal size", funnel.Bottleneck{Gain: 1, Estimated: true}, decimal.Zero, kpi.ErrInvalid,
			"funnel.Bottleneck.Revenue: deal size 0: must be > 0"},
		{"negative deal size", funnel.Bottleneck{Gain: 1, Estimated: true}, decimal.NewFromInt(-5), kpi.ErrInvalid,
			"funnel.Bottleneck.Revenue: deal size -5: must be > 0"},
		{"gain unknown", funnel.Bottleneck{Check: funnel.Check{Step: funnel.Step{From: "Lead", To: "MQL"}}}, decimal.NewFromInt(5), kpi.ErrUndefined,
			`funnel.Bottleneck.Revenue: step "Lead→MQL" gain 0: not estimated: a later step has no trials`},
		{"deal size 1e2147483647", funnel.Bottleneck{Gain: 1, Estimated: true}, decimal.New(1, math.MaxInt32), kpi.ErrInvalid,
			"funnel.Bottleneck.Revenue: deal size 1e2147483647: more than 30 digits before the point"},
		{"NaN gain built by hand", funnel.Bottleneck{Gain: math.NaN(), Estimated: true, Check: funnel.Check{Step: funnel.Step{From: "Lead", To: "MQL"}}}, decimal.NewFromInt(5), kpi.ErrInvalid,
			`funnel.Bottleneck.Revenue: step "Lead→MQL" gain NaN: must be finite`},
		// Probes: a gain of 10⁶ deals of 10²⁵ is 10³¹, beyond the bound on
		// money; a negative gain, which Bottlenecks never gives.
		{"revenue beyond the bound", funnel.Bottleneck{Gain: 1e6, Estimated: true}, decimal.New(1, 25), kpi.ErrInvalid,
			"funnel.Bottleneck.Revenue: revenue 10000000000000000000000000000000: more than 30 digits before the point"},
		{"negative gain built by hand", funnel.Bottleneck{Gain: -5, Estimated: true, Check: funnel.Check{Step: funnel.Step{From: "Lead", To: "MQL"}}}, decimal.NewFromInt(5), kpi.ErrInvalid,
			`funnel.Bottleneck.Revenue: step "Lead→MQL" gain -5: must be ≥ 0`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.b.Revenue(tc.deal)
			assert.True(t, got.IsZero())
			assert.EqualError(t, err, tc.msg)
			assert.ErrorIs(t, err, tc.class)
		})
	}
}

// FuzzCheck checks funnels against arbitrary targets and confidence levels:
// Check and Bottlenecks must fail with ErrInvalid or return verdicts and
// p-values that make sense, never NaN.
func FuzzCheck(f *testing.F) {
	f.Add(int64(12000), int64(240), int64(96), 0.025, 0.4, 0.95)
	f.Add(int64(3), int64(1), int64(0), 0.5, 1.0, 0.95)
	f.Add(int64(0), int64(0), int64(0), 0.5, 0.5, 0.5)
	f.Add(int64(10), int64(0), int64(0), 0.1, 0.5, 0.99)
	f.Add(int64(10), int64(5), int64(5), math.NaN(), math.Inf(-1), 1.0)
	f.Add(int64(1<<40), int64(1<<39), int64(1), 0.9, 1e-300, 0.999999)
	// Found by fuzzing: kpi.Rate.Test gave P(X ≤ x) = 44.2 at 1.1·10¹² trials.
	f.Add(int64(1099511627792), int64(549755813856), int64(4), 0.5, 0.52, 0.999999)
	f.Fuzz(func(t *testing.T, c0, c1, c2 int64, t1, t2, confidence float64) {
		fn, err := funnel.New(funnel.Stage{"Lead", c0}, funnel.Stage{"MQL", c1}, funnel.Stage{"SQL", c2})
		if err != nil {
			return
		}
		targets := funnel.Targets{"MQL": t1, "SQL": t2}
		checks, err := fn.Check(targets, confidence)
		if err != nil {
			if !errors.Is(err, kpi.ErrInvalid) && !errors.Is(err, kpi.ErrUndefined) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		for _, c := range checks {
			if !(c.P >= 0 && c.P <= 1) || c.Verdict.String() == "" {
				t.Fatalf("check %+v", c)
			}
		}
		bs, err := fn.Bottlenecks(targets, confidence)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bs {
			if math.IsNaN(b.Gain) || math.IsInf(b.Gain, 0) || b.Gain < 0 {
				t.Fatalf("bottleneck %+v", b)
			}
		}
	})
}
