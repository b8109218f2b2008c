package crmcsv

import (
	"encoding/binary"
	"time"

	"github.com/kpiflow/kpi"
)

// Clock reads a column of times as Time does, into Unix nanoseconds, for a
// reader that meets millions of them. It remembers the month of the last
// time it read in the commonest layout, YYYY-MM-DDTHH:MM:SS with T or a
// blank and Z or no zone in UTC (HubSpot's and RFC 3339's), so that the
// next time of that month — CRM exports list an entity's rows, and often
// a day's, together — is read from its day and time of day alone:
//
//	nanos = (start of the month + (day − 1)·86 400 + hh·3600 + mm·60 + ss) · 10⁹
//
// where the month is known to lie in the library's years. Any other text,
// and any time in a location other than UTC, is read by Time.
//
// The zero Clock reads times without a zone in UTC; Location sets another
// location for them. A Clock is not safe for concurrent use.
type Clock struct {
	Location *time.Location // of times written without a zone; nil for UTC

	month uint64 // the bytes "YYYY-MM-" of the month remembered, 0 for none
	start int64  // Unix seconds of its first day at midnight UTC
	days  int    // the number of days it has
}

// Nanos returns the Unix nanoseconds of the time in s, read as
// Time(s, c.Location) reads it, or the reason it cannot (never both).
func (c *Clock) Nanos(s []byte) (int64, string) {
	if len(s) == 20 && s[19]|0x20 == 'z' || len(s) == 19 && (c.Location == nil || c.Location == time.UTC) {
		if n, ok := c.utc(s); ok {
			return n, ""
		}
	}
	t, why := Time(s, c.Location)
	if why != "" {
		return 0, why
	}
	return t.UnixNano(), ""
}

// utc reads s, of 19 or 20 bytes, in UTC as YYYY-MM-DDTHH:MM:SS, and
// reports whether it could; it could not for any text Time reads
// otherwise or rejects.
func (c *Clock) utc(s []byte) (int64, bool) {
	s = s[:19] // the zone, if any, is known to be Z
	if (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	if key := binary.LittleEndian.Uint64(s); key != c.month && !c.remember(s, key) {
		return 0, false
	}
	d0, d1, h0, h1 := s[8]-'0', s[9]-'0', s[11]-'0', s[12]-'0'
	m0, m1, s0, s1 := s[14]-'0', s[15]-'0', s[17]-'0', s[18]-'0'
	if d0 > 9 || d1 > 9 || h0 > 9 || h1 > 9 || m0 > 9 || m1 > 9 || s0 > 9 || s1 > 9 {
		return 0, false
	}
	day, hh := int(d0)*10+int(d1), int(h0)*10+int(h1)
	mm, ss := int(m0)*10+int(m1), int(s0)*10+int(s1)
	if day < 1 || day > c.days || hh > 23 || mm > 59 || ss > 59 {
		return 0, false
	}
	sec := c.start + int64(day-1)*86400 + int64(hh*3600+mm*60+ss)
	return sec * 1e9, true
}

// remember makes the month of s, whose first eight bytes are key, the one
// remembered, and reports whether it is a month ("YYYY-MM-") in the years
// kpi.MinYear to kpi.MaxYear.
func (c *Clock) remember(s []byte, key uint64) bool {
	s = s[:8]
	y0, y1, y2, y3, m0, m1 := s[0]-'0', s[1]-'0', s[2]-'0', s[3]-'0', s[5]-'0', s[6]-'0'
	if s[4] != '-' || s[7] != '-' || y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || m0 > 9 || m1 > 9 {
		return false
	}
	y := int(y0)*1000 + int(y1)*100 + int(y2)*10 + int(y3)
	m := int(m0)*10 + int(m1)
	if m < 1 || m > 12 || y < kpi.MinYear || y > kpi.MaxYear {
		return false
	}
	c.month, c.start, c.days = key, days(y, m, 1)*86400, daysIn(m, y)
	return true
}
