package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestAttributionSection runs the attribution section and checks the lines
// that carry its numbers, worked out by hand:
//
//	deals 3+1+2+1+1 = 8, value 72000+18000+66000+15000+24000 = 195000.00,
//	  journeys without a deal 17+52+9+40+14 = 132
//	first touch search 3+1 = 4 (50 %); linear search 3·1/3 + 1 = 2 (25 %)
//	linear events 2/3, value 66000/3 = 22000
//
// and the Markov figures from an order-1 chain solved by Gaussian
// elimination in Python (removal effects normalised to the 8 deals):
// events 0.615385 deals worth 15000.00, so 15000/0.615385 = 24375.00 a
// deal and a return of 15000/15000 = 1.00. The Markov column carries 95 %
// bootstrap intervals, whose ends come from resampling and have no
// independent value to match: the test checks that each holds the point
// estimate, and that P(webinar > email) is a probability.
func TestAttributionSection(t *testing.T) {
	var b strings.Builder
	if err := attributionSection(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, tc := range []struct{ name, want string }{
		{"totals", "8 deals worth 195000.00 over 6 channels, 132 journeys without a deal"},
		{"search row", "search       4.0  50.0%      2.0  25.0%           0.9 ["},
		{"events value", "events         66000.00        22000.00    15000.00 ["},
		{"interval legend", "[lo, hi]: 95% bootstrap-percentile intervals"},
		{"events ROI", "events   cost per deal  24375.00, return  1.00×, credit  7.7% vs spend 33.3%"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(out, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
	intervals := regexp.MustCompile(`(\d+\.\d+) \[(\d+\.\d+), (\d+\.\d+)\]`).FindAllStringSubmatch(out, -1)
	if len(intervals) != 12 {
		t.Errorf("%d intervals, want 12 (6 channels, conversions and value):\n%s", len(intervals), out)
	}
	for _, m := range intervals {
		x, _ := strconv.ParseFloat(m[1], 64)
		lo, _ := strconv.ParseFloat(m[2], 64)
		hi, _ := strconv.ParseFloat(m[3], 64)
		if !(lo <= x+0.05 && x-0.05 <= hi) {
			t.Errorf("interval %s does not hold its estimate", m[0])
		}
	}
	p := regexp.MustCompile(`P\(webinar earns more deals than email\) = (\d\.\d\d) over 200 replicates`).FindStringSubmatch(out)
	if p == nil {
		t.Errorf("no P(webinar > email) line:\n%s", out)
	} else if v, _ := strconv.ParseFloat(p[1], 64); v < 0 || v > 1 {
		t.Errorf("P(webinar > email) = %v", v)
	}
	if n := strings.Count(out, "\n"); n > 25 {
		t.Errorf("%d lines, want at most 25", n)
	}
}
