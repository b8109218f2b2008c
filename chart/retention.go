package chart

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/kpiflow/kpi/cohort"
)

// Retention draws a cohort table's logo retention as a heat map: a row per
// cohort, oldest at the top, labelled with its start and size; a column
// per age since acquisition; in each cell the share of the cohort's
// customers active at that age, as a colour from light (0 %) to dark
// (100 %) and as a number when the cell is wide enough. Cells a cohort has
// not reached yet are left blank inside a dashed outline, never drawn as
// 0 %.
//
// Retention returns an error wrapping kpi.ErrInvalid for a nil table or
// one without cohorts, and for bad options.
func Retention(w io.Writer, t *cohort.Table, o Options) error {
	if t == nil || len(t.Cohorts) == 0 {
		return invalid("Retention", "table", "with no cohorts", "nothing to draw")
	}
	rows, ages := len(t.Cohorts), max(t.Ages(), 1)
	s, err := newSheet("Retention", o, max(360, 130+40*float64(ages)), 96+22*float64(rows), "Logo retention by cohort")
	if err != nil {
		return err
	}
	p := newPlot()
	names := make([]string, rows)
	for i, c := range t.Cohorts {
		names[rows-1-i] = fmt.Sprintf("%s · %s", cohortName(t.Grain, c), count(float64(c.Size)))
	}
	cols := make([]string, ages)
	for a := range cols {
		cols[a] = fmt.Sprint(a)
	}
	p.NominalX(cols...)
	p.NominalY(names...)
	p.X.Min, p.X.Max = -0.5, float64(ages)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(rows)-0.5
	p.X.Label.Text = t.Grain.String() + "s since acquisition; blank: not reached yet"
	p.Add(marks(func(c draw.Canvas, tx, ty func(float64) vg.Length) {
		cw, ch := tx(1)-tx(0), ty(1)-ty(0)
		txt := newCellText(style(min(9, ch*0.5), inkColor))
		fits := txt.width("100%") <= cw-2
		for i, co := range t.Cohorts {
			y := ty(float64(rows - 1 - i))
			for a := range ages {
				x := tx(float64(a))
				x0, y0, x1, y1 := x-cw/2+0.5, y-ch/2+0.5, x+cw/2-0.5, y+ch/2-0.5
				r, err := co.LogoRetention(a)
				v, verr := r.Value()
				if err != nil || verr != nil {
					outline(c, x0, y0, x1, y1)
					continue
				}
				rect(c, heat(v), x0, y0, x1, y1)
				if fits {
					clr := color.Color(inkColor)
					if v > 0.55 {
						clr = color.White
					}
					txt.draw(c, clr, vg.Point{X: x, Y: y}, percent(v))
				}
			}
		}
	}))
	p.Draw(s.area)
	return s.write(w)
}

// cohortName is a cohort's start in the words of its grain: "Jan 2024",
// "2024 Q1", "week of 2024-01-01".
func cohortName(g cohort.Grain, c cohort.Cohort) string {
	switch g {
	case cohort.Quarter:
		return fmt.Sprintf("%d Q%d", c.Start.Year(), (int(c.Start.Month())+2)/3)
	case cohort.Week:
		return c.Start.Format("2006-01-02")
	}
	return c.Start.Format("Jan 2006")
}

// cellText draws the numbers in the cells, centred, without measuring
// each one anew: a grid of 2400 cells has about a hundred distinct
// numbers, and measuring text is most of what drawing it costs.
type cellText struct {
	face   font.Face
	dy     vg.Length // from the cell's centre to the text's baseline
	widths map[string]vg.Length
}

func newCellText(sty text.Style) *cellText {
	face := sty.Handler.Cache().Lookup(sty.Font, sty.Font.Size)
	ext := face.Extents()
	return &cellText{face: face, dy: -(ext.Ascent+ext.Descent)/2 - ext.Ascent + sty.Font.Size, widths: map[string]vg.Length{}}
}

// width returns the width of s, measured once.
func (t *cellText) width(s string) vg.Length {
	w, ok := t.widths[s]
	if !ok {
		w = t.face.Width(s)
		t.widths[s] = w
	}
	return w
}

// draw writes s centred on ctr.
func (t *cellText) draw(c draw.Canvas, clr color.Color, ctr vg.Point, s string) {
	c.SetColor(clr)
	c.FillString(t.face, vg.Point{X: ctr.X - t.width(s)/2, Y: ctr.Y + t.dy}, s)
}

// outline strokes the dashed border of an unreached cell.
func outline(c draw.Canvas, x0, y0, x1, y1 vg.Length) {
	sty := draw.LineStyle{Color: gridColor, Width: 0.8, Dashes: []vg.Length{2, 2}}
	c.StrokeLines(sty, []vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}, {X: x0, Y: y0}})
}

// heat is the colour of a retention v in [0, 1], from light to dark.
func heat(v float64) color.Color {
	v = max(0, min(1, v))
	mix := func(a, b uint8) uint8 { return uint8(float64(a) + (float64(b)-float64(a))*v + 0.5) }
	return color.RGBA{R: mix(coldColor.R, hotColor.R), G: mix(coldColor.G, hotColor.G), B: mix(coldColor.B, hotColor.B), A: 0xff}
}
