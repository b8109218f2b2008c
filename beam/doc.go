// Package kpibeam runs kpi's heavy aggregates as Apache Beam transforms,
// so that the same funnel, journeys and attribution that one machine
// computes with the core library run on many machines: on the in-process
// Prism runner, on Dataflow, or on Flink and Spark through Beam's portable
// runners.
//
// Each transform is the core's accumulator contract (Add and Merge) as a
// Beam CombineFn: partial accumulators are built where the data are,
// shipped in their compact binary encoding (encoding.BinaryMarshaler in
// the core) and merged, and the result is the one the core computes in
// memory on the same data, to the bit.
//
//   - Funnel and FunnelPerKey: an event funnel from funnel.Events and a
//     funnel.Definition. Each entity's events are grouped first (a
//     GroupByKey on the entity), then counted and merged.
//   - Journeys and JourneysPerKey: attribution journeys merged into one
//     attribution.Journeys; Attribute and AttributePerKey run a model on
//     them, the Markov models on the chain of the merged transition
//     counts.
//   - Markov and MarkovPerKey: a Markov model's credits from journeys
//     through merged, encoded attribution.Chains, whose size grows with
//     the chain's states and transitions rather than with the journeys.
//   - Cohorts and CohortsPerKey: the cohort table (cohort.Table) of
//     customers and their revenue rows or subscriptions, through merged,
//     encoded cohort.Builders.
//   - Summary and SummaryPerKey: the RFM records (clv.Summary) of
//     transactions, through merged, encoded clv.Purchases.
//
// The per-key forms take KV<string, T> elements and compute one result per
// key: per tenant of a SaaS platform, or per product line. Construction
// fails, before any data are read, on a Definition that does not compile,
// a grain or dates the library refuses, and PCollections of the wrong
// types.
//
// The package registers its functions and coders with Beam's register
// package in init, so pipelines run on every runner.
package kpibeam
