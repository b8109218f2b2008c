package clv

import (
	"fmt"
	"time"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/wire"
)

// The binary form of Purchases: kind 'P', version 1.
const (
	purchasesKind    = 'P'
	purchasesVersion = 1
)

// The calendar days a transaction can fall on: InRange bounds the instant,
// and a location can move its date a day either way.
var (
	firstDay = time.Date(kpi.MinYear-1, 12, 31, 0, 0, 0, 0, time.UTC).Unix() / 86400
	lastDay  = time.Date(kpi.MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC).Unix() / 86400
)

// MarshalBinary encodes the purchases compactly, so that a partial
// history can travel between processes (a distributed engine's combiner
// ships its accumulators this way) and be merged there.
//
// The format is versioned ("kp", kind 'P', version 1): the customer IDs,
// then per transaction, in the order added, its customer and calendar
// day as differences from the transaction before, and its amount in 10⁻⁶
// units without trailing zeros. A transaction of a customer whose
// transactions come together, on a day near the one before, for a whole
// amount below 10⁶, takes 4 to 5 bytes; each customer ID adds its length
// and a byte. The error is always nil; the zero Purchases encodes as an
// empty one, and so does a nil one.
func (p *Purchases) MarshalBinary() ([]byte, error) {
	if p == nil {
		p = &Purchases{}
	}
	size := 5 * len(p.rows)
	for _, id := range p.names {
		size += len(id) + 1
	}
	w := wire.NewWriter(purchasesKind, purchasesVersion, size)
	w.Uint(uint64(len(p.names)))
	for _, id := range p.names {
		w.String(id)
	}
	w.Uint(uint64(len(p.rows)))
	var cust, day int64
	for _, r := range p.rows {
		w.Int(int64(r.cust) - cust)
		w.Int(r.day - day)
		w.Units(r.units)
		cust, day = int64(r.cust), r.day
	}
	return w.Bytes(), nil
}

// UnmarshalBinary replaces the purchases with those MarshalBinary
// encoded, checked as Add checks transactions: customer IDs neither
// empty nor repeated, days within the years kpi.MinYear to kpi.MaxYear,
// amounts ≥ 0. It may be called on the zero Purchases.
//
// Errors, wrapping kpi.ErrInvalid and leaving p as it was: data that are
// not an encoding of Purchases of a version this build reads, and
// truncated, malformed or invalid data (the error gives the byte
// offset); a nil receiver.
func (p *Purchases) UnmarshalBinary(data []byte) error {
	const fn = "clv.Purchases.UnmarshalBinary"
	if p == nil {
		return errs.Invalid(fn, "p", nil, "nil Purchases")
	}
	r, _ := wire.NewReader(data, purchasesKind, purchasesVersion)
	out := Purchases{ids: map[string]int32{}}
	for range r.Count(2) {
		id := r.String()
		if _, dup := out.ids[id]; r.Err() == nil && (dup || id == "") {
			r.Fail(fmt.Sprintf("customer ID %q empty or repeated", id))
		}
		out.ids[id] = int32(len(out.names))
		out.names = append(out.names, id)
	}
	n := r.Count(3)
	if r.Err() == nil {
		out.rows = make([]purchase, 0, n)
	}
	var cust, day int64
	for i := 0; i < n && r.Err() == nil; i++ {
		cust += r.Int()
		day += r.Int()
		u := r.Units()
		switch {
		case r.Err() != nil:
		case cust < 0 || cust >= int64(len(out.names)):
			r.Fail(fmt.Sprintf("transaction %d: customer %d of %d", i, cust, len(out.names)))
		case day < firstDay || day > lastDay:
			r.Fail(fmt.Sprintf("transaction %d: day %d outside the years %d to %d", i, day, kpi.MinYear, kpi.MaxYear))
		default:
			out.rows = append(out.rows, purchase{cust: int32(cust), day: day, units: u})
		}
	}
	if err := r.Done(); err != nil {
		return wire.Invalid(fn, data, err)
	}
	if len(out.names) == 0 {
		out.ids = nil
	}
	*p = out
	return nil
}
