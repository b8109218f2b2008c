// Package cohort measures what customers are worth against what they cost
// to win: cohort retention tables, revenue movement, SaaS unit economics,
// and the shifted-beta-geometric (sBG) retention model. Customers with no
// contract, who buy by the order and leave silently, are the subject of
// package cohort/clv (RFM summaries, BG/NBD, Gamma–Gamma); the two
// packages share no types and do not import each other.
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
// can be counted in parallel; Builder follows the library's
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
// decimal places; round them for display. Every money argument is held to
// the library's bound, at most 30 digits before the point and 18 after it,
// and an error wrapping kpi.ErrInvalid names one beyond it.
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
// # Errors
//
// Bad input — revenue for unknown customers, periods before acquisition,
// negative revenue, survivors that increase, fewer than two periods to
// fit, a gross margin outside (0, 1], a discount rate ≤ 0 — returns a
// *kpi.Error wrapping kpi.ErrInvalid that names the record and value.
// Quantities the data leave undefined wrap kpi.ErrUndefined, through the
// package's ErrUnbounded, ErrImmature and ErrNotConverged where they
// apply.
//
// # JSON
//
// Tables, projections and models have JSON forms with camelCase keys (see
// package kpi for the conventions), pinned by the golden files in
// testdata/:
//
//	Table       {"grain": "month", "through": "2026-03-01T00:00:00Z",
//	             "cohorts": [{"start", "size", "cells": [{"active",
//	             "survivors", "revenue": "1200", "movement": Movement}]}]}
//	Movement    {"opening", "new", "expansion", "reactivation",
//	             "contraction", "churn" (money), "openingAccounts",
//	             "newAccounts", "reactivated", "churned"}
//	Period      {"start", and Movement's keys}
//	Projection  {"start", "observed", "survivors", "retention", "ltv"}
//	Band        {"projection", "survivors", "retention": [Interval], "ltv": MoneyInterval}
//	SBG         {"alpha": 0.704, "beta": 1.182}
//	Grain       "month", "quarter" or "week"
//
// SBG, Grain and Table decode too, SBG checked as NewSBG checks it, so a
// fitted model can be stored and loaded without refitting, and Table with
// every amount within the bound on money (30 digits before the point, 18
// after it), so that a stored table cannot hold a billion-digit revenue.
//
// The tables write CSV under the same keys with WriteCSV(w io.Writer): the
// Table (one row per cohort and age reached), Periods (Table.Periods),
// Projections (Table.Project) and Bands (Table.ProjectBands), one row per
// cohort and age; an undefined cell is empty, never 0.
package cohort
