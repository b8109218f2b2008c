package main

import (
	"strings"
	"testing"
)

// TestEvaluateSection checks the section's shape and a few of its
// numbers: 4000 leads make deciles of 400 whose conversions add up to the
// 955 opportunities (the last cumulative gain is 100 %), the tour stays
// within 20 lines, and two runs print the same (the data are generated
// with a fixed seed).
func TestEvaluateSection(t *testing.T) {
	var a, b strings.Builder
	if err := evaluateSection(&a); err != nil {
		t.Fatal(err)
	}
	if err := evaluateSection(&b); err != nil {
		t.Fatal(err)
	}
	out := a.String()
	if out != b.String() {
		t.Errorf("output differs between runs")
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) > 20 {
		t.Errorf("%d lines, want at most 20:\n%s", len(lines), out)
	}
	for _, want := range []string{
		"4000 leads, 955 became opportunities; AUC 0.749",
		"decile   top  bottom    won  rate  lift  cum. gain\n",
		"  100%\nMQL threshold by Youden's J: ",
		"sales can work 400: threshold 45 selects 407 (38 tied at it)\n",
		"learned points: title-vp 20→",
		"held-out AUC: current points ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
