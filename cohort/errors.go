package cohort

import (
	"fmt"

	"github.com/kpiflow/kpi"
)

// Sentinel errors of the package. Each wraps kpi.ErrUndefined, so
// errors.Is(err, kpi.ErrUndefined) holds for them as well; bad input wraps
// kpi.ErrInvalid.
var (
	// ErrUnbounded marks a quantity that is infinite for the data: LTV with
	// churn ≤ 0, a discounted LTV whose series does not converge, the
	// expected lifetime of an sBG model with α ≤ 1.
	ErrUnbounded = fmt.Errorf("%w: unbounded", kpi.ErrUndefined)

	// ErrImmature marks a cell that a cohort has not reached yet.
	ErrImmature = fmt.Errorf("%w: cohort has not reached that period", kpi.ErrUndefined)

	// ErrNotConverged marks a maximum-likelihood fit that did not converge
	// or whose estimate lies on the edge of the parameter space.
	ErrNotConverged = fmt.Errorf("%w: fit did not converge", kpi.ErrUndefined)
)
