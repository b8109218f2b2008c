package cohort

import (
	"fmt"
	"time"
)

// Grain is the length of the periods a Table counts in: acquisition
// cohorts and the ages of their cells are in months, quarters or weeks.
type Grain int

// The grains. The zero Grain is Month.
const (
	Month   Grain = iota // calendar months
	Quarter              // calendar quarters: January–March, April–June, …
	Week                 // ISO weeks, Monday to Sunday
)

// String returns "month", "quarter" or "week", or "Grain(n)" for an
// unknown value.
func (g Grain) String() string {
	switch g {
	case Month:
		return "month"
	case Quarter:
		return "quarter"
	case Week:
		return "week"
	}
	return fmt.Sprintf("Grain(%d)", int(g))
}

func (g Grain) valid() bool { return g >= Month && g <= Week }

// epochMonday is 1970-01-05, a Monday, as days since the Unix epoch.
const epochMonday = 4

// index returns the number of the period holding the calendar date of t in
// t's own location — months or quarters since year 0, or weeks since
// Monday 1970-01-05 (negative before) — and the year of that date.
func (g Grain) index(t time.Time) (int64, int) {
	y, m, d := t.Date()
	switch g {
	case Quarter:
		return int64(y)*4 + int64(m-1)/3, y
	case Week:
		days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
		return floorDiv(days-epochMonday, 7), y
	}
	return int64(y)*12 + int64(m-1), y
}

// start returns the first day of period i at midnight UTC.
func (g Grain) start(i int64) time.Time {
	switch g {
	case Quarter:
		y, q := floorDiv(i, 4), i-4*floorDiv(i, 4)
		return time.Date(int(y), time.Month(3*q+1), 1, 0, 0, 0, 0, time.UTC)
	case Week:
		return time.Unix((epochMonday+7*i)*86400, 0).UTC()
	}
	y, m := floorDiv(i, 12), i-12*floorDiv(i, 12)
	return time.Date(int(y), time.Month(m+1), 1, 0, 0, 0, 0, time.UTC)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// at returns the index of the period holding t.
func (g Grain) at(t time.Time) int64 {
	i, _ := g.index(t)
	return i
}
