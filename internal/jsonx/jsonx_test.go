package jsonx

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/money"
)

type wire struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
	Rate  kpi.Rate
	Items []item           `json:"items"`
	Wait  Seconds          `json:"wait"`
	By    map[string]item  `json:"by"`
	Costs map[string]Money `json:"costs"`
}

type item struct {
	N    int64   `json:"n"`
	Wait Seconds `json:"wait"`
	Sub  []int64 `json:"sub"`
}

// nested decodes an item with its own strict Decode, as the packages'
// UnmarshalJSON methods do.
type nested struct{ N int64 }

func (n *nested) UnmarshalJSON(data []byte) error {
	var w struct {
		N    int64   `json:"n"`
		Wait Seconds `json:"wait"`
	}
	if err := Decode("nested.UnmarshalJSON", data, &w); err != nil {
		return err
	}
	n.N = w.N
	return nil
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"unknown key", `{"name":"a","extra":1}`, `f: JSON document: json: unknown field "extra"`},
		{"wrong type", `{"count":"7"}`, `f: count string: cannot be decoded into int64`},
		{"beyond int64", `{"count":1e30}`, `f: count number 1e30: cannot be decoded into int64`},
		{"syntax", `{"name":`, `f: JSON document: unexpected EOF`},
		{"bad character", `{"name":x}`, `f: JSON offset 9: invalid character 'x' looking for beginning of value`},
		{"trailing", `{"name":"a"} {}`, `f: JSON trailing data: one value expected`},
		{"not an object", `[1]`, `f: JSON array: cannot be decoded into jsonx.wire`},
		{"nested error", `{"Rate":{"successes":3,"trials":2}}`, `f: Rate.successes 3: exceeds trials 2`},
		{"index of a wrong type", `{"items":[{"n":1},{"n":2},{"n":"3"}]}`, `f: items[2].n string: cannot be decoded into int64`},
		{"index in an index", `{"items":[{"sub":[1,2]},{"sub":[1,true]}]}`, `f: items[1].sub[1] bool: cannot be decoded into int64`},
		{"index of a leaf's error", `{"items":[{"n":1},{"n":2,"wait":"x"}]}`, `f: items[1].wait.duration "x": want a number of seconds`},
		{"a leaf's error", `{"wait":1e-12}`, `f: wait.duration 1e-12: finer than a nanosecond`},
		{"index of an unknown key", `{"items":[{"n":1},{"n":2,"extra":1}]}`, `f: items[1] document: json: unknown field "extra"`},
		{"map value", `{"by":{"a":{"n":1},"b":{"n":"x"}}}`, `f: by.b.n string: cannot be decoded into int64`},
		{"money in a map", `{"costs":{"a":"1","b":1e31}}`, `f: costs.b "1e31": more than 30 digits before the point`},
		// Issue 13's probe: encoding/json matches keys whatever their case
		// and lets the last of a repeated key win, with unknown fields
		// disallowed too.
		{"key in another case", `{"name":"a","Name":"b"}`, `f: JSON "Name": key differs in case from "name"`},
		{"key given twice", `{"count":1,"count":2}`, `f: JSON "count": repeated key`},
		{"key given twice in an element", `{"items":[{"n":1},{"n":1,"n":2}]}`, `f: items[1] "n": repeated key`},
		{"map key given twice", `{"by":{"a":{"n":1},"a":{"n":2}}}`, `f: by "a": repeated key`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w wire
			err := Decode("f", []byte(tt.in), &w)
			require.Error(t, err)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

// TestDecodeNestedErrors checks that the path of a nested decode's error
// goes on from the index of the value it failed on.
func TestDecodeNestedErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"leaf in a nested decode", `{"list":[{"n":1},{"n":2},{"n":3,"wait":"x"}]}`, `outer: list[2].wait.duration "x": want a number of seconds`},
		{"type in a nested decode", `{"list":[{"n":1},{"n":"2"}]}`, `outer: list[1].n string: cannot be decoded into int64`},
		{"unknown key in a nested decode", `{"list":[{"n":1,"x":0}]}`, `outer: list[0] document: json: unknown field "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w struct {
				List []nested `json:"list"`
			}
			err := Decode("outer", []byte(tt.in), &w)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name, in string
		want     wire
	}{
		{"all keys", `{"name":"a","count":7}`, wire{Name: "a", Count: 7}},
		{"some keys", `{"count":2}`, wire{Count: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w wire
			require.NoError(t, Decode("f", []byte(tt.in), &w))
			assert.Equal(t, tt.want, w)
		})
	}
}

func TestRateInterval(t *testing.T) {
	r, err := kpi.NewRate(96, 240)
	require.NoError(t, err)
	tests := []struct {
		name   string
		r      kpi.Rate
		method kpi.Method
		level  float64
		want   *kpi.Interval
	}{
		// R: prop.test(96, 240, correct = FALSE)$conf.int = 0.340065859026 0.463084924962
		{"Wilson", r, kpi.Wilson, 0.95, &kpi.Interval{Lo: 0.340065859026, Hi: 0.463084924962, Method: "Wilson", Level: 0.95}},
		{"no trials", kpi.Rate{}, kpi.Wilson, 0.95, nil},
		{"bad level", r, kpi.Wilson, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RateInterval(tt.r, tt.method, tt.level)
			if tt.want == nil {
				assert.Nil(t, got)
				return
			}
			require.NotNil(t, got)
			assert.InDelta(t, tt.want.Lo, got.Lo, 1e-11)
			assert.InDelta(t, tt.want.Hi, got.Hi, 1e-11)
			assert.Equal(t, tt.want.Method, got.Method)
		})
	}
}

func TestFloat(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		nil  bool
	}{
		{"finite", 1.5, false},
		{"NaN", math.NaN(), true},
		{"Inf", math.Inf(-1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Float(tt.v)
			if tt.nil {
				assert.Nil(t, got)
			} else {
				assert.Equal(t, tt.v, *got)
			}
		})
	}
}

func TestSeconds(t *testing.T) {
	tests := []struct {
		name string
		d    time.Duration
		want string
	}{
		{"hour", time.Hour, "3600"},
		{"quarter second", 250 * time.Millisecond, "0.25"},
		{"nanosecond", time.Second + 1, "1.000000001"},
		{"zero", 0, "0"},
		{"negative", -1500 * time.Millisecond, "-1.5"},
		{"largest", math.MaxInt64, "9223372036.854775807"},
		{"smallest", math.MinInt64, "-9223372036.854775808"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Seconds(tt.d).MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
			var back Seconds
			require.NoError(t, back.UnmarshalJSON(b))
			assert.Equal(t, tt.d, time.Duration(back))
		})
	}
}

func TestSecondsErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"string", `"3600"`, `seconds: duration "3600": want a number of seconds`},
		{"finer than a nanosecond", `1e-10`, `seconds: duration 1e-10: finer than a nanosecond`},
		{"too long", `1e12`, `seconds: duration 1e12: beyond the range of time.Duration (about 292 years)`},
		{"too negative", `-9223372036.854775809`, `seconds: duration -9223372036.854775809: beyond the range of time.Duration (about 292 years)`},
		{"huge exponent", `1e99999999999`, `seconds: duration 1e99999999999: want a number of seconds`},
		{"large exponent", `1e19`, `seconds: duration 1e19: beyond the range of time.Duration (about 292 years)`},
		{"tiny exponent", `1e-65`, `seconds: duration 1e-65: beyond the range of time.Duration (about 292 years)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Seconds
			err := s.UnmarshalJSON([]byte(tt.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func FuzzSeconds(f *testing.F) {
	for _, s := range []string{"3600", "0.25", "1e3", "-1.5", "9223372036.854775807", "1e-9"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Seconds
		if s.UnmarshalJSON(data) != nil {
			return
		}
		b, err := s.MarshalJSON()
		require.NoError(t, err)
		var back Seconds
		require.NoError(t, back.UnmarshalJSON(b))
		assert.Equal(t, s, back)
	})
}

// TestMoney checks that Money reads what decimal.NewFromString reads, the
// independent source: the same coefficient and exponent, quoted or not.
func TestMoney(t *testing.T) {
	for _, in := range []string{"24000", "45.50", "-0.5", "0", "1e3", "1.5E2", "2.5e-3", "-7e+2", "0e30", "0e-150",
		"999999999999999999999999999999.999999999999999999", "1.000000000000000000000000000000000000000",
		"\u22123.25", "1e\u22122", ".5", "12345678901234567890123456789e1"} {
		want := decimal.RequireFromString(in)
		for _, data := range []string{`"` + in + `"`, in} {
			t.Run(data, func(t *testing.T) {
				var m Money
				require.NoError(t, m.UnmarshalJSON([]byte(data)))
				got := decimal.Decimal(m)
				assert.Equal(t, want.Coefficient(), got.Coefficient())
				assert.Equal(t, want.Exponent(), got.Exponent())
			})
		}
	}
	m := Money(decimal.New(5, 0))
	require.NoError(t, m.UnmarshalJSON([]byte("null")))
	assert.True(t, decimal.Decimal(m).Equal(decimal.New(5, 0)), "null leaves the value as it is, as decimal's UnmarshalJSON does")
}

// TestMoneyErrors checks the bound on money (internal/money: 30 digits
// before the point, 18 after it, 64 bytes of text) and that the errors
// are short.
func TestMoneyErrors(t *testing.T) {
	long := strings.Repeat("9", 1e6)
	tests := []struct{ name, in, want string }{
		{"not a number", `"ten"`, `money: JSON "ten": not a number`},
		{"bool", `true`, `money: JSON "true": not a number`},
		{"empty", `""`, `money: JSON "": not a number`},
		{"two exponents", `"1e2e3"`, `money: JSON "1e2e3": not a number`},
		{"a billion digits", `"1e1000000000"`, `money: JSON "1e1000000000": more than 30 digits before the point`},
		{"a billion places", `-1e-1000000000`, `money: JSON "-1e-1000000000": more than 18 decimal places`},
		{"beyond int32", `"5e-9999999999"`, `money: JSON "5e-9999999999": more than 18 decimal places`},
		{"beyond int64", `1e-99999999999999999999`, `money: JSON "1e-99999999999999999999": not a number`},
		{"10³⁰", `"1e30"`, `money: JSON "1e30": more than 30 digits before the point`},
		{"19 places", `"0.0000000000000000001"`, `money: JSON "0.0000000000000000001": more than 18 decimal places`},
		{"zero with a huge exponent", `"0e31"`, `money: JSON "0e31": more than 30 digits before the point`},
		{"65 bytes", `"` + strings.Repeat("1", 65) + `"`, `money: JSON "` + strings.Repeat("1", 64) + `"…: a value of 65 bytes: more than 64`},
		{"a million digits", long, `money: JSON "` + long[:64] + `"…: a value of 1000000 bytes: more than 64`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Money
			err := m.UnmarshalJSON([]byte(tt.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Equal(t, tt.want, err.Error())
			assert.Less(t, len(err.Error()), 200)
			assert.True(t, decimal.Decimal(m).Equal(decimal.Zero), "an error leaves the value as it is")
		})
	}
}

// FuzzMoney holds that an amount Money reads lies within the bound on
// money and is the amount decimal reads from the same text.
func FuzzMoney(f *testing.F) {
	for _, s := range []string{`"45.50"`, `1e3`, `"1e1000000000"`, `"-2.5e-1000000000"`, `"0e-150"`, `null`, "\"\u22121e\u22122\"",
		`"999999999999999999999999999999.999999999999999999"`, `"1e99999999999999999999"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Money
		if err := m.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			require.Less(t, len(err.Error()), 200)
			return
		}
		d := decimal.Decimal(m)
		require.Empty(t, money.Check(d))
		if string(data) == "null" {
			return
		}
		var want decimal.Decimal
		require.NoError(t, want.UnmarshalJSON(data), "%s", data)
		assert.True(t, want.Equal(d), "%s: %s, decimal %s", data, d, want)
	})
}

func TestAppend(t *testing.T) {
	r, err := kpi.NewRate(1, 3)
	require.NoError(t, err)
	tiny, err := kpi.NewRate(1, 1e8)
	require.NoError(t, err)
	tests := []struct {
		name string
		v    any
		got  []byte
	}{
		{"plain string", "MQL", AppendString(nil, "MQL")},
		{"string to escape", "a \"b\"\n<c> é", AppendString(nil, "a \"b\"\n<c> é")},
		{"invalid UTF-8", "a\xffb", AppendString(nil, "a\xffb")},
		{"float", 0.1, AppendFloat(nil, 0.1)},
		{"tiny float", 1e-7, AppendFloat(nil, 1e-7)},
		{"tiny float, two digits", 1.5e-12, AppendFloat(nil, 1.5e-12)},
		{"huge float", 1e21, AppendFloat(nil, 1e21)},
		{"huge exponent", 1e300, AppendFloat(nil, 1e300)},
		{"rate", r, AppendRate(nil, r)},
		{"tiny rate", tiny, AppendRate(nil, tiny)},
		{"rate with no trials", kpi.Rate{}, AppendRate(nil, kpi.Rate{})},
		{"interval", RateInterval(r, kpi.Wilson, 0.95), AppendRateInterval(nil, r, kpi.Wilson, 0.95)},
		{"interval at 90 %", RateInterval(r, kpi.Jeffreys, 0.9), AppendRateInterval(nil, r, kpi.Jeffreys, 0.9)},
		{"no interval", RateInterval(kpi.Rate{}, kpi.Wilson, 0.95), AppendRateInterval(nil, kpi.Rate{}, kpi.Wilson, 0.95)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := json.Marshal(tt.v) // encoding/json is the reference
			require.NoError(t, err)
			assert.Equal(t, string(want), string(tt.got))
		})
	}
}

// TestAppendDecimal checks AppendDecimal and AppendDecimalText against
// shopspring/decimal's MarshalJSON and String, the reference.
func TestAppendDecimal(t *testing.T) {
	tests := []struct {
		name string
		d    decimal.Decimal
	}{
		{"zero", decimal.Zero},
		{"zero with places", decimal.New(0, -3)},
		{"integer", decimal.New(990, 0)},
		{"scaled integer", decimal.New(99000, -2)},
		{"fraction", decimal.New(101970, -2)},
		{"leading zeros", decimal.New(5, -4)},
		{"negative fraction", decimal.New(-1234, -6)},
		{"positive exponent", decimal.New(12, 3)},
		{"negative, positive exponent", decimal.New(-7, 5)},
		{"18 digits", decimal.New(999999999999999999, -9)},
		{"19 digits", decimal.New(math.MaxInt64, -3)},
		{"smallest int64", decimal.New(math.MinInt64, -2)},
		{"beyond int64", decimal.RequireFromString("123456789012345678901234567890.5")},
		{"tiny exponent", decimal.New(1, -60)},
		{"large exponent", decimal.New(3, 50)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := tt.d.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, string(want), string(AppendDecimal([]byte("x"), tt.d))[1:])
			assert.Equal(t, tt.d.String(), string(AppendDecimalText(nil, tt.d)))
		})
	}
}

// TestAppendDecimalGlobals checks that a caller's setting of decimal's
// formatting globals is honoured, through decimal's own methods.
func TestAppendDecimalGlobals(t *testing.T) {
	d := decimal.New(1500, -2)
	tests := []struct {
		name       string
		set        func(bool)
		json, text string
	}{
		{"without quotes", func(v bool) { decimal.MarshalJSONWithoutQuotes = v }, `15`, `15`},
		{"keep trailing zeros", func(v bool) { decimal.TrimTrailingZeros = !v }, `"15.00"`, `15.00`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.set(true)
			defer tt.set(false)
			assert.Equal(t, tt.json, string(AppendDecimal(nil, d)))
			assert.Equal(t, tt.text, string(AppendDecimalText(nil, d)))
		})
	}
}

// FuzzAppendDecimal checks AppendDecimal against decimal's MarshalJSON.
func FuzzAppendDecimal(f *testing.F) {
	f.Add(int64(101970), int32(-2))
	f.Add(int64(-5), int32(-30))
	f.Add(int64(math.MinInt64), int32(7))
	f.Fuzz(func(t *testing.T, coef int64, exp int32) {
		if exp < -100 || exp > 100 {
			return
		}
		d := decimal.New(coef, exp)
		want, err := d.MarshalJSON()
		require.NoError(t, err)
		assert.Equal(t, string(want), string(AppendDecimal(nil, d)))
	})
}

// TestAppendTime checks AppendTime against time.Time's MarshalJSON.
func TestAppendTime(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
	}{
		{"UTC day", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"nanoseconds", time.Date(2026, 5, 30, 9, 12, 0, 1500, time.UTC)},
		{"a zone", time.Date(2026, 5, 30, 9, 12, 0, 0, time.FixedZone("JST", 9*3600))},
		{"zero", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := tt.t.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, string(want), string(AppendTime(nil, tt.t)))
		})
	}
}
