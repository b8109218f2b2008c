package attribution

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/money"
)

// Model is, in this package, an attribution model (not a lead-scoring
// model as in package scoring, nor a planning funnel as in package
// funnel): a rule (First, Linear, Position, ...), a Markov chain or a
// Shapley value that shares the conversions and the value of a set of
// journeys out among their channels. It has nothing to fit: the same
// journeys always get the same credits. The zero value of every Model of
// this package is a usable model.
type Model interface {
	// Attribute returns each channel's credit for the journeys of js. A
	// nil js is an error wrapping kpi.ErrInvalid. Every Model of this
	// package also refuses so, naming the total value, journeys whose
	// values add up beyond the library's bound on money (30 digits
	// before the point): Journeys.Add bounds each value, not their sum,
	// and a result beyond it could not be decoded from its JSON, written
	// as CSV or set against spend.
	Attribute(js *Journeys) (*Result, error)
}

// Result is, in this package, an attribution model's credits (not an
// event funnel's counts as in package funnel, nor a lead's score as in
// package scoring): one Credit per channel seen in the journeys, sorted by
// channel name. The credits' conversions add up to Conversions (up to
// float rounding) and their values add up exactly to Value. The zero
// Result has no credits and no conversions.
type Result struct {
	Model       string          `json:"model"`       // the model's name, such as "last touch"
	Credits     []Credit        `json:"credits"`     // one per channel, sorted by name
	Conversions int64           `json:"conversions"` // total conversions of the journeys
	Value       decimal.Decimal `json:"value"`       // total conversion value of the journeys

	// Conversion is, for Markov models only, the probability that a
	// journey converts, computed from the chain; zero otherwise.
	Conversion float64 `json:"conversion"`

	// Replicates is, for a Bootstrap only, the number of bootstrap
	// replicates behind the credits' intervals; zero otherwise.
	Replicates int `json:"replicates"`

	draws *replicates // the replicates, for ProbGreater; nil without a Bootstrap
}

// Credit is what a model gives one channel.
type Credit struct {
	Channel     string          `json:"channel"`
	Conversions float64         `json:"conversions"` // attributed conversions, ≥ 0
	Value       decimal.Decimal `json:"value"`       // attributed value, ≥ 0, at the data's decimal places

	// Removal is, for Markov models only, the channel's removal effect:
	// the fraction of conversions lost when the channel is taken out.
	Removal float64 `json:"removal"`

	// ValueRemoval is, for Markov models with the ValueRemoval rule only,
	// the channel's value removal effect: the fraction of the expected
	// value lost when the channel is taken out.
	ValueRemoval float64 `json:"valueRemoval"`

	// Positions is, for the ordered Shapley model only, the conversions
	// credited to the channel as the first, second, … distinct channel of
	// a journey.
	Positions []float64 `json:"positions"`

	// Interval is, for a Bootstrap only, the intervals of the credit;
	// nil otherwise.
	Interval *CreditInterval `json:"interval"`
}

// result turns per-channel conversion and value weights into a Result,
// splitting the total value exactly with kpi.Allocate.
func (js *Journeys) result(fn, name string, conv, val []float64) (*Result, error) {
	return newResult(fn, name, js.names, conv, val, js.convSum, js.Value(), js.places, nil)
}

// newResult builds a Result over channels names from per-channel
// conversions and value weights.
// When extra is not nil it is called with each channel's id and credit.
func newResult(fn, name string, names []string, conv, val []float64, convSum int64, total decimal.Decimal, places int32, extra func(id int, c *Credit)) (*Result, error) {
	// Journeys.Add bounds each value, not their total: two journeys of
	// 9·10²⁹ made a result of 1.8·10³⁰ that its own UnmarshalJSON, the
	// table's WriteCSV and ROI refused.
	if err := errs.Money(fn, "total value", total); err != nil {
		return nil, err
	}
	r := &Result{Model: name, Conversions: convSum, Value: total}
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(names[a], names[b]) })
	// The value is split with the weights in the order of the channels'
	// names, so that its ties go the same way whatever order the channels
	// were seen in.
	values := make([]decimal.Decimal, len(conv))
	if !r.Value.IsZero() {
		w := make([]float64, len(order))
		for k, id := range order {
			w[k] = val[id]
		}
		parts, err := kpi.Allocate(r.Value, w, places)
		if err != nil {
			return nil, errs.Undefined(fn, "value", r.Value, err.Error())
		}
		values = parts
	}
	r.Credits = make([]Credit, len(order))
	for k, id := range order {
		r.Credits[k] = Credit{Channel: names[id], Conversions: conv[id], Value: values[k]}
		if extra != nil {
			extra(id, &r.Credits[k])
		}
	}
	return r, nil
}

// Table shows several models' results side by side: one row per channel,
// one column per model. The zero Table is empty: it prints and writes a
// header only.
type Table struct {
	Channels []string `json:"channels"` // the rows: every channel of any result, sorted
	Models   []string `json:"models"`   // the columns: the results' model names, in order
	Cells    [][]Cell `json:"cells"`    // Cells[row][column]
}

// Cell is one channel's credit under one model.
type Cell struct {
	Conversions float64         `json:"conversions"`
	Value       decimal.Decimal `json:"value"`
	Share       float64         `json:"share"` // Conversions over the model's total conversions; 0 when that is 0

	// Interval is the credit's intervals when the result came from a
	// Bootstrap; nil otherwise.
	Interval *CreditInterval `json:"interval"`
}

// NewTable lays results out side by side. A channel missing from a result
// gets an empty cell in that column.
//
// Errors wrap kpi.ErrInvalid: no results, or a nil result; and, in a
// result built by hand or decoded from JSON (which reads the numbers as
// they are), a credit whose conversions are negative, NaN or infinite (its
// share would be NaN), or a channel credited twice (its second cell would
// replace the first). A model of this package makes none of these.
func NewTable(results ...*Result) (*Table, error) {
	const fn = "attribution.NewTable"
	if len(results) == 0 {
		return nil, errs.Invalid(fn, "results", len(results), "no results")
	}
	t := &Table{}
	rows := map[string]int{}
	for i, r := range results {
		if r == nil {
			return nil, errs.Invalid(fn, fmt.Sprintf("results[%d]", i), r, "nil result")
		}
		t.Models = append(t.Models, r.Model)
		seen := make(map[string]bool, len(r.Credits))
		for k, c := range r.Credits {
			if field, v, why := c.fault(false); field != "" {
				return nil, errs.Invalid(fn, fmt.Sprintf("results[%d] credits[%d] %s", i, k, field), v, why)
			}
			if seen[c.Channel] {
				return nil, errs.Invalid(fn, fmt.Sprintf("results[%d] credits[%d] channel", i, k), fmt.Sprintf("%q", c.Channel), "credited twice")
			}
			seen[c.Channel] = true
			if _, ok := rows[c.Channel]; !ok {
				rows[c.Channel] = 0
				t.Channels = append(t.Channels, c.Channel)
			}
		}
	}
	slices.Sort(t.Channels)
	for i, c := range t.Channels {
		rows[c] = i
	}
	t.Cells = make([][]Cell, len(t.Channels))
	for i := range t.Cells {
		t.Cells[i] = make([]Cell, len(results))
	}
	for j, r := range results {
		for _, c := range r.Credits {
			cell := Cell{Conversions: c.Conversions, Value: c.Value, Interval: c.Interval}
			if r.Conversions > 0 {
				cell.Share = c.Conversions / float64(r.Conversions)
			}
			t.Cells[rows[c.Channel]][j] = cell
		}
	}
	return t, nil
}

// String formats the table as text: for each channel and model the
// attributed conversions with their share, then the attributed value, all
// values at the most decimal places any of them has. A cell with an
// interval (from a Bootstrap) shows it after the conversions and after
// the value, "[lo, hi]", and a last line names the intervals' level and
// method. An amount beyond the library's bound on money (30 digits before
// the point, 18 after it), which only a table built by hand can hold, is
// written short, as 1e1073741824 or ≈1.000e999999, never expanded, and
// does not count toward the places. A table built by hand (or decoded
// from JSON, which reads the shape as it is) may lack cells: one missing
// for a channel and model is left blank, and cells beyond the channels or
// the models are not shown.
func (t *Table) String() string {
	w := 7
	for _, c := range t.Channels {
		w = max(w, len(c))
	}
	places := t.places()
	conv := make([][]string, len(t.Channels))
	value := make([][]string, len(t.Channels))
	base := 12 // every column is at least as wide as the longest model name
	for _, m := range t.Models {
		base = max(base, len(m))
	}
	cw := make([]int, len(t.Models))
	for j := range cw {
		cw[j] = base
	}
	var level *CreditInterval
	for i := range t.Channels {
		conv[i] = make([]string, len(t.Models))
		value[i] = make([]string, len(t.Models))
		for j := range t.Models {
			c, ok := t.cell(i, j)
			if !ok {
				continue // a cell missing from a table built by hand is blank
			}
			conv[i][j] = fmt.Sprintf("%.1f %5.1f%%", c.Conversions, 100*c.Share)
			value[i][j] = fixed(c.Value, places)
			if iv := c.Interval; iv != nil {
				conv[i][j] = fmt.Sprintf("%.1f [%.1f, %.1f] %5.1f%%", c.Conversions, iv.Conversions.Lo, iv.Conversions.Hi, 100*c.Share)
				value[i][j] += " [" + fixed(iv.Value.Lo, places) + ", " + fixed(iv.Value.Hi, places) + "]"
				level = iv
			}
			cw[j] = max(cw[j], len(conv[i][j]), len(value[i][j]))
		}
	}
	var b []byte
	row := func(first string, cells func(j int) string) {
		b = fmt.Appendf(b, "%-*s", w, first)
		for j := range t.Models {
			b = fmt.Appendf(b, "  %*s", cw[j], cells(j))
		}
		b = append(b, '\n')
	}
	row("channel", func(j int) string { return t.Models[j] })
	for i, c := range t.Channels {
		row(c, func(j int) string { return conv[i][j] })
	}
	b = append(b, "value\n"...)
	for i, c := range t.Channels {
		row(c, func(j int) string { return value[i][j] })
	}
	if level != nil {
		b = fmt.Appendf(b, "[lo, hi]: %.4g%% %s intervals\n", 100*level.Conversions.Level, level.Conversions.Method)
	}
	return string(b)
}

// fault reports what makes a credit of a result built by hand, decoded
// from JSON or made by a caller's Model unusable: the field
// ("conversions" or "value"), the value to quote and why; field is "" for
// a sound credit. Conversions must be finite and not negative; with
// value, the value must lie within the library's bound on money (checked
// first, and quoted short, since a negative value beyond it would be
// written out whole) and not be negative. The models of this package make
// none of these. It builds no text for a sound credit, as the bootstrap
// checks every credit of every replicate.
func (c Credit) fault(value bool) (field string, v any, why string) {
	if !(c.Conversions >= 0) || math.IsInf(c.Conversions, 0) { // NaN fails >= 0
		return "conversions", c.Conversions, "must be finite and not negative"
	}
	if value {
		if why := money.Check(c.Value); why != "" {
			return "value", money.Text(c.Value), why
		}
		if c.Value.Sign() < 0 {
			return "value", c.Value, "negative value"
		}
	}
	return "", nil, ""
}

// cell returns Cells[i][j], and false when the table lacks it: a table
// built by hand or decoded from JSON may hold fewer rows of cells than
// channels, or fewer cells in a row than models.
func (t *Table) cell(i, j int) (Cell, bool) {
	if i < len(t.Cells) && j < len(t.Cells[i]) {
		return t.Cells[i][j], true
	}
	return Cell{}, false
}

// fixed returns d at places decimal places, or, for an amount beyond the
// bound on money in a table built by hand, its short form (money.Text,
// such as 1e1073741824), which StringFixed would expand to a billion
// digits.
func fixed(d decimal.Decimal, places int32) string {
	if money.Check(d) != "" {
		return money.Text(d)
	}
	return d.StringFixed(places)
}

// places returns the most decimal places of any value in the table within
// the bound on money; one beyond it, such as 1e-2147483648 in a table
// built by hand, does not make every other value write billions of zeros.
func (t *Table) places() int32 {
	places := int32(0)
	for _, r := range t.Cells {
		for _, c := range r {
			if money.Check(c.Value) == "" {
				places = max(places, -c.Value.Exponent())
			}
		}
	}
	return places
}

// ROI is one channel's attributed results against its spend.
type ROI struct {
	Channel     string          `json:"channel"`
	Spend       decimal.Decimal `json:"spend"`
	Conversions float64         `json:"conversions"` // attributed conversions
	Value       decimal.Decimal `json:"value"`       // attributed value

	// CostPerConversion is Spend / Conversions rounded to 2 decimal
	// places; not Valid when the channel has no attributed conversions,
	// or so few (a time-decay credit of 10⁻¹¹⁰) that the cost would lie
	// beyond the library's bound on money, 30 digits before the point.
	CostPerConversion decimal.NullDecimal `json:"costPerConversion"`

	// ReturnOnSpend is Value / Spend rounded to 4 decimal places; not
	// Valid when the spend is zero, or so small against the value that
	// the return would lie beyond that bound.
	ReturnOnSpend decimal.NullDecimal `json:"returnOnSpend"`

	// CreditShare is the channel's share of the attributed conversions,
	// SpendShare its share of the total spend; each is 0 when its total
	// is 0. A channel with CreditShare above SpendShare earns more credit
	// than its budget share.
	CreditShare float64 `json:"creditShare"`
	SpendShare  float64 `json:"spendShare"`
}

// ROI sets the result's credits against the spend per channel: one row
// for every channel of r.Credits and every channel of spend, sorted by
// channel name. Channels missing from spend have spent nothing; channels
// with spend that no journey reached ("we spent and got nothing") get a
// row with zero conversions and value, an undefined cost per conversion
// and a return of 0.
//
//	CostPerConversion = Spend / Conversions   not Valid when Conversions = 0
//	ReturnOnSpend     = Value / Spend         not Valid when Spend = 0
//
// and neither is Valid when it would exceed the bound on money (10³⁰).
//
// Errors wrap kpi.ErrInvalid: a nil r, a negative spend, or a spend
// beyond the library's bound on money (30 digits before the point, 18
// after it: decimal.New(1, 1<<31-1) made the divisions run for minutes);
// and, in a result built by hand or decoded from JSON (which reads the
// numbers as they are), a credit whose conversions are negative, NaN or
// infinite (its credit share would be NaN), or whose value is negative or
// beyond that bound (decimal.New(1, 1<<30) made the return on spend take
// minutes). A model of this package makes none of these.
func (r *Result) ROI(spend map[string]decimal.Decimal) (ROIs, error) {
	const fn = "attribution.Result.ROI"
	if r == nil {
		return nil, errs.Invalid(fn, "r", nil, "nil Result")
	}
	known := map[string]bool{}
	for _, c := range r.Credits {
		if field, v, why := c.fault(true); field != "" {
			return nil, errs.Invalid(fn, fmt.Sprintf("credit %q %s", c.Channel, field), v, why)
		}
		known[c.Channel] = true
	}
	names := make([]string, 0, len(spend))
	for ch := range spend {
		names = append(names, ch)
	}
	slices.Sort(names)
	total := decimal.Zero
	credits := slices.Clone(r.Credits)
	for _, ch := range names {
		s := spend[ch]
		// The bound first: the error of a negative spend writes it out,
		// and -31e2147483549 has two billion digits.
		if err := errs.Money(fn, fmt.Sprintf("spend[%q]", ch), s); err != nil {
			return nil, err
		}
		if s.Sign() < 0 {
			return nil, errs.Invalid(fn, fmt.Sprintf("spend[%q]", ch), s, "negative spend")
		}
		if !known[ch] {
			credits = append(credits, Credit{Channel: ch})
		}
		total = total.Add(s)
	}
	slices.SortStableFunc(credits, func(a, b Credit) int { return strings.Compare(a.Channel, b.Channel) })
	out := make(ROIs, len(credits))
	for i, c := range credits {
		s := spend[c.Channel]
		row := ROI{Channel: c.Channel, Spend: s, Conversions: c.Conversions, Value: c.Value}
		// A quotient beyond the bound on money is left undefined: a
		// time-decay credit of 6.7e-111 made a cost of 1.5e112 per
		// conversion, which WriteCSV and UnmarshalJSON refused.
		if c.Conversions > 0 && !math.IsInf(c.Conversions, 0) {
			if q := s.DivRound(decimal.NewFromFloat(c.Conversions), 2); money.Check(q) == "" {
				row.CostPerConversion = decimal.NewNullDecimal(q)
			}
		}
		if s.Sign() > 0 {
			if q := c.Value.DivRound(s, 4); money.Check(q) == "" {
				row.ReturnOnSpend = decimal.NewNullDecimal(q)
			}
			row.SpendShare = s.DivRound(total, 16).InexactFloat64()
		}
		if r.Conversions > 0 {
			row.CreditShare = c.Conversions / float64(r.Conversions)
		}
		out[i] = row
	}
	return out, nil
}
