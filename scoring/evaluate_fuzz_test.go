package scoring_test

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/scoring"
)

// fuzzLeads turns bytes into scores and outcomes: 9 bytes a lead, a
// float64's bits and an outcome bit. Small integers make ties likely.
func fuzzLeads(data []byte) ([]float64, []bool) {
	var s []float64
	var y []bool
	for len(data) >= 9 {
		v := math.Float64frombits(binary.LittleEndian.Uint64(data))
		if data[8]&2 != 0 {
			v = float64(data[0] % 8) // a small integer score
		}
		s = append(s, v)
		y = append(y, data[8]&1 == 1)
		data = data[9:]
	}
	return s, y
}

// FuzzEvaluate evaluates arbitrary scores and outcomes: Evaluate either
// fails with a kpi error or every measure is finite and in range, AUC
// agrees with a count over all pairs, and tables add up.
func FuzzEvaluate(f *testing.F) {
	lead := func(v float64, flags byte) []byte {
		b := binary.LittleEndian.AppendUint64(nil, math.Float64bits(v))
		return append(b, flags)
	}
	join := func(bs ...[]byte) []byte {
		var out []byte
		for _, b := range bs {
			out = append(out, b...)
		}
		return out
	}
	f.Add(join(lead(0.1, 0), lead(0.4, 0), lead(0.35, 1), lead(0.8, 1)))
	f.Add(join(lead(0, 3), lead(0, 2), lead(1, 3), lead(9, 2), lead(9, 3)))
	f.Add(join(lead(math.NaN(), 1), lead(1, 0)))
	f.Add(join(lead(math.Inf(-1), 1), lead(1, 0)))
	f.Add(join(lead(math.Copysign(0, -1), 1), lead(0, 0), lead(1e308, 1), lead(-1e308, 0)))
	f.Add(join(lead(5, 1), lead(5, 1)))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		s, y := fuzzLeads(data)
		e, err := scoring.Evaluate(s, y)
		if err != nil {
			if _, ok := err.(*kpi.Error); !ok {
				t.Fatalf("error %v is not a *kpi.Error", err)
			}
			return
		}
		n, np := e.Leads()
		// AUC over all pairs, ties half.
		var u float64
		for i := range s {
			for j := range s {
				if y[i] && !y[j] {
					switch {
					case s[i] > s[j]:
						u++
					case s[i] == s[j]:
						u += 0.5
					}
				}
			}
		}
		if want := u / float64(np*(n-np)); math.Abs(e.AUC()-want) > 1e-12 {
			t.Fatalf("AUC %v, pairs give %v", e.AUC(), want)
		}
		ks, _ := e.KS()
		for _, v := range []float64{e.Gini() + 1, ks, e.AveragePrecision()} {
			if !(v >= 0 && v <= 2) {
				t.Fatalf("measure %v out of range", v)
			}
		}
		g, err := e.Gains(int(min(n, 10)))
		if err != nil {
			t.Fatal(err)
		}
		var conv float64
		for _, x := range g {
			conv += x.Converted
			if !(x.Converted >= -1e-9 && x.Converted <= float64(x.Leads)+1e-9) || x.MinScore > x.MaxScore {
				t.Fatalf("group %+v", x)
			}
		}
		if math.Abs(conv-float64(np)) > 1e-6 {
			t.Fatalf("gains add to %v, want %d", conv, np)
		}
		bands, err := e.QuantileBands(int(min(n, 4)), kpi.Wilson, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		var bn, bs int64
		for _, b := range bands {
			bn += b.Rate.Trials()
			bs += b.Rate.Successes()
			if b.Rate.Trials() == 0 && len(bands) > 1 {
				t.Fatalf("empty quantile band %+v", b)
			}
		}
		if bn != n || bs != np {
			t.Fatalf("bands hold %d/%d, want %d/%d", bs, bn, np, n)
		}
		for _, k := range []int64{0, 1, n / 2, n} {
			c, err := e.Capacity(k)
			if err != nil {
				t.Fatal(err)
			}
			if sel := c.TP + c.FP; sel < k || sel-c.Tied >= max(k, 1) {
				t.Fatalf("capacity %d: %+v", k, c)
			}
		}
		if c := e.Youden(); c.TP+c.FN != np {
			t.Fatalf("Youden %+v", c)
		}
		c13, err := e.MinCost(1, 3)
		if err != nil {
			t.Fatal(err)
		}
		// Only the ratio of the costs matters, however large they are.
		if big, err := e.MinCost(math.Ldexp(1, 1020), math.Ldexp(3, 1020)); err != nil || big != c13 {
			t.Fatalf("MinCost at 1:3 gives %+v, at 2¹⁰²⁰:3·2¹⁰²⁰ %+v (%v)", c13, big, err)
		}
		c11, err := e.MinCost(1, 1)
		if big, err2 := e.MinCost(math.Ldexp(1, 1023), math.Ldexp(1, 1023)); err != nil || err2 != nil || big != c11 {
			t.Fatalf("MinCost at 1:1 gives %+v, at 2¹⁰²³:2¹⁰²³ %+v (%v, %v)", c11, big, err, err2)
		}
		// The scores as probabilities, when they are.
		if b, err := scoring.Brier(s, y); err == nil && !(b >= 0 && b <= 1) {
			t.Fatalf("Brier %v", b)
		}
		if cal, err := scoring.Reliability(s, y, 5); err == nil {
			var m int64
			for _, c := range cal {
				m += c.Rate.Trials()
			}
			if m != n {
				t.Fatalf("reliability holds %d of %d", m, n)
			}
		}
	})
}
