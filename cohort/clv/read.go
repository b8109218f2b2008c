package clv

import (
	"errors"
	"io"
	"strings"
	"time"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/crmcsv"
	"github.com/kpiflow/kpi/internal/errs"
)

// Columns says how to read transactions from CSV: the separator (0 for
// ','), the location of times without a zone (nil for UTC), and the header
// names of the columns, matched without regard to case and surrounding
// blanks; a name left empty takes the defaults, the first in the header
// winning:
//
//	Customer  Customer ID, customer_id, Contact ID, Record ID, Account ID, Customer, Email, Id
//	At        Date, Order Date, Invoice Date, Transaction Date, Created Date, CreatedDate, Timestamp, Time
//	Amount    Amount, Total, Revenue, Value, Price
//
// Times are RFC 3339, ISO dates and times (HubSpot), Salesforce's API and
// US-locale report formats, months (2025-03), or Unix seconds or
// milliseconds; only their calendar date counts.
type Columns struct {
	Customer, At, Amount string

	Comma    rune
	Location *time.Location
}

// ReadTransactions reads transactions (see Columns) from r in one pass
// into p, and returns the health report. Every row is used or rejected,
// never dropped: a row with an empty customer, a time or amount that
// cannot be parsed or that Purchases.Add refuses (negative, more than 6
// decimal places), the wrong number of fields or bytes that are not UTF-8
// is rejected with its line, column and reason. A row repeating the
// customer, time and amount of the row before it is counted as a
// duplicate, and used: two equal orders at once are not rare.
//
// Errors wrap kpi.ErrInvalid: a nil p or r, no header, a UTF-16 file, a
// column missing, named twice in the header or mapped twice, and a read
// error of r.
func ReadTransactions(r io.Reader, p *Purchases, c Columns) (*kpi.Health, error) {
	const fn = "clv.ReadTransactions"
	if p == nil {
		return nil, errs.Invalid(fn, "p", nil, "nil Purchases")
	}
	rd, err := crmcsv.Open(fn, r, c.Comma, []crmcsv.Role{
		{Name: "customer", Column: c.Customer, Defaults: []string{"Customer ID", "customer_id", "Contact ID", "Record ID", "Account ID", "Customer", "Email", "Id"}, Required: true},
		{Name: "time", Column: c.At, Defaults: []string{"Date", "Order Date", "Invoice Date", "Transaction Date", "Created Date", "CreatedDate", "Timestamp", "Time"}, Required: true},
		{Name: "amount", Column: c.Amount, Defaults: []string{"Amount", "Total", "Revenue", "Value", "Price"}, Required: true},
	})
	if err != nil {
		return nil, err
	}
	var last Transaction
	for rd.Next() {
		t := Transaction{CustomerID: rd.Field(0)}
		if t.CustomerID == "" {
			rd.Reject(0, "empty customer")
			continue
		}
		var why string
		if t.At, why = crmcsv.Time(rd.Field(1), c.Location); why != "" {
			rd.Reject(1, why)
			continue
		}
		if t.Amount, why = crmcsv.Amount(rd.Field(2)); why != "" {
			rd.Reject(2, why)
			continue
		}
		if err := p.Add(t); err != nil {
			var ke *kpi.Error
			if errors.As(err, &ke) {
				why = ke.Reason
			}
			rd.Reject(2, why)
			continue
		}
		if t.CustomerID == last.CustomerID && t.At.Equal(last.At) && t.Amount.Equal(last.Amount) {
			rd.Health.Duplicates++
		}
		last = Transaction{CustomerID: strings.Clone(t.CustomerID), At: t.At, Amount: t.Amount}
		rd.Use()
	}
	if err := rd.Err(); err != nil {
		return nil, err
	}
	return rd.Finish(), nil
}
