package attribution_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
	"github.com/kpiflow/kpi/internal/jsontest"
)

// TestResultsUnmarshalJSON reads back the JSON forms of the package's
// results, the golden files TestGoldenJSON pins and values at the bound
// on money, and checks that writing what was read gives the same bytes.
func TestResultsUnmarshalJSON(t *testing.T) {
	d := decimal.RequireFromString
	big := d(strings.Repeat("9", 30) + "." + strings.Repeat("9", 18))
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		v    any // a pointer to the zero value to decode into
	}{
		{"result.json", golden("result.json"), new(attribution.Result)},
		{"bootstrap.json", golden("bootstrap.json"), new(attribution.Result)},
		{"table.json", golden("table.json"), new(attribution.Table)},
		{"roi.json", golden("roi.json"), new([]attribution.ROI)},
		{"credit at the bound", marshal(attribution.Credit{Channel: "search", Conversions: 1.5, Value: big, Removal: 0.25,
			Positions: []float64{1, 0.5}}), new(attribution.Credit)},
		{"cell with an interval", marshal(attribution.Cell{Conversions: 2, Value: d("-0.000000000000000001"), Share: 1,
			Interval: &attribution.CreditInterval{Value: kpi.MoneyInterval{Lo: d("1"), Hi: big, Level: 0.9, Method: "bootstrap-percentile"}}}),
			new(attribution.Cell)},
		{"roi both undefined", marshal(attribution.ROI{Channel: "social", Spend: d("0"), Value: d("0")}), new(attribution.ROI)},
		{"roi both defined", marshal(attribution.ROI{Channel: "search", Spend: d("12000"), Conversions: 3, Value: d("11500"),
			CostPerConversion: decimal.NewNullDecimal(d("4000")), ReturnOnSpend: decimal.NewNullDecimal(d("0.9583")),
			CreditShare: 0.6, SpendShare: 1}), new(attribution.ROI)},
		{"zero result", marshal(attribution.Result{}), new(attribution.Result)},
		{"zero table", marshal(attribution.Table{}), new(attribution.Table)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data(t)
			if u, ok := tt.v.(json.Unmarshaler); ok {
				require.NoError(t, u.UnmarshalJSON(data))
			} else {
				require.NoError(t, json.Unmarshal(data, tt.v))
			}
			var again []byte
			var err error
			if strings.HasSuffix(tt.name, ".json") {
				again, err = json.MarshalIndent(tt.v, "", "\t")
				again = append(again, '\n')
			} else {
				again, err = json.Marshal(tt.v)
			}
			require.NoError(t, err)
			assert.Equal(t, string(data), string(again))
		})
	}
}

// golden reads a golden file of TestGoldenJSON.
func golden(name string) func(t *testing.T) []byte {
	return func(t *testing.T) []byte {
		b, err := os.ReadFile("testdata/" + name)
		require.NoError(t, err)
		return b
	}
}

// marshal writes v as encoding/json does.
func marshal(v any) func(t *testing.T) []byte {
	return func(t *testing.T) []byte {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return b
	}
}

// TestResultsUnmarshalJSONValues checks what a read result holds beyond
// its bytes: decimals equal to the ones written, nullable amounts Valid
// only when present, and no bootstrap replicates.
func TestResultsUnmarshalJSONValues(t *testing.T) {
	tests := []struct {
		name, in string
		check    func(t *testing.T, in string)
	}{
		{"roi null and missing", `{"channel":"a","spend":"5","costPerConversion":null}`, func(t *testing.T, in string) {
			var r attribution.ROI
			require.NoError(t, json.Unmarshal([]byte(in), &r))
			assert.False(t, r.CostPerConversion.Valid)
			assert.False(t, r.ReturnOnSpend.Valid)
			assert.Equal(t, "5", r.Spend.String())
		}},
		{"roi numbers", `{"channel":"a","costPerConversion":12.5,"returnOnSpend":"0"}`, func(t *testing.T, in string) {
			var r attribution.ROI
			require.NoError(t, json.Unmarshal([]byte(in), &r))
			assert.True(t, r.CostPerConversion.Valid)
			assert.Equal(t, "12.5", r.CostPerConversion.Decimal.String())
			assert.True(t, r.ReturnOnSpend.Valid)
			assert.True(t, r.ReturnOnSpend.Decimal.IsZero())
		}},
		{"bootstrap result has no replicates", "", func(t *testing.T, _ string) {
			_, _, boot := jsonResults(t)
			b, err := json.Marshal(boot)
			require.NoError(t, err)
			var r attribution.Result
			require.NoError(t, json.Unmarshal(b, &r))
			assert.Equal(t, boot.Replicates, r.Replicates)
			assert.Positive(t, r.Replicates)
			require.Len(t, r.Credits, len(boot.Credits))
			for i := range r.Credits {
				assert.True(t, boot.Credits[i].Value.Equal(r.Credits[i].Value))
				want, got := boot.Credits[i].Interval, r.Credits[i].Interval
				assert.Equal(t, want.Conversions, got.Conversions)
				assert.Equal(t, want.Share, got.Share)
				assert.Equal(t, want.Removal, got.Removal)
				assert.Equal(t, want.Value.String(), got.Value.String())
			}
			_, err = r.ProbGreater(r.Credits[0].Channel, r.Credits[1].Channel)
			assert.ErrorIs(t, err, kpi.ErrUndefined)
		}},
		{"trailing data", `{"model":"m"} {}`, func(t *testing.T, in string) {
			var r attribution.Result
			err := r.UnmarshalJSON([]byte(in))
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Equal(t, "attribution.Result.UnmarshalJSON: JSON trailing data: one value expected", err.Error())
		}},
		{"decode replaces", `{"model":"linear"}`, func(t *testing.T, in string) {
			r := attribution.Result{Model: "first touch", Conversions: 4, Credits: []attribution.Credit{{Channel: "a"}}}
			require.NoError(t, json.Unmarshal([]byte(in), &r))
			assert.Equal(t, attribution.Result{Model: "linear"}, r)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, tt.in) })
	}
}

// TestResultsUnmarshalJSONErrors checks that every amount of money in the
// results' JSON forms is bounded as it is read, the error naming its key
// path and quoting it short, and that decoding is strict.
func TestResultsUnmarshalJSONErrors(t *testing.T) {
	million := `"` + strings.Repeat("9", 1e6) + `"`
	tests := []struct {
		name string
		v    func() any
		in   string
		want []string
	}{
		{"result value of a billion digits", func() any { return new(attribution.Result) }, `{"model":"m","value":"1e1000000000"}`,
			[]string{`attribution.Result.UnmarshalJSON: value "1e1000000000": more than 30 digits before the point`}},
		{"credit value of a million digits", func() any { return new(attribution.Result) }, `{"credits":[{"channel":"a"},{"channel":"b","value":` + million + `}]}`,
			[]string{`attribution.Result.UnmarshalJSON: credits[1].value "` + strings.Repeat("9", 64) + `"…: a value of 1000000 bytes: more than 64`}},
		{"credit interval end", func() any { return new(attribution.Result) }, `{"credits":[{"interval":{"value":{"lo":"0","hi":1e-19}}}]}`,
			[]string{`attribution.Result.UnmarshalJSON: credits[0].interval.value.hi "1e-19": more than 18 decimal places`}},
		{"result unknown key", func() any { return new(attribution.Result) }, `{"model":"m","draws":[1]}`,
			[]string{"attribution.Result.UnmarshalJSON", `unknown field "draws"`}},
		// Found by fuzzing: encoding/json's message names an unknown key
		// whole, and an error quoted a key of any length.
		{"unknown key of 5000 bytes", func() any { return new(attribution.Result) }, `{"credits":[{"` + strings.Repeat("k", 5000) + `":1}]}`,
			[]string{`attribution.Result.UnmarshalJSON: credits[0] document: json: unknown field "kkkk`, "… (5022 bytes)"}},
		{"credit unknown key", func() any { return new(attribution.Result) }, `{"credits":[{"channel":"a","share":1}]}`,
			[]string{"attribution.Result.UnmarshalJSON: credits[0]", `unknown field "share"`}},
		{"credit conversions a string", func() any { return new(attribution.Result) }, `{"credits":[{"conversions":"1"}]}`,
			[]string{"attribution.Result.UnmarshalJSON: credits[0].conversions", "cannot be decoded into float64"}},
		{"credit alone", func() any { return new(attribution.Credit) }, `{"channel":"a","value":"ten"}`,
			[]string{`attribution.Credit.UnmarshalJSON: value "ten": not a number`}},
		{"cell of a table", func() any { return new(attribution.Table) }, `{"channels":["a","b"],"models":["m"],"cells":[[{}],[{"value":"-1e31"}]]}`,
			[]string{`attribution.Table.UnmarshalJSON: cells[1][0].value "-1e31": more than 30 digits before the point`}},
		{"table unknown key", func() any { return new(attribution.Table) }, `{"rows":[]}`,
			[]string{"attribution.Table.UnmarshalJSON", `unknown field "rows"`}},
		{"cell alone", func() any { return new(attribution.Cell) }, `{"value":` + million + `}`,
			[]string{`attribution.Cell.UnmarshalJSON: value "` + strings.Repeat("9", 64) + `"…`}},
		{"roi spend", func() any { return new(attribution.ROI) }, `{"channel":"a","spend":"1e40"}`,
			[]string{`attribution.ROI.UnmarshalJSON: spend "1e40": more than 30 digits before the point`}},
		{"roi cost per conversion", func() any { return new(attribution.ROI) }, `{"channel":"a","costPerConversion":"1e1000000000"}`,
			[]string{`attribution.ROI.UnmarshalJSON: costPerConversion "1e1000000000": more than 30 digits before the point`}},
		{"roi return on spend", func() any { return new(attribution.ROI) }, `{"channel":"a","returnOnSpend":1e-1000000000}`,
			[]string{`attribution.ROI.UnmarshalJSON: returnOnSpend "1e-1000000000": more than 18 decimal places`}},
		{"roi rows", func() any { return new([]attribution.ROI) }, `[{"channel":"a"},{"channel":"b","value":true}]`,
			[]string{`attribution.ROI.UnmarshalJSON: value "true": not a number`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jsontest.Refused(t, tt.v(), tt.in, tt.want...)
		})
	}
}

// FuzzResultsUnmarshalJSON reads the same bytes as a Result, a Table and
// ROI rows: each is refused with an error wrapping kpi.ErrInvalid, or what
// was read writes JSON that reads back to the same bytes.
func FuzzResultsUnmarshalJSON(f *testing.F) {
	for _, name := range []string{"result.json", "bootstrap.json", "table.json", "roi.json"} {
		b, err := os.ReadFile("testdata/" + name)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte(`{"model":"m","credits":[{"channel":"a","value":"1e1000000000"}],"value":1e-18}`))
	f.Add([]byte(`[{"channel":"a","spend":"999999999999999999999999999999.999999999999999999","costPerConversion":null,"returnOnSpend":-1}]`))
	f.Add([]byte(`{"channels":["a"],"models":["m"],"cells":[[{"value":"-0.5","interval":{"value":{"lo":"1","hi":"2","level":0.95}}}],null]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		jsontest.Reread[attribution.Result](t, data)
		jsontest.Reread[attribution.Table](t, data)
		jsontest.Reread[[]attribution.ROI](t, data)
	})
}

// benchResult is a result of n channels with bootstrap intervals, as a
// Bootstrap returns it.
func benchResult(n int) attribution.Result {
	r := attribution.Result{Model: "linear", Conversions: int64(10 * n), Value: decimal.New(int64(2500*n), -2), Replicates: 200}
	for i := range n {
		v := decimal.New(int64(250+i), -2)
		r.Credits = append(r.Credits, attribution.Credit{Channel: fmt.Sprintf("channel %04d", i), Conversions: 10, Value: v,
			Interval: &attribution.CreditInterval{
				Conversions: kpi.Interval{Lo: 8, Hi: 12, Level: 0.95, Method: "bootstrap-percentile"},
				Share:       kpi.Interval{Lo: 0.8 / float64(n), Hi: 1.2 / float64(n), Level: 0.95, Method: "bootstrap-percentile"},
				Value:       kpi.MoneyInterval{Lo: v.Sub(decimal.New(1, 0)), Hi: v.Add(decimal.New(1, 0)), Level: 0.95, Method: "bootstrap-percentile"},
			}})
	}
	return r
}

// BenchmarkResultUnmarshalJSON reads results of n and 10n channels, to
// show the cost linear in the document, and a result whose value is a
// million digits, refused before it is parsed.
func BenchmarkResultUnmarshalJSON(b *testing.B) {
	for _, n := range []int{10, 100} {
		data, err := json.Marshal(benchResult(n))
		require.NoError(b, err)
		b.Run(fmt.Sprintf("channels=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var r attribution.Result
				if err := json.Unmarshal(data, &r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	data := []byte(`{"model":"m","value":"` + strings.Repeat("9", 1e6) + `"}`)
	b.Run("million digits", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var r attribution.Result
			if err := json.Unmarshal(data, &r); err == nil {
				b.Fatal("accepted")
			}
		}
	})
}

// BenchmarkROIUnmarshalJSON reads the rows of 10 and 100 channels.
func BenchmarkROIUnmarshalJSON(b *testing.B) {
	for _, n := range []int{10, 100} {
		rows := make([]attribution.ROI, n)
		for i := range rows {
			rows[i] = attribution.ROI{Channel: fmt.Sprintf("channel %04d", i), Spend: decimal.New(int64(1000+i), 0), Conversions: 3,
				Value: decimal.New(11500, 0), CostPerConversion: decimal.NewNullDecimal(decimal.New(int64(333+i), -1)),
				CreditShare: 1 / float64(n), SpendShare: 1 / float64(n)}
		}
		data, err := json.Marshal(rows)
		require.NoError(b, err)
		b.Run(fmt.Sprintf("channels=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var r []attribution.ROI
				if err := json.Unmarshal(data, &r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A stored result is read back, its money exact; the bootstrap replicates
// behind intervals are not part of the JSON form.
func ExampleResult_UnmarshalJSON() {
	var r attribution.Result
	err := json.Unmarshal([]byte(`{"model":"last touch","credits":[{"channel":"direct","conversions":3,"value":"320"},
		{"channel":"search","conversions":2,"value":"150.50"}],"conversions":5,"value":"470.50"}`), &r)
	fmt.Println(err, r.Model, len(r.Credits), r.Credits[1].Value, r.Value)
	fmt.Println(json.Unmarshal([]byte(`{"credits":[{"channel":"a","value":"1e1000000000"}]}`), &r))
	// Output:
	// <nil> last touch 2 150.5 470.5
	// attribution.Result.UnmarshalJSON: credits[0].value "1e1000000000": more than 30 digits before the point
}

// A credit is read as a Result's credits hold it.
func ExampleCredit_UnmarshalJSON() {
	var c attribution.Credit
	err := json.Unmarshal([]byte(`{"channel":"webinar","conversions":1.5,"value":"24000","removal":0.42}`), &c)
	fmt.Println(err, c.Channel, c.Conversions, c.Value, c.Removal, c.Interval == nil)
	// Output:
	// <nil> webinar 1.5 24000 0.42 true
}

// A side-by-side table is read back, each cell bounded as it is decoded.
func ExampleTable_UnmarshalJSON() {
	var t attribution.Table
	err := json.Unmarshal([]byte(`{"channels":["direct","email"],"models":["last touch"],
		"cells":[[{"conversions":3,"value":"320","share":0.75}],[{"conversions":1,"value":"50.5","share":0.25}]]}`), &t)
	fmt.Println(err, t.Channels, t.Models, t.Cells[1][0].Value)
	fmt.Println(json.Unmarshal([]byte(`{"cells":[[{"value":"0.1234567890123456789"}]]}`), &t))
	// Output:
	// <nil> [direct email] [last touch] 50.5
	// attribution.Table.UnmarshalJSON: cells[0][0].value "0.1234567890123456789": more than 18 decimal places
}

// A cell is read as a Table's cells hold it.
func ExampleCell_UnmarshalJSON() {
	var c attribution.Cell
	err := json.Unmarshal([]byte(`{"conversions":1,"value":"50.50","share":0.2,"interval":null}`), &c)
	fmt.Println(err, c.Conversions, c.Value, c.Share)
	// Output:
	// <nil> 1 50.5 0.2
}

// ROI rows are read back with null for what is undefined: no conversions,
// no cost per conversion; no spend, no return on it.
func ExampleROI_UnmarshalJSON() {
	var rows []attribution.ROI
	err := json.Unmarshal([]byte(`[{"channel":"search","spend":"100","conversions":1,"value":"100","costPerConversion":"100","returnOnSpend":"1"},
		{"channel":"social","spend":"0","conversions":0,"value":"0","costPerConversion":null,"returnOnSpend":null}]`), &rows)
	fmt.Println(err, rows[0].CostPerConversion.Decimal, rows[0].ReturnOnSpend.Valid, rows[1].CostPerConversion.Valid, rows[1].ReturnOnSpend.Valid)
	// Output:
	// <nil> 100 true false false
}
