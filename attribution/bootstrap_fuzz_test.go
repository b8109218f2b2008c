package attribution_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

// reversed returns the journeys of CSV data read in the opposite order of
// their lines.
func reversed(data []byte) []byte {
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) < 2 {
		return data
	}
	body := lines[1:]
	for i, j := 0, len(body)-1; i < j; i, j = i+1, j-1 {
		body[i], body[j] = body[j], body[i]
	}
	return []byte(lines[0] + "\n" + strings.Join(body, "\n") + "\n")
}

// sameInterval reports whether two credits' intervals are the same, their
// money ends compared by value.
func sameInterval(a, b *attribution.CreditInterval) bool {
	return a.Conversions == b.Conversions && a.Share == b.Share && a.Removal == b.Removal &&
		a.Value.Lo.Equal(b.Value.Lo) && a.Value.Hi.Equal(b.Value.Hi) && a.Value.Level == b.Value.Level && a.Value.Method == b.Value.Method
}

// FuzzBootstrap bootstraps arbitrary journeys with a few replicates:
// intervals ordered and finite, P(a > b) a probability with
// P(a > b) + P(b > a) = 1, and the same intervals when the journeys come
// in the opposite order; errors are *kpi.Error.
func FuzzBootstrap(f *testing.F) {
	f.Add([]byte(sample), uint8(0), uint64(1))
	f.Add([]byte(chainData), uint8(1), uint64(2))
	f.Add([]byte("path;total_conversions;total_conversion_value;total_null\na > a > b;3;1e3;0\nb;1;0.5;2\n"), uint8(2), uint64(3))
	f.Add([]byte("path;total_conversions;total_null\nx;40;9000000\ny > x;1;1\n"), uint8(3), uint64(4))
	f.Fuzz(func(t *testing.T, data []byte, model uint8, seed uint64) {
		js, err := attribution.Read(bytes.NewReader(data), attribution.Format{})
		if err != nil || js.Len() > 200 || len(js.Channels()) > 12 {
			return
		}
		back, err := attribution.Read(bytes.NewReader(reversed(data)), attribution.Format{})
		if err != nil {
			return // a last line without its newline may read differently
		}
		ms := []attribution.Model{attribution.Markov{}, attribution.Markov{Order: 2, Rules: attribution.ChannelAttribution}, attribution.Linear{}, attribution.Shapley{Method: attribution.Ordered}}
		b := attribution.Bootstrap{Model: ms[int(model)%len(ms)], Replicates: 20, Seed: seed}
		r, err := b.Attribute(js)
		if err != nil {
			var ke *kpi.Error
			if !errors.As(err, &ke) || !(errors.Is(err, kpi.ErrUndefined) || errors.Is(err, kpi.ErrInvalid)) {
				t.Fatalf("error %v is not a *kpi.Error of a known class", err)
			}
			return
		}
		rb, err := b.Attribute(back)
		if err != nil {
			t.Fatalf("reversed journeys: %v", err)
		}
		for k, c := range r.Credits {
			iv := c.Interval
			for _, x := range []kpi.Interval{iv.Conversions, iv.Share, iv.Removal} {
				if math.IsNaN(x.Lo) || math.IsNaN(x.Hi) || x.Lo > x.Hi {
					t.Fatalf("%s: interval %v", c.Channel, x)
				}
			}
			if !sameInterval(iv, rb.Credits[k].Interval) {
				t.Fatalf("%s: %v in one order, %v in the other", c.Channel, *iv, *rb.Credits[k].Interval)
			}
			first := r.Credits[0].Channel
			p, err := r.ProbGreater(c.Channel, first)
			q, err2 := r.ProbGreater(first, c.Channel)
			if err != nil || err2 != nil || p < 0 || p > 1 || math.Abs(p+q-1) > 1e-12 {
				t.Fatalf("P(%s > %s) = %v, reverse %v (%v, %v)", c.Channel, first, p, q, err, err2)
			}
		}
	})
}

// FuzzChooseOrder compares orders on arbitrary journeys: finite criteria,
// orders in range, and a log-likelihood that does not fall as the order
// rises; the only errors are ErrUndefined and, for counts whose
// transitions pass 2⁶³ − 1 (seed 1a73e662be012f2c: one touch, 7·10¹⁸
// conversions, once a wrapped N and a NaN BIC), ErrInvalid.
func FuzzChooseOrder(f *testing.F) {
	f.Add([]byte(sample), uint8(3), false)
	f.Add([]byte(chainData), uint8(2), true)
	f.Add([]byte("path;total_conversions;total_null\na > a > a > b;7;30\nb > a;2;9\n"), uint8(4), true)
	f.Fuzz(func(t *testing.T, data []byte, maxOrder uint8, keep bool) {
		js, err := attribution.Read(bytes.NewReader(data), attribution.Format{})
		if err != nil || js.Len() > 300 {
			return
		}
		m := attribution.Markov{}
		if keep {
			m.Rules = attribution.KeepRepeats
		}
		k := 1 + int(maxOrder)%attribution.MaxChooseOrder
		oc, err := m.ChooseOrder(js, k)
		if err != nil {
			if !errors.Is(err, kpi.ErrUndefined) && !(errors.Is(err, kpi.ErrInvalid) && strings.Contains(err.Error(), "transitions")) {
				t.Fatalf("%v", err)
			}
			return
		}
		if len(oc.Fits) != k || oc.Suggested < 1 || oc.Suggested > k || oc.ByBIC < 1 || oc.ByBIC > k {
			t.Fatalf("choice %+v", oc)
		}
		for i, f := range oc.Fits {
			for _, x := range []float64{f.LogLik, f.BIC, f.HeldOut, f.HeldOutSE} {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("order %d: %+v", f.Order, f)
				}
			}
			if !keep && i > 0 && f.LogLik < oc.Fits[i-1].LogLik-1e-6*math.Abs(f.LogLik) {
				t.Fatalf("log-likelihood falls from %v to %v at order %d", oc.Fits[i-1].LogLik, f.LogLik, f.Order)
			}
		}
	})
}
