// Package chart draws the results of the kpi library as SVG (or PNG)
// pictures: what a funnel, a weekly rate, a cohort grid, a lead score and
// an attribution say, drawn the way the library means them.
//
// Each chart is a function from a library result to SVG written to an
// io.Writer, with Options whose zero value draws a good chart; with
// Options.Format set to PNG the same picture is written as a PNG,
// rasterised by the plotting library at Options.DPI:
//
//   - Funnel: stage counts as bars, each step's conversion with its 95 %
//     interval, targets, and the bottleneck step;
//   - Trend: a step's rate over periods with intervals, immature periods
//     hollow, the centre line, Laney p′ control limits per period and the
//     periods that break a rule ringed;
//   - Retention: a cohort table as a heat map, with the cells a cohort has
//     not reached yet left blank rather than drawn as 0 %;
//   - ROC, Gains, Lift, Reliability and Scores: how well a lead score
//     ranks and calibrates, from a scoring.Evaluation;
//   - Attribution and Share: channels × models, and credit against spend;
//   - Plan: the volume each stage needs to reach a revenue goal;
//   - Curves: Kaplan–Meier conversion curves (kpi.KaplanMeier, or a funnel
//     counter's per-step curves) with their interval bands.
//
// # Why gonum/plot
//
// The charts are drawn with gonum.org/v1/plot, not hand-written SVG. It
// was chosen over github.com/go-analyze/charts because it is gonum's own
// (the core already computes with gonum, at the same v0.17 release), has
// a stable API that has kept its shape for years where go-analyze/charts
// is pre-1.0, and gives the low-level canvas the pictures need — a
// whisker per interval, a blank cell for an unreached age, a tick per
// target — where a chart-type library offers fixed chart kinds. Its SVG
// writer escapes text, so a channel named `<&">` cannot break the
// document; this package also replaces the characters XML forbids.
//
// This package is its own module, github.com/kpiflow/kpi/chart, so that
// the core keeps its three dependencies.
//
// # The pictures
//
// Text is set in Liberation Sans, named in the SVG with its metric twins
// Arial and Helvetica, and fonts are not embedded: a chart is some tens
// of kilobytes. Long names are cut with an ellipsis to the room they
// have. Sizes are in points; the funnel, plan, attribution and retention
// charts grow with their rows unless Options set the size.
//
// Bad input never panics: an empty result, a nil value or a size out of
// range returns an error wrapping kpi.ErrInvalid that names the field and
// its value; extreme but valid values (rates of 0 and 1, counts of 10¹²,
// ties) draw a chart.
package chart
