package funnel

import (
	"github.com/kpiflow/kpi/internal/errs"
)

// errNoChains is the error of Curves and Series on a Counter decoded
// from an encoding that did not keep its chains (version 5 with optional
// steps).
func errNoChains(fn string) error {
	return errs.Invalid(fn, "Counter", "decoded from binary version 5 with optional steps",
		"its chains were not kept: encode the counter again")
}
