package main

import (
	"strings"
	"testing"
)

// TestScoringSection checks the section's output. By hand, at 2026-06-01:
// ana has fit 20 + 15 = 35 (A) and engagement 10·(1 − 0.5·30/30) = 5 for
// the form plus 3·(2^(−14/14) + 2^0) = 4.5 for pricing, 9.5 (2): 44.5 ≥ 40
// in cell A2, an MQL. bob: −15 for free mail, C3. cy: 20 for the title
// (employees is a string, so the size rule misses) and 30 for the demo:
// 50, B1, not an MQL cell.
func TestScoringSection(t *testing.T) {
	var b strings.Builder
	if err := scoringSection(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ana   44.50  A2  → MQL, hand to sales\n",
		"bob  -15.00  C3\n",
		"cy    50.00  B1\n",
		"  +4.5 pricing: 2 events, raw 6 (events #1 #2)\n",
		`  rule size: "employees" is a string, want a number`,
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}
