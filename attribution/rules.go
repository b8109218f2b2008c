package attribution

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/kpiflow/kpi/internal/errs"
)

// weigher fills w (as long as the path) with the share of journey i's
// credit that each touch gets; the shares add up to 1.
type weigher func(i int, path []int32, w []float64) error

// rule runs a rule-based model: each converting journey's conversions and
// value are spread over its touches by the weights fn gives, journey by
// journey in canonical order.
func (js *Journeys) rule(fn, name string, weigh weigher) (*Result, error) {
	conv := make([]float64, len(js.names))
	val := make([]float64, len(js.names))
	var w []float64
	for _, i32 := range js.canonical() {
		i := int(i32)
		c := js.conv[i]
		if c == 0 {
			continue
		}
		p := js.path(i)
		if cap(w) < len(p) {
			w = make([]float64, 2*len(p))
		}
		w = w[:len(p)]
		if err := weigh(i, p, w); err != nil {
			if first := js.firstError(weigh); first != nil {
				return nil, first
			}
			return nil, err
		}
		if js.rec != nil {
			js.rec.add(i, p, w)
		}
		cf, v := float64(c), js.value(i)
		for k, id := range p {
			conv[id] += cf * w[k]
			val[id] += v * w[k]
		}
	}
	return js.result(fn, name, conv, val)
}

// one gives all the credit to touch k.
func one(w []float64, k int) {
	clear(w)
	w[k] = 1
}

// First gives all the credit of a journey to its first touch.
type First struct{}

// Attribute returns the first-touch credits.
func (First) Attribute(js *Journeys) (*Result, error) {
	if js == nil {
		return nil, errs.Invalid("attribution.First.Attribute", "js", js, "nil Journeys")
	}
	return js.rule("attribution.First.Attribute", "first touch", func(_ int, _ []int32, w []float64) error {
		one(w, 0)
		return nil
	})
}

// Last gives all the credit of a journey to its last touch.
type Last struct{}

// Attribute returns the last-touch credits.
func (Last) Attribute(js *Journeys) (*Result, error) {
	if js == nil {
		return nil, errs.Invalid("attribution.Last.Attribute", "js", js, "nil Journeys")
	}
	return js.rule("attribution.Last.Attribute", "last touch", func(_ int, p []int32, w []float64) error {
		one(w, len(p)-1)
		return nil
	})
}

// LastNonDirect gives all the credit of a journey to its last touch that
// is not the direct channel, or to its last touch when every touch is
// direct.
type LastNonDirect struct {
	Direct string // the direct channel's name; "direct" when empty
}

// Attribute returns the last non-direct credits.
func (m LastNonDirect) Attribute(js *Journeys) (*Result, error) {
	if js == nil {
		return nil, errs.Invalid("attribution.LastNonDirect.Attribute", "js", js, "nil Journeys")
	}
	direct := m.Direct
	if direct == "" {
		direct = "direct"
	}
	id, ok := js.index[direct]
	if !ok {
		id = -1
	}
	return js.rule("attribution.LastNonDirect.Attribute", "last non-direct", func(_ int, p []int32, w []float64) error {
		k := len(p) - 1
		for k > 0 && p[k] == id {
			k--
		}
		if p[k] == id {
			k = len(p) - 1
		}
		one(w, k)
		return nil
	})
}

// Linear shares the credit of a journey equally among its touches, so a
// channel touched twice gets twice the credit (a > a > b gives a 2/3 and
// b 1/3, as ChannelAttribution's linear model does). With Distinct it
// shares the credit equally among the distinct channels instead (a > a > b
// gives a and b 1/2 each).
type Linear struct {
	Distinct bool
}

// Attribute returns the linear credits.
func (m Linear) Attribute(js *Journeys) (*Result, error) {
	if js == nil {
		return nil, errs.Invalid("attribution.Linear.Attribute", "js", js, "nil Journeys")
	}
	if !m.Distinct {
		return js.rule("attribution.Linear.Attribute", "linear", func(_ int, p []int32, w []float64) error {
			for k := range w {
				w[k] = 1 / float64(len(p))
			}
			return nil
		})
	}
	seen := make([]int, len(js.names))
	return js.rule("attribution.Linear.Attribute", "linear (distinct)", func(i int, p []int32, w []float64) error {
		d := 0
		for k, id := range p {
			w[k] = 0
			if seen[id] != i+1 {
				seen[id] = i + 1
				w[k] = 1
				d++
			}
		}
		for k := range w {
			w[k] /= float64(d)
		}
		return nil
	})
}

// Position shares the credit of a journey by position: First to the first
// touch, Last to the last touch, and the rest, 1 − First − Last, equally
// over the touches between them. The zero Position is the U-shaped model,
// 40/20/40.
//
// Special cases: a journey of one touch gives it all the credit; a journey
// of two touches shares the credit between them in the ratio
// First : Last, so U-shaped gives 50/50, J-shaped 25/75 and inverse J
// 75/25.
type Position struct {
	First, Last float64
}

// The usual position-based models.
var (
	UShaped  = Position{First: 0.4, Last: 0.4} // 40/20/40
	JShaped  = Position{First: 0.2, Last: 0.6} // 20/20/60
	InverseJ = Position{First: 0.6, Last: 0.2} // 60/20/20
)

// Attribute returns the position-based credits. A First + Last within
// 10⁻¹² of 1 leaves nothing to the touches between, and the ends then
// take First/(First + Last) and Last/(First + Last), so a journey's
// credits add up to its conversions on either side of 1.
//
// Errors wrap kpi.ErrInvalid: First or Last negative, NaN or infinite, or
// First + Last above 1.
func (m Position) Attribute(js *Journeys) (*Result, error) {
	if js == nil {
		return nil, errs.Invalid("attribution.Position.Attribute", "js", js, "nil Journeys")
	}
	const fn = "attribution.Position.Attribute"
	if m.First == 0 && m.Last == 0 {
		m = UShaped
	}
	for _, x := range []struct {
		arg string
		v   float64
	}{{"First", m.First}, {"Last", m.Last}} {
		if !(x.v >= 0 && x.v <= 1) {
			return nil, errs.Invalid(fn, x.arg, x.v, "must lie in [0, 1]")
		}
	}
	if m.First+m.Last > 1+1e-12 {
		return nil, errs.Invalid(fn, "First + Last", m.First+m.Last, "exceeds 1")
	}
	// The rest, 0 when First + Last is 1 within the tolerance above:
	// 1 − 0.7 − 0.3 is 5.55e-17 in float64, which credited the middle
	// touches with dust (and gave them a cost per conversion of 10¹⁶
	// times their spend).
	mid := 1 - m.First - m.Last
	first, last := m.First, m.Last
	if mid < 1e-12 {
		// And the ends share the whole: Position{0.5, 0.5 + 5e-13}
		// credited a journey's ends with 1.0000000000005 conversions.
		mid = 0
		first, last = m.First/(m.First+m.Last), m.Last/(m.First+m.Last)
	}
	pct := func(x float64) string { return strconv.FormatFloat(math.Round(100*x*1e9)/1e9, 'f', -1, 64) }
	name := "position " + pct(m.First) + "/" + pct(mid) + "/" + pct(m.Last)
	switch m {
	case UShaped:
		name = "U-shaped"
	case JShaped:
		name = "J-shaped"
	case InverseJ:
		name = "inverse J"
	}
	return js.rule(fn, name, func(_ int, p []int32, w []float64) error {
		n := len(p)
		switch n {
		case 1:
			w[0] = 1
		case 2:
			w[0] = m.First / (m.First + m.Last)
			w[1] = m.Last / (m.First + m.Last)
		default:
			for k := 1; k < n-1; k++ {
				w[k] = mid / float64(n-2)
			}
			w[0], w[n-1] = first, last
		}
		return nil
	})
}

// WShaped gives 30 % of a journey's credit each to its first touch, the
// touch where the lead was created and the touch where the opportunity was
// created (the first touch marked Lead and Opportunity), and spreads 10 %
// equally over the other touches.
//
// Fallbacks: when milestones fall on the same touch, that touch gets their
// shares added up; a milestone that no touch carries is left out, and so
// is the 10 % when no other touches remain; the credit given is then
// scaled up to 1. So a journey without marks gives 75 % to the first touch
// and 25 % over the rest, and a journey of one touch gives it all.
type WShaped struct{}

// Attribute returns the W-shaped credits.
func (WShaped) Attribute(js *Journeys) (*Result, error) {
	if js == nil {
		return nil, errs.Invalid("attribution.WShaped.Attribute", "js", js, "nil Journeys")
	}
	return js.rule("attribution.WShaped.Attribute", "W-shaped", js.milestones(0.3, Lead, Opportunity))
}

// FullPath (the Z-shaped model) gives 22.5 % of a journey's credit each to
// its first touch and the touches where the lead was created, the
// opportunity was created and the deal was won (the first touch marked
// Lead, Opportunity and Won), and spreads 10 % equally over the other
// touches, with the fallbacks of WShaped.
type FullPath struct{}

// Attribute returns the full-path credits.
func (FullPath) Attribute(js *Journeys) (*Result, error) {
	if js == nil {
		return nil, errs.Invalid("attribution.FullPath.Attribute", "js", js, "nil Journeys")
	}
	return js.rule("attribution.FullPath.Attribute", "full path", js.milestones(0.225, Lead, Opportunity, Won))
}

// milestones weighs the first touch and the first touch carrying each mark
// by share, and the other touches by 1 − share·(len(marks)+1) in all.
func (js *Journeys) milestones(share float64, marks ...Mark) weigher {
	rest := 1 - share*float64(len(marks)+1)
	return func(i int, p []int32, w []float64) error {
		clear(w)
		w[0] = share
		if js.marks != nil {
			tm := js.marks[js.off[i]:js.off[i+1]]
			for _, m := range marks {
				for k, x := range tm {
					if x&m != 0 {
						w[k] += share
						break
					}
				}
			}
		}
		others := 0
		for _, x := range w {
			if x == 0 {
				others++
			}
		}
		for k, x := range w {
			if x == 0 {
				w[k] = rest / float64(others)
			}
		}
		sum := 0.0
		for _, x := range w {
			sum += x
		}
		for k := range w {
			w[k] /= sum
		}
		return nil
	}
}

// DefaultHalfLife is the half-life of TimeDecay when none is given.
const DefaultHalfLife = 7 * 24 * time.Hour

// TimeDecay gives each touch of a journey a weight that halves with every
// HalfLife between the touch and the conversion (the journey's last
// touch), and shares the credit in proportion to the weights:
//
//	wₖ = 2^(−(T − tₖ)/HalfLife) / Σⱼ 2^(−(T − tⱼ)/HalfLife)
//
// where tₖ is the time of touch k and T that of the last touch. A zero
// HalfLife means DefaultHalfLife (7 days).
type TimeDecay struct {
	HalfLife time.Duration
}

// Attribute returns the time-decay credits.
//
// Errors wrap kpi.ErrInvalid: a negative HalfLife; a touch of a converting
// journey without a time, or touches out of time order, naming the journey
// and touch.
func (m TimeDecay) Attribute(js *Journeys) (*Result, error) {
	if js == nil {
		return nil, errs.Invalid("attribution.TimeDecay.Attribute", "js", js, "nil Journeys")
	}
	const fn = "attribution.TimeDecay.Attribute"
	h := m.HalfLife
	if h == 0 {
		h = DefaultHalfLife
	}
	if h < 0 {
		return nil, errs.Invalid(fn, "HalfLife", m.HalfLife, "must be > 0")
	}
	name := "time decay " + shortDuration(h)
	hf := float64(h)
	return js.rule(fn, name, func(i int, p []int32, w []float64) error {
		var t []int64
		if js.times != nil {
			t = js.times[js.off[i]:js.off[i+1]]
		}
		for k := range p {
			if t == nil || t[k] == noTime {
				return errs.Invalid(fn, fmt.Sprintf("journey %d touch %d time", i, k), time.Time{}, "time unknown")
			}
			if k > 0 && t[k] < t[k-1] {
				return errs.Invalid(fn, fmt.Sprintf("journey %d touch %d time", i, k), time.Unix(0, t[k]).UTC(), "before the touch before it")
			}
		}
		end := t[len(t)-1]
		sum := 0.0
		for k := range w {
			w[k] = math.Exp2(-float64(end-t[k]) / hf)
			sum += w[k]
		}
		for k := range w {
			w[k] /= sum
		}
		return nil
	})
}

// shortDuration writes whole days as "7d" and anything else as
// time.Duration does.
func shortDuration(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}

// Custom shares the credit of a journey by custom position weights. The
// weights describe a curve over the journey from its start to its end,
// cut into len(Weights) equal segments with Weights[j] the credit of
// segment j; a journey of n touches cuts the same span into n equal
// parts, and touch k gets the credit of the part [k/n, (k+1)/n):
//
//	wₖ = Σⱼ Weights[j] · |[k/n, (k+1)/n) ∩ [j/m, (j+1)/m)| · m
//
// with m = len(Weights). A journey with as many touches as weights gets
// the weights as they are; Weights {0.4, 0.2, 0.4} gives a journey of six
// touches 0.2, 0.2, 0.1, 0.1, 0.2, 0.2.
type Custom struct {
	Weights []float64
}

// Attribute returns the custom-weight credits.
//
// Its cost is linear in the weights and the touches: a journey more than
// 8 times shorter than the curve reads the weights' prefix sums, so its
// shares may differ from the sum segment by segment in the last bits.
//
// Errors wrap kpi.ErrInvalid: no weights, a weight negative, NaN or
// infinite, or weights that do not sum to 1 (within 1e-9).
func (m Custom) Attribute(js *Journeys) (*Result, error) {
	if js == nil {
		return nil, errs.Invalid("attribution.Custom.Attribute", "js", js, "nil Journeys")
	}
	const fn = "attribution.Custom.Attribute"
	if len(m.Weights) == 0 {
		return nil, errs.Invalid(fn, "Weights", len(m.Weights), "no weights")
	}
	sum := 0.0
	for j, x := range m.Weights {
		if !(x >= 0 && x <= 1) {
			return nil, errs.Invalid(fn, fmt.Sprintf("Weights[%d]", j), x, "must lie in [0, 1]")
		}
		sum += x
	}
	if math.Abs(sum-1) > 1e-9 {
		return nil, errs.Invalid(fn, "Weights", m.Weights, fmt.Sprintf("sum to %g, not 1", sum))
	}
	ws := m.Weights
	mm := len(ws)
	// prefix[j] = Σ_{i<j} ws[i], for the journeys more than 8 times
	// shorter than the curve, whose touches each span more than 8
	// segments: summing those one by one made the cost journeys × weights
	// (10⁶ weights over 2·10⁴ one-touch journeys took 79 s).
	var prefix []float64
	if mm > 8 {
		prefix = make([]float64, mm+1)
		for j, x := range ws {
			prefix[j+1] = prefix[j] + x
		}
	}
	return js.rule(fn, "custom", func(_ int, p []int32, w []float64) error {
		n := len(p)
		// In units of 1/(n·m): touch k spans [k·m, (k+1)·m), segment j
		// spans [j·n, (j+1)·n) and carries ws[j]/n per unit.
		if mm > 8*n {
			// Touch k covers part of its first segment j0 and its last
			// j1, and the segments between them whole.
			total := 0.0
			for k := range w {
				a, b := k*mm, (k+1)*mm
				j0, j1 := a/n, (b-1)/n
				w[k] = ws[j0]*float64((j0+1)*n-a)/float64(n) + (prefix[j1] - prefix[j0+1]) + ws[j1]*float64(b-j1*n)/float64(n)
				total += w[k]
			}
			for k := range w {
				w[k] /= total
			}
			return nil
		}
		j := 0
		total := 0.0
		for k := range w {
			a, b := k*mm, (k+1)*mm
			w[k] = 0
			for j < mm && (j+1)*n <= a {
				j++
			}
			for jj := j; jj < mm && jj*n < b; jj++ {
				lo, hi := max(a, jj*n), min(b, (jj+1)*n)
				w[k] += ws[jj] * float64(hi-lo) / float64(n)
			}
			total += w[k]
		}
		for k := range w {
			w[k] /= total
		}
		return nil
	})
}
