package clv

import (
	"fmt"

	"github.com/kpiflow/kpi"
)

// Sentinel errors of the package. Each wraps kpi.ErrUndefined, so
// errors.Is(err, kpi.ErrUndefined) holds for them as well; bad input wraps
// kpi.ErrInvalid. They are the package's own values: package cohort has
// sentinels of the same names for its models, distinct from these, and
// errors.Is(err, kpi.ErrUndefined) holds for both.
var (
	// ErrUnbounded marks a quantity that is infinite for the data: the
	// expected purchase value of a Gamma–Gamma model with px + q ≤ 1.
	ErrUnbounded = fmt.Errorf("%w: unbounded", kpi.ErrUndefined)

	// ErrNotConverged marks a maximum-likelihood fit that did not converge
	// or whose estimate lies on the edge of the parameter space.
	ErrNotConverged = fmt.Errorf("%w: fit did not converge", kpi.ErrUndefined)
)

// The parameters' names, in the order the fits hold them, as the
// constructors and the errors name them.
var (
	bgNames = []string{"r", "alpha", "a", "b"}
	ggNames = []string{"p", "q", "gamma"}
)
