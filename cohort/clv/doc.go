// Package clv values customers with no contract: RFM summaries of their
// orders, the BG/NBD model of how often they buy and whether they are
// still customers, the Gamma–Gamma model of what they spend, and their
// discounted value over a horizon. Customers on contracts — cohort tables,
// retention, LTV against CAC and the sBG model — are the subject of
// package cohort; the two share no types and do not import each other.
//
// # Summaries
//
// Customers who buy by the order — from a distributor, a parts supplier,
// a B2B shop — leave silently, so churn cannot be counted. Purchases
// accumulates their Transactions (Add or AddAll in any order, Merge
// partitions counted in parallel; it follows the library's accumulator
// contract, see the kpi package) and summarises them per customer as RFM
// records: the calibration History
// (frequency x of repeat purchases, recency t_x of the last, age T) in a
// unit the caller states (days, weeks), the mean value of the repeat
// purchases, and the purchases in a holdout period after a split date.
//
// # Models
//
// BGNBD is the model of Fader, Hardie and Lee (2005): customers buy at
// gamma-distributed rates and leave after a purchase with beta-distributed
// probabilities. FitBGNBD estimates r, α, a and b by maximum likelihood,
// grouping identical histories and computing in log space so that
// customers with thousands of purchases neither overflow nor give NaN;
// ExpectedPurchases, ConditionalPurchases and Alive predict, and
// Holdout sets the predictions beside the holdout purchases by frequency.
// GammaGamma models the value of the purchases, FitGammaGamma estimates
// it, and Valuation combines the two into a customer's discounted value
// over a horizon, in decimal money. On the CDNOW sample (2,357 customers,
// weeks) the fits give r = 0.243, α = 4.414, a = 0.793, b = 2.426 and
// p = 6.25, q = 3.74, γ = 15.45, the published estimates to three
// significant digits.
//
// Money is exact to six decimal places: a transaction amount with more
// places is an error, not silently rounded, and money results are rounded
// half away from zero to six places.
//
// # Errors
//
// Bad input — an empty customer ID, a negative amount, a history with
// repeat purchases at time 0 or after its age, a gross margin outside
// (0, 1], a negative discount rate — returns a *kpi.Error wrapping
// kpi.ErrInvalid that names the function, the argument and the value.
// Quantities the data leave undefined wrap kpi.ErrUndefined, through the
// package's ErrUnbounded and ErrNotConverged where they apply; these are
// this package's own sentinels, distinct from package cohort's of the same
// names.
//
// # JSON
//
// Models and summaries have JSON forms with camelCase keys (see package
// kpi for the conventions), pinned by the golden files in testdata/:
//
//	BGNBD         {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
//	GammaGamma    {"p": 6.25, "q": 3.74, "gamma": 15.44}
//	Valuation     {"purchases": BGNBD, "spend": GammaGamma, "periods",
//	               "length", "discount", "margin"}
//	RFM           {"customerID", "frequency", "recency", "age", "value", "holdout"}
//	Summary       {"customers": [RFM], "holdoutLength"}
//	Transaction   {"customerID", "at", "amount"}
//	HoldoutGroup  {"frequency", "customers", "actual", "predicted"}
//	Parameter     {"name", "value", "se", "interval": Interval}
//
// BGNBD and GammaGamma decode too, checked as NewBGNBD and NewGammaGamma
// check them, so fitted models can be stored and loaded without refitting.
// The holdout check (HoldoutGroups, from BGNBD.Holdout) writes CSV under
// HoldoutGroup's keys with WriteCSV(w io.Writer).
package clv
