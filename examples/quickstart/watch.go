package main

import (
	"fmt"
	"io"

	"github.com/kpiflow/kpi"
)

func init() { register(15, "Watching a KPI: sequences, control limits, trend, sample size", watch) }

// watchWeeks are twelve weeks of MQL→SQL: SQLs of MQLs, a 50 % SLA.
var watchWeeks = [12][2]int64{
	{21, 40}, {19, 42}, {22, 41}, {18, 39}, {20, 44}, {17, 40},
	{16, 43}, {9, 38}, {17, 41}, {15, 40}, {16, 42}, {14, 39},
}

// watch follows the KPI week by week with its always-valid confidence
// sequence and its control limits, reads the trend, and answers how many
// weeks the SLA check needs.
func watch(w io.Writer) error {
	weeks := make([]kpi.Rate, len(watchWeeks))
	seq := kpi.Sequence{Alpha: 0.05}
	for i, c := range watchWeeks {
		r, err := kpi.NewRate(c[0], c[1])
		if err != nil {
			return err
		}
		weeks[i] = r
		if err := seq.Add(r); err != nil {
			return err
		}
	}
	chart, err := kpi.LaneyChart(weeks)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "MQL→SQL by week, centre %.1f%%, Laney sigma_z %.2f\n", 100*chart.Center, chart.SigmaZ)
	run := kpi.Sequence{Alpha: 0.05}
	for i, pt := range chart.Points {
		if err := run.Add(pt.Rate); err != nil {
			return err
		}
		lo, hi, err := run.Interval()
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  week %2d  %-15v limits [%4.1f%%, %4.1f%%]  sequence so far [%4.1f%%, %4.1f%%]  %v\n",
			i+1, pt.Rate, 100*pt.Lower, 100*pt.Upper, 100*lo, 100*hi, pt.Signals)
	}
	below, err := seq.Excludes(0.5)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "the sequence excludes the 50%% SLA after 12 weeks: %v (valid however often it was read)\n", below)
	tr, err := kpi.TestTrend(weeks, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "trend over the 12 weeks: z = %+.2f, p = %.4f\n", tr.Z, tr.P)

	d := kpi.Design{Alpha: 0.05, Power: 0.8, Alternative: kpi.Less, Sizing: kpi.Exact}
	size, err := d.SizeOne(0.5, 0.42)
	if err != nil {
		return err
	}
	n, err := d.Periods(0.5, 0.42, 40)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "to catch a true 42%% against the 50%% SLA 80%% of the time: %d MQLs, %d weeks at 40 a week\n", size.A, n)
	return watchPages(w)
}

// pageWeeks are eight weeks of an A/B test of two landing pages: sign-ups
// of A's and of B's 2 000 visits a week.
var pageWeeks = [8][2]int64{
	{120, 160}, {118, 156}, {124, 170}, {114, 162},
	{121, 158}, {117, 163}, {119, 155}, {122, 161},
}

// watchPages reads the A/B test every week with the confidence sequence of
// the difference, and stops at the first week it excludes no difference.
func watchPages(w io.Writer) error {
	ab := kpi.DiffSequence{Alpha: 0.05}
	for i, c := range pageWeeks {
		a, err := kpi.NewRate(c[0], 2000)
		if err != nil {
			return err
		}
		b, err := kpi.NewRate(c[1], 2000)
		if err != nil {
			return err
		}
		if err := ab.Add(a, b); err != nil {
			return err
		}
		lo, hi, err := ab.Interval()
		if err != nil {
			return err
		}
		better, err := ab.Rejects(0, kpi.Greater)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  pages, week %d  A %v  B %v  B − A in [%+.2f, %+.2f] points\n", i+1, ab.A, ab.B, 100*lo, 100*hi)
		if better {
			fmt.Fprintf(w, "page B converts better: decided in week %d, valid though the test was read every week\n", i+1)
			return nil
		}
	}
	fmt.Fprintln(w, "no decision yet between the pages: keep the test running")
	return nil
}
