package kpi

// The bounds every package of the library enforces on its input. Beyond
// them the arithmetic would lose its meaning (counts past float64's exact
// integers, durations past time.Duration's ±292 years) or its cost would
// no longer be proportional to what the caller asked; input beyond them
// returns an error wrapping ErrInvalid that names the bound.
const (
	// MaxTrials is the most trials a rate may have in every function that
	// computes with it: Rate.Interval for every Method, Rate.Test, Compare,
	// Comparison.DiffInterval and the sub-packages' functions built on them
	// (funnel.CompareSegments, scoring's bands). It is 2⁴⁰ (about
	// 1.1·10¹²): counts stay far inside float64's exact integers (2⁵³),
	// where the incomplete-beta quantiles behind Clopper–Pearson and
	// Jeffreys lose their accuracy and then fail, and the exact sums behind
	// Fisher's p, P(B > A) and the binomial tails, whose time grows with
	// the square root of the trials, take about 100 ms at the bound.
	// NewRate and Rate.Value accept any int64 count.
	MaxTrials = 1 << 40

	// MinYear and MaxYear bound every time the library accepts: an event,
	// a touch, a purchase, a customer's acquisition, the moment a lead is
	// scored, the end of a table. A time must lie in
	//
	//	[MinYear-01-01T00:00:00Z, (MaxYear+1)-01-01T00:00:00Z)
	//
	// that is from 1900 through 2149. The span, 250 years, is inside the
	// ±292 years a time.Duration can hold, so the difference of any two
	// accepted times, and each one's UnixNano, is exact; and no CRM or
	// ledger of a business still running has a real date outside it.
	MinYear = 1900
	MaxYear = 2149
)

// checkTrials returns an error wrapping ErrInvalid when a rate named arg
// has more than MaxTrials trials.
func checkTrials(fn, arg string, r Rate) error {
	if r.trials > MaxTrials {
		return invalid(fn, arg, r.trials, "exceeds MaxTrials (2^40)")
	}
	return nil
}
