package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/kpiflow/kpi"
)

// Options are what a caller may change about a chart. The zero Options
// draw every chart at its own size, with its own title, in the package's
// colours.
type Options struct {
	// Width and Height are the size of the picture in points (1/72 inch).
	// Zero takes the chart's default, which for the funnel, the plan and
	// the retention grid grows with the number of rows. Each must be 0 or
	// between 120 and 7200.
	Width, Height float64

	// Title replaces the chart's own title when it is not empty.
	Title string

	// Colors are the colours of the series, in order: the bars, the first
	// model or curve, then the next. Missing ones come from the package's
	// palette, so one colour changes the first series only.
	Colors []color.Color

	// Accent is the colour of what the chart points at: the bottleneck
	// step, a period outside its limits. Nil takes a red. A fully
	// transparent colour counts as missing.
	Accent color.Color

	// Format is the file format written: SVG (the zero value) or PNG.
	Format Format

	// DPI is the resolution of a PNG in pixels per inch: a side of w
	// points is w × DPI / 72 pixels, rounded. Zero takes 144, two pixels
	// a point, sharp on high-density screens. It must be 0 or between 36
	// and 600, and a PNG may have at most 40 million pixels (160 MB while
	// it is drawn). An SVG has no resolution and ignores it.
	DPI int
}

// Format is the file format a chart is written in.
type Format int

// The formats of a chart. An SVG keeps its text as text, searchable
// and sharp at any size; a PNG is a picture for where SVG is not taken
// (e-mail, chat, slides), drawn by the same plotting library.
const (
	SVG Format = iota
	PNG
)

// The limits on a PNG: its resolution and its number of pixels.
const (
	defaultDPI = 144
	minDPI     = 36
	maxDPI     = 600
	maxPixels  = 40e6
)

// The limits on a chart's sides, in points.
const (
	minSide = 120
	maxSide = 7200
)

// palette is the package's series colours (Tableau 10, which stay apart
// for the common kinds of colour blindness and in greyscale print).
var palette = []color.Color{
	rgb(0x4e79a7), rgb(0xf28e2b), rgb(0x59a14f), rgb(0xb07aa1),
	rgb(0x76b7b2), rgb(0xedc948), rgb(0xff9da7), rgb(0x9c755f), rgb(0xbab0ac),
}

// Fixed colours: the accent, the ink of text and marks, the grey of the
// context (axes, grid, reference lines), and the heat map's two ends.
var (
	accentColor = rgb(0xe15759)
	inkColor    = rgb(0x333333)
	greyColor   = rgb(0x8c8c8c)
	gridColor   = rgb(0xe6e6e6)
	coldColor   = rgb(0xf0f5fa)
	hotColor    = rgb(0x1f4e79)
)

func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// series returns the colour of series i. A missing or fully transparent
// colour takes the palette's.
func (o Options) series(i int) color.Color {
	if i < len(o.Colors) && visible(o.Colors[i]) {
		return o.Colors[i]
	}
	return palette[i%len(palette)]
}

func (o Options) accent() color.Color {
	if visible(o.Accent) {
		return o.Accent
	}
	return accentColor
}

// visible reports a colour that is set and not fully transparent (which
// the SVG writer cannot write).
func visible(c color.Color) bool {
	if c == nil {
		return false
	}
	_, _, _, a := c.RGBA()
	return a > 0
}

// title returns the caller's title or the chart's own.
func (o Options) title(own string) string {
	if o.Title != "" {
		return clean(o.Title)
	}
	return own
}

// size checks the options' size and returns it, or the default w × h.
func (o Options) size(fn string, w, h float64) (vg.Length, vg.Length, error) {
	side := func(name string, v, def float64) (vg.Length, error) {
		switch {
		case v == 0:
			return vg.Length(math.Min(math.Max(def, minSide), maxSide)), nil
		case math.IsNaN(v) || v < minSide || v > maxSide:
			return 0, invalid(fn, "Options."+name, v, fmt.Sprintf("outside [%d, %d] points", minSide, maxSide))
		}
		return vg.Length(v), nil
	}
	wd, err := side("Width", o.Width, w)
	if err != nil {
		return 0, 0, err
	}
	ht, err := side("Height", o.Height, h)
	return wd, ht, err
}

// invalid returns the error of bad input, in the library's form.
func invalid(fn, arg string, value any, reason string) error {
	return &kpi.Error{Func: "chart." + fn, Arg: arg, Value: value, Reason: reason, Err: kpi.ErrInvalid}
}

// sheet is one picture being drawn: the canvas (SVG or PNG), the area
// left under the title, the options and the picture's text handler.
type sheet struct {
	canvas vg.CanvasWriterTo
	area   draw.Canvas
	opts   Options
	texts  *texts
}

// newSheet checks the options, starts a canvas of the default size w × h
// (unless the options say otherwise) and draws the title.
func newSheet(fn string, o Options, w, h float64, title string) (*sheet, error) {
	wd, ht, err := o.size(fn, w, h)
	if err != nil {
		return nil, err
	}
	c, err := o.canvas(fn, wd, ht)
	if err != nil {
		return nil, err
	}
	dc := draw.New(c)
	c.SetColor(color.White)
	c.Fill(dc.Rectangle.Path())
	s := &sheet{canvas: c, area: draw.Crop(dc, 8, -8, 6, 0), opts: o, texts: newTexts()}
	title = o.title(title)
	if title != "" {
		sty := style(13, inkColor)
		sty.Font.Weight = xfont.WeightBold
		sty.YAlign = draw.YTop
		pad := vg.Length(10)
		title = fit(sty, title, dc.Max.X-dc.Min.X-2*pad)
		dc.FillText(sty, vg.Point{X: dc.Min.X + pad, Y: dc.Max.Y - 8}, title)
		s.area = draw.Crop(s.area, 0, 0, 0, -(sty.Height(title) + 14))
	}
	return s, nil
}

// canvas returns a canvas of w × h points in the options' format, or the
// error of a format, resolution or pixel count out of range.
func (o Options) canvas(fn string, w, h vg.Length) (vg.CanvasWriterTo, error) {
	switch o.Format {
	case SVG:
		return vgsvg.New(w, h), nil
	case PNG:
	default:
		return nil, invalid(fn, "Options.Format", int(o.Format), "not SVG or PNG")
	}
	dpi := o.DPI
	switch {
	case dpi == 0:
		dpi = defaultDPI
	case dpi < minDPI || dpi > maxDPI:
		return nil, invalid(fn, "Options.DPI", dpi, fmt.Sprintf("outside [%d, %d]", minDPI, maxDPI))
	}
	px := func(side vg.Length) float64 { return math.Round(float64(side/vg.Inch) * float64(dpi)) }
	if n := px(w) * px(h); n > maxPixels {
		return nil, invalid(fn, "Options.DPI", dpi, fmt.Sprintf("%.0f × %.0f pixels, more than %.0f million", px(w), px(h), maxPixels/1e6))
	}
	return vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))}, nil
}

// draw draws a plot on canvas c, its text measured by the sheet's
// handler.
func (s *sheet) draw(p *plot.Plot, c draw.Canvas) {
	s.texts.measure(p)
	p.Draw(c)
}

// crop returns the part of the area from fraction x0 to x1 of its width.
func (s *sheet) crop(x0, x1 float64) draw.Canvas {
	w := s.area.Max.X - s.area.Min.X
	return draw.Crop(s.area, vg.Length(x0)*w, -vg.Length(1-x1)*w, 0, 0)
}

// write finishes the picture and copies it to w. In an SVG, the font
// family the plotting library names is widened with its metric twins, so
// that a viewer without Liberation Sans lays the text out the same.
func (s *sheet) write(w io.Writer) error {
	if s.opts.Format != SVG {
		_, err := s.canvas.WriteTo(w)
		return err
	}
	fw := &familyWriter{w: w}
	if _, err := s.canvas.WriteTo(fw); err != nil {
		return err
	}
	return fw.flush()
}

// familyWriter passes an SVG through to w, writing families for each
// family it meets. It holds back the end of each write that could be the
// start of a family cut by the next write.
type familyWriter struct {
	w    io.Writer
	held []byte
}

// Write passes p on, but for a tail that could start a family.
func (f *familyWriter) Write(p []byte) (int, error) {
	b := p
	if len(f.held) > 0 {
		b = append(f.held, p...)
	}
	for {
		i := bytes.Index(b, family)
		if i < 0 {
			break
		}
		if err := f.out(b[:i], families); err != nil {
			return 0, err
		}
		b = b[i+len(family):]
	}
	keep := 0
	for k := min(len(b), len(family)-1); k > 0; k-- {
		if bytes.HasPrefix(family, b[len(b)-k:]) {
			keep = k
			break
		}
	}
	if err := f.out(b[:len(b)-keep]); err != nil {
		return 0, err
	}
	f.held = append(f.held[:0], b[len(b)-keep:]...)
	return len(p), nil
}

// flush writes what is held back.
func (f *familyWriter) flush() error {
	err := f.out(f.held)
	f.held = f.held[:0]
	return err
}

// out writes each non-empty piece to w.
func (f *familyWriter) out(pieces ...[]byte) error {
	for _, b := range pieces {
		if len(b) == 0 {
			continue
		}
		if _, err := f.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// The font family as the SVG writer names it, and as this package does.
var (
	family   = []byte("font-family:Liberation Sans;")
	families = []byte("font-family:Liberation Sans,Arial,Helvetica,sans-serif;")
)

// style returns the text style of the package at a size in points.
func style(size vg.Length, c color.Color) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.Font{Typeface: "Liberation", Variant: "Sans", Size: size},
		XAlign:  draw.XLeft,
		YAlign:  draw.YCenter,
		Handler: plot.DefaultTextHandler,
	}
}

// newPlot returns a plot in the package's look: sans-serif text, grey
// axes and a light grid, no title (the sheet draws it).
func newPlot() *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil // the sheet is white already
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle = style(9.5, inkColor)
		a.Label.TextStyle.XAlign = draw.XCenter
		a.Label.TextStyle.YAlign = draw.YBottom
		a.Tick.Label = style(9, inkColor)
		a.Color, a.Tick.Color = greyColor, greyColor
		a.Width, a.Tick.Width = 0.5, 0.5
		a.Padding = 5
	}
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.Legend.TextStyle = style(9, inkColor)
	p.Legend.Top = true
	p.Legend.ThumbnailWidth = 12
	return p
}

// grid returns light grid lines along the axes asked for.
func grid(vertical, horizontal bool) *plotterGrid {
	return &plotterGrid{vertical: vertical, horizontal: horizontal}
}

// plotterGrid draws grid lines at the major ticks of the axes asked for.
type plotterGrid struct{ vertical, horizontal bool }

// Plot draws the grid.
func (g *plotterGrid) Plot(c draw.Canvas, p *plot.Plot) {
	sty := draw.LineStyle{Color: gridColor, Width: 0.5}
	trX, trY := p.Transforms(&c)
	if g.vertical {
		for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
			if !t.IsMinor() && t.Value >= p.X.Min && t.Value <= p.X.Max {
				c.StrokeLine2(sty, trX(t.Value), c.Min.Y, trX(t.Value), c.Max.Y)
			}
		}
	}
	if g.horizontal {
		for _, t := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
			if !t.IsMinor() && t.Value >= p.Y.Min && t.Value <= p.Y.Max {
				c.StrokeLine2(sty, c.Min.X, trY(t.Value), c.Max.X, trY(t.Value))
			}
		}
	}
}

// marks is a plotter drawn by a function: the bars, whiskers, cells and
// labels of this package, placed with the plot's transforms. Marks have
// no glyph boxes, so that plots side by side keep the same data area.
type marks func(c draw.Canvas, tx, ty func(float64) vg.Length)

// Plot draws the marks.
func (m marks) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	m(c, tx, ty)
}

// rect fills the rectangle between two corners.
func rect(c draw.Canvas, clr color.Color, x0, y0, x1, y1 vg.Length) {
	c.FillPolygon(clr, []vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}})
}

// whisker strokes an interval as one path: the line from lo to hi and a
// cap at each end, horizontal (along x at height at) or vertical, with
// caps 6 points across and a line 1.2 points wide.
func whisker(c draw.Canvas, clr color.Color, lo, hi, at vg.Length, horizontal bool) {
	whiskerSized(c, clr, lo, hi, at, horizontal, 3, 1.2)
}

// whiskerSized is whisker with caps 2·capHalf across and a line of the
// given width.
func whiskerSized(c draw.Canvas, clr color.Color, lo, hi, at vg.Length, horizontal bool, capHalf, width vg.Length) {
	pt := func(along, across vg.Length) vg.Point {
		if horizontal {
			return vg.Point{X: along, Y: across}
		}
		return vg.Point{X: across, Y: along}
	}
	var path vg.Path
	path.Move(pt(lo, at-capHalf))
	path.Line(pt(lo, at+capHalf))
	path.Move(pt(lo, at))
	path.Line(pt(hi, at))
	path.Move(pt(hi, at-capHalf))
	path.Line(pt(hi, at+capHalf))
	c.SetLineStyle(draw.LineStyle{Color: clr, Width: width})
	c.Stroke(path)
}

// dot draws a point of radius r, filled or as a ring.
func dot(c draw.Canvas, clr color.Color, at vg.Point, r vg.Length, filled bool) {
	if filled {
		c.DrawGlyph(draw.GlyphStyle{Color: clr, Radius: r, Shape: draw.CircleGlyph{}}, at)
		return
	}
	c.DrawGlyph(draw.GlyphStyle{Color: color.White, Radius: r, Shape: draw.CircleGlyph{}}, at)
	c.DrawGlyph(draw.GlyphStyle{Color: clr, Radius: r, Shape: draw.RingGlyph{}}, at)
}

// clean makes a name safe to draw: valid UTF-8 with every character XML
// allows, control characters and line breaks turned into spaces. The SVG
// writer escapes the markup characters themselves.
func clean(s string) string {
	if !strings.ContainsFunc(s, badRune) && utf8.ValidString(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if badRune(r) {
			return ' '
		}
		return r
	}, s)
}

// badRune reports a character that XML 1.0 forbids or that would break a
// label's line.
func badRune(r rune) bool {
	return unicode.IsControl(r) || r == 0xfffe || r == 0xffff || r == '\u2028' || r == '\u2029'
}

// fit shortens a label with an ellipsis until it is at most width wide.
func fit(sty text.Style, s string, width vg.Length) string {
	if sty.Width(s) <= width {
		return s
	}
	rs := []rune(s)
	lo, hi := 0, len(rs) // the longest prefix that fits lies in [lo, hi)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if sty.Width(string(rs[:mid])+"…") <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(rs[:lo]), " ") + "…"
}

// count formats a count for a label: digits in groups of three up to a
// million, then a short form (2.5M, 1.0T).
func count(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e12:
		return fmt.Sprintf("%.1fT", v/1e12)
	case a >= 1e9:
		return fmt.Sprintf("%.1fB", v/1e9)
	case a >= 1e6:
		return fmt.Sprintf("%.1fM", v/1e6)
	}
	s := fmt.Sprintf("%.0f", math.Abs(v))
	var b strings.Builder
	if v < 0 && s != "0" {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// short formats a power of ten for a log axis: 1, 10, 100, 1k … 1T.
func short(v float64) string {
	for _, u := range []struct {
		at   float64
		unit string
	}{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}} {
		if v >= u.at {
			return fmt.Sprintf("%g%s", v/u.at, u.unit)
		}
	}
	return fmt.Sprintf("%g", v)
}

// percent formats a proportion: one decimal below 10 %, none above.
func percent(v float64) string {
	if math.Abs(v) < 0.1 && v != 0 {
		return fmt.Sprintf("%.1f%%", 100*v)
	}
	return fmt.Sprintf("%.0f%%", 100*v)
}

// percentTicks labels a proportion axis in per cent.
var percentTicks = plot.TickerFunc(func(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = percent(ts[i].Value)
		}
	}
	return ts
})

// logTicks labels a log axis at the powers of ten from lo to hi.
// The powers run from 10⁻¹ to 10¹⁵ at most, so that an axis from 0 (where
// the plotting library puts an infinite end) still has an end.
var logTicks = plot.TickerFunc(func(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for e := max(math.Floor(math.Log10(lo)), -1); e <= math.Ceil(math.Log10(hi)) && e < 16; e++ {
		v := math.Pow(10, e)
		ts = append(ts, plot.Tick{Value: v, Label: short(v)})
	}
	return ts
})
