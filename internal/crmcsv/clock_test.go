package crmcsv

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestClock reads times after a time that sets the month remembered, and
// checks the nanoseconds against instants written out by hand from the
// text (time.Date, not the code under test).
func TestClock(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	at := func(y int, m time.Month, d, hh, mm, ss int) int64 {
		return time.Date(y, m, d, hh, mm, ss, 0, time.UTC).UnixNano()
	}
	tests := []struct {
		name      string
		loc       *time.Location
		prev, in  string
		want      int64
		remembers bool // the month of in is the one remembered after it
	}{
		{"first time", nil, "", "2025-03-04T14:22:05Z", at(2025, 3, 4, 14, 22, 5), true},
		{"same month", nil, "2025-03-01T00:00:00Z", "2025-03-31 23:59:59", at(2025, 3, 31, 23, 59, 59), true},
		{"next month", nil, "2025-03-31T23:59:59Z", "2025-04-01T00:00:00z", at(2025, 4, 1, 0, 0, 0), true},
		{"leap day", nil, "2024-02-01T00:00:00Z", "2024-02-29T12:00:00Z", at(2024, 2, 29, 12, 0, 0), true},
		{"first year", nil, "", "1900-01-01T00:00:00Z", at(1900, 1, 1, 0, 0, 0), true},
		{"last second", nil, "2149-12-01T00:00:00Z", "2149-12-31T23:59:59Z", at(2149, 12, 31, 23, 59, 59), true},
		{"zone Z in loc", berlin, "2025-03-04T10:00:00Z", "2025-03-05T14:22:05Z", at(2025, 3, 5, 14, 22, 5), true},
		{"no zone in loc", berlin, "2025-03-04T10:00:00Z", "2025-03-05T14:22:05", at(2025, 3, 5, 13, 22, 5), true},
		{"fraction", nil, "2025-03-04T10:00:00Z", "2025-03-05T14:22:05.5Z", at(2025, 3, 5, 14, 22, 5) + 5e8, true},
		{"offset", nil, "2025-03-04T10:00:00Z", "2025-03-05T14:22:05+01:00", at(2025, 3, 5, 13, 22, 5), true},
		{"date only", nil, "2025-03-04T10:00:00Z", "2025-01-05", at(2025, 1, 5, 0, 0, 0), false},
		{"Unix seconds", nil, "", "1741098125", at(2025, 3, 4, 14, 22, 5), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Clock{Location: tc.loc}
			if tc.prev != "" {
				_, why := c.Nanos([]byte(tc.prev))
				require.Empty(t, why)
			}
			got, why := c.Nanos([]byte(tc.in))
			require.Empty(t, why)
			assert.Equal(t, tc.want, got)
			if tc.remembers {
				assert.Equal(t, tc.in[:8], string(le(c.month)))
			}
		})
	}
}

// le returns the eight bytes of a remembered month.
func le(x uint64) []byte {
	b := make([]byte, 8)
	for i := range b {
		b[i] = byte(x >> (8 * i))
	}
	return b
}

// TestClockErrors reads bad times after a good one of the same month:
// the reason is Time's, and a failed time leaves nothing remembered that
// would change the next.
func TestClockErrors(t *testing.T) {
	tests := []struct{ name, prev, in, why string }{
		{"no such day", "2025-02-01T00:00:00Z", "2025-02-29T00:00:00Z", "no such date"},
		{"day zero", "2025-02-01T00:00:00Z", "2025-02-00T00:00:00Z", "no such date"},
		{"hour 24", "2025-02-01T00:00:00Z", "2025-02-03T24:00:00Z", "no such time of day"},
		{"minute 60", "2025-02-01T00:00:00Z", "2025-02-03T23:60:00Z", "no such time of day"},
		{"second 60", "2025-02-01T00:00:00Z", "2025-02-03T23:59:60Z", "no such time of day"},
		{"month 13", "2025-02-01T00:00:00Z", "2025-13-03T23:00:00Z", "no such date"},
		{"letter in day", "2025-02-01T00:00:00Z", "2025-02-0xT23:00:00Z", "unparseable time"},
		{"letter in year", "2025-02-01T00:00:00Z", "20x5-02-03T23:00:00Z", "unparseable time"},
		{"year 1899", "", "1899-12-31T23:59:59Z", "outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
		{"year 2150", "2149-12-31T23:59:59Z", "2150-01-01T00:00:00Z", "outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
		{"year 9999", "", "9999-12-31T23:59:59Z", "outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
		{"bad separator", "2025-02-01T00:00:00Z", "2025-02-03X23:00:00Z", "unparseable time"},
		{"empty", "2025-02-01T00:00:00Z", "", "empty time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c Clock
			if tc.prev != "" {
				_, why := c.Nanos([]byte(tc.prev))
				require.Empty(t, why)
			}
			got, why := c.Nanos([]byte(tc.in))
			assert.Equal(t, tc.why, why)
			assert.Zero(t, got)
			_, wantWhy := Time(tc.in, nil)
			assert.Equal(t, wantWhy, why, "Time's reason")
		})
	}
}

// FuzzClock checks that a Clock that read prev reads s as Time does.
func FuzzClock(f *testing.F) {
	f.Add("2025-03-04T14:22:05Z", "2025-03-31 23:59:59", uint8(0))
	f.Add("2024-02-01T00:00:00Z", "2024-02-30T00:00:00Z", uint8(0))
	f.Add("2149-12-31T23:59:59Z", "2149-12-31T23:59:59z", uint8(1))
	f.Add("1899-12-31T23:59:59Z", "1900-01-01T00:00:00", uint8(1))
	f.Fuzz(func(t *testing.T, prev, s string, zone uint8) {
		loc := []*time.Location{nil, time.UTC, time.FixedZone("X", -5*3600)}[zone%3]
		c := Clock{Location: loc}
		_, _ = c.Nanos([]byte(prev))
		got, why := c.Nanos([]byte(s))
		ref, rwhy := Time(s, loc)
		assert.Equal(t, rwhy, why, "Time's reason")
		if rwhy == "" {
			assert.Equal(t, ref.UnixNano(), got)
		} else {
			assert.Zero(t, got)
		}
	})
}
