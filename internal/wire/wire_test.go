package wire

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

// TestRoundTrip writes every kind of value and reads it back.
func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		ints  []int64
		str   string
		f     float64
		u     uint64
		b     bool
		small uint64
	}{
		{"zeros", nil, "", 0, 0, false, 0},
		{"extremes", []int64{math.MinInt64, -1, 0, 1, math.MaxInt64}, "héllo\x00", math.Inf(-1), math.MaxUint64, true, 16},
		{"nan", []int64{300}, "x", math.NaN(), 1 << 40, true, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := NewWriter('T', 2, 0)
			w.Ints(tc.ints)
			w.String(tc.str)
			w.Float(tc.f)
			w.Uint(tc.u)
			w.Int(-5)
			w.Bool(tc.b)
			w.Byte(7)
			w.Uint(tc.small)
			r, v := NewReader(w.Bytes(), 'T', 3)
			assert.Equal(t, byte(2), v)
			got := r.Ints()
			if len(tc.ints) == 0 {
				assert.Empty(t, got)
			} else {
				assert.Equal(t, tc.ints, got)
			}
			assert.Equal(t, tc.str, r.String())
			f := r.Float()
			assert.Equal(t, math.Float64bits(tc.f), math.Float64bits(f))
			assert.Equal(t, tc.u, r.Uint())
			assert.Equal(t, int64(-5), r.Int())
			assert.Equal(t, tc.b, r.Bool())
			assert.Equal(t, byte(7), r.Byte())
			assert.Equal(t, tc.small, r.Small("small", 16))
			assert.Equal(t, 0, r.Left())
			require.NoError(t, r.Done())
		})
	}
}

// TestReaderErrors checks that every read fails cleanly on bad input, that
// the first failure sticks, and that later reads return zero values.
func TestReaderErrors(t *testing.T) {
	hdr := []byte("kpT\x01")
	tests := []struct {
		name string
		data []byte
		read func(r *Reader)
		want string
	}{
		{"short", []byte("kp"), func(*Reader) {}, "byte 0: 2 bytes: too short for a header"},
		{"magic", []byte("xxT\x01"), func(*Reader) {}, `byte 0: header "xx": not a kpi encoding`},
		{"kind", []byte("kpU\x01"), func(*Reader) {}, "byte 0: kind 'U': want 'T'"},
		{"version 0", []byte("kpT\x00"), func(*Reader) {}, "byte 0: version 0: this build reads versions 1 to 1"},
		{"future", []byte("kpT\x02"), func(*Reader) {}, "byte 0: version 2: this build reads versions 1 to 1"},
		{"uint", append(hdr, 0x80), func(r *Reader) { r.Uint() }, "byte 4: bad unsigned varint"},
		{"int", append(hdr, 0x80), func(r *Reader) { r.Int() }, "byte 4: bad varint"},
		{"overlong uint", append(hdr, 0xa4, 0x00), func(r *Reader) { r.Uint() }, "byte 4: bad unsigned varint"},
		{"overlong int", append(hdr, 0x81, 0x80, 0x00), func(r *Reader) { r.Int() }, "byte 4: bad varint"},
		{"byte", hdr, func(r *Reader) { r.Byte() }, "byte 4: unexpected end"},
		{"bool", append(hdr, 2), func(r *Reader) { r.Bool() }, "byte 4: boolean byte 2"},
		{"float", append(hdr, 1, 2), func(r *Reader) { r.Float() }, "byte 4: unexpected end"},
		{"count", append(hdr, 3, 0, 0), func(r *Reader) { r.Count(1) }, "byte 5: count 3 exceeds the 2 bytes left"},
		{"wide count", append(hdr, 2, 0, 0), func(r *Reader) { r.Count(2) }, "byte 5: count 2 exceeds the 2 bytes left"},
		{"small", append(hdr, 17), func(r *Reader) { r.Small("steps", 16) }, "byte 5: steps 17 exceeds 16"},
		{"string", append(hdr, 5, 'a'), func(r *Reader) { _ = r.String() }, "byte 5: count 5 exceeds the 1 bytes left"},
		{"ints", append(hdr, 2, 0x80, 0x80), func(r *Reader) { r.Ints() }, "byte 5: bad varint"},
		{"ints count", append(hdr, 0x80), func(r *Reader) { r.Ints() }, "byte 4: bad unsigned varint"},
		{"left over", append(hdr, 1), func(*Reader) {}, "byte 4: 1 bytes left over"},
		{"sticks", append(hdr, 0x80), func(r *Reader) { r.Uint(); r.Fail("later") }, "byte 4: bad unsigned varint"},
		{"units scale", append(hdr, 0x0f), func(r *Reader) { r.Units() }, "byte 5: units 1·10^7 not in their one encoding"},
		{"units zero at a scale", append(hdr, 0x02), func(r *Reader) { r.Units() }, "byte 5: units 0·10^2 not in their one encoding"},
		{"units trailing zero", append(hdr, 10<<3|2), func(r *Reader) { r.Units() }, "byte 5: units 10·10^2 not in their one encoding"},
		{"units overflow", append(hdr, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), func(r *Reader) { r.Units() }, "byte 14: units 2305843009213693951·10^6 exceed int64"},
		{"units whole but small", append(hdr, 7, 5), func(r *Reader) { r.Units() }, "byte 6: units 5 written whole"},
		{"units whole beyond int64", append(hdr, 7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), func(r *Reader) { r.Units() }, "byte 15: units 18446744073709551615 written whole"},
		{"units bad varint", append(hdr, 0x80), func(r *Reader) { r.Units() }, "byte 4: bad unsigned varint"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := NewReader(tc.data, 'T', 1)
			tc.read(r)
			err := r.Done()
			require.Error(t, err)
			assert.EqualError(t, err, tc.want)
			assert.ErrorIs(t, err, ErrFormat)
			assert.Zero(t, r.Uint())
			assert.Zero(t, r.Int())
			assert.Zero(t, r.Byte())
			assert.False(t, r.Bool())
			assert.Zero(t, r.Float())
			assert.Zero(t, r.Count(1))
			assert.Empty(t, r.String())
			assert.Nil(t, r.Ints())

			e := Invalid("pkg.T.UnmarshalBinary", tc.data, err)
			assert.ErrorIs(t, e, kpi.ErrInvalid)
			var ke *kpi.Error
			require.True(t, errors.As(e, &ke))
			assert.Equal(t, "data", ke.Arg)
		})
	}
}

// TestUnits writes amounts of money units and reads them back, with the
// sizes the format promises: 10⁹ units (1000.00) take 2 bytes.
func TestUnits(t *testing.T) {
	tests := []struct {
		name  string
		u     int64
		bytes int
	}{
		{"zero", 0, 1},
		{"one unit", 1, 1},
		{"a thousand", 1_000_000_000, 2},
		{"cents", 12_340_000, 2},
		{"ten million", 10_000_000_000_000, 4},
		{"odd and large", math.MaxInt64, 10},
		{"2^61 without zeros", 1<<61 + 1, 10},
		{"below 2^61", 1<<61 - 1, 10},
		{"large with zeros", 9_000_000_000_000_000_000, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := NewWriter('T', 1, 0)
			w.Units(tc.u)
			assert.Len(t, w.Bytes(), 4+tc.bytes)
			r, _ := NewReader(w.Bytes(), 'T', 1)
			assert.Equal(t, tc.u, r.Units())
			require.NoError(t, r.Done())
		})
	}
}

// FuzzReader reads arbitrary bytes in every way: nothing panics, and
// nothing allocates more than the input can hold.
func FuzzReader(f *testing.F) {
	f.Add([]byte("kpT\x01\x02\x01\x02hi"))
	f.Add([]byte("kpT\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, _ := NewReader(data, 'T', 1)
		vs := r.Ints()
		assert.LessOrEqual(t, len(vs), len(data))
		s := r.String()
		assert.LessOrEqual(t, len(s), len(data))
		r.Bool()
		r.Float()
		r.Small("x", 3)
		r.Units()
		_ = r.Done()
	})
}
