package chart

import (
	"io"
	"math"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// confidence is the level of every interval the charts draw.
const confidence = 0.95

// Funnel draws a funnel: on the left a bar per stage with its count, on a
// log scale so that 12,000 visits and 6 won deals both read; on the right,
// between the stages it joins, each step's conversion with its 95 % Wilson
// interval as a whisker, the step's target (if targets has one) as a
// vertical tick, and the bottleneck — the step below target whose target
// would add the most won deals (Funnel.Bottlenecks) — in the accent
// colour. Without targets nothing is marked as the bottleneck.
//
// Funnel returns an error wrapping kpi.ErrInvalid for a nil or empty
// funnel, bad options, or targets that Funnel.Bottlenecks rejects.
func Funnel(w io.Writer, f *funnel.Funnel, targets funnel.Targets, o Options) error {
	if f == nil || len(f.Stages()) == 0 {
		return invalid("Funnel", "funnel", "with no stages", "nothing to draw")
	}
	stages, steps := f.Stages(), f.Steps()
	bottleneck := ""
	if len(targets) > 0 {
		bs, err := f.Bottlenecks(targets, confidence)
		if err != nil {
			return err
		}
		if len(bs) > 0 && bs[0].Estimated && bs[0].Gain > 0 {
			bottleneck = bs[0].Step.To
		}
	}
	s, err := newSheet("Funnel", o, 600, 86+38*float64(len(stages)), "Funnel: stage counts and step conversion")
	if err != nil {
		return err
	}
	left, right := s.crop(0, 0.55), s.crop(0.59, 0.99)
	s.draw(stagePlot(left, stages, o), left)
	s.draw(stepPlot(steps, targets, bottleneck, o), right)
	return s.write(w)
}

// stagePlot draws the stage bars, top stage first, on a log scale.
func stagePlot(c draw.Canvas, stages []funnel.Stage, o Options) *plot.Plot {
	n := len(stages)
	p := newPlot()
	names := make([]string, n)
	label := style(9, inkColor)
	top := int64(1)
	for i, st := range stages {
		names[n-1-i] = fit(label, clean(st.Name), (c.Max.X-c.Min.X)*0.3)
		top = max(top, st.Count)
	}
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, logTicks
	p.X.Min, p.X.Max = 0.7, math.Pow(10, math.Ceil(math.Log10(float64(top))+0.5))
	p.X.Label.Text = "count (log scale)"
	p.Add(grid(true, false), marks(func(c draw.Canvas, tx, ty func(float64) vg.Length) {
		for i, st := range stages {
			y := ty(float64(n - 1 - i))
			half := (ty(1) - ty(0)) * 0.32
			end := c.Min.X
			if st.Count > 0 {
				end = tx(float64(st.Count))
				rect(c, o.series(0), c.Min.X, y-half, end, y+half)
			}
			c.FillText(label, vg.Point{X: end + 4, Y: y}, count(float64(st.Count)))
		}
	}))
	return p
}

// stepPlot draws each step's rate and interval between the rows of the
// stages it joins, with targets and the bottleneck.
func stepPlot(steps []funnel.Step, targets funnel.Targets, bottleneck string, o Options) *plot.Plot {
	n := len(steps) + 1
	p := newPlot()
	p.HideY()
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	p.X.Tick.Marker = percentTicks
	p.X.Min, p.X.Max = 0, stepRange(steps, targets)
	p.X.Label.Text = "step conversion, 95% interval; tick: target"
	p.Add(grid(true, false), marks(func(c draw.Canvas, tx, ty func(float64) vg.Length) {
		for j, st := range steps {
			y := ty(float64(n-1-j) - 0.5)
			clr, label := o.series(0), style(9, inkColor)
			if st.To == bottleneck {
				clr, label.Color, label.Font.Weight = o.accent(), o.accent(), xfont.WeightBold
			}
			if t, ok := targets[st.To]; ok {
				c.StrokeLine2(draw.LineStyle{Color: inkColor, Width: 1.6}, tx(t), y-7, tx(t), y+7)
			}
			v, err := st.Rate.Value()
			if err != nil {
				c.FillText(label, vg.Point{X: c.Min.X + 4, Y: y}, "no one entered this step")
				continue
			}
			lo, hi, _ := st.Rate.Interval(kpi.Wilson, confidence)
			whisker(c, clr, tx(lo), tx(hi), y, true)
			dot(c, clr, vg.Point{X: tx(v), Y: y}, 3.5, true)
			txt := percent(v)
			if st.To == bottleneck {
				txt += " bottleneck"
			}
			label.XAlign, label.YAlign = draw.XCenter, draw.YBottom
			x := clampText(c, label, txt, tx(v))
			c.FillText(label, vg.Point{X: x, Y: y + 8}, txt)
		}
	}))
	return p
}

// stepRange is the right end of the step axis: past every interval and
// target, with room for the labels, and never past 100 %.
func stepRange(steps []funnel.Step, targets funnel.Targets) float64 {
	top := 0.05
	for _, st := range steps {
		if _, hi, err := st.Rate.Interval(kpi.Wilson, confidence); err == nil {
			top = math.Max(top, hi)
		}
		if t, ok := targets[st.To]; ok {
			top = math.Max(top, t)
		}
	}
	return math.Min(1, top*1.12)
}

// clampText moves the centre x of a centred label so that the label stays
// inside the canvas.
func clampText(c draw.Canvas, sty text.Style, txt string, x vg.Length) vg.Length {
	half := sty.Width(txt) / 2
	return max(c.Min.X+half, min(x, c.Max.X-half))
}
