package main

import (
	"strings"
	"testing"
)

// TestCLVSection runs the section and checks the numbers worked out by
// hand. acme ordered on 9 days, the last 262 days after the first, and is
// 266 days old at the split: x = 8, t_x = 37.43, T = 38 weeks, so
//
//	P(alive) = 1/(1 + 0.793/9.426 · (42.414/41.843)^8.243) = 0.914
//	spend    = 6.25·(15.44 + 8·100)/(6.25·8 + 3.74 − 1) = 96.63
//
// and dyna, with no repeat order, is alive for sure and spends the
// population's mean 6.25·15.44/2.74 = 35.22.
func TestCLVSection(t *testing.T) {
	var b strings.Builder
	if err := clvSection(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, tc := range []struct{ name, want string }{
		{"acme", "acme      8  37.4  38.0   0.91"},
		{"acme spend", "96.63"},
		{"dyna", "dyna      0   0.0  33.0   1.00"},
		{"dyna spend", "35.22"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(out, tc.want) {
				t.Errorf("missing %q in\n%s", tc.want, out)
			}
		})
	}
	if n := strings.Count(out, "\n"); n > 8 {
		t.Errorf("%d lines, want ≤ 8", n)
	}
}
