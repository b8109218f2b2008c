package cohort

import (
	"errors"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/crmcsv"
	"github.com/kpiflow/kpi/internal/errs"
)

// Columns says how to read revenue rows from CSV: the separator (0 for
// ','), the location of times without a zone (nil for UTC), and the header
// names of the columns, matched without regard to case and surrounding
// blanks; a name left empty takes the defaults, the first in the header
// winning:
//
//	Customer  Customer ID, Account ID, Company ID, Record ID, customer_id, Customer, Account, Id
//	At        Month, Period, Date, Invoice Date, Created Date, CreatedDate, Timestamp
//	Amount    MRR, Amount, Revenue, Value
//	Start     Start Date, Start, Subscription Start, Started At
//	End       End Date, End, Subscription End, Cancel Date, Ended At
//	Acquired  Acquired, Acquisition Date, Close Date, CloseDate, Became a Customer Date, Customer Since
//	Segment   Segment, Channel, Original Source, Lead Source, LeadSource
//
// Customer and Amount are required, and At or Start. With a Start column
// each row is a Subscription (End empty for one still running); otherwise
// a Revenue row in the period containing At, which may be a month
// (2025-03) or any time crmcsv reads (RFC 3339, ISO dates, HubSpot's,
// Salesforce's, Unix seconds or milliseconds).
type Columns struct {
	Customer, At, Amount, Start, End, Acquired, Segment string

	Comma    rune
	Location *time.Location
}

// The roles of a revenue file.
const (
	rCustomer = iota
	rAt
	rAmount
	rStart
	rEnd
	rAcquired
	rSegment
)

// ReadRevenue reads revenue or subscription rows (see Columns) from r in
// one pass into b, and returns the health report. With an Acquired column,
// the first row of each customer also adds the Customer, acquired then,
// with its Segment; the customers may otherwise be added to b before or
// after.
//
// Every row is used or rejected, never dropped: a row with an empty
// customer, a time or amount that cannot be parsed, the wrong number of
// fields or bytes that are not UTF-8 is rejected with its line, column and
// reason, as is a row Builder.Add refuses (a negative amount, an end
// before the start, a period before the customer's acquisition, …), with
// Add's reason.
//
// Errors wrap kpi.ErrInvalid: a nil or zero b, a nil r, no header, a
// UTF-16 file, a required column missing, a column named twice in the
// header or mapped twice, and a read error of r.
func ReadRevenue(r io.Reader, b *Builder, c Columns) (*kpi.Health, error) {
	const fn = "cohort.ReadRevenue"
	if b == nil || b.ids == nil {
		return nil, errs.Invalid(fn, "b", "zero Builder", "use cohort.NewBuilder")
	}
	rd, err := crmcsv.Open(fn, r, c.Comma, []crmcsv.Role{
		{Name: "customer", Column: c.Customer, Defaults: []string{"Customer ID", "Account ID", "Company ID", "Record ID", "customer_id", "Customer", "Account", "Id"}, Required: true},
		{Name: "time", Column: c.At, Defaults: []string{"Month", "Period", "Date", "Invoice Date", "Created Date", "CreatedDate", "Timestamp"}},
		{Name: "amount", Column: c.Amount, Defaults: []string{"MRR", "Amount", "Revenue", "Value"}, Required: true},
		{Name: "start", Column: c.Start, Defaults: []string{"Start Date", "Start", "Subscription Start", "Started At"}},
		{Name: "end", Column: c.End, Defaults: []string{"End Date", "End", "Subscription End", "Cancel Date", "Ended At"}},
		{Name: "acquired", Column: c.Acquired, Defaults: []string{"Acquired", "Acquisition Date", "Close Date", "CloseDate", "Became a Customer Date", "Customer Since"}},
		{Name: "segment", Column: c.Segment, Defaults: []string{"Segment", "Channel", "Original Source", "Lead Source", "LeadSource"}},
	})
	if err != nil {
		return nil, err
	}
	if !rd.Has(rAt) && !rd.Has(rStart) {
		return nil, errs.Invalid(fn, "time column", "missing", "the header has no month, date or start column")
	}
	seen := map[string]bool{}
	for rd.Next() {
		revenueRow(rd, b, c.Location, seen)
	}
	if err := rd.Err(); err != nil {
		return nil, err
	}
	return rd.Finish(), nil
}

// revenueRow adds the current row to b, or rejects it.
func revenueRow(rd *crmcsv.Reader, b *Builder, loc *time.Location, seen map[string]bool) {
	id := rd.Field(rCustomer)
	if id == "" {
		rd.Reject(rCustomer, "empty customer")
		return
	}
	amount, why := crmcsv.Amount(rd.Field(rAmount))
	if why != "" {
		rd.Reject(rAmount, why)
		return
	}
	rec, at, why := record(rd, id, amount, loc)
	if why != "" {
		return
	}
	if rd.Has(rAcquired) && !seen[id] && !b.knows(id) {
		if !addCustomer(rd, b, rec, id, at, amount, loc) {
			return
		}
		seen[strings.Clone(id)] = true
	}
	if err := b.Add(rec); err != nil {
		rd.Reject(rAmount, reason(err))
		return
	}
	rd.Use()
}

// record parses the current row's Revenue or Subscription and its time
// (the start of a subscription); why is not empty when it rejected the row.
func record(rd *crmcsv.Reader, id string, amount decimal.Decimal, loc *time.Location) (rec Record, at time.Time, why string) {
	if !rd.Has(rStart) {
		v := Revenue{CustomerID: id, Amount: amount}
		if v.At, why = crmcsv.Time(rd.Field(rAt), loc); why != "" {
			rd.Reject(rAt, why)
		}
		return v, v.At, why
	}
	s := Subscription{CustomerID: id, Amount: amount}
	if s.Start, why = crmcsv.Time(rd.Field(rStart), loc); why != "" {
		rd.Reject(rStart, why)
		return s, s.Start, why
	}
	if end := rd.Field(rEnd); end != "" {
		if s.End, why = crmcsv.Time(end, loc); why != "" {
			rd.Reject(rEnd, why)
		}
	}
	return s, s.Start, why
}

// knows reports whether customer id has been added.
func (b *Builder) knows(id string) bool {
	i, ok := b.ids[id]
	return ok && b.custs[i].known
}

// addCustomer adds the customer of the current row, acquired at the
// Acquired column's time, after checking that the row's revenue would be
// accepted, so that a rejected row adds nothing; it reports whether it
// added the customer.
func addCustomer(rd *crmcsv.Reader, b *Builder, rec Record, id string, at time.Time, amount decimal.Decimal, loc *time.Location) bool {
	acq, why := crmcsv.Time(rd.Field(rAcquired), loc)
	if why != "" {
		rd.Reject(rAcquired, why)
		return false
	}
	pa, _ := b.period(acq) // crmcsv.Time keeps to the library's range
	pr, _ := b.period(at)
	if _, err := b.amount("cohort.ReadRevenue", id, pr, amount); err != nil {
		rd.Reject(rAmount, reason(err))
		return false
	}
	if pr < pa {
		rd.Reject(rAcquired, "revenue before the customer's acquisition")
		return false
	}
	if sub, ok := rec.(Subscription); ok && !sub.End.IsZero() {
		if pe, _ := b.period(sub.End); pe < pr {
			rd.Reject(rEnd, "end before the start")
			return false
		}
	}
	if err := b.Add(Customer{ID: strings.Clone(id), Acquired: acq, Segment: strings.Clone(rd.Field(rSegment))}); err != nil {
		rd.Reject(rAcquired, reason(err))
		return false
	}
	return true
}

// reason is the reason of a *kpi.Error, or its message.
func reason(err error) string {
	var ke *kpi.Error
	if errors.As(err, &ke) && ke.Reason != "" {
		return ke.Reason
	}
	return err.Error()
}
