package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// Period is one point of a trend: its label on the axis (such as "W14"
// or "Mar"), the step's rate in it, and whether it is immature — its
// leads have not yet had the whole conversion window, so the rate will
// still rise — which draws it hollow and leaves it out of the average.
type Period struct {
	Label    string
	Rate     kpi.Rate
	Immature bool
}

// StepPeriods returns one step's conversion over the periods of a funnel
// series (funnel.Counter.Series) as Trend draws it: a Period per period
// of the series, labelled as the series labels it ("2026-W10"), with the
// step's rate in the period's cohort, and immature where the step is
// (PeriodStep.Mature false: some of the period's entries have not had
// their whole window, so the rate may still rise). Trend draws those
// hollow and leaves them out of the average, the control limits and the
// always-valid band.
//
// StepPeriods returns an error wrapping kpi.ErrInvalid for a nil series
// or one without periods, a step the series does not have, and its first
// step, which has no conversion.
func StepPeriods(s *funnel.Series, step string) ([]Period, error) {
	if s == nil || len(s.Periods) == 0 {
		return nil, invalid("StepPeriods", "series", "with no periods", "nothing to draw")
	}
	k := slices.IndexFunc(s.Periods[0].Steps, func(ps funnel.PeriodStep) bool { return ps.Step == step })
	switch {
	case k < 0:
		return nil, invalid("StepPeriods", "step", step, "not a step of the series")
	case k == 0:
		return nil, invalid("StepPeriods", "step", step, "the first step, which has no conversion")
	}
	out := make([]Period, len(s.Periods))
	for i, p := range s.Periods {
		if len(p.Steps) <= k {
			return nil, invalid("StepPeriods", fmt.Sprintf("series.Periods[%d].Steps", i), fmt.Sprintf("%d steps", len(p.Steps)), fmt.Sprintf("want %d, as in the first period", len(s.Periods[0].Steps)))
		}
		out[i] = Period{Label: p.Label, Rate: p.Steps[k].Rate, Immature: !p.Steps[k].Mature}
	}
	return out, nil
}

// Trend draws a step's rate over periods, oldest first: a point per period
// with its 95 % Wilson interval as a whisker, immature periods hollow, and
// the centre line at the rate pooled over the mature periods (all
// successes over all trials). A period with no trials has no point.
//
// Over two or more mature periods with trials, Trend also draws each
// period's control limits from Laney's p′-chart (kpi.LaneyChart: p-chart
// limits widened by the variation between periods, so that large weekly
// volumes do not make every week an alarm) as short dotted bars above and
// below its point, and rings in the accent colour each period that breaks
// a rule (beyond its limits, 8 in a row on one side, 6 rising or
// falling), naming the rules in the key. Behind the points it shades the
// always-valid 95 % band of the running rate over the mature periods so
// far (kpi.Sequence: it may be checked after every period without
// inflating false alarms, where the per-period whiskers may not).
//
// The marks are full size when the periods are 20 points apart or more
// and shrink with the room when they are closer, so that neighbours do
// not cover each other: a year of days on the default 600-point sheet is
// a band of thin whiskers and a line of small dots. Options.Width (up to
// 7200 points) gives them more room.
//
// Trend returns an error wrapping kpi.ErrInvalid when there are no
// periods or the options are bad.
func Trend(w io.Writer, periods []Period, o Options) error {
	if len(periods) == 0 {
		return invalid("Trend", "periods", "[]", "nothing to draw")
	}
	s, err := newSheet("Trend", o, 600, 300, "Step conversion by period")
	if err != nil {
		return err
	}
	var succ, trials int64
	top, immature := 0.05, false
	for _, pd := range periods {
		immature = immature || pd.Immature
		if _, hi, err := pd.Rate.Interval(kpi.Wilson, confidence); err == nil {
			top = math.Max(top, hi)
		}
		if !pd.Immature {
			succ, trials = succ+pd.Rate.Successes(), trials+pd.Rate.Trials()
		}
	}
	lim, band := limits(periods), sequenceBand(periods)
	for _, pt := range lim {
		top = math.Max(top, pt.Upper)
	}
	for _, bp := range band {
		top = math.Max(top, bp.hi)
	}
	p := newPlot()
	p.NominalX(periodLabels(s.area, periods)...)
	p.X.Min, p.X.Max = -0.6, float64(len(periods))+0.2+0.04*float64(len(periods)) // room for the average's label
	p.Y.Min, p.Y.Max, p.Y.Tick.Marker = 0, math.Min(1, top*1.1), percentTicks
	p.Y.Label.Text = "conversion, 95% interval"
	p.X.Label.Text = trendKey(immature, lim, len(band) > 1)
	p.Add(grid(false, true), marks(func(c draw.Canvas, tx, ty func(float64) vg.Length) {
		if len(band) > 1 {
			r, g, b, _ := o.series(0).RGBA()
			shade := color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x22}
			var hi, lo []vg.Point
			for _, bp := range band {
				hi = append(hi, vg.Point{X: tx(float64(bp.i)), Y: ty(bp.hi)})
				lo = append(lo, vg.Point{X: tx(float64(bp.i)), Y: ty(bp.lo)})
			}
			c.FillPolygon(shade, append(hi, reverse(lo)...))
		}
		if trials > 0 {
			avg := float64(succ) / float64(trials)
			sty := draw.LineStyle{Color: greyColor, Width: 1, Dashes: []vg.Length{4, 3}}
			c.StrokeLine2(sty, c.Min.X, ty(avg), c.Max.X, ty(avg))
			label := style(9, greyColor)
			label.XAlign, label.YAlign = draw.XRight, draw.YBottom
			c.FillText(label, vg.Point{X: c.Max.X - 2, Y: ty(avg) + 2}, "average "+percent(avg))
		}
		m := sizeMarks(tx(1) - tx(0))
		for i, pd := range periods {
			v, err := pd.Rate.Value()
			if err != nil {
				continue
			}
			lo, hi, _ := pd.Rate.Interval(kpi.Wilson, confidence)
			if pt, ok := lim[i]; ok {
				limitBars(c, tx(float64(i)), ty(pt.Lower), ty(pt.Upper), m.bar)
				if pt.Signals != 0 {
					ring := draw.LineStyle{Color: o.accent(), Width: min(1.5, m.line*1.25)}
					c.StrokeLines(ring, circle(vg.Point{X: tx(float64(i)), Y: ty(v)}, m.ring))
				}
			}
			whiskerSized(c, o.series(0), ty(lo), ty(hi), tx(float64(i)), false, m.cap, m.line)
			dot(c, o.series(0), vg.Point{X: tx(float64(i)), Y: ty(v)}, m.dot, !pd.Immature)
		}
	}))
	s.draw(p, s.area)
	return s.write(w)
}

// limits returns Laney's p′-chart points of the mature periods with
// trials, by their index in periods, or nil when there are fewer than two.
func limits(periods []Period) map[int]kpi.Point {
	var idx []int
	var rates []kpi.Rate
	for i, pd := range periods {
		if !pd.Immature && pd.Rate.Trials() > 0 {
			idx, rates = append(idx, i), append(rates, pd.Rate)
		}
	}
	if len(rates) < 2 {
		return nil
	}
	ch, err := kpi.LaneyChart(rates)
	if err != nil {
		return nil // not reached: two or more periods, each with trials
	}
	out := make(map[int]kpi.Point, len(idx))
	for j, i := range idx {
		out[i] = ch.Points[j]
	}
	return out
}

// bandPoint is the always-valid interval of the running rate after the
// mature period i.
type bandPoint struct {
	i      int
	lo, hi float64
}

// sequenceBand returns the always-valid 95 % interval of the running rate
// after each mature period with trials, oldest first.
func sequenceBand(periods []Period) []bandPoint {
	seq := kpi.Sequence{Alpha: 1 - confidence}
	var out []bandPoint
	for i, pd := range periods {
		if pd.Immature || pd.Rate.Trials() == 0 {
			continue
		}
		if seq.Add(pd.Rate) != nil {
			return out // beyond kpi.MaxTrials in all: the band stops there
		}
		lo, hi, err := seq.Interval()
		if err != nil {
			return out // not reached: Alpha is valid
		}
		out = append(out, bandPoint{i, lo, hi})
	}
	return out
}

// trendKey is the x-axis note: what hollow points, dotted bars, rings
// and the shaded band mean, as far as the chart has them.
func trendKey(immature bool, lim map[int]kpi.Point, band bool) string {
	var parts []string
	if immature {
		parts = append(parts, "hollow: immature")
	}
	var fired kpi.Signal
	spread := false // limits apart: all at 0 % (or 100 %), they hide under the points
	for _, pt := range lim {
		fired |= pt.Signals
		spread = spread || pt.Upper > pt.Lower
	}
	if spread {
		parts = append(parts, "dotted: Laney p′ limits")
	}
	if fired != 0 {
		parts = append(parts, "ringed: "+fired.String())
	}
	if band {
		parts = append(parts, "shaded: always-valid 95% band")
	}
	return strings.Join(parts, " · ")
}

// markSizes are the sizes of a period's marks in points: the dot's radius,
// the ring's radius around a signal, half a whisker's cap, half a limit
// bar and the width of the whisker's line.
type markSizes struct{ dot, ring, cap, bar, line vg.Length }

// sizeMarks returns the sizes of the marks of periods step points apart.
// From 20 points apart they are full size (a dot of radius 3.5, a ring of
// 6.5, caps 6 across, bars 18 across, lines 1.2 wide); closer, each shrinks
// in proportion to the step, so that neighbours do not cover each other:
// a year of days on a 600-point sheet (1.4 points a day) draws a band of
// thin whiskers and a line of small dots, not a blot of overlapping ones.
// Dots and lines keep a least size (0.6 and 0.3 points) to stay visible.
func sizeMarks(step vg.Length) markSizes {
	return markSizes{
		dot:  max(0.6, min(3.5, 0.35*step)),
		ring: max(1.2, min(6.5, 0.5*step)),
		cap:  min(3, 0.3*step),
		bar:  min(9, 0.45*step),
		line: max(0.3, min(1.2, 0.3*step)),
	}
}

// limitBars draws a period's lower and upper control limits as short
// dotted bars across its x position, 2·half across.
func limitBars(c draw.Canvas, x, lo, hi, half vg.Length) {
	sty := draw.LineStyle{Color: greyColor, Width: min(1.2, half/3), Dashes: []vg.Length{1.5, 1.5}}
	for _, y := range []vg.Length{lo, hi} {
		c.StrokeLine2(sty, x-half, y, x+half, y)
	}
}

// circle returns the points of a circle of radius r around at.
func circle(at vg.Point, r vg.Length) []vg.Point {
	const n = 24
	pts := make([]vg.Point, n+1)
	for i := range pts {
		a := 2 * math.Pi * float64(i) / n
		pts[i] = vg.Point{X: at.X + r*vg.Length(math.Cos(a)), Y: at.Y + r*vg.Length(math.Sin(a))}
	}
	return pts
}

// periodLabels returns the axis labels, keeping every k-th so that they
// do not run into each other on the canvas.
func periodLabels(c draw.Canvas, periods []Period) []string {
	sty := style(9, inkColor)
	widest := vg.Length(1)
	labels := make([]string, len(periods))
	for i, pd := range periods {
		labels[i] = fit(sty, clean(pd.Label), 90)
		widest = max(widest, sty.Width(labels[i]))
	}
	room := (c.Max.X - c.Min.X - 60) / vg.Length(len(periods))
	every := int(math.Ceil(float64((widest + 6) / room)))
	for i := range labels {
		if every > 1 && i%every != 0 {
			labels[i] = ""
		}
	}
	return labels
}
