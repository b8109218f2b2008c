package crmcsv

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

var roles = []Role{
	{Name: "entity", Defaults: []string{"Record ID", "id"}, Required: true},
	{Name: "stage", Defaults: []string{"Lifecycle Stage"}, Required: true},
	{Name: "time", Defaults: []string{"Timestamp"}},
}

// readAll reads every row, using those whose entity is not "bad".
func readAll(t *testing.T, in string, rs []Role) (*kpi.Health, [][]string) {
	t.Helper()
	rd, err := Open("test", strings.NewReader(in), 0, rs)
	require.NoError(t, err)
	var rows [][]string
	fields := make([][]byte, len(rs))
	for rd.Next() {
		rd.Fields(fields)
		for k := range rs {
			assert.Equal(t, rd.Bytes(k), fields[k], "Fields and Bytes agree")
		}
		if rd.Field(0) == "bad" {
			rd.Reject(0, "bad entity")
			continue
		}
		rows = append(rows, []string{rd.Field(0), rd.Field(1), rd.Field(2)})
		rd.Use()
	}
	require.NoError(t, rd.Err())
	h := rd.Finish()
	assert.Equal(t, h.Read, h.Used+h.Rejected, "read = used + rejected")
	return h, rows
}

func TestReader(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		rows     [][]string
		read     int64
		rejected []kpi.Rejection
	}{
		{"plain", "Record ID,Lifecycle Stage,Timestamp\n1,lead,2025-01-01\n", [][]string{{"1", "lead", "2025-01-01"}}, 1, nil},
		{"BOM, CRLF, case and blanks", "\xEF\xBB\xBF record id , LIFECYCLE STAGE,timestamp\r\n1 , lead ,x\r\n", [][]string{{"1", "lead", "x"}}, 1, nil},
		{"second default", "id,Lifecycle Stage\n7,mql\n", [][]string{{"7", "mql", ""}}, 1, nil},
		{"field count", "id,Lifecycle Stage\n7,mql,extra\n8\n9,sql\n", [][]string{{"9", "sql", ""}}, 3,
			[]kpi.Rejection{{Line: 2, Reason: "row has 3 fields, the header 2"}, {Line: 3, Reason: "row has 1 fields, the header 2"}}},
		{"bare quote", "id,Lifecycle Stage\n7,m\"ql\n8,sql\n", [][]string{{"8", "sql", ""}}, 2,
			[]kpi.Rejection{{Line: 2, Reason: `bare " in non-quoted-field`}}},
		{"unterminated quote", "id,Lifecycle Stage\n7,\"mql\n8,sql\n", nil, 1,
			[]kpi.Rejection{{Line: 2, Reason: `extraneous or missing " in quoted-field`}}},
		{"not UTF-8", "id,Lifecycle Stage\n7,\xffmql\n", nil, 1, []kpi.Rejection{{Line: 2, Column: "Lifecycle Stage", Text: "\xffmql", Reason: "not UTF-8"}}},
		{"caller rejects", "id,Lifecycle Stage\nbad,mql\n\"multi\nline\",x\n", [][]string{{"multi\nline", "x", ""}}, 2,
			[]kpi.Rejection{{Line: 2, Column: "id", Text: "bad", Reason: "bad entity"}}},
		{"header only", "id,Lifecycle Stage\n", nil, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, rows := readAll(t, tc.in, roles)
			assert.Equal(t, tc.rows, rows)
			assert.Equal(t, tc.read, h.Read)
			assert.Equal(t, tc.rejected, h.Rejections)
			assert.Equal(t, int64(len(tc.rejected)), h.Rejected)
		})
	}
}

func TestReaderColumns(t *testing.T) {
	rd, err := Open("test", strings.NewReader("a;b\n1;2\n"), ';', []Role{
		{Name: "x", Column: "B"}, {Name: "y", Defaults: []string{"nothing"}},
	})
	require.NoError(t, err)
	tests := []struct {
		name   string
		role   int
		has    bool
		column string
	}{{"user column", 0, true, "b"}, {"absent optional", 1, false, ""}}
	require.True(t, rd.Next())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.has, rd.Has(tc.role))
			assert.Equal(t, tc.column, rd.Column(tc.role))
		})
	}
	assert.Equal(t, "2", rd.Field(0))
	assert.Equal(t, "", rd.Field(1))
	assert.Equal(t, int64(2), rd.Line())
	rd.Reject(-1, "whole row")
	assert.Equal(t, []kpi.Rejection{{Line: 2, Reason: "whole row"}}, rd.Health.Rejections)
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		comma rune
		roles []Role
		want  string
	}{
		{"empty", "", 0, roles, "test: header none: empty input"},
		{"UTF-16", "\xFF\xFEi\x00d\x00", 0, roles, "test: encoding UTF-16: only UTF-8 is read; export as UTF-8"},
		{"bad comma", "id\n", '"', roles, `test: comma '"': not a valid separator`},
		{"missing", "id,foo\n", 0, roles, `test: stage column missing: the header has none of ["Lifecycle Stage"]`},
		{"user column absent", "id,Lifecycle Stage\n", 0, []Role{{Name: "entity", Column: "Contact"}}, `test: entity column "Contact": not in the header`},
		{"duplicate header", "id,Lifecycle Stage,ID\n", 0, roles, `test: header "id": appears twice (columns 1 and 3); the entity column is ambiguous`},
		{"mapped twice", "id,Lifecycle Stage\n", 0, []Role{{Name: "entity", Column: "id"}, {Name: "stage", Column: "ID"}}, `test: stage column "id": mapped twice: also the entity column`},
		{"bad header", "\"id\n", 0, roles, `test: header line 1: parse error on line 1, column 5: extraneous or missing " in quoted-field`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open("test", strings.NewReader(tc.in), tc.comma, tc.roles)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.want)
		})
	}
	_, err := Open("test", nil, 0, roles)
	assert.ErrorIs(t, err, kpi.ErrInvalid)
}

func TestReadError(t *testing.T) {
	r := iotest.TimeoutReader(strings.NewReader("id,Lifecycle Stage\n1,lead\n"))
	rd, err := Open("test", r, 0, roles)
	require.NoError(t, err)
	for rd.Next() {
		rd.Use()
	}
	require.Error(t, rd.Err())
	assert.True(t, errors.Is(rd.Err(), kpi.ErrInvalid))
}

func TestUnmapped(t *testing.T) {
	rd, err := Open("test", strings.NewReader("id,Lifecycle Stage\n"), 0, roles)
	require.NoError(t, err)
	long := strings.Repeat("é", 40) // 80 bytes
	for range 3 {
		rd.Unmapped("b")
	}
	rd.Unmapped("a")
	rd.Unmapped(long)
	rd.Unmapped(long)
	for i := range kpi.MaxUnmapped + 5 {
		rd.Unmapped(string(rune('A'+i%26)) + string(rune('A'+i/26)) + "!")
	}
	h := rd.Finish()
	assert.Equal(t, int64(6+kpi.MaxUnmapped+5), h.UnmappedRows)
	require.Len(t, h.Unmapped, kpi.MaxUnmapped)
	assert.Equal(t, kpi.Unmapped{Value: "b", Rows: 3}, h.Unmapped[0])
	assert.Equal(t, kpi.Unmapped{Value: strings.Repeat("é", 32) + "…", Rows: 2}, h.Unmapped[1])
	assert.Equal(t, kpi.Unmapped{Value: "a", Rows: 1}, h.Unmapped[2])
}

func TestRejectAtAndCap(t *testing.T) {
	rd, err := Open("test", strings.NewReader("id,Lifecycle Stage\n"), 0, roles)
	require.NoError(t, err)
	for range kpi.MaxRejections + 10 {
		rd.Health.Read++
		rd.Use()
	}
	for i := range kpi.MaxRejections + 10 {
		rd.RejectAt(int64(i+2), 0, "c1", "no touch")
	}
	h := rd.Finish()
	assert.Equal(t, int64(0), h.Used)
	assert.Equal(t, int64(kpi.MaxRejections+10), h.Rejected)
	assert.Len(t, h.Rejections, kpi.MaxRejections)
	assert.Equal(t, kpi.Rejection{Line: 2, Column: "id", Text: "c1", Reason: "no touch"}, h.Rejections[0])
}

func TestTime(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		berlin = time.FixedZone("CET", 3600) // no tz database: the winter offset
	}
	utc := func(s string) time.Time { x, err := time.Parse(time.RFC3339Nano, s); require.NoError(t, err); return x }
	// Expected instants written out by hand from the text.
	tests := []struct {
		name string
		in   string
		loc  *time.Location
		want time.Time
	}{
		{"ISO date", "2025-03-04", nil, utc("2025-03-04T00:00:00Z")},
		{"month", "2025-03", nil, utc("2025-03-01T00:00:00Z")},
		{"ISO date in loc", "2025-01-04", berlin, utc("2025-01-03T23:00:00Z")},
		{"HubSpot minutes", "2025-01-04 14:22", berlin, utc("2025-01-04T13:22:00Z")},
		{"seconds T", "2025-03-04T14:22:05", nil, utc("2025-03-04T14:22:05Z")},
		{"fraction", "2025-03-04 14:22:05.25", nil, utc("2025-03-04T14:22:05.25Z")},
		{"comma fraction", "2025-03-04T14:22:05,123456789Z", nil, utc("2025-03-04T14:22:05.123456789Z")},
		{"RFC 3339 Z", "2025-03-04T14:22:05Z", berlin, utc("2025-03-04T14:22:05Z")},
		{"RFC 3339 z", "2025-03-04T14:22:05z", berlin, utc("2025-03-04T14:22:05Z")},
		{"HubSpot seconds in loc", "2025-01-04 14:22:05", berlin, utc("2025-01-04T13:22:05Z")},
		{"offset colon", "2025-03-04T14:22:05+01:00", nil, utc("2025-03-04T13:22:05Z")},
		{"Salesforce", "2025-03-04T14:22:05.000+0000", berlin, utc("2025-03-04T14:22:05Z")},
		{"negative hours", "2025-03-04T14:22:05-05", nil, utc("2025-03-04T19:22:05Z")},
		{"US date", "3/4/2025", nil, utc("2025-03-04T00:00:00Z")},
		{"US PM", "3/4/2025 2:22 PM", nil, utc("2025-03-04T14:22:00Z")},
		{"US 12 AM", "12/31/2024 12:05 am", nil, utc("2024-12-31T00:05:00Z")},
		{"US 24h seconds", "03/04/2025 14:22:07", nil, utc("2025-03-04T14:22:07Z")},
		{"leap day", "2024-02-29", nil, utc("2024-02-29T00:00:00Z")},
		{"Unix seconds", "1741098125", berlin, utc("2025-03-04T14:22:05Z")},
		{"Unix ms", "1741098125250", nil, utc("2025-03-04T14:22:05.25Z")},
		{"US blanks", "3/4/2025 \u00a02:22 pm\u2003", nil, utc("2025-03-04T14:22:00Z")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, why := Time(tc.in, tc.loc)
			require.Empty(t, why)
			assert.True(t, tc.want.Equal(got), "got %v", got)
			got, why = Time([]byte(tc.in), tc.loc) // a reader's bytes
			require.Empty(t, why)
			assert.True(t, tc.want.Equal(got), "bytes: got %v", got)
		})
	}
}

func TestTimeErrors(t *testing.T) {
	tests := []struct{ name, in, why string }{
		{"empty", "", "empty time"},
		{"words", "yesterday", "unparseable time"},
		{"31 February", "2025-02-31", "no such date"},
		{"29 February 2100", "2100-02-29", "no such date"},
		{"30 April", "4/31/2025", "no such date"},
		{"month 13", "2025-13-01", "no such date"},
		{"month 13 alone", "2025-13", "no such date"},
		{"month letters", "2025-xy", "unparseable time"},
		{"hour 24", "2025-01-01 24:00", "no such time of day"},
		{"minute 60 with seconds", "2025-01-01 23:60:00", "no such time of day"},
		{"30 February with seconds", "2025-02-30T10:00:00Z", "no such date"},
		{"letters with seconds", "2025-02-1xT10:00:00Z", "unparseable time"},
		{"year 1 with seconds", "0001-01-01 00:00:00", "outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
		{"year 1", "0001-01-01", "outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
		{"year 9999", "9999-12-31T23:59:59Z", "outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
		{"too many digits", "174109812525012", "unparseable time: too many digits for Unix seconds or milliseconds"},
		{"bad separator", "2025-03-04X14:22", "unparseable time"},
		{"letters in date", "2025-0a-04", "unparseable time"},
		{"letters in time", "2025-03-04 1a:22", "unparseable time"},
		{"letters in seconds", "2025-03-04 11:22:xx", "unparseable time"},
		{"empty fraction", "2025-03-04 11:22:05.Z", "unparseable time"},
		{"long fraction", "2025-03-04 11:22:05.1234567891", "unparseable time"},
		{"zone junk", "2025-03-04 11:22:05 UTC", "unparseable time"},
		{"zone hours", "2025-03-04 11:22:05+25:00", "unparseable time zone"},
		{"zone length", "2025-03-04 11:22:05+1", "unparseable time zone"},
		{"zone colon", "2025-03-04 11:22:05+01-00", "unparseable time zone"},
		{"US year", "3/4/25", "unparseable time"},
		{"US clock", "3/4/2025 2", "unparseable time"},
		{"US PM 13", "3/4/2025 13:00 PM", "no such time of day"},
		{"US suffix", "3/4/2025 1:00 XM", "unparseable time"},
		{"US seconds", "3/4/2025 1:00:x", "unparseable time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, why := Time(tc.in, nil)
			assert.Equal(t, tc.why, why)
			assert.True(t, got.IsZero())
		})
	}
}

func TestAmount(t *testing.T) {
	tests := []struct{ name, in, want, why string }{
		{"integer", "120", "120", ""},
		{"cents", "99.95", "99.95", ""},
		{"signs", "-5.5", "-5.5", ""},
		{"plus", "+7", "7", ""},
		{"empty", "", "0", "empty amount"},
		{"exponent", "1e9", "0", "not an amount (digits and one decimal point)"},
		{"two points", "1.2.3", "0", "not an amount (digits and one decimal point)"},
		{"sign only", "-", "0", "not an amount (digits and one decimal point)"},
		{"long", strings.Repeat("9", 41), "0", "amount of more than 40 characters"},
		{"thousands", "1,200", "0", "not an amount (digits and one decimal point)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, why := Amount(tc.in)
			assert.Equal(t, tc.why, why)
			assert.Equal(t, tc.want, got.String())
		})
	}
}

func TestFlag(t *testing.T) {
	tests := []struct {
		in      string
		yes, ok bool
	}{{"", false, true}, {"No", false, true}, {"TRUE", true, true}, {"x", true, true}, {"maybe", false, false}, {"FALSE", false, true}, {"falsey", false, false}}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			yes, ok := Flag(tc.in)
			assert.Equal(t, tc.yes, yes)
			assert.Equal(t, tc.ok, ok)
			yes, ok = Flag([]byte(tc.in))
			assert.Equal(t, tc.yes, yes, "bytes")
			assert.Equal(t, tc.ok, ok, "bytes")
		})
	}
}

func FuzzTime(f *testing.F) {
	for _, s := range []string{"2025-03-04T14:22:05.000+0000", "2025-03-04 14:22:05", "2025-03-04T14:22:05Z", "3/4/2025 2:22 PM", "1741098125250", "2025-02-31", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, why := Time(s, time.UTC)
		gotB, whyB := Time([]byte(s), time.UTC)
		assert.Equal(t, why, whyB, "bytes and string agree")
		assert.True(t, got.Equal(gotB), "bytes and string agree")
		if c, cwhy, ok := clock(s, time.UTC); ok {
			ref, rwhy := iso(s, time.UTC)
			assert.Equal(t, rwhy, cwhy, "clock and iso agree")
			assert.True(t, ref.Equal(c), "clock and iso agree")
		}
		if ref, err := time.Parse(time.RFC3339Nano, s); err == nil && why == "" {
			assert.True(t, ref.Equal(got), "time.Parse (the reference) gives %v", ref)
		}
		if why == "" {
			y := got.UTC().Year()
			assert.True(t, y >= kpi.MinYear && y <= kpi.MaxYear, "year %d", y)
		} else {
			assert.True(t, got.IsZero())
		}
	})
}

func FuzzReader(f *testing.F) {
	f.Add("Record ID,Lifecycle Stage\n1,lead\nbad,x\n\"2\n")
	f.Add("\xEF\xBB\xBFid,Lifecycle Stage,Timestamp\r\n1,\xff,3\r\n2,a\"b,\n")
	f.Fuzz(func(t *testing.T, in string) {
		rd, err := Open("fuzz", strings.NewReader(in), 0, roles)
		if err != nil {
			return
		}
		for rd.Next() {
			if rd.Field(0) == "" {
				rd.Reject(0, "empty")
				continue
			}
			rd.Use()
		}
		h := rd.Finish()
		assert.Equal(t, h.Read, h.Used+h.Rejected)
	})
}

// TestLongLines reads rows of 10 MB: a long entity is used as it is, a
// long time is rejected with its text cut to 64 bytes.
func TestLongLines(t *testing.T) {
	long := strings.Repeat("x", 10<<20)
	in := "id,Lifecycle Stage,Timestamp\n" + long + ",lead,2025-01-01\n2,lead," + long + "\n"
	rd, err := Open("test", strings.NewReader(in), 0, roles)
	require.NoError(t, err)
	tests := []struct {
		name   string
		entity int
		reject string
	}{{"long entity", 10 << 20, ""}, {"long time", 1, "unparseable time"}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.True(t, rd.Next())
			assert.Len(t, rd.Field(0), tc.entity)
			if _, why := Time(rd.Field(2), nil); why != "" {
				rd.Reject(2, why)
				assert.Equal(t, tc.reject, why)
				return
			}
			assert.Empty(t, tc.reject)
			rd.Use()
		})
	}
	h := rd.Finish()
	require.Len(t, h.Rejections, 1)
	assert.Equal(t, strings.Repeat("x", 64)+"…", h.Rejections[0].Text)
	assert.Equal(t, int64(2), h.Read)
}

// TestDays checks the day count of every date from 1600 to 9999 against
// time.Date, the reference, and the times built from it around the ends
// of months, years and leap days.
func TestDays(t *testing.T) {
	tests := []struct {
		name     string
		from, to int
	}{{"1600 to 2399", 1600, 2399}, {"9600 to 9999", 9600, 9999}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for day := time.Date(tc.from, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() <= tc.to; day = day.Add(24 * time.Hour) {
				y, m, d := day.Date()
				require.Equal(t, day.Unix()/86400, days(y, int(m), d), "%v", day)
			}
			got, why := date(tc.from, 2, 28, 23, 59, 59, 999999999, time.UTC)
			require.Empty(t, why)
			assert.True(t, time.Date(tc.from, 2, 28, 23, 59, 59, 999999999, time.UTC).Equal(got))
		})
	}
}

// TestFixed checks the fast amount parser against Amount (decimal's own
// parser, the reference): the same value, and the same places as the
// decimal's exponent, wherever Fixed takes the text.
func TestFixed(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		m      int64
		places uint8
		ok     bool
	}{
		{"integer", "120", 120, 0, true},
		{"cents", "1250.00", 125000, 2, true},
		{"plus", "+7.5", 75, 1, true},
		{"leading point", ".25", 25, 2, true},
		{"trailing point", "5.", 5, 0, true},
		{"zero with places", "0.00", 0, 0, true},
		{"18 digits", "999999999999999.999", 999999999999999999, 3, true},
		{"19 digits", "9999999999999999999", 0, 0, false},
		{"negative", "-5", 0, 0, false},
		{"exponent", "1e3", 0, 0, false},
		{"empty", "", 0, 0, false},
		{"point only", ".", 0, 0, false},
		{"two points", "1.2.3", 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, places, ok := Fixed([]byte(tc.in))
			require.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.m, m)
			assert.Equal(t, tc.places, places)
			if ok {
				ref, why := Amount(tc.in)
				require.Empty(t, why)
				assert.True(t, decimal.New(m, -int32(places)).Equal(ref), "Amount gives %v", ref)
			}
		})
	}
}

// FuzzFixed checks Fixed against Amount on any text.
func FuzzFixed(f *testing.F) {
	for _, s := range []string{"1250.00", "+.5", "0.000", "123456789012345678", "1e3", "-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, places, ok := Fixed(s)
		if !ok {
			return
		}
		ref, why := Amount(s)
		require.Empty(t, why, "Fixed takes %q", s)
		assert.True(t, decimal.New(m, -int32(places)).Equal(ref), "Amount gives %v", ref)
		if !ref.IsZero() {
			assert.Equal(t, -int32(places), ref.Exponent())
		}
	})
}
