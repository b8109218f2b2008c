package kpibeam

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/kpiflow/kpi/cohort"
	"github.com/kpiflow/kpi/cohort/clv"
	"github.com/kpiflow/kpi/internal/wire"
)

func init() {
	beam.RegisterCoder(reflect.TypeOf(cohort.Customer{}), encodeCustomer, decodeCustomer)
	beam.RegisterCoder(reflect.TypeOf(cohort.Revenue{}), encodeRevenue, decodeRevenue)
	beam.RegisterCoder(reflect.TypeOf(cohort.Subscription{}), encodeSubscription, decodeSubscription)
	beam.RegisterCoder(reflect.TypeOf(record{}), encodeRecord, decodeRecord)
	beam.RegisterCoder(reflect.TypeOf((*cohort.Builder)(nil)), encodeBuilder, decodeBuilder)
	beam.RegisterCoder(reflect.TypeOf((*cohort.Table)(nil)), encodeTable, decodeTable)
	beam.RegisterCoder(reflect.TypeOf(clv.Transaction{}), encodeTransaction, decodeTransaction)
	beam.RegisterCoder(reflect.TypeOf((*clv.Purchases)(nil)), encodePurchases, decodePurchases)
	beam.RegisterCoder(reflect.TypeOf(clv.Summary{}), encodeSummary, decodeSummary)
}

const (
	customerKind     = 'c'
	revenueKind      = 'v'
	subscriptionKind = 's'
	recordKind       = 'R'
	transactionKind  = 't'
)

// writeTime writes a time with its offset from UTC, which sets the
// calendar date the library counts it on.
func writeTime(w *wire.Writer, t time.Time) {
	b, err := t.MarshalBinary()
	if err != nil { // an offset beyond ±546 hours, which no zone has: keep the instant
		b, _ = t.UTC().MarshalBinary()
	}
	w.String(string(b))
}

func readTime(r *wire.Reader) time.Time {
	var t time.Time
	if s := r.String(); r.Err() == nil {
		if err := t.UnmarshalBinary([]byte(s)); err != nil {
			r.Fail(err.Error())
		}
	}
	return t
}

func writeCustomer(w *wire.Writer, c *cohort.Customer) {
	w.String(c.ID)
	writeTime(w, c.Acquired)
	w.String(c.Segment)
}

func readCustomer(r *wire.Reader) cohort.Customer {
	return cohort.Customer{ID: r.String(), Acquired: readTime(r), Segment: r.String()}
}

func writeRevenue(w *wire.Writer, v *cohort.Revenue) {
	w.String(v.CustomerID)
	writeTime(w, v.At)
	writeDecimal(w, v.Amount)
}

func readRevenue(r *wire.Reader) cohort.Revenue {
	return cohort.Revenue{CustomerID: r.String(), At: readTime(r), Amount: readDecimal(r)}
}

func writeSubscription(w *wire.Writer, s *cohort.Subscription) {
	w.String(s.CustomerID)
	writeTime(w, s.Start)
	writeTime(w, s.End)
	writeDecimal(w, s.Amount)
}

func readSubscription(r *wire.Reader) cohort.Subscription {
	return cohort.Subscription{CustomerID: r.String(), Start: readTime(r), End: readTime(r), Amount: readDecimal(r)}
}

func encodeCustomer(c cohort.Customer) []byte {
	w := wire.NewWriter(customerKind, 1, 48)
	writeCustomer(w, &c)
	return w.Bytes()
}

func decodeCustomer(b []byte) (cohort.Customer, error) {
	r, _ := wire.NewReader(b, customerKind, 1)
	c := readCustomer(r)
	return c, r.Done()
}

func encodeRevenue(v cohort.Revenue) []byte {
	w := wire.NewWriter(revenueKind, 1, 48)
	writeRevenue(w, &v)
	return w.Bytes()
}

func decodeRevenue(b []byte) (cohort.Revenue, error) {
	r, _ := wire.NewReader(b, revenueKind, 1)
	v := readRevenue(r)
	return v, r.Done()
}

func encodeSubscription(s cohort.Subscription) []byte {
	w := wire.NewWriter(subscriptionKind, 1, 64)
	writeSubscription(w, &s)
	return w.Bytes()
}

func decodeSubscription(b []byte) (cohort.Subscription, error) {
	r, _ := wire.NewReader(b, subscriptionKind, 1)
	s := readSubscription(r)
	return s, r.Done()
}

// encodeRecord writes a kind byte, then the record.
func encodeRecord(rec record) []byte {
	w := wire.NewWriter(recordKind, 1, 64)
	switch {
	case rec.customer != nil:
		w.Byte(customerKind)
		writeCustomer(w, rec.customer)
	case rec.revenue != nil:
		w.Byte(revenueKind)
		writeRevenue(w, rec.revenue)
	case rec.subscription != nil:
		w.Byte(subscriptionKind)
		writeSubscription(w, rec.subscription)
	default:
		w.Byte(0)
	}
	return w.Bytes()
}

func decodeRecord(b []byte) (record, error) {
	r, _ := wire.NewReader(b, recordKind, 1)
	var rec record
	switch k := r.Byte(); k {
	case customerKind:
		c := readCustomer(r)
		rec.customer = &c
	case revenueKind:
		v := readRevenue(r)
		rec.revenue = &v
	case subscriptionKind:
		s := readSubscription(r)
		rec.subscription = &s
	case 0:
	default:
		r.Fail(fmt.Sprintf("record kind %q", k))
	}
	return rec, r.Done()
}

func encodeBuilder(b *cohort.Builder) ([]byte, error) { return b.MarshalBinary() }

func decodeBuilder(data []byte) (*cohort.Builder, error) {
	b := new(cohort.Builder)
	if err := b.UnmarshalBinary(data); err != nil {
		return nil, err
	}
	return b, nil
}

// A table and a summary travel as their JSON, which holds every field:
// money as its decimal text, floats in the shortest form that reads back
// to the same bits.
func encodeTable(t *cohort.Table) ([]byte, error) { return json.Marshal(t) }

func decodeTable(b []byte) (*cohort.Table, error) {
	t := new(cohort.Table)
	if err := json.Unmarshal(b, t); err != nil {
		return nil, fmt.Errorf("kpibeam: decoding a cohort table: %w", err)
	}
	return t, nil
}

func encodeTransaction(t clv.Transaction) []byte {
	w := wire.NewWriter(transactionKind, 1, 48)
	w.String(t.CustomerID)
	writeTime(w, t.At)
	writeDecimal(w, t.Amount)
	return w.Bytes()
}

func decodeTransaction(b []byte) (clv.Transaction, error) {
	r, _ := wire.NewReader(b, transactionKind, 1)
	t := clv.Transaction{CustomerID: r.String(), At: readTime(r), Amount: readDecimal(r)}
	return t, r.Done()
}

func encodePurchases(p *clv.Purchases) ([]byte, error) { return p.MarshalBinary() }

func decodePurchases(b []byte) (*clv.Purchases, error) {
	p := new(clv.Purchases)
	if err := p.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return p, nil
}

func encodeSummary(s clv.Summary) ([]byte, error) { return json.Marshal(s) }

func decodeSummary(b []byte) (clv.Summary, error) {
	var s clv.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return clv.Summary{}, fmt.Errorf("kpibeam: decoding an RFM summary: %w", err)
	}
	return s, nil
}
