package main

import (
	"strings"
	"testing"
)

// TestRun runs the whole tour and checks that every section ran, in rank
// order, and the figures of the rates section: 40/96 with its Wilson
// interval, the comparison with 52/110 and the three-way split (R 4.2.2:
// prop.test(40, 96, correct = FALSE)$conf.int = [0.3231, 0.5166];
// fisher.test(matrix(c(52, 58, 40, 56), 2, byrow = TRUE))$p.value = 0.483;
// binom.test(40, 96, 0.5, alternative = "less")$p.value = 0.0627).
func TestRun(t *testing.T) {
	var b strings.Builder
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	cases := []struct{ name, want string }{
		{"interval", "MQL→SQL this month: 40/96 (41.67%), 95% Wilson interval [32.3%, 51.7%]"},
		{"comparison", "Fisher p = 0.483"},
		{"verdict", "verdict: noise: not significant at 5%"},
		{"binomial", "exact binomial p = 0.063"},
		{"allocation", "3333.34 + 3333.33 + 3333.33 = 10000.00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(out, c.want) {
				t.Errorf("output lacks %q", c.want)
			}
		})
	}
	last := -1
	for _, s := range sections {
		i := strings.Index(out, "== "+s.title+" ==")
		if i < 0 {
			t.Errorf("section %q did not print", s.title)
		}
		if i < last {
			t.Errorf("section %q out of order", s.title)
		}
		last = i
	}
}
