package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/scoring"
)

// rocPoints is the most points ROC draws; more leads are grouped by rank.
const rocPoints = 400

// ROC draws the receiver operating characteristic of a score: the share of
// converted leads selected (true-positive rate) against the share of the
// others selected (false-positive rate) as the threshold falls from the
// top score, with the diagonal of a score no better than chance and the
// AUC in the legend. Above 400 leads the curve passes through the edges
// of 400 groups of equal size (Evaluation.Gains), which sit on the exact
// curve; ties are split as Gains splits them.
//
// ROC returns an error wrapping kpi.ErrInvalid for a nil or empty
// evaluation and for bad options.
func ROC(w io.Writer, e *scoring.Evaluation, o Options) error {
	gs, err := gains("ROC", e, rocPoints)
	if err != nil {
		return err
	}
	n, pos := e.Leads()
	neg := float64(n - pos)
	xs, ys := []float64{0}, []float64{0}
	var leads, conv float64
	for _, g := range gs {
		leads, conv = leads+float64(g.Leads), conv+g.Converted
		xs, ys = append(xs, (leads-conv)/neg), append(ys, conv/float64(pos))
	}
	s, err := newSheet("ROC", o, 420, 400, "ROC curve")
	if err != nil {
		return err
	}
	area, err := legend("ROC", "legend", s.area, []string{fmt.Sprintf("score, AUC %.3f", e.AUC()), "chance, AUC 0.500"}, []color.Color{o.series(0), greyColor})
	if err != nil {
		return err // not reached: two names fit at any size
	}
	p := unitPlot("share of others selected (false-positive rate)", "share of converted selected (true-positive rate)")
	p.Add(marks(func(c draw.Canvas, tx, ty func(float64) vg.Length) {
		diagonal(c, tx, ty)
		curve(c, o.series(0), tx, ty, xs, ys)
	}))
	s.draw(p, area)
	return s.write(w)
}

// Gains draws the cumulative gains curve by decile: for the top 10 %, 20 %
// … of leads by score, the share of all converted leads they hold, each
// point labelled, against the diagonal of random selection. With fewer
// than 10 leads there is a point per lead.
//
// Gains returns an error wrapping kpi.ErrInvalid for a nil or empty
// evaluation and for bad options.
func Gains(w io.Writer, e *scoring.Evaluation, o Options) error {
	gs, err := gains("Gains", e, 10)
	if err != nil {
		return err
	}
	n, _ := e.Leads()
	xs, ys := []float64{0}, []float64{0}
	for _, g := range gs {
		xs, ys = append(xs, float64(g.Start+g.Leads)/float64(n)), append(ys, g.Gain)
	}
	s, err := newSheet("Gains", o, 480, 360, "Cumulative gains: converted leads found in the top-scored")
	if err != nil {
		return err
	}
	area, err := legend("Gains", "legend", s.area, []string{"score", "random"}, []color.Color{o.series(0), greyColor})
	if err != nil {
		return err // not reached: two names fit at any size
	}
	p := unitPlot("share of leads, highest scores first", "share of converted leads")
	p.Add(grid(true, true), marks(func(c draw.Canvas, tx, ty func(float64) vg.Length) {
		diagonal(c, tx, ty)
		curve(c, o.series(0), tx, ty, xs, ys)
		sty := style(8.5, inkColor)
		sty.XAlign, sty.YAlign = draw.XRight, draw.YBottom
		for i := 1; i < len(xs); i++ {
			pt := vg.Point{X: tx(xs[i]), Y: ty(ys[i])}
			dot(c, o.series(0), pt, 3, true)
			if i < len(xs)-1 {
				c.FillText(sty, vg.Point{X: pt.X - 3, Y: pt.Y + 3}, percent(ys[i]))
			}
		}
	}))
	s.draw(p, area)
	return s.write(w)
}

// Lift draws the lift of each decile of leads by score, top decile first:
// its conversion rate over the overall rate, as a bar labelled "2.4×",
// with the line at 1× of a decile that converts as the average lead does.
// With fewer than 10 leads there is a bar per lead.
//
// Lift returns an error wrapping kpi.ErrInvalid for a nil or empty
// evaluation and for bad options.
func Lift(w io.Writer, e *scoring.Evaluation, o Options) error {
	gs, err := gains("Lift", e, 10)
	if err != nil {
		return err
	}
	s, err := newSheet("Lift", o, 480, 320, "Lift by decile of score")
	if err != nil {
		return err
	}
	names := make([]string, len(gs))
	top := 1.0
	for k, g := range gs {
		names[k] = fmt.Sprint(k + 1)
		top = math.Max(top, g.Lift)
	}
	p := newPlot()
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(gs))-0.4
	p.Y.Min, p.Y.Max = 0, top*1.15
	p.X.Label.Text = "decile, highest scores first"
	p.Y.Label.Text = "lift (× average conversion)"
	p.Add(grid(false, true), marks(func(c draw.Canvas, tx, ty func(float64) vg.Length) {
		half := (tx(1) - tx(0)) * 0.36
		sty := style(8.5, inkColor)
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YBottom
		for k, g := range gs {
			x := tx(float64(k))
			if g.Lift > 0 {
				rect(c, o.series(0), x-half, ty(0), x+half, ty(g.Lift))
			}
			c.FillText(sty, vg.Point{X: x, Y: ty(g.Lift) + 2}, times(g.Lift))
		}
		c.StrokeLine2(draw.LineStyle{Color: inkColor, Width: 1, Dashes: []vg.Length{4, 3}}, c.Min.X, ty(1), c.Max.X, ty(1))
	}))
	s.draw(p, s.area)
	return s.write(w)
}

// Reliability draws a reliability (calibration) diagram from the bins of
// scoring.Reliability: in each bin the share of leads that converted,
// with its 95 % Wilson interval, against the mean predicted probability,
// and the diagonal where the two agree.
//
// Reliability returns an error wrapping kpi.ErrInvalid when there are no
// bins or a bin's prediction is outside [0, 1], and for bad options.
func Reliability(w io.Writer, bins []scoring.Calibration, o Options) error {
	if len(bins) == 0 {
		return invalid("Reliability", "bins", "[]", "nothing to draw")
	}
	for i, b := range bins {
		if !(b.Predicted >= 0 && b.Predicted <= 1) {
			return invalid("Reliability", fmt.Sprintf("bins[%d].Predicted", i), b.Predicted, "outside [0, 1]")
		}
	}
	s, err := newSheet("Reliability", o, 420, 400, "Reliability: predicted against observed conversion")
	if err != nil {
		return err
	}
	area, err := legend("Reliability", "legend", s.area, []string{"observed, 95% interval", "perfectly calibrated"}, []color.Color{o.series(0), greyColor})
	if err != nil {
		return err // not reached: two names fit at any size
	}
	p := unitPlot("predicted probability (bin mean)", "observed conversion")
	p.Add(grid(true, true), marks(func(c draw.Canvas, tx, ty func(float64) vg.Length) {
		diagonal(c, tx, ty)
		for _, b := range bins {
			v, err := b.Rate.Value()
			if err != nil {
				continue
			}
			lo, hi, _ := b.Rate.Interval(kpi.Wilson, confidence)
			whisker(c, o.series(0), ty(lo), ty(hi), tx(b.Predicted), false)
			dot(c, o.series(0), vg.Point{X: tx(b.Predicted), Y: ty(v)}, 3.5, true)
		}
	}))
	s.draw(p, area)
	return s.write(w)
}

// scoreBins is the number of bins of Scores.
const scoreBins = 20

// Scores draws the distributions of the scores of converted leads and of
// the others, in 20 bins of equal width from the lowest score to the
// highest, each as a share of its own group so that a few hundred
// converted leads show beside thousands of others.
//
// Scores returns an error wrapping kpi.ErrInvalid for a nil or empty
// evaluation and for bad options.
func Scores(w io.Writer, e *scoring.Evaluation, o Options) error {
	gs, err := gains("Scores", e, 1)
	if err != nil {
		return err
	}
	lo, hi := gs[0].MinScore, gs[0].MaxScore
	// Each cut is a weighted mean of lo and hi, whose terms are each at
	// most max(|lo|, |hi|) in size: lo + k·(hi − lo)/20 overflowed to
	// +Inf for scores near ±MaxFloat64, and Bands refused the cut.
	var cuts []float64
	for k := 1; k < scoreBins && lo < hi; k++ {
		c := lo/scoreBins*float64(scoreBins-k) + hi/scoreBins*float64(k)
		if c = min(c, hi); c > lo && (len(cuts) == 0 || c > cuts[len(cuts)-1]) {
			cuts = append(cuts, c)
		}
	}
	bands, err := e.Bands(cuts, kpi.Wilson, confidence)
	if err != nil {
		return err
	}
	s, err := newSheet("Scores", o, 560, 320, "Score distributions: converted and not")
	if err != nil {
		return err
	}
	area, err := legend("Scores", "legend", s.area, []string{"converted", "not converted"}, []color.Color{o.series(0), o.series(1)})
	if err != nil {
		return err // not reached: two names fit at any size
	}
	p := scorePlot(bands, e, o)
	s.draw(p, area)
	return s.write(w)
}

// scorePlot draws each band's two shares as bars side by side.
func scorePlot(bands []scoring.ScoreBand, e *scoring.Evaluation, o Options) *plot.Plot {
	n, pos := e.Leads()
	neg := n - pos
	share := func(k, of int64) float64 { return float64(k) / float64(max(of, 1)) }
	top := 0.01
	for _, b := range bands {
		top = math.Max(top, math.Max(share(b.Rate.Successes(), pos), share(b.Rate.Trials()-b.Rate.Successes(), neg)))
	}
	names := make([]string, len(bands))
	for i, b := range bands {
		if i%max(1, len(bands)/5) == 0 || i == len(bands)-1 {
			names[i] = bandName(b, i, len(bands))
		}
	}
	p := newPlot()
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(bands))-0.4
	p.Y.Min, p.Y.Max, p.Y.Tick.Marker = 0, top*1.1, percentTicks
	p.X.Label.Text = "score (bin start)"
	p.Y.Label.Text = "share of the group's leads"
	p.Add(grid(false, true), marks(func(c draw.Canvas, tx, ty func(float64) vg.Length) {
		half := (tx(1) - tx(0)) * 0.42
		for i, b := range bands {
			x := tx(float64(i))
			if v := share(b.Rate.Successes(), pos); v > 0 {
				rect(c, o.series(0), x-half, ty(0), x, ty(v))
			}
			if v := share(b.Rate.Trials()-b.Rate.Successes(), neg); v > 0 {
				rect(c, o.series(1), x, ty(0), x+half, ty(v))
			}
		}
	}))
	return p
}

// bandName labels a band by its lower edge; the first band starts at the
// lowest score.
func bandName(b scoring.ScoreBand, i, n int) string {
	v := b.Min
	if i == 0 || math.IsInf(v, 0) {
		v = b.Max
		if n == 1 || math.IsInf(v, 0) {
			return "all"
		}
		return fmt.Sprintf("<%.3g", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// gains checks an evaluation and returns its gains table in at most
// groups groups.
func gains(fn string, e *scoring.Evaluation, groups int) ([]scoring.Gain, error) {
	if e == nil {
		return nil, invalid(fn, "evaluation", "nil", "nothing to draw")
	}
	n, pos := e.Leads()
	if n == 0 || pos == 0 || pos == n {
		return nil, invalid(fn, "evaluation", fmt.Sprintf("%d leads, %d converted", n, pos), "needs converted leads and others")
	}
	return e.Gains(int(min(int64(groups), n)))
}

// unitPlot is a plot of shares against shares, both axes from 0 to 100 %.
func unitPlot(x, y string) *plot.Plot {
	p := newPlot()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.X.Tick.Marker, p.Y.Tick.Marker = percentTicks, percentTicks
	p.X.Label.Text, p.Y.Label.Text = x, y
	return p
}

// diagonal strokes the dashed line from (0, 0) to (1, 1).
func diagonal(c draw.Canvas, tx, ty func(float64) vg.Length) {
	c.StrokeLine2(draw.LineStyle{Color: greyColor, Width: 1, Dashes: []vg.Length{4, 3}}, tx(0), ty(0), tx(1), ty(1))
}

// curve strokes the line through the points (xs[i], ys[i]).
func curve(c draw.Canvas, clr color.Color, tx, ty func(float64) vg.Length, xs, ys []float64) {
	pts := make([]vg.Point, len(xs))
	for i := range xs {
		pts[i] = vg.Point{X: tx(xs[i]), Y: ty(ys[i])}
	}
	c.StrokeLines(draw.LineStyle{Color: clr, Width: 2}, pts)
}

// times formats a lift: one decimal ("2.4×"), two below 0.1 so that a
// small lift does not read as none ("0.04×"), and "0×" for none.
func times(v float64) string {
	switch {
	case v == 0:
		return "0×"
	case math.Abs(v) < 0.095:
		return fmt.Sprintf("%.2f×", v)
	}
	return fmt.Sprintf("%.1f×", v)
}
