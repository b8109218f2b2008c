// Package cohort measures what customers are worth against what they cost
// to win: cohort retention tables, revenue movement, SaaS unit economics,
// the shifted-beta-geometric (sBG) retention model, and, for customers
// with no contract, the BG/NBD and Gamma–Gamma models of how often they
// buy and what they spend.
//
// # Cohort tables
//
// A Builder takes the records a service already has — customers (ID,
// acquisition time, segment or channel) and their recurring revenue, as
// rows per period (Revenue) or as subscriptions with a start and an end
// (Subscription) — and makes a Table: customers grouped by the month,
// quarter or ISO week they were acquired in (the Grain), with one Cell per
// period since acquisition. A cell holds the customers paying in that
// period (logo retention), the survivors (paying then or later), the
// revenue, and the revenue's Movement from the period before: new,
// expansion, contraction, churn and reactivation. Builders accept records
// (Add one Record, AddAll a stream) in any order and Merge, so partitions
// can be counted in parallel; Builder and Purchases follow the library's
// accumulator contract (see the kpi package).
//
// Money in a table is exact to six decimal places; an amount with more
// places is an error, not silently rounded. Periods are taken from the
// calendar date of each time in its own location.
//
// Cells a cohort has not reached are immature. They are absent from the
// cohort's Cells, never zero, and the averages over cohorts
// (Table.LogoRetention, Table.RevenueRetention) pool only the cohorts that
// reached the age asked for, weighting each by its size (or its revenue at
// age 0). Asking a cohort for an age it has not reached is an error
// wrapping ErrImmature.
//
// # Unit economics
//
// Movement gives logo churn, gross and net revenue churn, GRR, NRR and the
// quick ratio of one period; Table.Periods gives a Movement per calendar
// period for the whole customer base. ARPA, LTV, DiscountedLTV, LTVToCAC
// and Payback work on decimal money and float64 rates; CAC totals cost
// lines, blended and per channel, for the cost lines chosen (paid media
// only, or fully loaded), spreading shared costs over channels with
// kpi.Allocate. Money results are rounded half away from zero to six
// decimal places; round them for display.
//
// The simple LTV = ARPA × margin ÷ churn is unbounded when churn is zero or
// negative, and says so with an error wrapping ErrUnbounded rather than
// returning 0; DiscountedLTV is finite whenever
// (1−churn)(1+expansion) < 1+discount.
//
// # The sBG model
//
// SBG is the shifted-beta-geometric model of Fader and Hardie (2007): each
// customer renews with a probability of their own, beta-distributed across
// customers, so retention rises as the customers most likely to leave
// leave first. FitSBG estimates α and β by maximum likelihood from
// survivor counts of one or more cohorts; Table.FitSBG fits a table's
// cohorts and Table.Project projects their survivors and lifetime value.
// On the paper's data (Table 1, years 0–7) the fit gives α = 0.704,
// β = 1.182 for the regular segment and α = 0.668, β = 3.806 for the high
// end, as published.
//
// # Customers with no contract
//
// Customers who buy by the order — from a distributor, a parts supplier,
// a B2B shop — leave silently, so churn cannot be counted. Purchases
// accumulates their Transactions (Add or AddAll in any order, Merge
// partitions) and
// summarises them per customer as RFM records: the calibration History
// (frequency x of repeat purchases, recency t_x of the last, age T) in a
// unit the caller states (days, weeks), the mean value of the repeat
// purchases, and the purchases in a holdout period after a split date.
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
// # Errors
//
// Bad input — revenue for unknown customers, periods before acquisition,
// negative revenue, survivors that increase, fewer than two periods to
// fit, a gross margin outside (0, 1], a discount rate ≤ 0, a history with
// repeat purchases at time 0 or after its age — returns a
// *kpi.Error wrapping kpi.ErrInvalid that names the record and value.
// Quantities the data leave undefined wrap kpi.ErrUndefined, through the
// package's ErrUnbounded, ErrImmature and ErrNotConverged where they
// apply.
package cohort
