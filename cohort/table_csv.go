package cohort

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/kpiflow/kpi/internal/errs"
)

// WriteCSV writes the table's cells as CSV (RFC 4180, UTF-8, a header row,
// numbers unformatted, money as decimals), one row per cohort and age,
// oldest cohort first, under the JSON keys of Cohort, Cell and Movement:
//
//	start,size,age,active,survivors,revenue,opening,new,expansion,reactivation,contraction,churn,openingAccounts,newAccounts,reactivated,churned
//	2026-01-01,3,0,3,2,300,0,300,0,0,0,0,0,3,0,0
//
// A cohort has rows for the ages it has reached only: an age not yet
// observed has no row, never a row of zeros.
//
// Errors wrapping kpi.ErrInvalid: a nil w, and an amount beyond the
// library's bound on money (30 digits before the point, 18 after it),
// which Builder.Table never makes but a table built by hand may hold; it
// is found, in time linear in the cells, before anything is written, and
// the error names the cell and quotes the amount short. Otherwise the
// error is the first of w.
func (t *Table) WriteCSV(w io.Writer) error {
	const fn = "cohort.Table.WriteCSV"
	if w == nil {
		return errs.Invalid(fn, "w", w, "nil writer")
	}
	if err := t.checkMoney(fn); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"start", "size", "age", "active", "survivors", "revenue", "opening", "new", "expansion",
		"reactivation", "contraction", "churn", "openingAccounts", "newAccounts", "reactivated", "churned"}); err != nil {
		return err
	}
	rec := make([]string, 16)
	for _, c := range t.Cohorts {
		rec[0] = c.Start.Format(time.DateOnly)
		rec[1] = strconv.FormatInt(c.Size, 10)
		for age, cell := range c.Cells {
			m := cell.Movement
			rec[2] = strconv.Itoa(age)
			rec[3] = strconv.FormatInt(cell.Active, 10)
			rec[4] = strconv.FormatInt(cell.Survivors, 10)
			rec[5] = cell.Revenue.String()
			rec[6], rec[7], rec[8] = m.Opening.String(), m.New.String(), m.Expansion.String()
			rec[9], rec[10], rec[11] = m.Reactivation.String(), m.Contraction.String(), m.Churn.String()
			rec[12] = strconv.FormatInt(m.OpeningAccounts, 10)
			rec[13] = strconv.FormatInt(m.NewAccounts, 10)
			rec[14] = strconv.FormatInt(m.Reactivated, 10)
			rec[15] = strconv.FormatInt(m.Churned, 10)
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
