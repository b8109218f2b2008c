package kpibeam

import (
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/typex"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

func init() {
	register.Function1x1(customerRecord)
	register.Function1x1(revenueRecord)
	register.Function1x1(subscriptionRecord)
	register.Function2x2(keyedCustomer)
	register.Function2x2(keyedRevenue)
	register.Function2x2(keyedSubscription)
	register.Combiner3[*cohort.Builder, record, *cohort.Table](&builderFn{})
}

// record is a customer, a revenue row or a subscription, as the one
// PCollection a combine takes carries them; exactly one is set.
type record struct {
	customer     *cohort.Customer
	revenue      *cohort.Revenue
	subscription *cohort.Subscription
}

func (r record) value() cohort.Record {
	switch {
	case r.customer != nil:
		return *r.customer
	case r.revenue != nil:
		return *r.revenue
	case r.subscription != nil:
		return *r.subscription
	}
	return nil
}

func customerRecord(c cohort.Customer) record                    { return record{customer: &c} }
func revenueRecord(r cohort.Revenue) record                      { return record{revenue: &r} }
func subscriptionRecord(s cohort.Subscription) record            { return record{subscription: &s} }
func keyedCustomer(k string, c cohort.Customer) (string, record) { return k, customerRecord(c) }
func keyedRevenue(k string, r cohort.Revenue) (string, record)   { return k, revenueRecord(r) }
func keyedSubscription(k string, s cohort.Subscription) (string, record) {
	return k, subscriptionRecord(s)
}

// Cohorts makes the cohort table of the customers in customers, a
// PCollection of cohort.Customer, and of their revenue in each of
// revenue, PCollections of cohort.Revenue or cohort.Subscription: a
// PCollection holding one *cohort.Table, the table a cohort.Builder of
// grain g given every record makes through the period containing
// through (Builder.Table). The records are added to per-bundle Builders,
// which are shipped encoded and merged; the table equals the in-memory
// one on the same records, cell for cell and to the cent.
//
// Errors, at construction, before any data are read: those of
// cohort.NewBuilder for g, a through outside the years kpi.MinYear to
// kpi.MaxYear, and a PCollection of another type. A record the Builder
// refuses (an empty ID, a customer added twice, revenue before its
// customer's acquisition or of a customer never added) fails the
// pipeline with the Builder's error.
func Cohorts(s beam.Scope, g cohort.Grain, through time.Time, customers beam.PCollection, revenue ...beam.PCollection) (beam.PCollection, error) {
	s = s.Scope("kpibeam.Cohorts")
	fn, err := newBuilderFn("kpibeam.Cohorts", g, through)
	if err != nil {
		return beam.PCollection{}, err
	}
	records, err := cohortRecords(s, "kpibeam.Cohorts", false, customers, revenue)
	if err != nil {
		return beam.PCollection{}, err
	}
	return beam.Combine(s, fn, records), nil
}

// CohortsPerKey is Cohorts for each key: customers is a PCollection of
// KV<string, cohort.Customer>, revenue of KV<string, cohort.Revenue> or
// KV<string, cohort.Subscription>, and the result a PCollection of
// KV<string, *cohort.Table>, one per key with customers. The same
// customer ID under two keys is two customers.
func CohortsPerKey(s beam.Scope, g cohort.Grain, through time.Time, customers beam.PCollection, revenue ...beam.PCollection) (beam.PCollection, error) {
	s = s.Scope("kpibeam.CohortsPerKey")
	fn, err := newBuilderFn("kpibeam.CohortsPerKey", g, through)
	if err != nil {
		return beam.PCollection{}, err
	}
	records, err := cohortRecords(s, "kpibeam.CohortsPerKey", true, customers, revenue)
	if err != nil {
		return beam.PCollection{}, err
	}
	return beam.CombinePerKey(s, fn, records), nil
}

// cohortRecords turns the PCollections into one of records, keyed or not.
func cohortRecords(s beam.Scope, fn string, keyed bool, customers beam.PCollection, revenue []beam.PCollection) (beam.PCollection, error) {
	types := map[reflect.Type][2]any{
		reflect.TypeOf(cohort.Customer{}):     {customerRecord, keyedCustomer},
		reflect.TypeOf(cohort.Revenue{}):      {revenueRecord, keyedRevenue},
		reflect.TypeOf(cohort.Subscription{}): {subscriptionRecord, keyedSubscription},
	}
	var parts []beam.PCollection
	for i, col := range append([]beam.PCollection{customers}, revenue...) {
		if !col.IsValid() {
			return beam.PCollection{}, fmt.Errorf("%s: PCollection %d is not valid", fn, i)
		}
		t := col.Type()
		elem, isKV := t.Type(), typex.IsKV(t)
		if isKV {
			elem = t.Components()[1].Type()
		}
		fns, known := types[elem]
		switch {
		case i == 0 && elem != reflect.TypeOf(cohort.Customer{}), i > 0 && elem == reflect.TypeOf(cohort.Customer{}), !known:
			return beam.PCollection{}, fmt.Errorf("%s: PCollection %d of %v: want customers first, then revenue or subscriptions", fn, i, t)
		case isKV != keyed || (keyed && t.Components()[0].Type() != reflect.TypeOf("")):
			return beam.PCollection{}, fmt.Errorf("%s: PCollection %d of %v: keyed by string in the per-key form only", fn, i, t)
		}
		if keyed {
			parts = append(parts, beam.ParDo(s, fns[1], col))
		} else {
			parts = append(parts, beam.ParDo(s, fns[0], col))
		}
	}
	return beam.Flatten(s, parts...), nil
}

// builderFn is the CombineFn of Cohorts: the accumulator is a Builder,
// the input a record, the output the Table through Through.
type builderFn struct {
	// Empty is the encoding of an empty Builder: its grain.
	Empty   []byte
	Through time.Time
}

func newBuilderFn(fn string, g cohort.Grain, through time.Time) (*builderFn, error) {
	b, err := cohort.NewBuilder(g)
	if err != nil {
		return nil, err
	}
	if _, err := b.Table(through); !errors.Is(err, kpi.ErrUndefined) { // an empty builder has no customers
		return nil, fmt.Errorf("%s: %w", fn, err)
	}
	data, err := b.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return &builderFn{Empty: data, Through: through}, nil
}

func (f *builderFn) CreateAccumulator() (*cohort.Builder, error) { return decodeBuilder(f.Empty) }

func (f *builderFn) AddInput(b *cohort.Builder, r record) (*cohort.Builder, error) {
	return b, b.Add(r.value())
}

func (f *builderFn) MergeAccumulators(a, b *cohort.Builder) (*cohort.Builder, error) {
	return a, a.Merge(b)
}

func (f *builderFn) ExtractOutput(b *cohort.Builder) (*cohort.Table, error) {
	return b.Table(f.Through)
}
