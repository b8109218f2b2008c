package kpi

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
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
	var events, censored []float64
	pos := 0
	if obs != nil {
		for o := range obs {
			if o.Time < 0 || math.IsNaN(o.Time) || math.IsInf(o.Time, 0) {
				return nil, invalid(fn, fmt.Sprintf("observation %d time", pos), o.Time, "not a finite time ≥ 0")
			}
			if o.Converted {
				events = append(events, o.Time)
			} else {
				censored = append(censored, o.Time)
			}
			pos++
		}
	}
	if pos == 0 {
		return nil, undefined(fn, "observations", 0, "no observations")
	}
	slices.Sort(events)
	slices.Sort(censored)
	c := &Curve{Entities: int64(pos), Level: level, Scale: scale}
	c.Points = make([]CurvePoint, 0, distinct(events, censored))
	c.walk(events, censored, zCrit(level))
	return c, nil
}

// distinct counts the distinct times in two sorted slices.
func distinct(a, b []float64) int {
	n := 0
	for len(a) > 0 || len(b) > 0 {
		t := math.Inf(1)
		if len(a) > 0 {
			t = a[0]
		}
		if len(b) > 0 && b[0] < t {
			t = b[0]
		}
		for len(a) > 0 && a[0] == t {
			a = a[1:]
		}
		for len(b) > 0 && b[0] == t {
			b = b[1:]
		}
		n++
	}
	return n
}

// walk builds the points from the sorted event and censoring times.
func (c *Curve) walk(events, censored []float64, z float64) {
	n := c.Entities
	atRisk := n
	var cumEvents int64
	anyCensored := false
	s, greenwood := 1.0, 0.0
	prevLo := 0.0
	method := "greenwood-" + c.Scale.String()
	for len(events) > 0 || len(censored) > 0 {
		t := math.Inf(1)
		if len(events) > 0 {
			t = events[0]
		}
		if len(censored) > 0 && censored[0] < t {
			t = censored[0]
		}
		var d, cens int64
		for len(events) > 0 && events[0] == t {
			d++
			events = events[1:]
		}
		for len(censored) > 0 && censored[0] == t {
			cens++
			censored = censored[1:]
		}
		p := CurvePoint{Time: t, AtRisk: atRisk, Converted: d, Censored: cens}
		if d > 0 {
			cumEvents += d
			if anyCensored {
				s *= float64(atRisk-d) / float64(atRisk)
			} else {
				s = float64(n-cumEvents) / float64(n)
			}
			if d < atRisk {
				greenwood += float64(d) / (float64(atRisk) * float64(atRisk-d))
			}
		}
		switch {
		case d == 0 && len(c.Points) > 0:
			// S and σ are unchanged. Repeating the last point keeps the
			// curve flat: after censoring began, 1 − S is no longer the
			// plain rate cumEvents/n, and may round an ulp below it.
			last := c.Points[len(c.Points)-1]
			p.Share, p.Interval = last.Share, last.Interval
		case !anyCensored:
			p.Share = float64(cumEvents) / float64(n) // the plain rate, exactly
		default:
			p.Share = 1 - s
		}
		if d > 0 || len(c.Points) == 0 {
			p.Interval = c.interval(s, greenwood, z, prevLo, method)
		}
		prevLo = p.Interval.Lo
		c.Points = append(c.Points, p)
		atRisk -= d + cens
		if cens > 0 {
			anyCensored = true
		}
	}
}

// interval is the Share's interval at a point with survival s and
// Greenwood sum g.
func (c *Curve) interval(s, g, z, prevLo float64, method string) Interval {
	iv := Interval{Level: c.Level, Method: method}
	switch {
	case s == 1:
		return iv // [0, 0]: nobody has converted yet
	case s == 0:
		iv.Lo, iv.Hi = prevLo, 1
		return iv
	}
	sigma := math.Sqrt(g)
	var lo, hi float64 // of S
	switch c.Scale {
	case LogLogScale:
		ls := math.Log(s)
		lo = math.Pow(s, math.Exp(-z*sigma/ls))
		hi = math.Pow(s, math.Exp(z*sigma/ls))
	case LogScale:
		lo = s * math.Exp(-z*sigma)
		hi = math.Min(1, s*math.Exp(z*sigma))
	default:
		lo = math.Max(0, s-z*sigma*s)
		hi = math.Min(1, s+z*sigma*s)
	}
	iv.Lo, iv.Hi = 1-hi, 1-lo
	return iv
}

// At returns the share converted by time t and its interval: the value of
// the last point at or before t, and Share 0 with the interval [0, 0] before
// the first point. The zero Curve gives 0 and the zero Interval.
func (c *Curve) At(t float64) (float64, Interval) {
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
			return (p.Time + end) / 2, true
		}
		if s < 0.5 {
			return p.Time, true
		}
	}
	return 0, false
}
