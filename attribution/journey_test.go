package attribution_test

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

func TestJourneysAdd(t *testing.T) {
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		journeys []attribution.Journey
		channels []string
		conv     int64
		nulls    int64
		value    string
	}{
		{"none", nil, nil, 0, 0, "0"},
		{"plain", []attribution.Journey{
			{Touches: []attribution.Touch{{Channel: "b"}, {Channel: "a"}}, Conversions: 2, Value: decimal.RequireFromString("1.5"), Nulls: 3},
			{Touches: []attribution.Touch{{Channel: "c"}}, Nulls: 4},
		}, []string{"a", "b", "c"}, 2, 7, "1.5"},
		// Times and marks arriving late fill the earlier touches as unknown.
		{"times and marks", []attribution.Journey{
			{Touches: []attribution.Touch{{Channel: "x"}}, Conversions: 1, Value: decimal.RequireFromString("2")},
			{Touches: []attribution.Touch{{Channel: "y", Time: day}, {Channel: "x", Time: day, Marks: attribution.Lead}}, Conversions: 1, Value: decimal.RequireFromString("0.25")},
		}, []string{"x", "y"}, 2, 0, "2.25"},
		// Values too long for an int64 mantissa, or with an exponent.
		{"big values", []attribution.Journey{
			{Touches: []attribution.Touch{{Channel: "a"}}, Conversions: 1, Value: decimal.RequireFromString("12345678901234567890.5")},
			{Touches: []attribution.Touch{{Channel: "a"}}, Conversions: 1, Value: decimal.New(3, 2)},
			{Touches: []attribution.Touch{{Channel: "a"}}, Conversions: 1, Value: decimal.RequireFromString("1.5000000000000000000000")},
		}, []string{"a"}, 3, 0, "12345678901234568192"}, // …890.5 + 300 + 1.5
		// Eleven mantissas of 9·10¹⁷ overflow an int64 sum and spill.
		{"spill", slices.Repeat([]attribution.Journey{{Touches: []attribution.Touch{{Channel: "a"}}, Conversions: 1, Value: decimal.RequireFromString("0.900000000000000000")}}, 11),
			[]string{"a"}, 11, 0, "9.9"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var js attribution.Journeys
			for _, j := range c.journeys {
				require.NoError(t, js.Add(j))
			}
			assert.Equal(t, len(c.journeys), js.Len())
			assert.Equal(t, c.channels, js.Channels())
			assert.Equal(t, c.conv, js.Conversions())
			assert.Equal(t, c.nulls, js.Nulls())
			assert.True(t, decimal.RequireFromString(c.value).Equal(js.Value()), "value %v", js.Value())
		})
	}
}

func TestJourneysAddErrors(t *testing.T) {
	ok := attribution.Journey{Touches: []attribution.Touch{{Channel: "a"}}, Conversions: 1}
	huge := attribution.Journey{Touches: []attribution.Touch{{Channel: "a"}}, Conversions: 1 << 62, Nulls: 1 << 62}
	cases := []struct {
		name string
		j    attribution.Journey
		want string
	}{
		{"empty path", attribution.Journey{Conversions: 1}, "journey 1 touches 0: empty path"},
		{"empty channel", attribution.Journey{Touches: []attribution.Touch{{Channel: "a"}, {Channel: " "}}}, `journey 1 touch 1 channel " ": empty channel name`},
		// A probe: "a\xff" and "a\xfe" were two channels that JSON writes
		// alike, as "a\ufffd", and a journey's JSON read back another one.
		{"channel not UTF-8", attribution.Journey{Touches: []attribution.Touch{{Channel: "a"}, {Channel: "a\xff"}}}, `journey 1 touch 1 channel "a\xff": not valid UTF-8`},
		{"negative conversions", attribution.Journey{Touches: ok.Touches, Conversions: -1}, "journey 1 conversions -1: negative count"},
		{"negative nulls", attribution.Journey{Touches: ok.Touches, Nulls: -2}, "journey 1 nulls -2: negative count"},
		{"negative value", attribution.Journey{Touches: ok.Touches, Conversions: 1, Value: decimal.NewFromInt(-1)}, "journey 1 value -1: negative value"},
		// A probe: a negative value's error wrote it out whole, and
		// -3e1073741824 (a billion digits) took minutes; money.Text quotes
		// coefficient and exponent, -3 and 2²⁴ = 16777216 by hand.
		{"probe: negative hostile value", attribution.Journey{Touches: ok.Touches, Conversions: 1, Value: decimal.New(-3, 1<<24)}, "journey 1 value -3e16777216: negative value"},
		{"value without conversions", attribution.Journey{Touches: ok.Touches, Nulls: 1, Value: decimal.NewFromInt(1)}, "value on a journey without conversions"},
		{"too many places", attribution.Journey{Touches: ok.Touches, Conversions: 1, Value: decimal.New(1, -19)}, "more than 18 decimal places"},
		{"overflow", huge, "overflow"},
		{"huge value", attribution.Journey{Touches: ok.Touches, Conversions: 1, Value: decimal.New(1, 30)}, "journey 1 value 1e30: more than 30 digits before the point"},
		{"hostile value", attribution.Journey{Touches: ok.Touches, Conversions: 1, Value: decimal.New(1, 999999999)}, "more than 30 digits"},
		// The bound on money, 30 digits before the point, and one more: 31
		// digits with 18 places, and 10⁶⁰ (61 digits).
		{"one digit over the bound", attribution.Journey{Touches: ok.Touches, Conversions: 1, Value: decimal.RequireFromString("1234567890123456789012345678901.123456789012345678")},
			"journey 1 value 1234567890123456789012345678901123456789012345678e-18: more than 30 digits before the point"},
		{"1e60", attribution.Journey{Touches: ok.Touches, Conversions: 1, Value: decimal.New(1, 60)}, "journey 1 value 1e60: more than 30 digits before the point"},
		{"hostile places", attribution.Journey{Touches: ok.Touches, Conversions: 1, Value: decimal.New(7, -999999999)}, "journey 1 value 7e-999999999: more than 18 decimal places"},
		// Issue 13's probe: year 3000 was accepted and its UnixNano wrapped.
		{"year 3000", attribution.Journey{Touches: []attribution.Touch{{Channel: "a", Time: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}, {Channel: "b", Time: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}}, Conversions: 1},
			"journey 1 touch 1 time 3000-01-01T00:00:00Z: outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
		{"year 1680", attribution.Journey{Touches: []attribution.Touch{{Channel: "a", Time: time.Date(1680, 1, 1, 0, 0, 0, 0, time.UTC)}}, Conversions: 1},
			"journey 1 touch 0 time 1680-01-01T00:00:00Z: outside the years 1900 to 2149"},
		// Hostile-input probe: a touch's marks with an unknown bit were
		// added, and JSON then refused to write them. Lead|Opportunity|Won
		// is 1+2+4 = 7; 8 is the first unknown bit, and 9 = Lead|8.
		{"probe: unknown mark", attribution.Journey{Touches: []attribution.Touch{{Channel: "a", Marks: attribution.Won}, {Channel: "b", Marks: 9}}, Conversions: 1},
			"journey 1 touch 1 marks 9: unknown milestone"},
		{"probe: high mark", attribution.Journey{Touches: []attribution.Touch{{Channel: "a", Marks: 0x80}}, Conversions: 1},
			"journey 1 touch 0 marks 128: unknown milestone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var js attribution.Journeys
			require.NoError(t, js.Add(attribution.Journey{Touches: []attribution.Touch{{Channel: "a"}}, Conversions: 1 << 62}))
			err := js.Add(c.j)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), c.want)
			assert.Equal(t, 1, js.Len())
		})
	}
}

// TestJourneysMerge checks that merging partitions gives the same results
// as reading everything at once, whichever side has times and marks.
func TestJourneysMerge(t *testing.T) {
	timed := journey("search@1", "email@2L", "direct@4O")
	cases := []struct {
		name string
		a, b []attribution.Journey
	}{
		{"plain", []attribution.Journey{journey("a", "b")}, []attribution.Journey{journey("b", "c"), journey("c")}},
		{"times on the right", []attribution.Journey{journey("a", "b")}, []attribution.Journey{timed}},
		{"times on the left", []attribution.Journey{timed}, []attribution.Journey{journey("a", "b")}},
		{"both timed", []attribution.Journey{timed}, []attribution.Journey{timed}},
		{"big values", []attribution.Journey{{Touches: timed.Touches, Conversions: 1, Value: decimal.RequireFromString("1234567890123456789012.25")}}, []attribution.Journey{{Touches: timed.Touches, Conversions: 1, Value: decimal.RequireFromString("9999999999999999999999.75")}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var a, b, all attribution.Journeys
			for _, j := range c.a {
				require.NoError(t, a.Add(j))
				require.NoError(t, all.Add(j))
			}
			for _, j := range c.b {
				require.NoError(t, b.Add(j))
				require.NoError(t, all.Add(j))
			}
			require.NoError(t, a.Merge(&b))
			assert.Equal(t, all.Len(), a.Len())
			assert.Equal(t, all.Channels(), a.Channels())
			assert.True(t, all.Value().Equal(a.Value()))
			for _, m := range []attribution.Model{attribution.Linear{}, attribution.WShaped{}, attribution.Markov{}} {
				want, err := m.Attribute(&all)
				require.NoError(t, err)
				got, err := m.Attribute(&a)
				require.NoError(t, err)
				assert.Equal(t, want, got)
			}
			var wa, wb bytes.Buffer
			require.NoError(t, attribution.Write(&wa, &all, attribution.Format{}))
			require.NoError(t, attribution.Write(&wb, &a, attribution.Format{}))
			assert.Equal(t, wa.String(), wb.String())
		})
	}
}

// TestJourneysMergeSelf checks that a Journeys cannot be merged into
// itself or with nil, and is left as it was.
func TestJourneysMergeSelf(t *testing.T) {
	js := read(t, sample)
	cases := []struct {
		name string
		o    *attribution.Journeys
		want string
	}{
		{"self", js, "attribution.Journeys.Merge: o 0x"},
		{"nil", nil, "attribution.Journeys.Merge: o <nil>: nil Journeys"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, conv := js.Len(), js.Conversions()
			err := js.Merge(c.o)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, c.want)
			assert.Equal(t, n, js.Len())
			assert.Equal(t, conv, js.Conversions())
		})
	}
}

func TestJourneysMergeErrors(t *testing.T) {
	big := func(conv, nulls int64) *attribution.Journeys {
		var js attribution.Journeys
		require.NoError(t, js.Add(attribution.Journey{Touches: []attribution.Touch{{Channel: "a"}}, Conversions: conv, Nulls: nulls}))
		return &js
	}
	cases := []struct {
		name string
		a, b *attribution.Journeys
	}{
		{"conversions", big(1<<62, 0), big(1<<62, 0)},
		{"nulls", big(0, 1<<62), big(0, 1<<62)},
		{"together", big(1<<62, 0), big(0, 1<<62)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := c.a.Len()
			err := c.a.Merge(c.b)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, "totals overflow int64")
			assert.Equal(t, n, c.a.Len())
		})
	}
}

func TestRead(t *testing.T) {
	cases := []struct {
		name     string
		data     string
		f        attribution.Format
		len      int
		channels []string
		conv     int64
		nulls    int64
		value    string
	}{
		{"sample", sample, attribution.Format{}, 5, []string{"direct", "email", "search", "social"}, 5, 12, "470.50"},
		{"crlf, BOM, blank lines", "\ufeffpath;total_conversions\r\na>b;1\r\n\r\nb;2.0\r\n", attribution.Format{}, 2, []string{"a", "b"}, 3, 0, "0"},
		{"own names and separators", "conv,x,journey\n3,q,\"a | b,c\"\n", attribution.Format{Comma: ',', Sep: "|", Path: "journey", Conversions: "conv"}, 1, []string{"a", "b,c"}, 3, 0, "0"},
		{"blanks around the separator do not count", "path;total_conversions\na>b > c;1\n", attribution.Format{Sep: " > "}, 1, []string{"a", "b", "c"}, 1, 0, "0"},
		{"quoted fields", "\"path\";\"total_conversions\";\"total_conversion_value\"\n\"say \"\"hi\"\" > b\";\"1\";\"2.5\"\n", attribution.Format{}, 1, []string{"b", `say "hi"`}, 1, 0, "2.5"},
		{"value with exponent", "path;total_conversions;total_conversion_value\na;1;1.5e2\n", attribution.Format{}, 1, []string{"a"}, 1, 0, "150"},
		{"long value", "path;total_conversions;total_conversion_value\na;1;1234567890123456789.123\n", attribution.Format{}, 1, []string{"a"}, 1, 0, "1234567890123456789.123"},
		{"tabs", "path\ttotal_conversions\npaid search > email\t2\n", attribution.Format{Comma: '\t'}, 1, []string{"email", "paid search"}, 2, 0, "0"},
		{"no final newline", "path;total_conversions;total_null\na;0;1", attribution.Format{}, 1, []string{"a"}, 0, 1, "0"},
		{"long line", "path;total_conversions\n" + strings.Repeat("channel > ", 200000) + "end;1\n", attribution.Format{}, 1, []string{"channel", "end"}, 1, 0, "0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			js, err := attribution.Read(strings.NewReader(c.data), c.f)
			require.NoError(t, err)
			assert.Equal(t, c.len, js.Len())
			assert.Equal(t, c.channels, js.Channels())
			assert.Equal(t, c.conv, js.Conversions())
			assert.Equal(t, c.nulls, js.Nulls())
			assert.True(t, decimal.RequireFromString(c.value).Equal(js.Value()), "value %v", js.Value())
		})
	}
}

func TestReadErrors(t *testing.T) {
	const h = "path;total_conversions;total_conversion_value;total_null\n"
	cases := []struct {
		name string
		data string
		f    attribution.Format
		want string
	}{
		{"empty", "", attribution.Format{}, "line 1 header"},
		{"no path column", "route;total_conversions\n", attribution.Format{}, `no "path" column`},
		{"no conversions column", "path;conv\n", attribution.Format{}, `no "total_conversions" column`},
		{"missing column", h + "a;1;2\n", attribution.Format{}, "line 2 fields 3: want at least 4"},
		{"empty path", h + " ;1;2;3\n", attribution.Format{}, `line 2 path "": empty path`},
		{"empty channel", h + "a > > b;1;2;3\n", attribution.Format{}, `line 2 path "a > > b": empty channel name`},
		{"path not UTF-8", h + "a > b\xfe;1;2;3\n", attribution.Format{}, `line 2 path "a > b\xfe": not valid UTF-8`},
		{"trailing separator", h + "a > b >;1;2;3\n", attribution.Format{}, "empty channel name"},
		{"negative conversions", h + "a;-1;0;3\n", attribution.Format{}, "line 2 total_conversions"},
		{"fractional conversions", h + "a;1.5;0;3\n", attribution.Format{}, "not a whole number"},
		{"bare dot", h + "a;.;0;3\n", attribution.Format{}, "not a whole number"},
		{"huge count", h + "a;99999999999999999999;0;3\n", attribution.Format{}, "not a whole number"},
		{"bad nulls", h + "a;1;0;x\n", attribution.Format{}, "line 2 total_null"},
		{"bad value", h + "a;1;abc;0\n", attribution.Format{}, `line 2 total_conversion_value "abc": not a number`},
		{"negative value", h + "a;1;-5;0\n", attribution.Format{}, "line 2 total_conversion_value -5: negative value"},
		{"value without conversions", h + "a;0;5;2\n", attribution.Format{}, "line 2 total_conversion_value \"5\": value on a journey without conversions"},
		{"huge value", h + "a;1;1e40;2\n", attribution.Format{}, "line 2 total_conversion_value 1e40: more than 30 digits before the point"},
		// Issue 13's probe: a value of 10^7 digits took 151 s to parse.
		{"value of 10^7 digits", h + "a;1;" + strings.Repeat("9", 10_000_000) + ";2\n", attribution.Format{},
			`line 2 total_conversion_value "` + strings.Repeat("9", 64) + `"…: a value of 10000000 bytes: more than 64`},
		{"value of 65 bytes", h + "a;1;0." + strings.Repeat("0", 62) + "1;2\n", attribution.Format{}, "a value of 65 bytes: more than 64"},
		{"a 10 MB path is quoted short", h + strings.Repeat("a", 10<<20) + " > > b;1;0;0\n", attribution.Format{}, `… (10485768 bytes): empty channel name`},
		{"overflow", h + "a;9223372036854775807;0;0\nb;1;0;0\n", attribution.Format{}, "line 3 total_conversions 1: totals overflow"},
		{"unterminated quote", h + "\"a;1;0;0\n", attribution.Format{}, `attribution.Read: line 2 column 10: extraneous or missing " in quoted-field`},
		{"text after quote", h + "\"a\"x;1;0;0\n", attribution.Format{}, `attribution.Read: line 2 column 3: extraneous or missing " in quoted-field`},
		{"quote inside", h + "a\"b;1;0;0\n", attribution.Format{}, `attribution.Read: line 2 column 2: bare " in non-quoted-field`},
		{"bad header", "\"path;x\n", attribution.Format{}, "line 1 header"},
		{"bad comma", sample, attribution.Format{Comma: '"'}, "Format.Comma"},
		{"bad sep", sample, attribution.Format{Sep: " "}, "Format.Sep"},
		{"sep with comma", sample, attribution.Format{Sep: ";"}, "Format.Sep"},
		// Found by FuzzFormat: Write wrote these, Read read another column.
		{"two columns of one name", sample, attribution.Format{Path: "x", Conversions: "x"}, `Format.Conversions "x": the name of the Path column too`},
		{"a default name twice", sample, attribution.Format{Nulls: "path"}, `Format.Nulls "path": the name of the Path column too`},
		{"blank around a name", sample, attribution.Format{Path: " path "}, `Format.Path " path ": a column name must not begin or end with a blank`},
		{"line break in a name", sample, attribution.Format{Value: "v\r\nw"}, `Format.Value "v\r\nw": a column name`},
		{"byte-order mark", sample, attribution.Format{Path: "\ufeffpath"}, `Format.Path "\ufeffpath": a column name`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			js, err := attribution.Read(strings.NewReader(c.data), c.f)
			require.Error(t, err)
			assert.Nil(t, js)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestReadReaderErrors(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name string
		r    io.Reader
	}{
		{"at once", iotest.ErrReader(boom)},
		{"after the header", io.MultiReader(strings.NewReader("path;total_conversions\na;1\n"), iotest.ErrReader(boom))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := attribution.Read(c.r, attribution.Format{})
			assert.ErrorIs(t, err, boom)
		})
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func spaced(t *testing.T) *attribution.Journeys {
	var js attribution.Journeys
	require.NoError(t, js.Add(journey(" a")))
	return &js
}

func TestWriteErrors(t *testing.T) {
	var odd attribution.Journeys
	require.NoError(t, odd.Add(journey("a")))
	require.NoError(t, odd.Add(journey("b > c")))
	var odd2 attribution.Journeys
	require.NoError(t, odd2.Add(journey("ax", "a")))
	cases := []struct {
		name string
		js   *attribution.Journeys
		w    io.Writer
		f    attribution.Format
		want string
	}{
		{"separator in a name", &odd, io.Discard, attribution.Format{}, `journey 1 channel "b > c"`},
		{"blank around a name", spaced(t), io.Discard, attribution.Format{}, `attribution.Write: journey 0 channel " a": contains the path separator or a CR LF, or begins or ends with a blank`},
		{"nil journeys", nil, io.Discard, attribution.Format{}, "attribution.Write: js <nil>: nil Journeys"},
		{"bad format", read(t, sample), io.Discard, attribution.Format{Comma: '\n'}, "Format.Comma"},
		{"two columns of one name", read(t, sample), io.Discard, attribution.Format{Value: "v", Nulls: "v"}, `Format.Nulls "v": the name of the Value column too`},
		{"writer fails", read(t, sample), failWriter{}, attribution.Format{}, "disk full"},
		// Found by the fuzz campaign (testdata/fuzz/FuzzFormat): with Sep
		// " c" Write joined a and c as "a c c", which Read cut as a, "", "".
		// Read now cuts at "c", and Write refuses the channel c that holds it.
		{"separator with a blank end in a name", &odd, io.Discard, attribution.Format{Sep: " c"}, `journey 1 channel "b > c": contains the path separator`},
		// By hand: "ax" + " x x " + "a" = "ax x x a"; the first "x x" starts
		// at the x of "ax", so Read would give back "a" and "x a".
		{"name that starts the separator", &odd2, io.Discard, attribution.Format{Sep: "x x"}, `journey 0 channel "ax": ends in the start of the path separator "x x"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := attribution.Write(c.w, c.js, c.f)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestJourneysAddAll(t *testing.T) {
	good := []attribution.Journey{journey("a", "b"), journey("c")}
	bad := []attribution.Journey{journey("a"), {Conversions: 1}, journey("b")}
	cases := []struct {
		name     string
		journeys []attribution.Journey
		added    int
		err      string
	}{
		{"all", good, 2, ""},
		{"none", nil, 0, ""},
		{"stops at a bad one", bad, 1, "journey 1 touches 0: empty path"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var js attribution.Journeys
			err := js.AddAll(slices.Values(c.journeys))
			if c.err == "" {
				require.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, c.err)
			}
			assert.Equal(t, c.added, js.Len())
		})
	}
}
