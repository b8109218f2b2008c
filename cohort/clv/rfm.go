package clv

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/money"
)

// Transaction is one purchase by a customer with no contract: who bought,
// when, and for how much.
type Transaction struct {
	CustomerID string          `json:"customerID"`
	At         time.Time       `json:"at"`
	Amount     decimal.Decimal `json:"amount"` // ≥ 0, at most 6 decimal places
}

// History is a customer's purchases in a calibration period, as the
// BG/NBD model sees them, with times in a unit the caller chose (days,
// weeks):
//
//	Frequency  x    repeat purchases: purchases after the first
//	Recency    t_x  time from the first purchase to the last
//	Age        T    time from the first purchase to the end of calibration
//
// A valid history has x ≥ 0, 0 ≤ t_x ≤ T, t_x > 0 when x > 0 (repeat
// purchases come after the first) and t_x = 0 when x = 0.
type History struct {
	Frequency int64   `json:"frequency"`
	Recency   float64 `json:"recency"`
	Age       float64 `json:"age"`
}

// check reports why h is not a valid history, naming it by arg.
func (h History) check(fn, arg string) error {
	if field, value, reason := h.problem(); field != "" {
		return errs.Invalid(fn, arg+" "+field, value, reason)
	}
	return nil
}

// checkCustomer is check for customers[i], named by ID or index only when
// it is invalid.
func checkCustomer(fn string, customers []RFM, i int) error {
	if field, value, reason := customers[i].problem(); field != "" {
		return errs.Invalid(fn, customerArg(customers, i)+" "+field, value, reason)
	}
	return nil
}

// problem returns the field, value and reason that make h invalid, or an
// empty field.
func (h History) problem() (field string, value any, reason string) {
	switch {
	case h.Frequency < 0:
		return "frequency", h.Frequency, "negative count of repeat purchases"
	case !finite(h.Age) || h.Age < 0:
		return "age", h.Age, "must be a finite number ≥ 0"
	case !finite(h.Recency) || h.Recency < 0:
		return "recency", h.Recency, "must be a finite number ≥ 0: no purchase comes before the customer's first"
	case h.Recency > h.Age:
		return "recency", h.Recency, fmt.Sprintf("exceeds the age %v: the last purchase lies after the end of calibration", h.Age)
	case h.Frequency > 0 && h.Recency == 0:
		return "recency", h.Recency, fmt.Sprintf("is 0 with %d repeat purchases: repeat purchases come after the first", h.Frequency)
	case h.Frequency == 0 && h.Recency != 0:
		return "recency", h.Recency, "must be 0 when there is no repeat purchase"
	}
	return "", nil, ""
}

// RFM is one customer's summary: the calibration History, the mean value
// of the repeat purchases in calibration (recency, frequency, monetary
// value), and the purchases in the holdout period that follows.
type RFM struct {
	CustomerID string `json:"customerID"`
	History

	// Value is the mean value of the repeat purchases in calibration
	// (the first purchase is left out, as the Gamma–Gamma model wants),
	// rounded to 6 decimal places; zero when Frequency is 0.
	Value decimal.Decimal `json:"value"`

	// Holdout is the number of purchases in the holdout period.
	Holdout int64 `json:"holdout"`
}

// Summary is the per-customer summary of transactions split into a
// calibration period and a holdout period, the read-out of Purchases. In
// this package a summary is always this recency–frequency–monetary input
// of the BG/NBD and Gamma–Gamma models.
type Summary struct {
	// Customers are those whose first purchase falls in calibration,
	// ordered by CustomerID.
	Customers []RFM `json:"customers"`

	// HoldoutLength is the length of the holdout period in the summary's
	// unit.
	HoldoutLength float64 `json:"holdoutLength"`
}

// purchase is a transaction reduced to its customer, its calendar day and
// its amount in units of 10⁻⁶.
type purchase struct {
	cust  int32
	day   int64
	units int64
}

// Purchases accumulates transactions and summarises them per customer.
// Add transactions in any order, build partitions in parallel and Merge
// them; a customer may appear in several partitions. Purchases follows
// the library's accumulator contract (see the kpi package). The zero
// Purchases is empty and ready to use. A Purchases is not safe for concurrent use.
type Purchases struct {
	ids   map[string]int32
	names []string
	rows  []purchase
	last  int32
}

// dayNumber returns the calendar date of t in t's own location as days
// since 1970-01-01, or false for a time outside the library's range,
// kpi.MinYear to kpi.MaxYear (the zero time among them).
func dayNumber(t time.Time) (int64, bool) {
	if !errs.InRange(t) {
		return 0, false
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400, true
}

func (p *Purchases) lookup(id string) int32 {
	if n := len(p.names); n > 0 && p.names[p.last] == id {
		return p.last
	}
	if p.ids == nil {
		p.ids = map[string]int32{}
	}
	if i, ok := p.ids[id]; ok {
		p.last = i
		return i
	}
	i := int32(len(p.names))
	p.ids[id] = i
	p.names = append(p.names, id)
	p.last = i
	return i
}

// Add records a transaction. Errors, wrapping kpi.ErrInvalid: an empty
// customer ID, a zero time or one outside the years kpi.MinYear to
// kpi.MaxYear, a negative
// amount or one with more than 6 decimal places.
func (p *Purchases) Add(t Transaction) error {
	return p.add("clv.Purchases.Add", t)
}

func (p *Purchases) add(fn string, t Transaction) error {
	if t.CustomerID == "" {
		return errs.Invalid(fn, "customer ID", `""`, "empty")
	}
	day, ok := dayNumber(t.At)
	if !ok {
		return errs.Invalid(fn, fmt.Sprintf("time of customer %q", t.CustomerID), t.At, "zero or "+errs.TimeReason)
	}
	if t.Amount.IsNegative() {
		return errs.Invalid(fn, fmt.Sprintf("amount of customer %q on %s", t.CustomerID, t.At.Format(time.DateOnly)), t.Amount, "negative")
	}
	u, reason := money.ToUnits(t.Amount)
	if reason != "" {
		return errs.Invalid(fn, fmt.Sprintf("amount of customer %q on %s", t.CustomerID, t.At.Format(time.DateOnly)), t.Amount, reason)
	}
	p.rows = append(p.rows, purchase{cust: p.lookup(t.CustomerID), day: day, units: u})
	return nil
}

// AddAll adds the transactions of seq in order, as Add does one by one; a
// nil seq adds nothing. It stops at the first bad transaction and returns
// its error, which names the transaction's position in seq, having added
// the transactions before it.
func (p *Purchases) AddAll(seq iter.Seq[Transaction]) error {
	const fn = "clv.Purchases.AddAll"
	if seq == nil {
		return nil
	}
	pos := 0
	for t := range seq {
		if err := p.add(fn, t); err != nil {
			return atPosition(err, pos)
		}
		pos++
	}
	return nil
}

// Merge adds the transactions of o to p, as if they had been added to p
// after p's own; o is left unchanged. Errors, wrapping kpi.ErrInvalid,
// leave p unchanged: a nil o, and o == p (add the transactions again to
// count them twice).
func (p *Purchases) Merge(o *Purchases) error {
	const fn = "clv.Purchases.Merge"
	if o == nil {
		return errs.Invalid(fn, "o", o, "nil purchases")
	}
	if o == p {
		return errs.Invalid(fn, "o", fmt.Sprintf("%p", o), "the receiver itself: add the transactions again to count them twice")
	}
	remap := make([]int32, len(o.names))
	for i, id := range o.names {
		remap[i] = p.lookup(id)
	}
	p.rows = slices.Grow(p.rows, len(o.rows))
	for _, r := range o.rows {
		r.cust = remap[r.cust]
		p.rows = append(p.rows, r)
	}
	return nil
}

// Summary summarises each customer's transactions with calibration
// through the calendar day of split and holdout after it through the day
// of end (both inclusive, each date taken in its time's location), in
// units of unit, a whole number of days (24 h for days, 7 × 24 h for
// weeks). Purchases are counted per calendar day: the transactions of a
// customer on one day make one purchase, whose value is their sum.
// Customers whose first purchase comes after split are left out;
// transactions after end are ignored. With t₀ the day of a customer's
// first purchase, t₁ the last in calibration and n the number of purchase
// days in calibration,
//
//	Frequency = n − 1,  Recency = (t₁ − t₀)/unit,  Age = (split − t₀)/unit
//	HoldoutLength = (end − split)/unit
//
// Errors, wrapping kpi.ErrInvalid: a unit that is not a positive whole
// number of days, end before split, zero times or times outside the years
// kpi.MinYear to kpi.MaxYear, no transactions, no
// customer with a first purchase by split, repeat values summing beyond
// 9.2 × 10¹² for a customer.
func (p *Purchases) Summary(split, end time.Time, unit time.Duration) (Summary, error) {
	const fn = "clv.Purchases.Summary"
	const dayDur = 24 * time.Hour
	if unit <= 0 || unit%dayDur != 0 {
		return Summary{}, errs.Invalid(fn, "unit", unit, "must be a positive whole number of days")
	}
	u := float64(unit / dayDur)
	sd, ok := dayNumber(split)
	if !ok {
		return Summary{}, errs.Invalid(fn, "split", split, "zero or "+errs.TimeReason)
	}
	ed, ok := dayNumber(end)
	if !ok {
		return Summary{}, errs.Invalid(fn, "end", end, "zero or "+errs.TimeReason)
	}
	if ed < sd {
		return Summary{}, errs.Invalid(fn, "end", end.Format(time.DateOnly), "before the split "+split.Format(time.DateOnly))
	}
	if len(p.rows) == 0 {
		return Summary{}, errs.Invalid(fn, "transactions", 0, "none to summarise")
	}
	// Rank customers by ID so that the summary does not depend on the
	// order of Add and Merge, then sort rows by customer and day.
	order := make([]int32, len(p.names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(p.names[a], p.names[b]) })
	rank := make([]int32, len(order))
	for r, i := range order {
		rank[i] = int32(r)
	}
	rows := slices.Clone(p.rows)
	for i := range rows {
		rows[i].cust = rank[rows[i].cust]
	}
	slices.SortFunc(rows, func(a, b purchase) int {
		if a.cust != b.cust {
			return int(a.cust - b.cust)
		}
		switch {
		case a.day < b.day:
			return -1
		case a.day > b.day:
			return 1
		}
		return 0
	})
	out := Summary{HoldoutLength: float64(ed-sd) / u}
	for i := 0; i < len(rows); {
		c := rows[i].cust
		j := i
		for j < len(rows) && rows[j].cust == c {
			j++
		}
		rec, err := summarise(fn, p.names[order[c]], rows[i:j], sd, ed, u)
		if err != nil {
			return Summary{}, err
		}
		if rec != nil {
			out.Customers = append(out.Customers, *rec)
		}
		i = j
	}
	if len(out.Customers) == 0 {
		return Summary{}, errs.Invalid(fn, "split", split.Format(time.DateOnly), "no customer made a first purchase by then")
	}
	return out, nil
}

// summarise makes the RFM record of one customer's rows, sorted by day,
// or nil when the first purchase comes after the split day sd.
func summarise(fn, id string, rows []purchase, sd, ed int64, u float64) (*RFM, error) {
	first := rows[0].day
	if first > sd {
		return nil, nil
	}
	var x, holdout, repeat int64
	last := first
	prev := first
	for _, r := range rows {
		switch {
		case r.day <= sd:
			if r.day != prev {
				x++
				last, prev = r.day, r.day
			}
			if r.day != first {
				if repeat > math.MaxInt64-r.units {
					return nil, errs.Invalid(fn, fmt.Sprintf("repeat purchases of customer %q", id), money.FromUnits(repeat), "sum too large")
				}
				repeat += r.units
			}
		case r.day <= ed:
			if r.day != prev {
				holdout++
				prev = r.day
			}
		}
	}
	rec := &RFM{
		CustomerID: id,
		History:    History{Frequency: x, Recency: float64(last-first) / u, Age: float64(sd-first) / u},
		Holdout:    holdout,
	}
	if x > 0 {
		rec.Value = money.FromUnits(repeat).DivRound(decimal.NewFromInt(x), places)
	}
	return rec, nil
}

// atPosition prefixes the argument of err, a *kpi.Error, with the
// position of the item in the stream that caused it.
func atPosition(err error, pos int) error {
	var ke *kpi.Error
	if errors.As(err, &ke) {
		ke.Arg = fmt.Sprintf("item %d: %s", pos, ke.Arg)
	}
	return err
}
