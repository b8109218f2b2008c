package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"

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
	cells := newHeatCells(t, ages)
	p.Add(marks(cells.draw))
	s.draw(p, s.area)
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

// heatLevels is the number of values a cell can show, in tenths of a
// per cent from 0 to 100 %.
const heatLevels = 1001

// heatCells are a heat map's cells gathered by the value they show, so
// that all cells of one colour are one path and each distinct number is
// formatted once: the SVG writer spends about as much on a path of one
// cell as on a path of hundreds, and a grid of 2400 cells shows about a
// hundred distinct values. A cell's colour comes from the value it shows,
// so two cells that read the same are the same colour.
type heatCells struct {
	rows, ages int
	levels     []int16            // per cohort and age, the level shown; −1: not reached
	counts     [heatLevels]int    // the number of cells at each level
	blanks     int                // the number of unreached cells
	labels     [heatLevels]string // the number shown at each level, once formatted
}

// newHeatCells reads the level of each cell of a table drawn with ages
// columns.
func newHeatCells(t *cohort.Table, ages int) *heatCells {
	h := &heatCells{rows: len(t.Cohorts), ages: ages, levels: make([]int16, len(t.Cohorts)*ages)}
	for i, co := range t.Cohorts {
		for a := range ages {
			r, err := co.LogoRetention(a)
			v, verr := r.Value()
			if err != nil || verr != nil {
				h.levels[i*ages+a] = -1
				h.blanks++
				continue
			}
			l := level(v)
			h.levels[i*ages+a] = int16(l)
			h.counts[l]++
		}
	}
	return h
}

// draw fills the cells a level at a time, strokes the dashed outlines of
// the unreached ones, and, where the cells are wide enough, writes each
// reached cell's number on it, white on the dark cells.
func (h *heatCells) draw(c draw.Canvas, tx, ty func(float64) vg.Length) {
	cw, ch := tx(1)-tx(0), ty(1)-ty(0)
	box := func(k int) (vg.Point, vg.Point) {
		x, y := tx(float64(k%h.ages)), ty(float64(h.rows-1-k/h.ages))
		return vg.Point{X: x - cw/2 + 0.5, Y: y - ch/2 + 0.5}, vg.Point{X: x + cw/2 - 0.5, Y: y + ch/2 - 0.5}
	}
	// The cells in order of their level, the unreached last (a counting
	// sort), so that each level's path is built in turn in one reused
	// path.
	order, next := make([]int32, len(h.levels)), make([]int, heatLevels+1)
	for l := 1; l <= heatLevels; l++ {
		next[l] = next[l-1] + h.counts[l-1]
	}
	for k, l := range h.levels {
		if l < 0 {
			l = heatLevels
		}
		order[next[l]], next[l] = int32(k), next[l]+1
	}
	var p vg.Path
	for i := 0; i < len(order); {
		l := h.levels[order[i]]
		p = p[:0]
		for ; i < len(order) && h.levels[order[i]] == l; i++ {
			lo, hi := box(int(order[i]))
			p.Move(lo)
			p.Line(vg.Point{X: lo.X, Y: hi.Y})
			p.Line(hi)
			p.Line(vg.Point{X: hi.X, Y: lo.Y})
			if l < 0 {
				p.Line(lo) // an outline, stroked
			} else {
				p.Close()
			}
		}
		if l < 0 {
			c.SetLineStyle(draw.LineStyle{Color: gridColor, Width: 0.8, Dashes: []vg.Length{2, 2}})
			c.Stroke(p)
			continue
		}
		c.SetColor(heat(float64(l) / (heatLevels - 1)))
		c.Fill(p)
	}
	h.numbers(c, newCellText(style(min(9, ch*0.5), inkColor)), box, cw)
}

// numbers writes each reached cell's number on it, white on the dark
// cells, when the widest number fits the cells' width cw.
func (h *heatCells) numbers(c draw.Canvas, txt *cellText, box func(int) (vg.Point, vg.Point), cw vg.Length) {
	if txt.width("100%") > cw-2 {
		return
	}
	for k, l := range h.levels {
		if l < 0 {
			continue
		}
		if h.labels[l] == "" {
			h.labels[l] = percent(float64(l) / (heatLevels - 1))
		}
		clr := color.Color(inkColor)
		if l > 550 {
			clr = color.White
		}
		lo, hi := box(k)
		txt.draw(c, clr, vg.Point{X: (lo.X + hi.X) / 2, Y: (lo.Y + hi.Y) / 2}, h.labels[l])
	}
}

// level is the value a retention v in [0, 1] shows, in tenths of a per
// cent, rounded as percent rounds it: to 0.1 % below 10 %, to 1 % above.
func level(v float64) int {
	v = max(0, min(1, v))
	if v < 0.1 {
		return int(math.RoundToEven(1000 * v))
	}
	return 10 * int(math.RoundToEven(100*v))
}

// heat is the colour of a retention v in [0, 1], from light to dark.
func heat(v float64) color.Color {
	v = max(0, min(1, v))
	mix := func(a, b uint8) uint8 { return uint8(float64(a) + (float64(b)-float64(a))*v + 0.5) }
	return color.RGBA{R: mix(coldColor.R, hotColor.R), G: mix(coldColor.G, hotColor.G), B: mix(coldColor.B, hotColor.B), A: 0xff}
}
