package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/kpiflow/kpi"
)

// Curves draws Kaplan–Meier conversion curves (kpi.KaplanMeier, or a
// funnel counter's per-step curves): for each curve, the share converted
// by each time as a step line, and its pointwise interval as a shaded
// band, with names[i] in the legend. Entities still inside their window
// are censored, not failures, so the curve reads a young period's
// conversion without understating it.
//
// Curves returns an error wrapping kpi.ErrInvalid when there are no
// curves, the names and curves differ in number, a curve is nil, a
// point's time is negative or not a finite number (kpi.KaplanMeier
// refuses such times too), its share is outside [0, 1], or its interval,
// when it has one (a Level other than 0), does not lie in [0, 1] around
// the share, when the legend of names would take more than half of the
// chart's height, and for bad options.
func Curves(w io.Writer, names []string, curves []*kpi.Curve, o Options) error {
	if len(curves) == 0 {
		return invalid("Curves", "curves", "[]", "nothing to draw")
	}
	if len(names) != len(curves) {
		return invalid("Curves", "names", fmt.Sprintf("%d names", len(names)), fmt.Sprintf("want one per curve, %d", len(curves)))
	}
	end, top := 0.0, 0.05
	for i, c := range curves {
		if c == nil {
			return invalid("Curves", fmt.Sprintf("curves[%d]", i), "nil", "nothing to draw")
		}
		for j, pt := range c.Points {
			hi := math.Max(pt.Share, pt.Interval.Hi)
			if !(pt.Time >= 0) || math.IsInf(pt.Time, 0) || !(pt.Share >= 0 && hi <= 1) {
				return invalid("Curves", fmt.Sprintf("curves[%d].Points[%d]", i, j), fmt.Sprintf("time %v share %v", pt.Time, pt.Share), "not a finite time from 0 and a share in [0, 1]")
			}
			if iv := pt.Interval; iv.Level != 0 && !(iv.Lo >= 0 && iv.Lo <= pt.Share && pt.Share <= iv.Hi) {
				return invalid("Curves", fmt.Sprintf("curves[%d].Points[%d].Interval", i, j), fmt.Sprintf("[%v, %v] around share %v", iv.Lo, iv.Hi, pt.Share), "not an interval in [0, 1] around the share")
			}
			end, top = math.Max(end, pt.Time), math.Max(top, hi)
		}
	}
	s, err := newSheet("Curves", o, 560, 340, "Conversion over time since entering the step")
	if err != nil {
		return err
	}
	area, err := legend("Curves", "names", s.area, names, o.colors(len(curves)))
	if err != nil {
		return err
	}
	p := newPlot()
	p.X.Min, p.X.Max = 0, math.Max(end, 1e-9)*1.03
	p.Y.Min, p.Y.Max, p.Y.Tick.Marker = 0, math.Min(1, top*1.1), percentTicks
	p.X.Label.Text = "time since entering the step"
	p.Y.Label.Text = "share converted, shaded: interval"
	p.Add(grid(true, true), marks(func(c draw.Canvas, tx, ty func(float64) vg.Length) {
		lines := make([][]vg.Point, len(curves))
		for i, cv := range curves { // the bands first, so that no band hides a line
			r, g, b, _ := o.series(i).RGBA()
			band := color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x38}
			lo, hi, mid := steps(cv, tx, ty)
			if len(cv.Points) > 0 {
				c.FillPolygon(band, append(hi, reverse(lo)...))
			}
			lines[i] = mid
		}
		for i, mid := range lines {
			c.StrokeLines(draw.LineStyle{Color: o.series(i), Width: 1.8}, mid)
		}
	}))
	s.draw(p, area)
	return s.write(w)
}

// steps returns a curve's lower band edge, upper edge and line as step
// functions from time 0, each ending at the curve's last time.
func steps(cv *kpi.Curve, tx, ty func(float64) vg.Length) (lo, hi, mid []vg.Point) {
	pl, ph, pm := 0.0, 0.0, 0.0
	add := func(t, l, h, m float64) {
		x := tx(t)
		lo = append(lo, vg.Point{X: x, Y: ty(pl)}, vg.Point{X: x, Y: ty(l)})
		hi = append(hi, vg.Point{X: x, Y: ty(ph)}, vg.Point{X: x, Y: ty(h)})
		mid = append(mid, vg.Point{X: x, Y: ty(pm)}, vg.Point{X: x, Y: ty(m)})
		pl, ph, pm = l, h, m
	}
	add(0, 0, 0, 0)
	for _, pt := range cv.Points {
		l, h := pt.Interval.Lo, pt.Interval.Hi
		if pt.Interval.Level == 0 { // no interval given: the band is the line
			l, h = pt.Share, pt.Share
		}
		add(pt.Time, l, h, pt.Share)
	}
	return lo, hi, mid
}

// reverse returns the points in the opposite order.
func reverse(pts []vg.Point) []vg.Point {
	out := make([]vg.Point, len(pts))
	for i, p := range pts {
		out[len(pts)-1-i] = p
	}
	return out
}
