package clv_test

import (
	"testing"

	"github.com/kpiflow/kpi/cohort/clv"
)

// BenchmarkEstimateBGNBD fits the BG/NBD model to the 100,000 customers of
// BenchmarkFitBGNBD and computes the standard errors of the fit. The
// issue's target: the standard errors cost at most twice the fit, so this
// benchmark at most three times BenchmarkFitBGNBD.
func BenchmarkEstimateBGNBD(b *testing.B) {
	cs := simulate(bgParams{r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}, 100_000, weeks(), 0, 1.0/7, 9)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := clv.EstimateBGNBD(cs); err != nil {
			b.Fatal(err)
		}
	}
}
