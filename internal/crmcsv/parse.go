package crmcsv

import (
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/internal/errs"
)

// Time parses a time as CRMs export it and returns it, or the reason it
// cannot (never both). Accepted, with loc the location of times that carry
// no zone (nil for UTC):
//
//	2025-03                             a month: its first day, midnight in loc
//	2025-03-04                          ISO date, midnight in loc
//	2025-03-04 14:22, 2025-03-04T14:22:05, with .fff seconds
//	                                    ISO date and time in loc (HubSpot's exports)
//	2025-03-04T14:22:05Z, …+01:00, …+0100, …+01
//	                                    RFC 3339 and Salesforce's API form (.000+0000)
//	3/4/2025, 3/4/2025 2:22 PM, 3/4/2025 14:22
//	                                    Salesforce's US-locale reports, month first, in loc
//	1741098125, 1741098125000           Unix seconds (up to 11 digits) or milliseconds (12 to 14)
//
// Dates must exist (no 31 February) and lie in the library's time range,
// the years kpi.MinYear to kpi.MaxYear (1900 to 2149): placeholder dates
// such as 0001-01-01 or 9999-12-31 fall outside and are rejected.
//
// s is a string or a reader's bytes (Reader.Bytes): either way nothing is
// allocated, but for a zone other than UTC.
func Time[S ~string | ~[]byte](s S, loc *time.Location) (time.Time, string) {
	if loc == nil {
		loc = time.UTC
	}
	var t time.Time
	var why string
	switch {
	case len(s) == 0:
		return time.Time{}, "empty time"
	case digits(s):
		t, why = unix(s)
	case len(s) >= 10 && s[4] == '-' && s[7] == '-':
		var ok bool
		if t, why, ok = clock(s, loc); !ok {
			t, why = iso(s, loc)
		}
	case len(s) == 7 && s[4] == '-':
		t, why = month(s, loc)
	case index(s, '/') > 0:
		t, why = us(s, loc)
	default:
		return time.Time{}, "unparseable time"
	}
	if why != "" {
		return time.Time{}, why
	}
	if !errs.InRange(t) {
		return time.Time{}, errs.TimeReason
	}
	return t, ""
}

func digits[S ~string | ~[]byte](s S) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// num parses the decimal digits of s, and reports whether s is 1 to 9 of them.
func num[S ~string | ~[]byte](s S) (int, bool) {
	if len(s) == 0 || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// index returns the position of the first c in s, or −1.
func index[S ~string | ~[]byte](s S, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// cut slices s around the first c, like strings.Cut.
func cut[S ~string | ~[]byte](s S, c byte) (before, after S, found bool) {
	if i := index(s, c); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, s[len(s):], false
}

func unix[S ~string | ~[]byte](s S) (time.Time, string) {
	if len(s) > 14 {
		return time.Time{}, "unparseable time: too many digits for Unix seconds or milliseconds"
	}
	var n int64 // at most 14 digits: cannot overflow
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	if len(s) <= 11 {
		return time.Unix(n, 0).UTC(), ""
	}
	return time.UnixMilli(n).UTC(), ""
}

// date checks and builds a date and time of day.
func date(y, m, d, hh, mm, ss, ns int, loc *time.Location) (time.Time, string) {
	if m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return time.Time{}, "no such date"
	}
	if hh > 23 || mm > 59 || ss > 59 {
		return time.Time{}, "no such time of day"
	}
	if loc == time.UTC && y >= 1600 && y < 10000 {
		sec := (days(y, m, d)*24+int64(hh))*3600 + int64(mm)*60 + int64(ss)
		return time.Unix(sec, int64(ns)).UTC(), ""
	}
	return time.Date(y, time.Month(m), d, hh, mm, ss, ns, loc), ""
}

// days returns the number of days from 1970-01-01 to a valid date in the
// years 1600 to 9999, counting from 1 March 1200, so that the leap day
// ends a year and the eras of 400 years (146 097 days) start at a leap
// year:
//
//	year  = y − 1 for January and February, else y
//	day   = ⌊(153·month + 2) / 5⌋ + d − 1  (month from March, 0 to 11)
//	days  = 365·years + ⌊years/4⌋ − ⌊years/100⌋ + ⌊years/400⌋ + day
//	        − 281 177  (the days from 1 March 1200 to 1 January 1970)
func days(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	years := int64(y - 1200)
	day := int64((153*((m+9)%12)+2)/5 + d - 1)
	return 365*years + years/4 - years/100 + years/400 + day - 281177
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// clock parses the commonest layouts, YYYY-MM-DDTHH:MM:SS with T or a
// blank, in loc or with Z in UTC, by their fixed positions, as iso reads
// them; ok is false for any other text, which iso reads.
func clock[S ~string | ~[]byte](s S, loc *time.Location) (t time.Time, why string, ok bool) {
	if len(s) == 20 && (s[19] == 'Z' || s[19] == 'z') {
		loc = time.UTC
	} else if len(s) != 19 {
		return time.Time{}, "", false
	}
	if (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, "", false
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18} {
		if s[i]-'0' > 9 {
			return time.Time{}, "", false
		}
	}
	d := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	t, why = date(d(0)*100+d(2), d(5), d(8), d(11), d(14), d(17), 0, loc)
	return t, why, true
}

// month parses YYYY-MM as the first day of the month.
func month[S ~string | ~[]byte](s S, loc *time.Location) (time.Time, string) {
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	if !ok1 || !ok2 {
		return time.Time{}, "unparseable time"
	}
	return date(y, m, 1, 0, 0, 0, 0, loc)
}

// iso parses YYYY-MM-DD with an optional time of day and zone.
func iso[S ~string | ~[]byte](s S, loc *time.Location) (time.Time, string) {
	const bad = "unparseable time"
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, bad
	}
	rest := s[10:]
	if len(rest) == 0 {
		return date(y, m, d, 0, 0, 0, 0, loc)
	}
	if len(rest) < 6 || (rest[0] != 'T' && rest[0] != ' ') || rest[3] != ':' {
		return time.Time{}, bad
	}
	hh, ok1 := num(rest[1:3])
	mm, ok2 := num(rest[4:6])
	if !ok1 || !ok2 {
		return time.Time{}, bad
	}
	rest = rest[6:]
	ss, ns := 0, 0
	if len(rest) >= 3 && rest[0] == ':' {
		var ok bool
		if ss, ok = num(rest[1:3]); !ok {
			return time.Time{}, bad
		}
		rest = rest[3:]
		if len(rest) > 1 && (rest[0] == '.' || rest[0] == ',') {
			i := 1
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			if i == 1 || i > 10 {
				return time.Time{}, bad
			}
			f, _ := num(rest[1:i])
			for k := i; k < 10; k++ {
				f *= 10
			}
			ns, rest = f, rest[i:]
		}
	}
	zone, why := offset(rest, loc)
	if why != "" {
		return time.Time{}, why
	}
	return date(y, m, d, hh, mm, ss, ns, zone)
}

// offset parses a zone suffix: "" (loc), Z, ±hh, ±hhmm or ±hh:mm.
func offset[S ~string | ~[]byte](z S, loc *time.Location) (*time.Location, string) {
	switch {
	case len(z) == 0:
		return loc, ""
	case len(z) == 1 && (z[0] == 'Z' || z[0] == 'z'):
		return time.UTC, ""
	case z[0] != '+' && z[0] != '-':
		return nil, "unparseable time"
	}
	var hh, mm int
	var ok1, ok2 = false, true
	switch len(z) {
	case 3:
		hh, ok1 = num(z[1:3])
	case 5:
		hh, ok1 = num(z[1:3])
		mm, ok2 = num(z[3:5])
	case 6:
		hh, ok1 = num(z[1:3])
		mm, ok2 = num(z[4:6])
		ok2 = ok2 && z[3] == ':'
	}
	if !ok1 || !ok2 || hh > 23 || mm > 59 {
		return nil, "unparseable time zone"
	}
	sec := (hh*60 + mm) * 60
	if z[0] == '-' {
		sec = -sec
	}
	if sec == 0 {
		return time.UTC, ""
	}
	return time.FixedZone(string(z), sec), ""
}

// us parses M/D/YYYY with an optional h:mm[:ss] and AM or PM.
func us[S ~string | ~[]byte](s S, loc *time.Location) (time.Time, string) {
	const bad = "unparseable time"
	day, clock, _ := cut(s, ' ')
	ms, rest, _ := cut(day, '/')
	ds, ys, _ := cut(rest, '/')
	m, ok1 := num(ms)
	d, ok2 := num(ds)
	y, ok3 := num(ys)
	if !ok1 || !ok2 || !ok3 || len(ms) > 2 || len(ds) > 2 || len(ys) != 4 {
		return time.Time{}, bad
	}
	clock = trim(clock)
	if len(clock) == 0 {
		return date(y, m, d, 0, 0, 0, 0, loc)
	}
	hm, ampm, _ := cut(clock, ' ')
	hs, rest, _ := cut(hm, ':')
	mins, secs, hasSec := cut(rest, ':')
	hh, ok1 := num(hs)
	mm, ok2 := num(mins)
	ss, ok3 := 0, true
	if hasSec {
		ss, ok3 = num(secs)
	}
	if !ok1 || !ok2 || !ok3 || len(hs) > 2 || len(mins) != 2 {
		return time.Time{}, bad
	}
	switch {
	case len(ampm) == 0:
	case len(ampm) == 2 && (ampm[1]|0x20) == 'm' && ((ampm[0]|0x20) == 'a' || (ampm[0]|0x20) == 'p'):
		if hh < 1 || hh > 12 {
			return time.Time{}, "no such time of day"
		}
		hh %= 12
		if ampm[0]|0x20 == 'p' {
			hh += 12
		}
	default:
		return time.Time{}, bad
	}
	return date(y, m, d, hh, mm, ss, 0, loc)
}

// trim returns s without surrounding blanks (ASCII and Unicode), like
// strings.TrimSpace.
func trim[S ~string | ~[]byte](s S) S {
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(string(s[:min(len(s), utf8.UTFMax)]))
		if !unicode.IsSpace(r) {
			break
		}
		s = s[n:]
	}
	for len(s) > 0 {
		i := len(s) - 1
		for i > 0 && len(s)-i < utf8.UTFMax && !utf8.RuneStart(s[i]) {
			i--
		}
		r, _ := utf8.DecodeRuneInString(string(s[i:]))
		if !unicode.IsSpace(r) {
			break
		}
		s = s[:i]
	}
	return s
}

// Amount parses money: an optional sign, digits and at most one decimal
// point, up to 40 characters (no exponent, no thousands separators, no
// currency), and returns it or the reason it cannot.
func Amount(s string) (decimal.Decimal, string) {
	if s == "" {
		return decimal.Zero, "empty amount"
	}
	if len(s) > 40 {
		return decimal.Zero, "amount of more than 40 characters"
	}
	body := s
	if body[0] == '-' || body[0] == '+' {
		body = body[1:]
	}
	dot, nd := 0, 0
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c >= '0' && c <= '9':
			nd++
		case c == '.':
			dot++
		default:
			return decimal.Zero, "not an amount (digits and one decimal point)"
		}
	}
	if nd == 0 || dot > 1 {
		return decimal.Zero, "not an amount (digits and one decimal point)"
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, "not an amount"
	}
	return d, ""
}

// Fixed parses a non-negative amount of at most 18 digits and one
// optional decimal point, such as 1250.00, as m·10^−places, without
// allocating; ok is false for anything else (a sign but +, more digits, an
// exponent), which Amount reads or rejects. Zero has no places, as
// decimal.Decimal's zero has none.
func Fixed[S ~string | ~[]byte](s S) (m int64, places uint8, ok bool) {
	i := 0
	if len(s) > 0 && s[0] == '+' {
		i = 1
	}
	dot, nd := -1, 0
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9' && nd < 18:
			m = m*10 + int64(c-'0')
			nd++
		case c == '.' && dot < 0:
			dot = i
		default:
			return 0, 0, false
		}
	}
	if nd == 0 {
		return 0, 0, false
	}
	if dot >= 0 && m != 0 {
		places = uint8(len(s) - dot - 1)
	}
	return m, places, true
}

// Flag parses a yes/no column: "", 0, false, no, n are no; 1, true, yes,
// y, x are yes (any case). ok is false for anything else.
func Flag[S ~string | ~[]byte](s S) (yes, ok bool) {
	if len(s) > 5 {
		return false, false
	}
	var b [5]byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	switch string(b[:len(s)]) {
	case "", "0", "false", "no", "n":
		return false, true
	case "1", "true", "yes", "y", "x":
		return true, true
	}
	return false, false
}
