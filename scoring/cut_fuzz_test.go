package scoring_test

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/scoring"
)

// checkMeasure fails t unless a Cut measure is a share in [0, 1], or its
// error wraps kpi.ErrInvalid exactly when a count is negative, or
// kpi.ErrUndefined exactly when its denominator is 0.
func checkMeasure(t *testing.T, name string, v float64, err error, negative, zero bool) {
	t.Helper()
	switch {
	case negative:
		if !errors.Is(err, kpi.ErrInvalid) {
			t.Fatalf("%s of a negative count: %v, %v", name, v, err)
		}
	case zero:
		if !errors.Is(err, kpi.ErrUndefined) {
			t.Fatalf("%s with a zero denominator: %v, %v", name, v, err)
		}
	case err != nil:
		t.Fatalf("%s: %v", name, err)
	case !(v >= 0 && v <= 1):
		t.Fatalf("%s %v outside [0, 1]", name, v)
	}
}

// checkCut checks Precision, Recall and F1 of c against their
// definitions: shares in [0, 1], never NaN, F1 the harmonic mean of the
// other two when both are defined, and the errors of checkMeasure.
func checkCut(t *testing.T, c scoring.Cut) {
	t.Helper()
	neg := c.TP < 0 || c.FP < 0 || c.FN < 0 || c.TN < 0
	p, errP := c.Precision()
	checkMeasure(t, "precision", p, errP, neg, c.TP == 0 && c.FP == 0)
	r, errR := c.Recall()
	checkMeasure(t, "recall", r, errR, neg, c.TP == 0 && c.FN == 0)
	f1, errF := c.F1()
	checkMeasure(t, "F1", f1, errF, neg, c.TP == 0 && c.FP == 0 && c.FN == 0)
	if errP == nil && errR == nil && p+r > 0 {
		if want := 2 * p * r / (p + r); math.Abs(f1-want) > 1e-12 {
			t.Fatalf("F1 %v of %+v, harmonic mean of %v and %v is %v", f1, c, p, r, want)
		}
	}
}

// FuzzCut evaluates leads decoded from bytes (as FuzzEvaluate does) and
// cuts them at a threshold from the fuzzer with Evaluation.At, then
// measures that cut and one built by hand from four counts (any int64,
// negative and near 2⁶³ among them). At fails, wrapping kpi.ErrInvalid,
// exactly for a NaN threshold; otherwise its cut is a count over the
// leads (TP + FP the leads scoring ≥ t, Tied those scoring exactly t, TP
// + FN the converted leads), and a higher threshold selects no more
// leads. Precision, Recall and F1 of either cut are shares in [0, 1] or
// the documented errors, never NaN.
func FuzzCut(f *testing.F) {
	lead := func(v float64, flags byte) []byte {
		return append(binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)), flags)
	}
	leads := slices.Concat(lead(0.1, 0), lead(0.4, 0), lead(0.35, 1), lead(0.8, 1), lead(0.4, 1))
	f.Add(leads, 0.4, int64(3), int64(1), int64(1), int64(5))
	f.Add(leads, math.Inf(1), int64(0), int64(0), int64(0), int64(0))
	f.Add(leads, math.Inf(-1), int64(0), int64(0), int64(7), int64(0))
	f.Add(leads, math.NaN(), int64(-1), int64(0), int64(0), int64(0))
	f.Add(leads, 1e-17, int64(math.MaxInt64), int64(1), int64(0), int64(0))
	f.Add(leads, 1e17, int64(math.MaxInt64), int64(math.MaxInt64), int64(math.MaxInt64), int64(math.MaxInt64))
	f.Add(leads, 0.0, int64(1)<<62, int64(math.MaxInt64), int64(1), int64(0))
	f.Add(leads, math.Copysign(0, -1), int64(0), int64(math.MaxInt64), int64(0), int64(math.MinInt64))
	f.Add(slices.Concat(lead(0, 1), lead(math.Copysign(0, -1), 0)), 0.0, int64(1), int64(0), int64(0), int64(0))
	f.Add([]byte{}, 0.5, int64(1), int64(1), int64(1), int64(1))
	f.Fuzz(func(t *testing.T, data []byte, th float64, tp, fp, fn, tn int64) {
		checkCut(t, scoring.Cut{Threshold: th, TP: tp, FP: fp, FN: fn, TN: tn})
		if len(data) > 9*256 {
			data = data[:9*256]
		}
		s, y := fuzzLeads(data)
		e, err := scoring.Evaluate(s, y)
		if err != nil {
			return // FuzzEvaluate holds Evaluate's errors
		}
		c, err := e.At(th)
		if math.IsNaN(th) {
			if !errors.Is(err, kpi.ErrInvalid) {
				t.Fatalf("At(NaN): %+v, %v", c, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("At(%v): %v", th, err)
		}
		var sel, tied, tps, conv int64
		for i, v := range s {
			if y[i] {
				conv++
			}
			if v >= th {
				sel++
				if y[i] {
					tps++
				}
			}
			if v == th {
				tied++
			}
		}
		n, np := e.Leads()
		if c.TP != tps || c.TP+c.FP != sel || c.Tied != tied || c.TP+c.FN != np || np != conv || c.TP+c.FP+c.FN+c.TN != n {
			t.Fatalf("At(%v) = %+v; counting gives selected %d (%d converted), tied %d, of %d/%d", th, c, sel, tps, tied, conv, n)
		}
		checkCut(t, c)
		if up, err := e.At(math.Nextafter(th, math.Inf(1))); err != nil || up.TP > c.TP || up.FP > c.FP {
			t.Fatalf("a higher threshold selects more: %+v after %+v (%v)", up, c, err)
		}
	})
}

// FuzzFitIntervals fits the three flag rules of FuzzLearn to leads
// decoded from bytes and asks the intervals of the fit, and of a fit
// decoded from JSON the fuzzer writes, at a level from the fuzzer. Either
// Intervals fails — wrapping kpi.ErrInvalid exactly for a level outside
// (0, 1), or kpi.ErrUndefined — or it gives one interval per rule in the
// order of Rules, each finite, containing its estimate (the coefficient,
// the suggested points), with SuggestedSE ≥ 0, and nested in the interval
// at a higher level.
func FuzzFitIntervals(f *testing.F) {
	var signal []byte
	for p := range byte(8) {
		signal = append(signal, p, 0, p|8, 1, p|byte(min(p&5, 1))<<3, 2, p, 3)
	}
	f.Add(signal, []byte(fitDoc), 0.95, 1e-3)
	f.Add(signal, []byte(fitDoc), 0.0, 0.0)
	f.Add(signal, []byte(fitDoc), 1.0, 0.0)
	f.Add(signal, []byte(fitDoc), math.NaN(), 0.0)
	f.Add(signal, []byte(fitDoc), 1e-17, 1e-17)
	f.Add(signal, []byte(fitDoc), 1-1e-16, 1e17)
	f.Add([]byte{1, 0, 9, 0, 2, 0, 10, 0, 0, 0, 8, 0}, []byte(`{"rules":[{"id":"a","fired":1,"coef":0,"se":1,"points":1,"suggested":0}],"leads":2,"converted":1,"covariance":[[1,0],[0,1]],"interceptSE":1}`), 0.9, 0.0)
	f.Add([]byte{}, []byte(`{"rules":[{"id":"a","fired":1,"coef":1e300,"se":1e150,"points":1,"suggested":1}],"leads":2,"converted":1,"covariance":[[1,0],[0,1e300]],"interceptSE":1}`), 0.5, 0.0)
	f.Fuzz(func(t *testing.T, data, doc []byte, level, lambda float64) {
		if len(data) > 256 {
			data = data[:256]
		}
		var fits []*scoring.Fit
		s := flagScorer(t, map[string]float64{"a": 10, "b": 5, "c": 1}, "a", "b", "c")
		if fit, err := scoring.Learn(s, slices.Values(fuzzOutcomes(data)), lambda); err == nil {
			fits = append(fits, fit)
		}
		var dec scoring.Fit
		if len(doc) <= 4096 && json.Unmarshal(doc, &dec) == nil {
			fits = append(fits, &dec)
		}
		for _, fit := range fits {
			ivs, err := fit.Intervals(level)
			if !(level > 0 && level < 1) {
				if !errors.Is(err, kpi.ErrInvalid) {
					t.Fatalf("level %v: %v", level, err)
				}
				continue
			}
			if err != nil {
				wantClass(t, err, kpi.ErrUndefined)
				continue
			}
			higher := 1 - (1-level)/2
			if higher >= 1 {
				higher = level // 1 − 1e-16 has no level above it
			}
			wider, err := fit.Intervals(higher)
			if err != nil {
				t.Fatalf("intervals at %v but not at a higher level: %v", level, err)
			}
			if len(ivs) != len(fit.Rules) {
				t.Fatalf("%d intervals for %d rules", len(ivs), len(fit.Rules))
			}
			for j, iv := range ivs {
				r := fit.Rules[j]
				if iv.ID != r.ID {
					t.Fatalf("interval %d of %q, rule %q", j, iv.ID, r.ID)
				}
				for _, v := range []float64{iv.Coef.Lo, iv.Coef.Hi, iv.Suggested.Lo, iv.Suggested.Hi, iv.SuggestedSE} {
					if math.IsNaN(v) {
						t.Fatalf("rule %s: NaN in %+v", r.ID, iv)
					}
				}
				if !(iv.SuggestedSE >= 0) || !(iv.Coef.Lo <= r.Coef && r.Coef <= iv.Coef.Hi) || !(iv.Suggested.Lo <= r.Suggested && r.Suggested <= iv.Suggested.Hi) {
					t.Fatalf("rule %+v: interval %+v does not contain its estimate", r, iv)
				}
				w := wider[j]
				if !(w.Coef.Lo <= iv.Coef.Lo && iv.Coef.Hi <= w.Coef.Hi && w.Suggested.Lo <= iv.Suggested.Lo && iv.Suggested.Hi <= w.Suggested.Hi) {
					t.Fatalf("rule %s: %+v at %v not inside %+v", r.ID, iv, level, w)
				}
			}
		}
	})
}
