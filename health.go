package kpi

import (
	"fmt"
	"strings"
)

// MaxRejections is the number of rejected rows a Health report keeps in
// full, and MaxUnmapped the number of distinct unmapped values it keeps;
// every row beyond them is still counted.
const (
	MaxRejections = 100
	MaxUnmapped   = 100
)

// Health is the data-health report of a reader of CRM exports (package
// funnel's stage histories, package attribution's touch logs, package
// cohort's revenue rows, package cohort/clv's transactions): what it read,
// what it used, and what in the data a KPI cannot stand on. It is meant to
// be read before the KPI it feeds.
//
// Every data row (the header is not a row) is either used or rejected:
//
//	Read = Used + Rejected
//
// A rejected row names its line (1-based, counting the header as line 1,
// the line where the row starts when a quoted field spans lines), its
// column and the reason; the first MaxRejections are kept in Rejections.
// The other counts describe used rows and entities: Duplicates counts rows
// repeating one already used; OutOfOrder rows whose time is before the
// previous row of the same entity (harmless to the readers, which sort,
// but a sign of an export that was concatenated or edited); Unmapped the
// values that no lifecycle stage or channel rule recognised, by value, the
// first MaxUnmapped distinct values kept and all their rows counted in
// UnmappedRows; Skipped the entities that reached a stage without an entry
// for a stage before it; Backward the entities that moved back to an
// earlier stage after a later one.
//
// The zero Health is an empty report.
type Health struct {
	Read       int64       `json:"read"`
	Used       int64       `json:"used"`
	Rejected   int64       `json:"rejected"`
	Rejections []Rejection `json:"rejections"`

	Duplicates   int64      `json:"duplicates"`
	OutOfOrder   int64      `json:"outOfOrder"`
	Unmapped     []Unmapped `json:"unmapped"`
	UnmappedRows int64      `json:"unmappedRows"`
	Skipped      int64      `json:"skipped"`
	Backward     int64      `json:"backward"`
}

// Rejection is one row a reader could not use: the line where it starts,
// the column at fault (empty when the row as a whole is at fault, as for a
// row CSV cannot parse), the column's text (cut to 64 bytes) and why.
type Rejection struct {
	Line   int64  `json:"line"`
	Column string `json:"column"`
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

// Unmapped is a value no stage or channel rule recognised, with the number
// of rows that held it.
type Unmapped struct {
	Value string `json:"value"`
	Rows  int64  `json:"rows"`
}

// String returns the report as a few lines of text: the counts, then each
// kept rejection and unmapped value, such as
//
//	rows: 5012 read, 5000 used, 12 rejected
//	line 17, column "Became a Lead Date": unparseable time "31/02/2025"
//	...
//	duplicates 3, out of order 0, skipped stages 410 entities, backward 25 entities
//	unmapped 7 rows: "Churned" 7
func (h *Health) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rows: %d read, %d used, %d rejected\n", h.Read, h.Used, h.Rejected)
	for _, r := range h.Rejections {
		if r.Column == "" {
			fmt.Fprintf(&b, "  line %d: %s\n", r.Line, r.Reason)
			continue
		}
		fmt.Fprintf(&b, "  line %d, column %q: %s %q\n", r.Line, r.Column, r.Reason, r.Text)
	}
	if more := h.Rejected - int64(len(h.Rejections)); more > 0 {
		fmt.Fprintf(&b, "  … and %d more rejected rows\n", more)
	}
	fmt.Fprintf(&b, "duplicates %d, out of order %d, skipped stages %d entities, backward %d entities\n",
		h.Duplicates, h.OutOfOrder, h.Skipped, h.Backward)
	if h.UnmappedRows > 0 {
		fmt.Fprintf(&b, "unmapped %d rows:", h.UnmappedRows)
		var kept int64
		for _, u := range h.Unmapped {
			fmt.Fprintf(&b, " %q %d", u.Value, u.Rows)
			kept += u.Rows
		}
		if kept < h.UnmappedRows {
			fmt.Fprintf(&b, " … %d rows of other values", h.UnmappedRows-kept)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
