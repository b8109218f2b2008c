// Package funnel does the arithmetic and the statistics of marketing and
// sales funnels — visit → lead → MQL → SQL → opportunity → won — from
// stage counts or from the raw events.
//
// A Funnel is built by New from named stages with counts, top first; each
// stage holds no more than the one before, since a funnel follows one
// population down. Between adjacent stages is a Step, with the step
// conversion, the drop-off and the cumulative conversion from the top, all
// as kpi.Rate values that carry their confidence intervals. A step has one
// name, the stage it leads to: f.Step("SQL") is MQL → SQL, Targets are
// keyed by it, and every result names its step in a field Step (Change,
// Spread, StepResult; an event step's name is its Match.Step). Step.String
// prints a step as its two stages, "MQL→SQL". String and WriteTo print the
// funnel as a text table.
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
// # Event funnels
//
// The stage counts can also come from the raw events themselves — page
// views, form fills, MQL and SQL dates, opportunities, closed-won deals —
// the way ClickHouse's windowFunnel, PostHog, Amplitude or Mixpanel count
// them. A Definition lists the steps (an event name and property
// conditions, each a Match, which may be filled by any of several events,
// by a later step's event, or be optional as PostHog's optional steps
// are), the conversion window from the entry event,
// inclusive at its end, and optionally a window per step, the ordering
// Mode, Unique or Totals counting, Exclusions, a property held constant
// across the steps (Hold: the same deal on every step) and properties to
// break the results down by (Breakdown: one, or the cross of several, such
// as month × source). A Counter accumulates events, following the
// library's accumulator contract: Add takes one event and AddAll an
// iter.Seq of events, in any order, grouped by entity by the Counter
// itself; AddSorted is the streaming fast path for events sorted by
// entity; and Merge adds another counter's events, leaving it unchanged,
// so partitions can be counted in parallel (Parallel) or in a distributed
// engine's combiner. The zero Counter needs NewCounter. Result gives per
// step the count reached, the step and cumulative conversion as kpi.Rate,
// and the time to convert (median, 90th percentile, mean, histogram);
// Result.Funnel turns it into a
// Funnel, to which everything above applies.
//
// # Funnels over time
//
// Counter.Series cuts the funnel into periods (Periods: days, ISO weeks,
// months or quarters, or several of one, in a stated time zone) as of a
// stated time; the library has no clock. Each period holds two funnels.
// The cohort funnel groups the chains by the period of their entry and
// follows each through its window wherever it ends: "of March's leads,
// how many became SQL?", the funnel whose rates can be compared from
// period to period. The flow funnel (PeriodStep.Entered) counts the step
// events that fell inside the period, of whatever cohort: "how many SQLs
// did March make?", the activity a team saw, whose counts need not fall
// from step to step. Periods with no entries are there with zero counts.
//
// A young cohort's rate is low only because its chains have not had their
// window: a lead of 20 days ago with a 90-day window that has not
// converted is not a failure yet. So each period's step says whether it
// is Mature (every entry the period can hold has had its whole window),
// which share of its trials is still Open (inside the window, not
// converted: censored), and the Kaplan–Meier Estimate of its rate, which
// counts a censored chain for the time it has had and equals the plain
// rate once nothing is open (Counter.Curves gives the whole curve).
// Series.Trends reads each step over the mature periods only, unless told
// otherwise, and names the periods it left out: the rates with their
// intervals, the Cochran–Armitage trend test, p- and Laney p′-charts with
// their signals, and the period-over-period changes with p-values
// adjusted over all of them.
//
// The modes follow windowFunnel:
//
//	SQL (ClickHouse)                                   Definition
//	windowFunnel(w)(t, c1, c2, c3)                     Window: w
//	windowFunnel(w, 'strict_order')(…)                 Mode: StrictOrder
//	windowFunnel(w, 'strict_deduplication')(…)         Mode: StrictDedup
//	windowFunnel(w, 'strict_increase')(…)              Mode: StrictIncrease
//	windowFunnel(w, 'strict_once')(…)                  Mode: StrictOnce
//	level per user, then countIf(level >= k)           Counting: Unique
//
// An entity's events at the same time are taken in step order, whatever
// their input order; Mode documents the rules.
//
// Counts are int64, rates and probabilities float64, money
// decimal.Decimal. Bad input returns a *kpi.Error wrapping kpi.ErrInvalid
// that names the stage or field and its value; a quantity the data leave
// undefined (a rate with no trials) is either reported as such in the
// result — a Tested or Estimated field, an interval of [0, 1], a "-" in the
// table — or returned as an error wrapping kpi.ErrUndefined. Nothing
// panics on data, and no result holds a NaN.
//
// # Lifecycles and CRM exports
//
// A Lifecycle is an ordered list of stages (HubSpotLifecycle,
// SalesforceLifecycle, or any list), and a History accumulates stage
// entries (entity, stage, time) over it. Its Reach counts every entity at
// each stage up to the highest it reached, so that a contact that became
// an opportunity without being marked SQL has passed SQL (and is counted
// there as skipped); a stage's entry time is the first entry, or the next
// entered stage's when it was skipped; moves back are counted once per
// entity and never count an entity twice. Reach.Funnel gives the
// aggregate Funnel, and History.Events the same data as event-funnel
// events for Lifecycle.Definition. ReadHistory reads a long stage history
// (HubSpot's lifecycle-stage history, Salesforce's OpportunityHistory and
// OpportunityFieldHistory) and ReadDates wide stage dates (HubSpot's
// "Became a … Date" columns) by column name, in one pass, each with a
// kpi.Health report.
//
// # JSON and CSV
//
// Every result and input has a JSON form (see package kpi for the
// conventions: camelCase keys, enums by name, money as decimal strings,
// durations in seconds, times in RFC 3339, null for what is undefined),
// pinned by the golden files in testdata/. A funnel:
//
//	{"stages": [{"name": "MQL", "count": 96}, {"name": "SQL", "count": 40}],
//	 "steps": [{"from": "MQL", "to": "SQL",
//	   "rate": {"successes": 40, "trials": 96, "value": 0.4167},
//	   "dropOff": {"successes": 56, "trials": 96, "value": 0.5833},
//	   "cumulative": {"successes": 40, "trials": 96, "value": 0.4167},
//	   "interval": {"lo": 0.3231, "hi": 0.5166, "level": 0.95, "method": "Wilson"}}]}
//
// The other forms, by type:
//
//	Check        {"step": Step, "target": 0.5, "verdict": "BelowConfident", "p": 0.06}
//	Bottleneck   Check's keys, "gain" (null when not estimated), "estimated"
//	Change       {"step", "a": Rate, "b": Rate, "tested", "significant",
//	              "comparison": kpi.Comparison or null when not tested}
//	Spread       {"step", "rates": [{"segment", "rate", "interval":
//	              Interval}], "chiSquare", "df", "p", "tested",
//	              "significant", "adjustedP", "family", "adjustment"}
//	Model        {"stages": ["Lead", "Won"], "rates": [0.25],
//	              "dealSize": "24000", "costs": {"Lead": "45"} or null}
//	Projection   {"volumes": [{"stage", "count", "cost"}], "revenue", "budget"}
//	Targets      {"SQL": 0.5, "Won": 0.3}
//	Verdict      "TooLittleData", "Met", "Below" or "BelowConfident"
//	Definition   {"steps": [Match], "window": 2592000, "mode": "default",
//	              "counting": "unique", "exclusions": [Exclusion],
//	              "hold", "breakdown": ["month", "source"],
//	              "bins": [60, 3600] or null}
//	Match        {"step", "event", "where": {...}, "within": 604800,
//	              "optional": true, "later": true, "any": [Match]}
//	Exclusion    Match's keys, "from", "to"
//	Mode         "default" or windowFunnel's names joined by "|"
//	Counting     "unique" or "totals"
//	Event        {"entity", "name", "time": "2026-04-01T00:00:00Z", "props"}
//	Result       {"keys": ["month", "source"] or null, "values": ["2026-04",
//	              "ads"] or null, "steps": [StepResult],
//	              "breakdown": [Result] or null}
//	StepResult   {"step", "optional" (only when true), "reached", "rate",
//	              "cumulative", "interval", "time": Durations}
//	Durations    {"n", "median", "p90", "mean" (null when n is 0), "bins": [Bin]}
//	Bin          {"upper": 3600 (null for the last bin), "count"}
//	Reach        {"stages": [StageReach], "entities", "skipped", "backward",
//	              "duplicates", "outOfOrder"}
//	StageReach   {"stage", "reached", "entered", "skipped", "time": Durations}
//	Entry        {"entity", "stage", "time"}
//	Periods      {"grain": "month", "every": 1, "location": "Europe/Berlin"}
//	Grain        "day", "week", "month" or "quarter"
//	Series       {"spec": Periods, "asOf", "periods": [Period]}
//	Period       {"label": "2026-03", "start", "end", "steps": [PeriodStep]}
//	PeriodStep   StepResult's keys, "mature", "open": Rate, "estimate",
//	             "estimateInterval" (both null with no trials), "entered"
//	StepTrend    {"step", "points": [{"label", "start", "rate", "interval"}],
//	              "immature": [label], "empty": [label], "trend": kpi.Trend,
//	              "pChart": kpi.Chart, "laney": kpi.Chart (null with fewer
//	              than two points), "changes": [Change]}
//
// Funnel (from its stages; steps may be left out), Model, Targets,
// Definition, Match, Exclusion, Verdict, Mode, Counting, Periods and Grain decode too,
// strictly (an unknown key is an error) and checked as their constructors
// check them. The funnel table (Funnel.WriteCSV), an event funnel with its
// breakdown (Result.WriteCSV), a series (Series.WriteCSV) and a plan's volumes (Projection.WriteCSV)
// write CSV with a header row whose names are the JSON keys; an undefined
// value is an empty field, never 0.
package funnel
