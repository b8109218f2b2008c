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
	if (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	if key := binary.LittleEndian.Uint64(s); key != c.month && !c.remember(s, key) {
		return 0, false
	}
	for _, i := range [...]int{8, 9, 11, 12, 14, 15, 17, 18} {
		if s[i]-'0' > 9 {
			return 0, false
		}
	}
	d := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	day, hh, mm, ss := d(8), d(11), d(14), d(17)
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
	if s[4] != '-' || s[7] != '-' {
		return false
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6} {
		if s[i]-'0' > 9 {
			return false
		}
	}
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	m := int(s[5]-'0')*10 + int(s[6]-'0')
	if m < 1 || m > 12 || y < kpi.MinYear || y > kpi.MaxYear {
		return false
	}
	c.month, c.start, c.days = key, days(y, m, 1)*86400, daysIn(m, y)
	return true
}
