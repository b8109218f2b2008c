package funnel

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// tableConfidence is the confidence of the Wilson intervals in the table.
const tableConfidence = 0.95

// String returns the funnel as a text table for logs and terminals: one
// line per stage with its count and, from the second stage on, the step
// rate with its 95 % Wilson interval, the cumulative rate from the first
// stage and the drop-off as a count and a share:
//
//	stage  count     step  95% Wilson CI     cumulative  drop-off
//	Visit  12000
//	Lead     240    2.00%  [ 1.76%,  2.27%]       2.00%  11760 (98.00%)
//	MQL       96   40.00%  [34.01%, 46.31%]       0.80%  144 (60.00%)
//
// A rate with no trials prints as "-".
func (f *Funnel) String() string {
	var b strings.Builder
	f.write(&b)
	return b.String()
}

// WriteTo writes the table of String to w, and returns the number of bytes
// written and the first error from w; it makes *Funnel an io.WriterTo.
//
// A nil w is an error wrapping kpi.ErrInvalid.
func (f *Funnel) WriteTo(w io.Writer) (int64, error) {
	if w == nil {
		return 0, errs.Invalid("funnel.Funnel.WriteTo", "w", w, "nil writer")
	}
	n, err := io.WriteString(w, f.String())
	return int64(n), err
}

func (f *Funnel) write(b *strings.Builder) {
	nameW, countW := len("stage"), len("count")
	for _, s := range f.stages {
		nameW = max(nameW, len([]rune(s.Name)))
		countW = max(countW, len(strconv.FormatInt(s.Count, 10)))
	}
	pad := func(s string, w int) string { return s + strings.Repeat(" ", max(0, w-len([]rune(s)))) }
	fmt.Fprintf(b, "%s  %*s  %7s  %-16s  %10s  %s\n", pad("stage", nameW), countW, "count", "step", "95% Wilson CI", "cumulative", "drop-off")
	for i, s := range f.stages {
		if i == 0 {
			fmt.Fprintf(b, "%s  %*d\n", pad(s.Name, nameW), countW, s.Count)
			continue
		}
		st := f.steps[i-1]
		ci := "-"
		if lo, hi, err := st.Rate.Interval(kpi.Wilson, tableConfidence); err == nil {
			ci = fmt.Sprintf("[%5.2f%%, %5.2f%%]", 100*lo, 100*hi)
		}
		drop := "-"
		if v, err := st.DropOff.Value(); err == nil {
			drop = fmt.Sprintf("%d (%.2f%%)", st.DropOff.Successes(), 100*v)
		}
		fmt.Fprintf(b, "%s  %*d  %7s  %-16s  %10s  %s\n", pad(s.Name, nameW), countW, s.Count, percent(st.Rate), ci, percent(st.Cumulative), drop)
	}
}

// percent formats a rate's value as a percentage, or "-" when undefined.
func percent(r kpi.Rate) string {
	v, err := r.Value()
	if err != nil {
		return "-"
	}
	return fmt.Sprintf("%.2f%%", 100*v)
}
