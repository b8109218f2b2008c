package cohort

import (
	"fmt"
	"slices"
	"time"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/wire"
)

// The binary form of a Builder: kind 'C', version 1.
const (
	builderKind    = 'C'
	builderVersion = 1
)

// MarshalBinary encodes the Builder compactly, so that a partition's
// customers and revenue can travel between processes (a distributed
// engine's combiner ships its accumulators this way) and be merged there.
//
// The format is versioned ("kp", kind 'C', version 1): the grain and the
// segments, then per customer its ID, segment and acquisition period (as
// the difference from the customer before), then per revenue row, in the
// order added, its customer and period as differences from the row
// before and its amount in 10⁻⁶ units without trailing zeros, then per
// subscription its customer, first period, number of periods (0 for one
// without an end: weeks before 1970 are negative, so no period marks it)
// and amount. A customer costs its ID's length and 2 to 3 bytes; a
// revenue row of a customer whose rows come together, in the period after
// the one before, for a whole amount below 10⁶, 4 to 5 bytes.
//
// The only error is that of the zero Builder, wrapping kpi.ErrInvalid.
func (b *Builder) MarshalBinary() ([]byte, error) {
	if b.ids == nil {
		return nil, errs.Zero("cohort.Builder.MarshalBinary", "Builder", "cohort.NewBuilder")
	}
	size := 16 + 5*blockRows*len(b.rows) + 8*len(b.subs)
	for _, c := range b.custs {
		size += len(c.id) + 3
	}
	w := wire.NewWriter(builderKind, builderVersion, size)
	w.Byte(byte(b.grain))
	w.Uint(uint64(len(b.segNames)))
	for _, s := range b.segNames {
		w.String(s)
	}
	w.Uint(uint64(len(b.custs)))
	var prev int64
	for _, c := range b.custs {
		w.String(c.id)
		if !c.known {
			w.Uint(0)
			continue
		}
		w.Uint(uint64(c.seg) + 1)
		w.Int(int64(c.period) - prev)
		prev = int64(c.period)
	}
	n := 0
	for _, blk := range b.rows {
		n += len(blk)
	}
	w.Uint(uint64(n))
	var cust, period int64
	for _, blk := range b.rows {
		for _, r := range blk {
			w.Int(int64(r.cust) - cust)
			w.Int(int64(r.period) - period)
			w.Units(r.units)
			cust, period = int64(r.cust), int64(r.period)
		}
	}
	w.Uint(uint64(len(b.subs)))
	for _, s := range b.subs {
		w.Uint(uint64(s.cust))
		w.Int(int64(s.from))
		if s.to == openEnd {
			w.Uint(0)
		} else {
			w.Uint(uint64(s.to-s.from) + 1)
		}
		w.Units(s.units)
	}
	return w.Bytes(), nil
}

// periods returns the first and last period a record's time can fall in:
// errs.InRange bounds the instant, and a location can move its date a day
// either way.
func (g Grain) periods() (lo, hi int64) {
	lo, _ = g.index(time.Date(kpi.MinYear-1, 12, 31, 0, 0, 0, 0, time.UTC))
	hi, _ = g.index(time.Date(kpi.MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC))
	return lo, hi
}

// UnmarshalBinary replaces the Builder's contents, grain included, with
// those MarshalBinary encoded; it may be called on the zero Builder. The
// records are checked as Add checks them: a known grain, segment names
// and customer IDs neither empty (IDs) nor repeated, periods within the
// years kpi.MinYear to kpi.MaxYear, amounts ≥ 0, no subscription ending
// before it starts. Revenue before its customer's acquisition, and for a
// customer never added, is reported by Table, as after Merge.
//
// Errors, wrapping kpi.ErrInvalid and leaving b as it was: data that are
// not an encoding of a Builder of a version this build reads, and
// truncated, malformed or invalid data (the error gives the byte
// offset); a nil receiver.
func (b *Builder) UnmarshalBinary(data []byte) error {
	const fn = "cohort.Builder.UnmarshalBinary"
	if b == nil {
		return errs.Invalid(fn, "b", nil, "nil Builder")
	}
	r, _ := wire.NewReader(data, builderKind, builderVersion)
	g := Grain(r.Byte())
	if r.Err() == nil && !g.valid() {
		r.Fail(fmt.Sprintf("grain %d: unknown", g))
	}
	out := &Builder{grain: g, ids: map[string]int32{}, segIDs: map[string]int32{}}
	for range r.Count(1) {
		s := r.String()
		if _, dup := out.segIDs[s]; r.Err() == nil && dup {
			r.Fail(fmt.Sprintf("segment %q repeated", s))
		}
		out.segment(s)
	}
	lo, hi := g.periods()
	out.readCustomers(r, lo, hi)
	out.readRows(r, lo, hi)
	out.readSubs(r, lo, hi)
	if err := r.Done(); err != nil {
		return wire.Invalid(fn, data, err)
	}
	*b = *out
	return nil
}

func (b *Builder) readCustomers(r *wire.Reader, lo, hi int64) {
	n := r.Count(3)
	if r.Err() == nil {
		b.custs = make([]customer, 0, n)
	}
	var period int64
	for i := 0; i < n && r.Err() == nil; i++ {
		id := r.String()
		seg := r.Uint()
		if _, dup := b.ids[id]; r.Err() == nil && (dup || id == "") {
			r.Fail(fmt.Sprintf("customer ID %q empty or repeated", id))
		}
		c := customer{id: id}
		if seg > 0 {
			period += r.Int()
			switch {
			case r.Err() != nil:
			case seg > uint64(len(b.segNames)):
				r.Fail(fmt.Sprintf("customer %q: segment %d of %d", id, seg-1, len(b.segNames)))
			case period < lo || period > hi:
				r.Fail(fmt.Sprintf("customer %q: acquisition period %d outside the years %d to %d", id, period, kpi.MinYear, kpi.MaxYear))
			}
			c = customer{id: id, period: int32(period), seg: int32(seg - 1), known: true}
		}
		b.ids[id] = int32(len(b.custs))
		b.custs = append(b.custs, c)
	}
}

func (b *Builder) readRows(r *wire.Reader, lo, hi int64) {
	n := r.Count(3)
	var cust, period int64
	for i := 0; i < n && r.Err() == nil; i++ {
		cust += r.Int()
		period += r.Int()
		u := r.Units()
		switch {
		case r.Err() != nil:
		case cust < 0 || cust >= int64(len(b.custs)):
			r.Fail(fmt.Sprintf("revenue row %d: customer %d of %d", i, cust, len(b.custs)))
		case period < lo || period > hi:
			r.Fail(fmt.Sprintf("revenue row %d: period %d outside the years %d to %d", i, period, kpi.MinYear, kpi.MaxYear))
		default:
			b.push(row{cust: int32(cust), period: int32(period), units: u})
		}
	}
}

func (b *Builder) readSubs(r *wire.Reader, lo, hi int64) {
	n := r.Count(4)
	if r.Err() == nil {
		b.subs = slices.Grow(b.subs, n)
	}
	for i := 0; i < n && r.Err() == nil; i++ {
		cust, from, span := r.Uint(), r.Int(), r.Uint()
		u := r.Units()
		to := from + int64(span) - 1
		switch {
		case r.Err() != nil:
		case cust >= uint64(len(b.custs)):
			r.Fail(fmt.Sprintf("subscription %d: customer %d of %d", i, cust, len(b.custs)))
		case from < lo || from > hi || span > uint64(hi-from+1):
			r.Fail(fmt.Sprintf("subscription %d: periods %d + %d outside the years %d to %d", i, from, span, kpi.MinYear, kpi.MaxYear))
		default:
			if span == 0 {
				to = openEnd
			}
			b.subs = append(b.subs, sub{cust: int32(cust), from: int32(from), to: int32(to), units: u})
		}
	}
}
