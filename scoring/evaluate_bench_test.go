package scoring_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/kpiflow/kpi/scoring"
)

// benchScores returns n distinct-ish scores and outcomes drawn so that
// higher scores convert more often (AUC about 0.75).
func benchScores(n int) ([]float64, []bool) {
	rng := rand.New(rand.NewPCG(7, 11))
	s := make([]float64, n)
	y := make([]bool, n)
	for i := range s {
		s[i] = rng.Float64()
		y[i] = rng.Float64() < s[i]*s[i]
	}
	return s, y
}

// BenchmarkEvaluate measures the target: AUC, KS and the decile
// table of 10 million scores (one sort of each class, no per-lead
// allocation; target ≤ 2 s on one core).
func BenchmarkEvaluate(b *testing.B) {
	for _, n := range []int{1e6, 1e7} {
		s, y := benchScores(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e, err := scoring.Evaluate(s, y)
				if err != nil {
					b.Fatal(err)
				}
				auc := e.AUC()
				ks, _ := e.KS()
				g, err := e.Gains(10)
				if err != nil || math.IsNaN(auc+ks+g[0].Lift) {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLearn measures the target: fitting 20 rules over 1
// million leads (≤ 5 s), scoring included. The leads are generated as
// they stream, reusing one attribute map.
func BenchmarkLearn(b *testing.B) {
	const rules, n = 20, 1_000_000
	names := make([]string, rules)
	var rs []scoring.Rule
	for j := range names {
		names[j] = fmt.Sprintf("r%02d", j)
		rs = append(rs, scoring.Rule{ID: names[j], Points: float64(5 + j), When: &scoring.Condition{Attr: names[j], Op: scoring.Eq, Value: true}})
	}
	s, err := scoring.Compile(scoring.Model{Version: scoring.Version, Groups: []scoring.Group{{Name: "g", Rules: rs}}})
	if err != nil {
		b.Fatal(err)
	}
	beta := make([]float64, rules)
	for j := range beta {
		beta[j] = float64(j%7-3) / 4
	}
	leads := func(yield func(scoring.Outcome) bool) {
		rng := rand.New(rand.NewPCG(3, 5))
		attrs := make(map[string]any, rules)
		o := scoring.Outcome{Lead: scoring.Lead{Attrs: attrs}, At: benchAt}
		for range n {
			eta := -2.0
			for j, name := range names {
				on := rng.Float64() < 0.3
				attrs[name] = on
				if on {
					eta += beta[j]
				}
			}
			o.Converted = rng.Float64() < 1/(1+math.Exp(-eta))
			if !yield(o) {
				return
			}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scoring.Learn(s, leads, 1e-4); err != nil {
			b.Fatal(err)
		}
	}
}
