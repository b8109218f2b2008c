package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/attribution"
	"github.com/kpiflow/kpi/funnel"
)

// Attribution draws an attribution table as grouped bars: a row per
// channel, and in it a bar per model with the channel's share of the
// conversions under that model, so that where the models disagree shows
// at a glance.
//
// Attribution returns an error wrapping kpi.ErrInvalid for a nil table,
// one without channels or models, cells that do not match its channels
// and models, a legend of models that would take more than half of the
// chart's height, and bad options.
func Attribution(w io.Writer, t *attribution.Table, o Options) error {
	if t == nil || len(t.Channels) == 0 || len(t.Models) == 0 {
		return invalid("Attribution", "table", "with no channels or models", "nothing to draw")
	}
	if len(t.Cells) != len(t.Channels) {
		return invalid("Attribution", "table.Cells", fmt.Sprintf("%d rows", len(t.Cells)), fmt.Sprintf("want one per channel, %d", len(t.Channels)))
	}
	b := rowBars{names: t.Channels, colors: o.colors(len(t.Models)), xlabel: "share of conversions"}
	for i, row := range t.Cells {
		if len(row) != len(t.Models) {
			return invalid("Attribution", fmt.Sprintf("table.Cells[%d]", i), fmt.Sprintf("%d cells", len(row)), fmt.Sprintf("want one per model, %d", len(t.Models)))
		}
		vs, ls := make([]float64, len(row)), make([]string, len(row))
		for j, cell := range row {
			vs[j], ls[j] = share(cell.Share), percent(share(cell.Share))
		}
		b.values, b.labels = append(b.values, vs), append(b.labels, ls)
	}
	height := 96 + float64(len(t.Channels))*(14+11*float64(len(t.Models)))
	s, err := newSheet("Attribution", o, 560, height, "Credit by channel under each model")
	if err != nil {
		return err
	}
	area, err := legend("Attribution", "table.Models", s.area, t.Models, b.colors)
	if err != nil {
		return err
	}
	s.draw(b.plot(area), area)
	return s.write(w)
}

// Share draws each channel's share of the attributed conversions against
// its share of the spend, from Result.ROI: two bars per channel, so that
// a channel earning more credit than its budget share stands out.
//
// Share returns an error wrapping kpi.ErrInvalid when there are no rows
// and for bad options.
func Share(w io.Writer, rows []attribution.ROI, o Options) error {
	if len(rows) == 0 {
		return invalid("Share", "rows", "[]", "nothing to draw")
	}
	b := rowBars{colors: o.colors(2), xlabel: "share of the total"}
	for _, r := range rows {
		c, sp := share(r.CreditShare), share(r.SpendShare)
		b.names = append(b.names, r.Channel)
		b.values = append(b.values, []float64{c, sp})
		b.labels = append(b.labels, []string{percent(c), percent(sp)})
	}
	s, err := newSheet("Share", o, 560, 96+36*float64(len(rows)), "Share of credit against share of spend")
	if err != nil {
		return err
	}
	area, err := legend("Share", "legend", s.area, []string{"credit (conversions)", "spend"}, b.colors)
	if err != nil {
		return err // not reached: two names fit at any size
	}
	s.draw(b.plot(area), area)
	return s.write(w)
}

// Plan draws what a funnel plan needs: a bar per stage, top first, on a
// log scale, with the volume rounded up and the stage's cost where the
// model gave it one; the title carries the revenue and the budget.
//
// Plan returns an error wrapping kpi.ErrInvalid for a projection without
// volumes, with a volume that is negative, not a number or more than 2⁵³
// (the most funnel.Plan returns, and the last count float64 holds
// exactly), with a cost, revenue or budget of 10³⁰ or more in size (the
// library's bound on money), and for bad options.
func Plan(w io.Writer, p funnel.Projection, o Options) error {
	if len(p.Volumes) == 0 {
		return invalid("Plan", "projection", "with no volumes", "nothing to draw")
	}
	if err := checkMoney("projection.Revenue", p.Revenue); err != nil {
		return err
	}
	if err := checkMoney("projection.Budget", p.Budget); err != nil {
		return err
	}
	b := rowBars{colors: o.colors(1), log: true, xlabel: "volume needed (log scale)"}
	for i, v := range p.Volumes {
		if !(v.Count >= 0) || math.IsInf(v.Count, 0) {
			return invalid("Plan", fmt.Sprintf("projection.Volumes[%d].Count", i), v.Count, "not a count")
		}
		if v.Count > maxVolume {
			return invalid("Plan", fmt.Sprintf("projection.Volumes[%d].Count", i), v.Count, "more than 2^53")
		}
		if err := checkMoney(fmt.Sprintf("projection.Volumes[%d].Cost", i), v.Cost); err != nil {
			return err
		}
		label := count(math.Ceil(v.Count))
		if !v.Cost.IsZero() {
			label += " · cost " + count(v.Cost.InexactFloat64())
		}
		b.names = append(b.names, v.Stage)
		b.values = append(b.values, []float64{math.Ceil(v.Count)})
		b.labels = append(b.labels, []string{label})
	}
	title := "Plan: volume needed at each stage for revenue " + count(p.Revenue.InexactFloat64())
	if !p.Budget.IsZero() {
		title += ", budget " + count(p.Budget.InexactFloat64())
	}
	s, err := newSheet("Plan", o, 560, 80+34*float64(len(p.Volumes)), title)
	if err != nil {
		return err
	}
	s.draw(b.plot(s.area), s.area)
	return s.write(w)
}

// maxVolume is the largest volume Plan draws: 2⁵³, the bound funnel.Plan
// keeps to. A volume near float64's largest once made the log axis end at
// +Inf, which the plotting library reset to 0, and the axis's ticks then
// never ended.
const maxVolume = 1 << 53

// maxMoney is the library's bound on money, 10³⁰: an amount must be
// smaller in size. Beyond float64's range an amount would be labelled
// "+InfT".
var maxMoney = decimal.New(1, 30)

// checkMoney returns the error of an amount of Plan beyond maxMoney.
func checkMoney(arg string, d decimal.Decimal) error {
	if d.Abs().GreaterThanOrEqual(maxMoney) {
		return invalid("Plan", arg, d, "10^30 or more in size, beyond the library's bound on money")
	}
	return nil
}

// colors returns the first k series colours.
func (o Options) colors(k int) []color.Color {
	out := make([]color.Color, k)
	for i := range out {
		out[i] = o.series(i)
	}
	return out
}

// share clamps a share to [0, 1], NaN to 0, for drawing.
func share(v float64) float64 {
	if !(v > 0) {
		return 0
	}
	return math.Min(v, 1)
}
