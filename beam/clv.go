package kpibeam

import (
	"fmt"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/cohort/clv"
)

func init() {
	register.Combiner3[*clv.Purchases, clv.Transaction, clv.Summary](&purchasesFn{})
}

// Summary summarises the purchases in transactions, a PCollection of
// clv.Transaction, per customer: a PCollection holding one clv.Summary,
// the recency–frequency–monetary records that clv.Purchases.Summary
// makes with calibration through the day of split, holdout through the
// day of end, in units of unit. The transactions are added to per-bundle
// clv.Purchases, which are shipped encoded and merged (a customer may
// appear in many bundles); the summary equals the in-memory one on the
// same transactions, floats to the bit and values to the unit of 10⁻⁶.
//
// Errors, at construction, before any data are read: those of
// Purchases.Summary for split, end and unit. A transaction that
// Purchases.Add refuses, and transactions with no customer's first
// purchase by split, fail the pipeline with the library's error.
func Summary(s beam.Scope, split, end time.Time, unit time.Duration, transactions beam.PCollection) (beam.PCollection, error) {
	fn, err := newPurchasesFn("kpibeam.Summary", split, end, unit)
	if err != nil {
		return beam.PCollection{}, err
	}
	return beam.Combine(s.Scope("kpibeam.Summary"), fn, transactions), nil
}

// SummaryPerKey is Summary for each key: transactions is a PCollection of
// KV<string, clv.Transaction>, the result a PCollection of
// KV<string, clv.Summary>. The same customer ID under two keys is two
// customers.
func SummaryPerKey(s beam.Scope, split, end time.Time, unit time.Duration, transactions beam.PCollection) (beam.PCollection, error) {
	fn, err := newPurchasesFn("kpibeam.SummaryPerKey", split, end, unit)
	if err != nil {
		return beam.PCollection{}, err
	}
	return beam.CombinePerKey(s.Scope("kpibeam.SummaryPerKey"), fn, transactions), nil
}

// purchasesFn is the CombineFn of Summary.
type purchasesFn struct {
	Split, End time.Time
	Unit       time.Duration
}

func newPurchasesFn(fn string, split, end time.Time, unit time.Duration) (*purchasesFn, error) {
	// One purchase on the split day leaves only the arguments to fail.
	var probe clv.Purchases
	_ = probe.Add(clv.Transaction{CustomerID: "probe", At: split, Amount: decimal.Zero})
	if _, err := probe.Summary(split, end, unit); err != nil {
		return nil, fmt.Errorf("%s: %w", fn, err)
	}
	return &purchasesFn{Split: split, End: end, Unit: unit}, nil
}

func (*purchasesFn) CreateAccumulator() *clv.Purchases { return &clv.Purchases{} }

func (*purchasesFn) AddInput(p *clv.Purchases, t clv.Transaction) (*clv.Purchases, error) {
	return p, p.Add(t)
}

func (*purchasesFn) MergeAccumulators(a, b *clv.Purchases) (*clv.Purchases, error) {
	return a, a.Merge(b)
}

func (f *purchasesFn) ExtractOutput(p *clv.Purchases) (clv.Summary, error) {
	return p.Summary(f.Split, f.End, f.Unit)
}
