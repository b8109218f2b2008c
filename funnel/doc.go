// Package funnel does the arithmetic and the statistics of aggregate
// marketing and sales funnels: visit → lead → MQL → SQL → opportunity →
// won.
//
// A Funnel is built by New from named stages with counts, top first; each
// stage holds no more than the one before, since a funnel follows one
// population down. Between adjacent stages is a Step, with the step
// conversion, the drop-off and the cumulative conversion from the top, all
// as kpi.Rate values that carry their confidence intervals. A step is named
// by the stage it leads to: f.Step("SQL") is MQL → SQL, and Targets use the
// same names. String and WriteTo print the funnel as a text table.
//
// The questions a revenue team asks of a funnel each have a function:
//
//	Check        does each step meet its target (the SLA), and how sure is that?
//	             An exact one-sided binomial test per step.
//	Bottlenecks  which step, brought to its target alone, would add the most
//	             won deals (and revenue)?
//	Plan         working back from a revenue goal, how many opportunities,
//	             SQLs, MQLs, leads and visits are needed, at what budget?
//	Forecast     working forward from a volume of visits, what to expect.
//	Compare      did a step really change between two periods (or two
//	             segments), or is it noise?
//	CompareSegments
//	             do k segments (channels, regions) convert alike? A chi-square
//	             test of homogeneity per step, and each segment's interval.
//	Velocity     sales velocity, revenue per day of the pipeline.
//
// Counts are int64, rates and probabilities float64, money
// decimal.Decimal. Bad input returns a *kpi.Error wrapping kpi.ErrInvalid
// that names the stage or field and its value; a quantity the data leave
// undefined (a rate with no trials) is either reported as such in the
// result — a Tested or Estimated field, an interval of [0, 1], a "-" in the
// table — or returned as an error wrapping kpi.ErrUndefined. Nothing
// panics on data, and no result holds a NaN.
package funnel
