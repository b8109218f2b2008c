// Package kpi is the root of a library for the math of B2B marketing KPIs:
// the flow from visit to lead, MQL, SQL, opportunity, won deal and
// retained customer, and the questions a revenue team asks of it.
//
// A KPI is a hypothesis to verify, not a number to report. So every rate
// the library returns can give its confidence interval, every comparison
// of two rates carries its tests, and the statistics agree with R and
// statsmodels to the ninth significant digit. Money adds up to the cent.
//
// # The packages
//
// This package holds what all the others share:
//
//   - Rate, a proportion (successes of trials) with confidence intervals by
//     Wilson (the default), Wilson with continuity correction, Wald,
//     Agresti–Coull, Clopper–Pearson and Jeffreys;
//   - Compare, the comparison of two rates: difference and lift, the pooled
//     two-proportion z test, chi-square with and without Yates' correction,
//     Fisher's exact test, intervals for the difference (Newcombe's hybrid
//     score by default) and the exact Bayesian probability that one rate
//     beats the other;
//   - Rate.Test, the exact binomial test of a rate against a target;
//   - Sequence and DiffSequence, always-valid confidence sequences for a
//     rate and for the difference of two, with their sequential tests, for
//     KPIs and A/B tests read at every look;
//   - Allocate, which splits money by weights so that the parts add up
//     exactly to the whole;
//   - Error, ErrInvalid and ErrUndefined, the errors of the whole library;
//   - Health, the data-health report every reader of CRM exports returns:
//     each row read is used or rejected, with its line, column and reason.
//
// The sub-packages each answer one family of questions:
//
//   - funnel: where is the bottleneck, and what would reaching each step's
//     target be worth? How much volume does a revenue goal need, working
//     back from it? Did a step really change from last month, and do some
//     channels' leads really convert better? Funnels from stage counts, or
//     from raw CRM and web events with conversion windows.
//   - scoring: lead-scoring models as JSON rules (fit and engagement,
//     decay, caps, grades, MQL), compiled into a fast scorer that explains
//     every point, and judged against outcomes.
//   - attribution: which channels deserve the credit and the budget?
//     Rule-based, exact Markov and Shapley attribution, with exact money
//     and return on spend.
//   - cohort: what is a customer worth against what it cost to win?
//     Cohort retention tables, NRR and GRR, LTV, CAC and payback, and the
//     shifted-beta-geometric model that projects retention forward.
//   - cohort/clv: what is a customer with no contract worth? RFM
//     summaries of orders, the BG/NBD and Gamma–Gamma models of how often
//     customers buy and what they spend, and their discounted value.
//
// Sub-packages import this one and never each other.
//
// # A short tour
//
// Is this month's MQL→SQL rate of 40 in 96 really below last month's 52 in
// 110?
//
//	last, _ := kpi.NewRate(52, 110)
//	this, _ := kpi.NewRate(40, 96)
//	lo, hi, _ := this.Interval(kpi.Wilson, 0.95) // [0.323, 0.517]
//	c, _ := kpi.Compare(last, this)
//	fmt.Println(c.Diff, c.FisherP, c.ProbBBetter) // −0.056, p = 0.483, 0.211: noise
//
// Split a budget by weights, exact to the cent:
//
//	parts, _ := kpi.Allocate(decimal.RequireFromString("10000.00"), []float64{1, 1, 1}, 2)
//	// [3333.34 3333.33 3333.33]
//
// # Conventions
//
// Counts are int64. Rates, probabilities, weights and statistics are
// float64, computed with gonum. Money is github.com/shopspring/decimal's
// Decimal: it enters and leaves the API as a Decimal, is converted to float
// only where statistics need it, and comes back by explicit rounding; a
// split by weights goes through Allocate.
//
// Bad input never panics and never becomes a silent NaN. It returns an
// *Error that names the function, the argument and the value, such as
//
//	funnel.New: stage "SQL" count 120: exceeds "MQL" count 96
//
// and wraps ErrInvalid; a quantity that valid data leave undefined (the
// value of a rate with no trials, the lift over a zero rate, the LTV of
// customers who never churn) returns an error wrapping ErrUndefined. Sub-
// packages' own sentinels wrap one of the two, so errors.Is sorts any
// error of the library into one of them. Special cases are listed in each
// function's documentation.
//
// # Bounds
//
// Input is bounded where the arithmetic would otherwise lose its meaning
// or its cost would outgrow the input: rates have at most MaxTrials (2⁴⁰)
// trials wherever intervals or tests are computed; every time the library
// accepts lies in the years MinYear to MaxYear (1900 to 2149), so that any
// two subtract exactly into a time.Duration; every amount of money has at
// most 30 digits before the decimal point and 18 after it (trailing zeros
// do not count), so that a decimal.Decimal with an exponent near ±2³¹
// cannot make a product or a rounding run for minutes. Each function
// documents its own further bounds. Values quoted in error messages are cut to a
// readable length.
//
// # Accumulators
//
// Heavy aggregates (event funnels, attribution paths and chains, cohort
// records, purchase histories) are accumulators, so that partitions can be
// counted in parallel, or in a distributed engine's combiner, and merged.
// Every accumulator of the library follows one contract:
//
//   - Add(v) error adds one item; AddAll(seq iter.Seq[V]) error adds a
//     stream and stops at the first bad item, whose error it returns with
//     the item's position. An item that fails leaves the accumulator as it
//     was before that item.
//   - Merge(o) error adds everything o holds, exactly as if o's items had
//     been added one by one, and leaves o unchanged. Merging an accumulator
//     with itself (a.Merge(a)) is an error wrapping ErrInvalid, in every
//     package: merge a copy, or add the items again, to count them twice.
//     Merging accumulators built on different definitions is an error too.
//   - One read-out per package, named for what it returns (funnel's
//     Counter.Result, cohort's Builder.Table, ...). Reading out does not
//     change the accumulator: more items can be added after it.
//
// Each type's documentation says whether its zero value is ready to use.
// Where it is not (it needs a definition from its constructor), every
// method called on the zero value returns an error wrapping ErrInvalid
// that names the constructor; none panics.
//
// Hot paths do not allocate per item.
//
// # JSON
//
// Every result and model of the library has a JSON form through
// encoding/json, the same in every package: keys in camelCase; enums
// (Method, and the sub-packages' verdicts, modes and grains) as their
// names, through encoding.TextMarshaler; money as a decimal string
// ("24000.00"); durations as a number of seconds; times in RFC 3339. An
// undefined quantity is null, and the type's documentation says when.
// No Marshal of a library value fails. Inputs and models decode strictly:
// unknown keys are errors, and a decoded value is checked as its
// constructor checks it, with an *Error naming the key and the value.
//
// This package's forms:
//
//	Rate        {"successes": 96, "trials": 240, "value": 0.4}
//	            value is null when trials is 0; it may be left out on input
//	Method      "Wilson", "WilsonCC", "Wald", "AgrestiCoull",
//	            "ClopperPearson" or "Jeffreys"
//	Comparison  {"a": Rate, "b": Rate, "diff": -0.056, "lift": -0.119,
//	             "z": -0.81, "zp": 0.419, "chiSquare": 0.652,
//	             "chiSquareP": 0.419, "yates": 0.445, "yatesP": 0.505,
//	             "fisherP": 0.483, "probBBetter": 0.211}
//	            lift is null when A's rate is 0
//	BinomialTest {"target": 0.5, "less": 0.063, "greater": 0.959,
//	             "twoSided": 0.125}
//	Interval    {"lo": 0.34, "hi": 0.46, "level": 0.95, "method": "Wilson"}
//	Sequence    {"alpha": 0.05, "successes": 161, "trials": 400}
//	DiffSequence {"alpha": 0.05, "a": Rate, "b": Rate}
//	MoneyInterval the same with "lo" and "hi" decimal strings
//	Health      {"read", "used", "rejected", "rejections": [{"line",
//	             "column", "text", "reason"}], "duplicates", "outOfOrder",
//	             "unmapped": [{"value", "rows"}], "unmappedRows",
//	             "skipped", "backward"}
//
// A sub-package's result that shows a rate to a person (a funnel step, a
// segment, a score band) carries the interval it prints beside it, an
// Interval:
//
//	"interval": {"lo": 0.340, "hi": 0.463, "level": 0.95, "method": "Wilson"}
//
// null when the rate has no trials. Rate and Method decode as well as
// encode; the golden files under testdata/ pin every form.
package kpi
