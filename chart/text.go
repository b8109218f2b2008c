package chart

import (
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// texts is a picture's text handler: plain text, as the plotting
// library's own handler sets it, with each line measured once. The
// plotting library measures an axis's tick labels several times while it
// lays the axis out (its width, its glyph boxes, then each label's
// alignment as it is drawn), and measuring text — a glyph and a kerning
// lookup per character — is most of what text costs; a retention grid
// has a hundred row labels.
//
// A texts belongs to one picture, so that its measures never outlive
// the labels they measure and pictures drawn at once share nothing.
type texts struct {
	text.Plain
	boxes map[textKey]textBox
}

// textKey is a line of text in a font.
type textKey struct {
	line string
	font font.Font
}

// textBox is a line's measures: its width, and the font's height above
// and depth below the baseline.
type textBox struct{ width, height, depth vg.Length }

func newTexts() *texts {
	return &texts{Plain: text.Plain{Fonts: font.DefaultCache}, boxes: map[textKey]textBox{}}
}

// Box returns the width of a line of text and the height and depth of
// its font, measured once per line and font.
func (t *texts) Box(line string, fnt font.Font) (width, height, depth vg.Length) {
	k := textKey{line, fnt}
	b, ok := t.boxes[k]
	if !ok {
		b.width, b.height, b.depth = t.Plain.Box(line, fnt)
		t.boxes[k] = b
	}
	return b.width, b.height, b.depth
}

// Draw sets text on the canvas as the plain handler does, aligning a
// line that is not rotated by its measured width. Rotated or multi-line
// text is left to the plain handler.
func (t *texts) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if sty.Rotation != 0 || strings.Contains(txt, "\n") {
		t.Plain.Draw(c, txt, sty, pt)
		return
	}
	if txt == "" {
		return
	}
	face := t.Fonts.Lookup(sty.Font, sty.Font.Size)
	w, h, d := t.Box(txt, sty.Font)
	// The baseline sits at the top of the text's box less the font's
	// ascent: YAlign 0 puts the box's bottom at pt, −1 its top, and the
	// line is set one font size above the top of the box.
	pt.Y += (h+d)*vg.Length(sty.YAlign) - face.Extents().Ascent
	c.SetColor(sty.Color)
	c.FillString(face, pt.Add(vg.Point{X: vg.Length(sty.XAlign) * w, Y: sty.Font.Size}), txt)
}

// measure makes every text style of a plot use the picture's handler.
func (t *texts) measure(p *plot.Plot) {
	p.TextHandler = t
	for _, sty := range []*text.Style{
		&p.Title.TextStyle, &p.Legend.TextStyle,
		&p.X.Label.TextStyle, &p.X.Tick.Label, &p.Y.Label.TextStyle, &p.Y.Tick.Label,
	} {
		sty.Handler = t
	}
}
