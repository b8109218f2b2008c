package cohort

import (
	"fmt"
	"math"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// ARPA returns the average revenue per account, revenue / accounts,
// rounded to 6 decimal places.
//
// Errors: negative revenue or accounts wrap kpi.ErrInvalid; zero accounts
// wrap kpi.ErrUndefined.
func ARPA(revenue decimal.Decimal, accounts int64) (decimal.Decimal, error) {
	const fn = "cohort.ARPA"
	if err := errs.Money(fn, "revenue", revenue); err != nil {
		return decimal.Zero, err
	}
	switch {
	case revenue.IsNegative():
		return decimal.Zero, errs.Invalid(fn, "revenue", revenue, "negative")
	case accounts < 0:
		return decimal.Zero, errs.Invalid(fn, "accounts", accounts, "negative count")
	case accounts == 0:
		return decimal.Zero, errs.Undefined(fn, "accounts", 0, "no accounts to average over")
	}
	return revenue.DivRound(decimal.NewFromInt(accounts), places), nil
}

// checkMargin reports a gross margin outside (0, 1].
func checkMargin(fn string, margin float64) error {
	if !(margin > 0 && margin <= 1) {
		return errs.Invalid(fn, "gross margin", margin, "must lie in (0, 1]")
	}
	return nil
}

// LTV returns the lifetime value of an account with constant churn,
//
//	LTV = ARPA × margin ÷ churn
//
// with ARPA and churn per period and margin the gross margin, rounded to
// 6 decimal places. It is DiscountedLTV with no discount and no
// expansion.
//
// Errors: a negative ARPA, a margin outside (0, 1], a churn above 1 or NaN
// wrap kpi.ErrInvalid, as does a churn so small that the LTV lies beyond
// the library's bound on money, 30 digits before the point (ARPA 100 at
// churn 5e-324 is 2·10³²⁵), which the package's JSON and CSV writers
// would refuse. A churn ≤ 0 makes the lifetime value unbounded,
// not zero: the error wraps ErrUnbounded and points to DiscountedLTV.
func LTV(arpa decimal.Decimal, margin, churn float64) (decimal.Decimal, error) {
	const fn = "cohort.LTV"
	if err := errs.Money(fn, "ARPA", arpa); err != nil {
		return decimal.Zero, err
	}
	if arpa.IsNegative() {
		return decimal.Zero, errs.Invalid(fn, "ARPA", arpa, "negative")
	}
	if err := checkMargin(fn, margin); err != nil {
		return decimal.Zero, err
	}
	if !(churn <= 1) {
		return decimal.Zero, errs.Invalid(fn, "churn", churn, "must be ≤ 1")
	}
	if churn <= 0 {
		return decimal.Zero, errs.Class(fn, "churn", churn,
			"LTV = ARPA × margin ÷ churn is unbounded at churn ≤ 0; use DiscountedLTV with a discount rate", ErrUnbounded)
	}
	ltv := arpa.Mul(decimal.NewFromFloat(margin)).DivRound(decimal.NewFromFloat(churn), places)
	if err := bounded(fn, "churn", churn, "LTV", ltv); err != nil {
		return decimal.Zero, err
	}
	return ltv, nil
}

// DiscountedLTV returns the lifetime value of an account that pays ARPA ×
// margin now and, while it stays, a payment growing by expansion each
// period, discounted at rate discount per period:
//
//	LTV = Σ_{t≥0} ARPA·margin·((1−churn)(1+expansion)/(1+discount))^t
//	    = ARPA·margin·(1+discount) / (1+discount − (1−churn)(1+expansion))
//
// rounded to 6 decimal places. The series is finite only when
//
//	(1−churn)(1+expansion) < 1+discount
//
// so zero churn is fine as long as expansion stays below the discount
// rate. With expansion 0 and discount → 0 it tends to LTV.
//
// Errors: a negative ARPA, a margin outside (0, 1], a churn outside [0, 1],
// an expansion ≤ −1, a discount rate ≤ 0 (or any NaN or infinity) wrap
// kpi.ErrInvalid, as does an LTV beyond the library's bound on money, 30
// digits before the point (zero churn at a discount of 5e-324), naming
// the discount rate; a series that diverges wraps ErrUnbounded.
func DiscountedLTV(arpa decimal.Decimal, margin, churn, expansion, discount float64) (decimal.Decimal, error) {
	const fn = "cohort.DiscountedLTV"
	if err := errs.Money(fn, "ARPA", arpa); err != nil {
		return decimal.Zero, err
	}
	if arpa.IsNegative() {
		return decimal.Zero, errs.Invalid(fn, "ARPA", arpa, "negative")
	}
	if err := checkMargin(fn, margin); err != nil {
		return decimal.Zero, err
	}
	if !(churn >= 0 && churn <= 1) {
		return decimal.Zero, errs.Invalid(fn, "churn", churn, "must lie in [0, 1]")
	}
	if !(expansion > -1) || !finite(expansion) {
		return decimal.Zero, errs.Invalid(fn, "expansion", expansion, "must be a finite number > −1")
	}
	if !(discount > 0) || !finite(discount) {
		return decimal.Zero, errs.Invalid(fn, "discount rate", discount, "must be a finite number > 0")
	}
	one := decimal.NewFromInt(1)
	d := one.Add(decimal.NewFromFloat(discount))
	grow := one.Sub(decimal.NewFromFloat(churn)).Mul(one.Add(decimal.NewFromFloat(expansion)))
	den := d.Sub(grow)
	if den.Sign() <= 0 {
		return decimal.Zero, errs.Class(fn, "expansion", expansion,
			fmt.Sprintf("(1−churn)(1+expansion) = %v ≥ 1+discount = %v: the lifetime value is unbounded", grow, d), ErrUnbounded)
	}
	ltv := arpa.Mul(decimal.NewFromFloat(margin)).Mul(d).DivRound(den, places)
	if err := bounded(fn, "discount rate", discount, "LTV", ltv); err != nil {
		return decimal.Zero, err
	}
	return ltv, nil
}

// LTVToCAC returns the ratio of lifetime value to acquisition cost,
// ltv / cac.
//
// Errors: a negative ltv or cac wraps kpi.ErrInvalid; a zero cac wraps
// ErrUnbounded.
func LTVToCAC(ltv, cac decimal.Decimal) (float64, error) {
	const fn = "cohort.LTVToCAC"
	if err := errs.Money(fn, "LTV", ltv); err != nil {
		return 0, err
	}
	if err := errs.Money(fn, "CAC", cac); err != nil {
		return 0, err
	}
	switch {
	case ltv.IsNegative():
		return 0, errs.Invalid(fn, "LTV", ltv, "negative")
	case cac.IsNegative():
		return 0, errs.Invalid(fn, "CAC", cac, "negative")
	case cac.IsZero():
		return 0, errs.Class(fn, "CAC", 0, "no acquisition cost: the ratio is unbounded", ErrUnbounded)
	}
	return ratio(ltv, cac), nil
}

// Payback returns the number of periods of gross profit that recover the
// acquisition cost,
//
//	payback = CAC ÷ (ARPA × margin)
//
// in the periods of ARPA (months for MRR), without churn or discounting.
//
// Errors: a negative CAC or ARPA and a margin outside (0, 1] wrap
// kpi.ErrInvalid; a zero ARPA never pays back and wraps ErrUnbounded, as
// does a payback beyond float64's range (a margin near 10⁻³⁰⁸), never
// +Inf.
func Payback(cac, arpa decimal.Decimal, margin float64) (float64, error) {
	const fn = "cohort.Payback"
	if err := errs.Money(fn, "CAC", cac); err != nil {
		return 0, err
	}
	if err := errs.Money(fn, "ARPA", arpa); err != nil {
		return 0, err
	}
	switch {
	case cac.IsNegative():
		return 0, errs.Invalid(fn, "CAC", cac, "negative")
	case arpa.IsNegative():
		return 0, errs.Invalid(fn, "ARPA", arpa, "negative")
	}
	if err := checkMargin(fn, margin); err != nil {
		return 0, err
	}
	if arpa.IsZero() {
		return 0, errs.Class(fn, "ARPA", 0, "no revenue: CAC is never recovered", ErrUnbounded)
	}
	p := ratio(cac, arpa.Mul(decimal.NewFromFloat(margin)))
	if math.IsInf(p, 0) {
		return 0, errs.Class(fn, "gross margin", margin,
			fmt.Sprintf("CAC %v ÷ (ARPA %v × margin) is beyond float64's range: CAC is never recovered", cac, arpa), ErrUnbounded)
	}
	return p, nil
}

// Cost is one line of acquisition spend: an amount, the channel it bought
// customers in (empty for costs shared by all channels, such as salaries
// and tools), and the kind of cost it is ("media", "salaries", "tools" or
// whatever names the caller uses), so that CAC can count paid media only
// or the fully loaded cost.
type Cost struct {
	Channel string          `json:"channel"`
	Line    string          `json:"line"`
	Amount  decimal.Decimal `json:"amount"`
}

// Acquisition is the spend and the new customers of one channel, or of
// all channels together.
type Acquisition struct {
	Channel   string          `json:"channel"` // empty for the blended total
	Spend     decimal.Decimal `json:"spend"`
	Customers int64           `json:"customers"`
}

// CAC returns the customer acquisition cost, Spend / Customers, rounded to
// 6 decimal places.
//
// Errors: a negative spend or count wraps kpi.ErrInvalid; with no
// customers the cost is undefined, never 0: the error wraps ErrUnbounded
// when there was spend and kpi.ErrUndefined when there was none.
func (a Acquisition) CAC() (decimal.Decimal, error) {
	const fn = "cohort.Acquisition.CAC"
	if err := errs.Money(fn, "spend", a.Spend); err != nil {
		return decimal.Zero, err
	}
	switch {
	case a.Customers < 0:
		return decimal.Zero, errs.Invalid(fn, "customers", a.Customers, "negative count")
	case a.Spend.IsNegative():
		return decimal.Zero, errs.Invalid(fn, "spend", a.Spend, "negative")
	case a.Customers == 0 && a.Spend.IsZero():
		return decimal.Zero, errs.Undefined(fn, "customers", 0, "no customers and no spend")
	case a.Customers == 0:
		return decimal.Zero, errs.Class(fn, "customers", 0, fmt.Sprintf("spend %v won no customers", a.Spend), ErrUnbounded)
	}
	return a.Spend.DivRound(decimal.NewFromInt(a.Customers), places), nil
}

// CAC adds up acquisition spend and new customers, blended and per
// channel. Only cost lines whose Line is among lines count (all lines when
// none are given), so the same costs give the paid-media CAC with
// lines "media" and the fully loaded one without a filter.
//
// Costs with a Channel go to that channel. Shared costs (empty Channel)
// count in the blended total and are spread over the channels in
// proportion to their new customers with kpi.Allocate at the decimal
// places of their total, so that the channels' spend adds up exactly to
// the blended spend. Channels come sorted by name: every channel with a
// cost line or an entry in customers. The cost is linear in the costs and
// the lines, plus the sorting of the channels.
//
// Errors, wrapping kpi.ErrInvalid: a negative amount or count (naming the
// line or channel); shared costs but no new customers to spread them
// over, wrapping kpi.ErrUndefined.
func CAC(costs []Cost, customers map[string]int64, lines ...string) (blended Acquisition, byChannel []Acquisition, err error) {
	const fn = "cohort.CAC"
	idx := map[string]int{}
	channel := func(name string) *Acquisition {
		i, ok := idx[name]
		if !ok {
			i = len(byChannel)
			idx[name] = i
			byChannel = append(byChannel, Acquisition{Channel: name, Spend: decimal.Zero})
		}
		return &byChannel[i]
	}
	names := make([]string, 0, len(customers))
	for name := range customers {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		n := customers[name]
		if name == "" {
			return Acquisition{}, nil, errs.Invalid(fn, "customers channel", `""`, "empty channel name")
		}
		if n < 0 {
			return Acquisition{}, nil, errs.Invalid(fn, fmt.Sprintf("customers[%q]", name), n, "negative count")
		}
		if n > math.MaxInt64-blended.Customers {
			return Acquisition{}, nil, errs.Invalid(fn, fmt.Sprintf("customers[%q]", name), n, "the total overflows int64")
		}
		channel(name).Customers = n
		blended.Customers += n
	}
	// The lines chosen, as a set: a scan of lines per cost took time
	// quadratic in their numbers (1.6 s for 2·10⁴ of each).
	var chosen map[string]bool
	if len(lines) > 0 {
		chosen = make(map[string]bool, len(lines))
		for _, l := range lines {
			chosen[l] = true
		}
	}
	shared := decimal.Zero
	blended.Spend = decimal.Zero
	for i, c := range costs {
		if err := errs.Money(fn, fmt.Sprintf("costs[%d] (%s %s)", i, c.Channel, c.Line), c.Amount); err != nil {
			return Acquisition{}, nil, err
		}
		if c.Amount.IsNegative() {
			return Acquisition{}, nil, errs.Invalid(fn, fmt.Sprintf("costs[%d] (%s %s)", i, c.Channel, c.Line), c.Amount, "negative amount")
		}
		if chosen != nil && !chosen[c.Line] {
			continue
		}
		blended.Spend = blended.Spend.Add(c.Amount)
		if c.Channel == "" {
			shared = shared.Add(c.Amount)
			continue
		}
		a := channel(c.Channel)
		a.Spend = a.Spend.Add(c.Amount)
	}
	slices.SortFunc(byChannel, func(a, b Acquisition) int {
		switch {
		case a.Channel < b.Channel:
			return -1
		case a.Channel > b.Channel:
			return 1
		}
		return 0
	})
	if !shared.IsZero() {
		if blended.Customers == 0 {
			return Acquisition{}, nil, errs.Undefined(fn, "customers", 0,
				fmt.Sprintf("no new customers to spread shared costs %v over", shared))
		}
		weights := make([]float64, len(byChannel))
		for i, a := range byChannel {
			weights[i] = float64(a.Customers)
		}
		parts, err := kpi.Allocate(shared, weights, max(0, -shared.Exponent()))
		if err != nil {
			return Acquisition{}, nil, err
		}
		for i := range byChannel {
			byChannel[i].Spend = byChannel[i].Spend.Add(parts[i])
		}
	}
	return blended, byChannel, nil
}
