package chart

import (
	"io"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/kpiflow/kpi"
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

// Trend draws a step's rate over periods, oldest first: a point per period
// with its 95 % Wilson interval as a whisker, immature periods hollow, and
// the centre line at the rate pooled over the mature periods (all
// successes over all trials). A period with no trials has no point.
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
	p := newPlot()
	p.NominalX(periodLabels(s.area, periods)...)
	p.X.Min, p.X.Max = -0.6, float64(len(periods))+0.2+0.04*float64(len(periods)) // room for the average's label
	p.Y.Min, p.Y.Max, p.Y.Tick.Marker = 0, math.Min(1, top*1.1), percentTicks
	p.Y.Label.Text = "conversion, 95% interval"
	if immature {
		p.X.Label.Text = "hollow: immature, still converting"
	}
	p.Add(grid(false, true), marks(func(c draw.Canvas, tx, ty func(float64) vg.Length) {
		if trials > 0 {
			avg := float64(succ) / float64(trials)
			sty := draw.LineStyle{Color: greyColor, Width: 1, Dashes: []vg.Length{4, 3}}
			c.StrokeLine2(sty, c.Min.X, ty(avg), c.Max.X, ty(avg))
			label := style(9, greyColor)
			label.XAlign, label.YAlign = draw.XRight, draw.YBottom
			c.FillText(label, vg.Point{X: c.Max.X - 2, Y: ty(avg) + 2}, "average "+percent(avg))
		}
		for i, pd := range periods {
			v, err := pd.Rate.Value()
			if err != nil {
				continue
			}
			lo, hi, _ := pd.Rate.Interval(kpi.Wilson, confidence)
			whisker(c, o.series(0), ty(lo), ty(hi), tx(float64(i)), false)
			dot(c, o.series(0), vg.Point{X: tx(float64(i)), Y: ty(v)}, 3.5, !pd.Immature)
		}
	}))
	p.Draw(s.area)
	return s.write(w)
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
