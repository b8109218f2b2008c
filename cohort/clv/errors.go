package clv

import (
	"fmt"
	"strconv"
	"strings"

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

// named re-makes an error of the fitting search (internal/mle), which
// numbers the parameters — "parameter 0" — as one that names them: the
// i-th parameter is names[i], and a whole point ("estimate", "start") is
// followed by the names in order, such as "estimate (p, q, gamma)". Any
// other error is returned as it is.
func named(err error, names []string) error {
	ke, ok := err.(*kpi.Error)
	if !ok {
		return err
	}
	arg := ke.Arg
	if s, ok := strings.CutPrefix(arg, "parameter "); ok {
		i, convErr := strconv.Atoi(s)
		if convErr != nil || i < 0 || i >= len(names) {
			return err
		}
		arg = names[i]
	} else if arg == "estimate" || arg == "start" {
		arg += " (" + strings.Join(names, ", ") + ")"
	} else {
		return err
	}
	c := *ke
	c.Arg = arg
	return &c
}
