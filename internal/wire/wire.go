// Package wire writes and reads the compact binary form of kpi's
// accumulators. It is not API. Every encoding starts with a header of four
// bytes, "kp", a kind byte naming the accumulator and a version byte, and
// goes on with unsigned varints (counts, lengths, ids), zigzag varints
// (signed numbers) and length-prefixed strings. A varint has one encoding:
// an overlong one (a last byte of 0 after the first) is malformed, so
// that what decodes re-encodes to the same bytes.
//
// A Reader never panics and never allocates more than its input can hold:
// every count it returns is checked against the bytes left, since each
// element takes at least one byte. Its first failure sticks: later reads
// return zero values, and Err reports the failure with its offset.
package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/kpiflow/kpi/internal/errs"
)

// magic opens every encoding.
const magic = "kp"

// Writer appends an encoding to a byte slice.
type Writer struct{ b []byte }

// NewWriter returns a Writer whose encoding starts with the header of
// kind and version, with room for about size bytes.
func NewWriter(kind, version byte, size int) *Writer {
	w := &Writer{b: make([]byte, 0, max(size, 0)+4)}
	w.b = append(w.b, magic[0], magic[1], kind, version)
	return w
}

// Bytes returns the encoding written so far.
func (w *Writer) Bytes() []byte { return w.b }

// Uint appends an unsigned varint.
func (w *Writer) Uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }

// Int appends a zigzag varint.
func (w *Writer) Int(v int64) { w.b = binary.AppendVarint(w.b, v) }

// Byte appends one byte.
func (w *Writer) Byte(v byte) { w.b = append(w.b, v) }

// Bool appends a byte 0 or 1.
func (w *Writer) Bool(v bool) {
	if v {
		w.b = append(w.b, 1)
		return
	}
	w.b = append(w.b, 0)
}

// String appends a length-prefixed string.
func (w *Writer) String(s string) {
	w.Uint(uint64(len(s)))
	w.b = append(w.b, s...)
}

// Float appends a float64's bits, 8 bytes little-endian.
func (w *Writer) Float(v float64) { w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(v)) }

// Ints appends a count and the zigzag varints of vs.
func (w *Writer) Ints(vs []int64) {
	w.Uint(uint64(len(vs)))
	for _, v := range vs {
		w.b = binary.AppendVarint(w.b, v)
	}
}

// ErrFormat is the class of every decoding failure.
var ErrFormat = errors.New("malformed encoding")

// Error is a decoding failure at an offset.
type Error struct {
	Offset int
	What   string
}

func (e *Error) Error() string { return fmt.Sprintf("byte %d: %s", e.Offset, e.What) }

// Unwrap returns ErrFormat.
func (e *Error) Unwrap() error { return ErrFormat }

// Reader reads an encoding.
type Reader struct {
	b   []byte
	off int
	err error
}

// NewReader returns a Reader of b after checking its header: the magic,
// kind and a version no later than version. It returns the version read;
// on a bad header the Reader's Err says why.
func NewReader(b []byte, kind, version byte) (*Reader, byte) {
	r := &Reader{b: b}
	switch {
	case len(b) < 4:
		r.Fail(fmt.Sprintf("%d bytes: too short for a header", len(b)))
	case b[0] != magic[0] || b[1] != magic[1]:
		r.Fail(fmt.Sprintf("header %q: not a kpi encoding", b[:2]))
	case b[2] != kind:
		r.Fail(fmt.Sprintf("kind %q: want %q", b[2], kind))
	case b[3] == 0 || b[3] > version:
		r.Fail(fmt.Sprintf("version %d: this build reads versions 1 to %d", b[3], version))
	default:
		r.off = 4
		return r, b[3]
	}
	return r, 0
}

// Err returns the first failure, or nil.
func (r *Reader) Err() error { return r.err }

// Fail records a failure at the current offset, unless one is recorded
// already; decoders call it when a value read is out of range.
func (r *Reader) Fail(what string) {
	if r.err == nil {
		r.err = &Error{Offset: r.off, What: what}
	}
}

// Left returns the number of bytes not read yet.
func (r *Reader) Left() int { return len(r.b) - r.off }

// Done records a failure if bytes are left over, and returns Err.
func (r *Reader) Done() error {
	if r.err == nil && r.off != len(r.b) {
		r.Fail(fmt.Sprintf("%d bytes left over", len(r.b)-r.off))
	}
	return r.err
}

// Uint reads an unsigned varint.
func (r *Reader) Uint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 || (n > 1 && r.b[r.off+n-1] == 0) { // overlong: one value, one encoding
		r.Fail("bad unsigned varint")
		return 0
	}
	r.off += n
	return v
}

// Int reads a zigzag varint.
func (r *Reader) Int() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b[r.off:])
	if n <= 0 || (n > 1 && r.b[r.off+n-1] == 0) {
		r.Fail("bad varint")
		return 0
	}
	r.off += n
	return v
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if r.err != nil {
		return 0
	}
	if r.off >= len(r.b) {
		r.Fail("unexpected end")
		return 0
	}
	r.off++
	return r.b[r.off-1]
}

// Bool reads a byte that must be 0 or 1.
func (r *Reader) Bool() bool {
	switch r.Byte() {
	case 0:
		return false
	case 1:
		return true
	}
	r.off--
	r.Fail(fmt.Sprintf("boolean byte %d", r.b[r.off]))
	return false
}

// Count reads a count of elements that each take at least per bytes (per
// ≥ 1), failing when the bytes left cannot hold them.
func (r *Reader) Count(per int) int {
	v := r.Uint()
	if r.err != nil {
		return 0
	}
	if v > uint64(r.Left()/max(per, 1)) {
		r.Fail(fmt.Sprintf("count %d exceeds the %d bytes left", v, r.Left()))
		return 0
	}
	return int(v)
}

// Small reads an unsigned varint that must not exceed limit, naming what
// it is in the failure.
func (r *Reader) Small(what string, limit uint64) uint64 {
	v := r.Uint()
	if r.err == nil && v > limit {
		r.Fail(fmt.Sprintf("%s %d exceeds %d", what, v, limit))
		return 0
	}
	return v
}

// String reads a length-prefixed string.
func (r *Reader) String() string {
	n := r.Count(1)
	if r.err != nil {
		return ""
	}
	s := string(r.b[r.off : r.off+n])
	r.off += n
	return s
}

// Float reads a float64 written by Writer.Float.
func (r *Reader) Float() float64 {
	if r.err != nil {
		return 0
	}
	if r.Left() < 8 {
		r.Fail("unexpected end")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b[r.off:]))
	r.off += 8
	return v
}

// Ints reads what Writer.Ints wrote.
func (r *Reader) Ints() []int64 {
	n := r.Count(1)
	if r.err != nil {
		return nil
	}
	vs := make([]int64, n)
	for i := range vs {
		vs[i] = r.Int()
	}
	if r.err != nil {
		return nil
	}
	return vs
}

// Invalid returns a decoding failure as the error of fn: a *kpi.Error
// wrapping kpi.ErrInvalid that names the data, their length and the
// offset of the failure.
func Invalid(fn string, data []byte, err error) error {
	return errs.Invalid(fn, "data", fmt.Sprintf("%d bytes", len(data)), err.Error())
}

// rawUnits marks units written whole, too large to be written as m·8 + z.
const rawUnits = 7

// Units appends a non-negative amount of money in 10⁻⁶ units compactly:
// with u = m·10^z and z ≤ 6 the most trailing zeros, as the varint
// m·8 + z, so that 1000.00 (10⁹ units) takes 2 bytes instead of 5. An m
// of 2⁶¹ or more is written as 7 and then u itself.
func (w *Writer) Units(u int64) {
	m, z := uint64(u), uint64(0)
	for m != 0 && z < 6 && m%10 == 0 {
		m /= 10
		z++
	}
	if m >= 1<<61 {
		w.Uint(rawUnits)
		w.Uint(uint64(u))
		return
	}
	w.Uint(m<<3 | z)
}

// Units reads what Writer.Units wrote: an amount in [0, 2⁶³ − 1] in its
// one encoding.
func (r *Reader) Units() int64 {
	v := r.Uint()
	if r.err != nil {
		return 0
	}
	m, z := v>>3, v&7
	if z == rawUnits && m == 0 {
		u := r.Uint()
		if r.err == nil && (u > math.MaxInt64 || reduce(u) < 1<<61) {
			r.Fail(fmt.Sprintf("units %d written whole", u))
			return 0
		}
		return int64(u)
	}
	switch {
	case z > 6 || (m == 0 && z != 0) || (m != 0 && z < 6 && m%10 == 0):
		r.Fail(fmt.Sprintf("units %d·10^%d not in their one encoding", m, z))
		return 0
	case m > math.MaxInt64/pow10[z]:
		r.Fail(fmt.Sprintf("units %d·10^%d exceed int64", m, z))
		return 0
	}
	return int64(m * pow10[z])
}

// reduce returns u without its trailing zeros, at most six of them.
func reduce(u uint64) uint64 {
	for z := 0; u != 0 && z < 6 && u%10 == 0; z++ {
		u /= 10
	}
	return u
}

var pow10 = [7]uint64{1, 10, 100, 1000, 10000, 100000, 1000000}
