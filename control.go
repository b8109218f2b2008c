package kpi

import (
	"math"
	"strconv"
	"strings"
)

// Signal is a set of the control-chart rules a period breaks, as bits.
// The zero Signal is no signal: the period is in control.
type Signal uint8

// The rules, Minitab's tests 1, 2 (with 8 points, as the Western Electric
// rules have it) and 3 for attribute charts. A run rule fires on the
// period that completes the run and on every later one that extends it.
const (
	// Beyond: the period's rate lies outside its control limits.
	Beyond Signal = 1 << iota
	// Shift: 8 periods in a row, this one the last, on one side of the
	// centre line (a period on the line breaks the run).
	Shift
	// Drift: 6 periods in a row, this one the last, each rate above the
	// one before, or each below (5 rises or 5 falls; a tie breaks it).
	Drift
)

// String lists the rules in the signal, such as "beyond|shift", or "none".
func (s Signal) String() string {
	if s == 0 {
		return "none"
	}
	var parts []string
	for _, r := range []struct {
		bit  Signal
		name string
	}{{Beyond, "beyond"}, {Shift, "shift"}, {Drift, "drift"}} {
		if s&r.bit != 0 {
			parts = append(parts, r.name)
			s &^= r.bit
		}
	}
	if s != 0 {
		parts = append(parts, "Signal(0x"+strconv.FormatUint(uint64(s), 16)+")")
	}
	return strings.Join(parts, "|")
}

// Point is one period of a control chart: its rate, its own limits (each
// period has its own number of trials) and the rules it breaks.
type Point struct {
	Rate    Rate    `json:"rate"`
	Value   float64 `json:"value"` // the period's rate xᵢ/nᵢ
	Lower   float64 `json:"lower"` // the lower control limit, at least 0
	Upper   float64 `json:"upper"` // the upper control limit, at most 1
	Z       float64 `json:"z"`     // (pᵢ − p̄)/σᵢ, 0 when σᵢ is 0
	Signals Signal  `json:"signals"`
}

// Chart is a p-chart, or Laney's p′-chart, of a rate watched period by
// period (weekly MQL→SQL, say). With xᵢ of nᵢ in period i and the centre
// line p̄ = Σxᵢ/Σnᵢ, the limits of period i are
//
//	σᵢ = sqrt(p̄(1 − p̄)/nᵢ)
//	p-chart:  p̄ ± 3·σᵢ
//	p′-chart: p̄ ± 3·σᵢ·σ_z,   zᵢ = (pᵢ − p̄)/σᵢ,  σ_z = mean |zᵢ − zᵢ₋₁| / 1.128
//
// clipped to [0, 1], which are Minitab's formulas for the P and Laney P′
// charts (1.128 is d₂ for moving ranges of 2). Large periods make plain
// p-chart limits too tight when the rate wanders from period to period
// for reasons of its own (over-dispersion): nearly every point falls
// outside. Laney's σ_z measures that variation from the data and widens
// the limits by it; σ_z near 1 means a p-chart suits the data.
type Chart struct {
	Center float64 `json:"center"` // p̄
	SigmaZ float64 `json:"sigmaZ"` // Laney's σ_z; 1 for a p-chart
	Laney  bool    `json:"laney"`  // whether the limits are Laney's
	Points []Point `json:"points"`
}

// PChart returns the p-chart of the periods' rates, with each period's
// limits and signals. See Chart.
//
// Special case: when p̄ is 0 or 1 every σᵢ is 0 and the limits are the
// centre line itself; no period can be beyond them.
//
// Errors: fewer than two periods or more than MaxTrials trials in all,
// wrapping ErrInvalid; a period with no trials, wrapping ErrUndefined.
func PChart(periods []Rate) (Chart, error) {
	return chart("kpi.PChart", periods, false)
}

// LaneyChart returns Laney's p′-chart of the periods' rates, whose limits
// are widened by the variation between periods. See Chart and PChart.
func LaneyChart(periods []Rate) (Chart, error) {
	return chart("kpi.LaneyChart", periods, true)
}

func chart(fn string, periods []Rate, laney bool) (Chart, error) {
	if len(periods) < 2 {
		return Chart{}, invalid(fn, "periods", len(periods), "need at least two periods")
	}
	var x, n float64
	for i, r := range periods {
		if r.trials == 0 {
			return Chart{}, undefined(fn, "periods["+strconv.Itoa(i)+"] trials", 0, "a period with no trials has no rate to chart")
		}
		x += float64(r.successes)
		n += float64(r.trials)
	}
	if n > MaxTrials {
		return Chart{}, invalid(fn, "periods", count(n), "more than MaxTrials trials in all")
	}
	c := Chart{Center: x / n, SigmaZ: 1, Laney: laney, Points: make([]Point, len(periods))}
	pq := c.Center * (1 - c.Center)
	var mr float64
	for i, r := range periods {
		pt := Point{Rate: r, Value: r.p()}
		if s := math.Sqrt(pq / float64(r.trials)); s > 0 {
			pt.Z = (pt.Value - c.Center) / s
		}
		if i > 0 {
			mr += math.Abs(pt.Z - c.Points[i-1].Z)
		}
		c.Points[i] = pt
	}
	if laney {
		c.SigmaZ = mr / float64(len(periods)-1) / 1.128
	}
	for i := range c.Points {
		pt := &c.Points[i]
		half := 3 * math.Sqrt(pq/float64(pt.Rate.trials)) * c.SigmaZ
		pt.Lower, pt.Upper = math.Max(0, c.Center-half), math.Min(1, c.Center+half)
		if pt.Value < pt.Lower || pt.Value > pt.Upper {
			pt.Signals |= Beyond
		}
	}
	c.runs()
	return c, nil
}

// runs marks the Shift and Drift rules.
func (c *Chart) runs() {
	side, rising, falling := 0, 0, 0 // lengths of the current runs
	lastSide := 0
	for i := range c.Points {
		pt := &c.Points[i]
		s := 0
		switch {
		case pt.Value > c.Center:
			s = 1
		case pt.Value < c.Center:
			s = -1
		}
		if s != 0 && s == lastSide {
			side++
		} else if s != 0 {
			side = 1
		} else {
			side = 0
		}
		lastSide = s
		if side >= 8 {
			pt.Signals |= Shift
		}
		rising, falling = rising+1, falling+1
		if i == 0 {
			rising, falling = 1, 1
		} else {
			prev := c.Points[i-1].Value
			if !(pt.Value > prev) {
				rising = 1
			}
			if !(pt.Value < prev) {
				falling = 1
			}
		}
		if rising >= 6 || falling >= 6 {
			pt.Signals |= Drift
		}
	}
}
