package kpi

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"

	"github.com/kpiflow/kpi/internal/km"
)

// Observation is one entity's follow-up for a conversion curve: Time is
// how long after its start (its entry into the previous step, in any unit
// the caller keeps to, such as days) it converted, when Converted is true,
// or how long it has been followed without converting, when Converted is
// false: an entity still inside its window is censored at its age, not
// counted as a failure.
type Observation struct {
	Time      float64 `json:"time"`
	Converted bool    `json:"converted"`
}

// Scale is the scale on which KaplanMeier builds its pointwise intervals,
// named as R's survfit conf.type.
type Scale uint8

// The interval scales. LogLogScale, the zero Scale, stays inside (0, 1)
// without clamping and is the default.
const (
	LogLogScale Scale = iota // conf.type = "log-log"
	LogScale                 // conf.type = "log", on log S, capped at 1
	PlainScale               // conf.type = "plain", on S, clamped to [0, 1]
)

// String returns the scale's survfit name: "log-log", "log" or "plain",
// and "Scale(n)" for an unknown value.
func (s Scale) String() string {
	switch s {
	case LogLogScale:
		return "log-log"
	case LogScale:
		return "log"
	case PlainScale:
		return "plain"
	}
	return fmt.Sprintf("Scale(%d)", uint8(s))
}

// MarshalText writes the scale's name, as String; an unknown scale is an
// error wrapping ErrInvalid.
func (s Scale) MarshalText() ([]byte, error) {
	if s > PlainScale {
		return nil, invalid("kpi.Scale.MarshalText", "scale", uint8(s), "unknown scale")
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads a scale's name ("log-log", "log" or "plain"); any
// other text is an error wrapping ErrInvalid.
func (s *Scale) UnmarshalText(text []byte) error {
	for c := LogLogScale; c <= PlainScale; c++ {
		if string(text) == c.String() {
			*s = c
			return nil
		}
	}
	return invalid("kpi.Scale.UnmarshalText", "scale", strconv.Quote(string(text)), "unknown scale")
}

// CurvePoint is the conversion curve at one time where an entity converted
// or was censored.
type CurvePoint struct {
	Time      float64  `json:"time"`
	AtRisk    int64    `json:"atRisk"`    // entities followed up to Time and not converted before it
	Converted int64    `json:"converted"` // entities that converted at Time
	Censored  int64    `json:"censored"`  // entities last seen at Time without converting
	Share     float64  `json:"share"`     // estimated share converted by Time, 1 − S(Time)
	Interval  Interval `json:"interval"`  // pointwise interval for Share
}

// Curve is a Kaplan–Meier estimate of the share of entities converted by
// each time, with Greenwood's pointwise intervals. Points hold every
// distinct time in the data, in order, as R's survfit does. Its JSON form
// is {"entities", "level", "scale" (the scale's name), "points": [{"time",
// "atRisk", "converted", "censored", "share", "interval"}]}.
type Curve struct {
	Entities int64        `json:"entities"` // observations
	Level    float64      `json:"level"`
	Scale    Scale        `json:"scale"`
	Points   []CurvePoint `json:"points"`
}

// KaplanMeier estimates, from observations that may be censored, the
// share converted by each time t:
//
//	S(t) = ∏_{tᵢ ≤ t} (1 − dᵢ/nᵢ),   Share(t) = 1 − S(t)
//
// where dᵢ entities convert at tᵢ out of the nᵢ still at risk (followed up
// to tᵢ and not converted before). While nobody has been censored,
// Share(t) is computed as Σdᵢ/n, so that without censoring the share at
// any time equals the plain rate converted/entities exactly. Intervals
// use Greenwood's variance, on the scale chosen, with z = Φ⁻¹(1 − α/2):
//
//	σ²(t) = Σ_{tᵢ ≤ t} dᵢ / (nᵢ (nᵢ − dᵢ))           (Var of log S)
//	LogLogScale: S^exp(±z σ / log S)
//	LogScale:    S·exp(±z σ), capped at 1
//	PlainScale:  S ± z σ S, clamped to [0, 1]
//
// and the Share's interval is one minus S's, ends swapped. The values
// equal R's survival::survfit(Surv(time, status) ~ 1, conf.type = ...)
// (survival 3.5-3, R 4.2.2).
//
// Special cases:
//
//	before the first conversion: Share 0, interval [0, 0]
//	once everyone at risk has converted (S = 0): Share 1; Greenwood's
//	    variance is infinite there (survfit reports NA), so the interval
//	    keeps the lower end of the point before and reaches 1
//	no observations: an error wrapping ErrUndefined
//	a Time that is negative, NaN or infinite: ErrInvalid, naming its position
//	level outside (0, 1), an unknown scale: ErrInvalid
func KaplanMeier(obs iter.Seq[Observation], level float64, scale Scale) (*Curve, error) {
	const fn = "kpi.KaplanMeier"
	if !checkUnit(level) {
		return nil, invalid(fn, "level", level, "outside (0, 1)")
	}
	if scale > PlainScale {
		return nil, invalid(fn, "scale", scale, "unknown scale")
	}
	var keys []uint64
	if obs != nil {
		for o := range obs {
			t := o.Time
			if t < 0 || math.IsNaN(t) || math.IsInf(t, 0) {
				return nil, invalid(fn, fmt.Sprintf("observation %d time", len(keys)), t, "not a finite time ≥ 0")
			}
			if t == 0 {
				t = 0 // −0 as +0, so that its bits sort with it
			}
			// The bits of a float64 ≥ 0 sort as its value.
			keys = append(keys, km.Key(math.Float64bits(t), o.Converted))
		}
	}
	if len(keys) == 0 {
		return nil, undefined(fn, "observations", 0, "no observations")
	}
	km.Sort(keys, nil)
	c := &Curve{Entities: int64(len(keys)), Level: level, Scale: scale}
	c.Points = make([]CurvePoint, 0, km.Distinct(keys))
	method := "greenwood-" + scale.String()
	km.Walk(keys, zCrit(level), km.Scale(scale), func(p km.Point) {
		c.Points = append(c.Points, CurvePoint{
			Time:      math.Float64frombits(p.Time),
			AtRisk:    p.AtRisk,
			Converted: p.Events,
			Censored:  p.Censored,
			Share:     p.Share,
			Interval:  Interval{Lo: p.Lo, Hi: p.Hi, Level: level, Method: method},
		})
	})
	return c, nil
}

// At returns the share converted by time t and its interval: the value of
// the last point at or before t, and Share 0 with the interval [0, 0] before
// the first point. The zero Curve gives 0 and the zero Interval. A NaN t
// is no time at all: it gives NaN and the interval [NaN, NaN] (the search
// used to land on an arbitrary point).
func (c *Curve) At(t float64) (float64, Interval) {
	if math.IsNaN(t) {
		nan := math.NaN()
		return nan, Interval{Lo: nan, Hi: nan, Level: c.Level, Method: "greenwood-" + c.Scale.String()}
	}
	i, found := slices.BinarySearchFunc(c.Points, t, func(p CurvePoint, t float64) int {
		switch {
		case p.Time < t:
			return -1
		case p.Time > t:
			return 1
		}
		return 0
	})
	if !found {
		i--
	}
	if i < 0 {
		return 0, Interval{Level: c.Level, Method: "greenwood-" + c.Scale.String()}
	}
	return c.Points[i].Share, c.Points[i].Interval
}

// Median returns the median time to convert: the first time at which the
// share converted reaches one half. Where the curve stays at exactly one
// half (within 1.5e-8, R's tolerance) from a time t until the next time it
// moves, or to the last time in the data, the median is the midpoint of
// that stretch, as R's quantile.survfit. ok is false when the share never
// reaches one half (nor for the zero Curve).
func (c *Curve) Median() (median float64, ok bool) {
	const tol = 1.4901161193847656e-08 // sqrt(.Machine$double.eps)
	for i, p := range c.Points {
		if p.Converted == 0 {
			continue
		}
		s := 1 - p.Share
		if math.Abs(s-0.5) < tol {
			end := c.Points[len(c.Points)-1].Time
			for _, q := range c.Points[i+1:] {
				if q.Converted > 0 {
					end = q.Time
					break
				}
			}
			m := (p.Time + end) / 2
			if math.IsInf(m, 0) { // times near MaxFloat64 overflow the sum
				m = p.Time/2 + end/2
			}
			return m, true
		}
		if s < 0.5 {
			return p.Time, true
		}
	}
	return 0, false
}
