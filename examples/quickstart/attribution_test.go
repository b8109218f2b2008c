package main

import (
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
// deal and a return of 15000/15000 = 1.00.
func TestAttributionSection(t *testing.T) {
	var b strings.Builder
	if err := attributionSection(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, tc := range []struct{ name, want string }{
		{"totals", "8 deals worth 195000.00 over 6 channels, 132 journeys without a deal"},
		{"search row", "search       4.0  50.0%      2.0  25.0%      0.9  11.7%"},
		{"events value", "events         66000.00        22000.00        15000.00"},
		{"events ROI", "events   cost per deal  24375.00, return  1.00×, credit  7.7% vs spend 33.3%"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(out, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
	if n := strings.Count(out, "\n"); n > 25 {
		t.Errorf("%d lines, want at most 25", n)
	}
}
