// Package attribution shares the credit for conversions and their value
// among the marketing channels that buyers touched on the way: rule-based
// models, exact Markov-chain models of any order and Shapley values, with
// money split exactly and results laid side by side with spend.
//
// # Journeys
//
// A Journey is an ordered list of touches (a channel, an optional time and
// optional milestone marks: Lead, Opportunity, Won) with the number of
// conversions, their total value and the number of non-converting journeys
// that took the same path: the aggregate form of ChannelAttribution
// (Altomare and Loris). Journeys and Chain (a Markov chain's transition
// counts) are accumulators of them, with the contract of package kpi:
// Add, AddAll, Merge (an error for an accumulator merged with itself),
// and read-outs that leave them unchanged: a Model's Attribute for
// Journeys, Result for a Chain. The zero Journeys is ready to use; a Chain
// needs NewChain, or Markov.Chain to count a Journeys. Read and Write move
// journeys in and out of ChannelAttribution's CSV layout, through
// encoding/csv:
//
//	path;total_conversions;total_conversion_value;total_null
//	search > webinar > email;3;4500.00;27
//	events;0;0;12
//
// The field separator, the path separator and the column names are set by
// a Format; errors name the line.
//
// ReadTouches reads a CRM or web touch log (entity, channel or UTM
// source/medium/campaign, time, conversion, value) into Journeys: one per
// conversion, from the touches within a lookback window before it, and
// one for each entity's touches that led to no conversion, with a
// kpi.Health report. A Grouping maps raw UTM values to channels by ordered
// rules with an Other channel; DefaultGrouping follows GA4's default
// channel group.
//
// # Models
//
// Every Model gives each converting journey's credit to its touches in
// shares that add up to 1, and adds the shares up by channel:
//
//   - First, Last and LastNonDirect: all to one touch.
//   - Linear: equal shares per touch, or per distinct channel.
//   - Position: first and last touch fixed shares, the rest between them;
//     U-shaped 40/20/40 (the zero value), JShaped 20/20/60, InverseJ
//     60/20/20.
//   - WShaped and FullPath (Z-shaped): shares to the first touch and the
//     milestone touches, the rest over the others.
//   - TimeDecay: shares halving with every half-life before the
//     conversion.
//   - Custom: a curve of position weights stretched over the journey.
//   - Markov: removal effects of an absorbing Markov chain whose states are
//     the last k channels, computed exactly, not simulated (see Chain);
//     Rules ChannelAttribution follows ChannelAttribution's conventions
//     (repeats kept, value by value removal effects).
//   - Shapley: the Shapley value of Zhao et al. (2018), simplified,
//     ordered or exact over channel subsets.
//
// Non-converting journeys matter only to Markov, where they are the
// transitions to null.
//
// # Money
//
// Conversion value is a decimal.Decimal. A model spreads each journey's
// value like its conversions, and the total value is then split among the
// channels in proportion with kpi.Allocate at the most decimal places of
// any journey's value, so the channels' values add up exactly to the
// total. Attributed conversions are float64.
//
// # Reading the results
//
// NewTable lays several models' results side by side, channels by models,
// to print or to write as CSV (Table.WriteCSV, one row per channel and
// model), and Result.ROI sets one result against the spend per channel
// (ROIs, which write CSV too): cost per attributed conversion, return on
// spend, share of credit against share of spend.
//
// # Uncertainty and order
//
// Bootstrap wraps any Model and gives each credit percentile intervals
// (kpi.Interval, kpi.MoneyInterval) for its conversions, share, value and
// Markov removal effect, from a Poisson bootstrap over the journeys that
// gives the same bits in any input order; Result.ProbGreater compares two
// channels over the same replicates, and tables show the intervals.
// Markov.ChooseOrder compares orders by BIC and by the held-out
// log-likelihood of the next transition.
//
// Every float result is the same bit for bit whatever order the journeys
// were added in: models that add up journeys go through them in a
// canonical order, and Markov chains number their states by name.
//
// # Errors
//
// Bad input returns a *kpi.Error wrapping kpi.ErrInvalid that names the
// line, journey or field; a quantity the data leave undefined (a Markov
// model of journeys without conversions) wraps kpi.ErrUndefined.
//
// # JSON
//
// Results, tables and journeys have JSON forms with camelCase keys (see
// package kpi for the conventions), pinned by the golden files in
// testdata/:
//
//	Result          {"model", "credits": [Credit], "conversions", "value",
//	                 "conversion", "replicates"}
//	Credit          {"channel", "conversions", "value": "120.50", "removal",
//	                 "valueRemoval", "positions", "interval": CreditInterval or null}
//	CreditInterval  {"conversions", "share": Interval, "value": MoneyInterval,
//	                 "removal": Interval}
//	Table           {"channels", "models", "cells": [[{"conversions", "value",
//	                 "share", "interval"}]]}
//	ROI             {"channel", "spend", "conversions", "value",
//	                 "costPerConversion", "returnOnSpend" (null when undefined),
//	                 "creditShare", "spendShare"}
//	Journey         {"touches": [{"channel", "time" (left out when unknown),
//	                 "marks": "lead|opportunity|won"}], "conversions",
//	                 "value", "nulls"}
//	OrderChoice     {"fits": [{"order", "states", "parameters", "logLik",
//	                 "bic", "heldOut", "heldOutSE"}], "transitions",
//	                 "heldOut", "byBIC", "byHeldOut", "suggested"}
//	Transition      {"from", "to", "count", "probability"}
//
// Journey decodes too, strictly, and is checked as Journeys.Add checks it.
package attribution
