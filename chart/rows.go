package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// rowBars are horizontal bars in rows, one row per name, top first, with
// a bar per series in each row and a label at the end of each bar.
type rowBars struct {
	names  []string
	values [][]float64 // values[row][series]
	labels [][]string  // labels[row][series]
	colors []color.Color
	log    bool // a log axis from 1, for counts that span decades
	xlabel string
}

// plot lays the rows out on canvas c.
func (b rowBars) plot(c draw.Canvas) *plot.Plot {
	n := len(b.names)
	p := newPlot()
	names := make([]string, n)
	sty := style(9, inkColor)
	top := 0.0
	for i, name := range b.names {
		names[n-1-i] = fit(sty, clean(name), (c.Max.X-c.Min.X)*0.28)
		for _, v := range b.values[i] {
			top = math.Max(top, v)
		}
	}
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	p.X.Label.Text = b.xlabel
	if b.log {
		p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, logTicks
		p.X.Min, p.X.Max = 0.7, math.Pow(10, math.Ceil(math.Log10(math.Max(top, 1))+0.5))
	} else {
		p.X.Tick.Marker = percentTicks
		p.X.Min, p.X.Max = 0, math.Max(top, 0.01)*1.22
	}
	p.Add(grid(true, false), marks(func(c draw.Canvas, tx, ty func(float64) vg.Length) {
		band := (ty(1) - ty(0)) * 0.72
		for i := range b.names {
			k := len(b.values[i])
			h := band / vg.Length(max(k, 1))
			y0 := ty(float64(n-1-i)) + band/2
			for j, v := range b.values[i] {
				lo, hi := y0-vg.Length(j+1)*h, y0-vg.Length(j)*h
				end := c.Min.X
				if v > 0 && (!b.log || v >= p.X.Min) {
					end = tx(v)
					rect(c, b.colors[j%len(b.colors)], c.Min.X, lo+0.5, end, hi-0.5)
				}
				label := style(min(9, max(6, h*0.8)), inkColor)
				if h >= 6 {
					c.FillText(label, vg.Point{X: end + 3, Y: (lo + hi) / 2}, b.labels[i][j])
				}
			}
		}
	}))
	return p
}

// legend draws rows of colour swatches and names along the top of c and
// returns the canvas below them. When the rows would take more than half
// of c's height it draws nothing and returns the error of too many names
// (arg) for function fn: below a legend of a thousand names the plot had
// a negative height and its text was placed at NaN.
func legend(fn, arg string, c draw.Canvas, names []string, colors []color.Color) (draw.Canvas, error) {
	sty := style(9, inkColor)
	type entry struct {
		name string
		at   vg.Point
	}
	entries := make([]entry, len(names))
	x, y := c.Min.X, c.Max.Y-7
	for i, name := range names {
		name = fit(sty, clean(name), 160)
		w := 13 + sty.Width(name) + 14
		if x > c.Min.X && x+w-14 > c.Max.X {
			x, y = c.Min.X, y-14
			if c.Max.Y-y+11 > (c.Max.Y-c.Min.Y)/2 {
				return c, invalid(fn, arg, fmt.Sprintf("%d names", len(names)), "more than the legend has room for at this size")
			}
		}
		entries[i] = entry{name, vg.Point{X: x, Y: y}}
		x += w
	}
	for i, e := range entries {
		rect(c, colors[i%len(colors)], e.at.X, e.at.Y-4.5, e.at.X+9, e.at.Y+4.5)
		c.FillText(sty, vg.Point{X: e.at.X + 13, Y: e.at.Y}, e.name)
	}
	return draw.Crop(c, 0, 0, 0, -(c.Max.Y-y)-11), nil
}
