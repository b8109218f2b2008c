package cohort

import (
	"io"

	"github.com/kpiflow/kpi/internal/csvx"
)

// movementKeys are the JSON keys of Movement, the CSV columns of its
// amounts and counts.
var movementKeys = []string{"opening", "new", "expansion", "reactivation", "contraction", "churn",
	"openingAccounts", "newAccounts", "reactivated", "churned"}

// writeMovement adds a movement's ten fields.
func writeMovement(c *csvx.Writer, m Movement) {
	c.Decimal(m.Opening)
	c.Decimal(m.New)
	c.Decimal(m.Expansion)
	c.Decimal(m.Reactivation)
	c.Decimal(m.Contraction)
	c.Decimal(m.Churn)
	c.Int(m.OpeningAccounts)
	c.Int(m.NewAccounts)
	c.Int(m.Reactivated)
	c.Int(m.Churned)
}

// Periods is the movement of a table's revenue per calendar period, as
// Table.Periods returns it.
type Periods []Period

// WriteCSV writes the periods' movements as CSV (RFC 4180, UTF-8, a header
// row, numbers unformatted, money as decimals), one row per period, oldest
// first, under the JSON keys of Period:
//
//	start,opening,new,expansion,reactivation,contraction,churn,openingAccounts,newAccounts,reactivated,churned
//	2024-02-01,150,200,20,0,0,50,2,1,0,1
//
// Errors wrapping kpi.ErrInvalid: a nil w, and an amount beyond the
// library's bound on money (30 digits before the point, 18 after it),
// which Table.Periods never returns but periods built by hand may hold; the error names
// the line and column and quotes the amount short, and w holds the lines
// before it. Otherwise the error is the first of w.
func (ps Periods) WriteCSV(w io.Writer) error {
	c, err := csvx.New("cohort.Periods.WriteCSV", w, append([]string{"start"}, movementKeys...)...)
	if err != nil {
		return err
	}
	for _, p := range ps {
		c.Date(p.Start)
		writeMovement(c, p.Movement)
		if err := c.Row(); err != nil {
			return err
		}
	}
	return c.Flush()
}

// Projections is every cohort's projection, as Table.Project returns them.
type Projections []Projection

// WriteCSV writes the projections as CSV (RFC 4180, UTF-8, a header row,
// numbers unformatted, money as decimals), one row per cohort and age up
// to the horizon, oldest cohort first, under the JSON keys of Projection,
// the cohort's observed ages and LTV repeated on each of its rows:
//
//	start,observed,ltv,age,survivors,retention
//	2024-01-01,3,512.25,0,1000,1
//	2024-01-01,3,512.25,3,574.2,0.5742
//
// An age is observed when it is below observed; the retention of a cohort
// in which no customer ever paid is empty.
//
// Errors wrapping kpi.ErrInvalid: a nil w, and an amount beyond the
// library's bound on money (30 digits before the point, 18 after it),
// which Table.Project never returns but projections built by hand may hold; the error names
// the line and column and quotes the amount short, and w holds the lines
// before it. Otherwise the error is the first of w.
func (ps Projections) WriteCSV(w io.Writer) error {
	c, err := csvx.New("cohort.Projections.WriteCSV", w, "start", "observed", "ltv", "age", "survivors", "retention")
	if err != nil {
		return err
	}
	for _, p := range ps {
		for a, s := range p.Survivors {
			c.Date(p.Start)
			c.Int(int64(p.Observed))
			c.Decimal(p.LTV)
			c.Int(int64(a))
			c.Float(s)
			if a < len(p.Retention) {
				c.Float(p.Retention[a])
			} else {
				c.Empty(1)
			}
			if err := c.Row(); err != nil {
				return err
			}
		}
	}
	return c.Flush()
}

// Bands is every cohort's projection with its band, as Table.ProjectBands
// returns them.
type Bands []Band

// WriteCSV writes the bands as CSV (RFC 4180, UTF-8, a header row, numbers
// unformatted, money as decimals), one row per cohort and age, as
// Projections.WriteCSV does, with each quantity's interval as two columns
// <key>Lo and <key>Hi and the method and level of the survivors' and
// retention's intervals (which share them) and of the LTV's:
//
//	start,observed,ltv,ltvLo,ltvHi,ltvMethod,age,survivors,survivorsLo,survivorsHi,retention,retentionLo,retentionHi,method,level
//	2024-01-01,3,512.25,488.1,530.77,delta-log,0,1000,1000,1000,1,1,1,observed,0.95
//
// The retention of a cohort in which no customer ever paid, and its
// interval, are empty.
//
// Errors wrapping kpi.ErrInvalid: a nil w, and an amount beyond the
// library's bound on money (30 digits before the point, 18 after it),
// which Table.ProjectBands never returns but bands built by hand may hold; the error names
// the line and column and quotes the amount short, and w holds the lines
// before it. Otherwise the error is the first of w.
func (bs Bands) WriteCSV(w io.Writer) error {
	c, err := csvx.New("cohort.Bands.WriteCSV", w, "start", "observed", "ltv", "ltvLo", "ltvHi", "ltvMethod", "age",
		"survivors", "survivorsLo", "survivorsHi", "retention", "retentionLo", "retentionHi", "method", "level")
	if err != nil {
		return err
	}
	for _, b := range bs {
		p := b.Projection
		for a, s := range p.Survivors {
			c.Date(p.Start)
			c.Int(int64(p.Observed))
			c.Decimal(p.LTV)
			c.Decimal(b.LTV.Lo)
			c.Decimal(b.LTV.Hi)
			c.String(b.LTV.Method)
			c.Int(int64(a))
			c.Float(s)
			b.writeAge(c, a)
			if err := c.Row(); err != nil {
				return err
			}
		}
	}
	return c.Flush()
}

// writeAge adds the band's intervals at age a, and the retention, each
// empty where the band or the projection has none.
func (b Band) writeAge(c *csvx.Writer, a int) {
	if a < len(b.Survivors) {
		c.Interval(b.Survivors[a])
	} else {
		c.Empty(2)
	}
	if a < len(b.Projection.Retention) {
		c.Float(b.Projection.Retention[a])
	} else {
		c.Empty(1)
	}
	if a < len(b.Retention) {
		c.Interval(b.Retention[a])
	} else {
		c.Empty(2)
	}
	if a < len(b.Survivors) {
		c.String(b.Survivors[a].Method)
		c.Float(b.Survivors[a].Level)
	} else {
		c.Empty(2)
	}
}
