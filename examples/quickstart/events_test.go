package main

import (
	"strings"
	"testing"
)

// TestEventsSection runs the event funnel section and checks the lines that
// carry its numbers. Counted by hand over i = 0, …, 999: MQLs are the 800
// contacts with i mod 5 ≠ 0; SQLs also have 3 | i: 334 multiples of 3 less
// 67 of 15 = 267; won deals also have 4 | i, so 12 | i: 84 less 17
// multiples of 60 = 67. The times to convert, and the won deals of the
// webinar's 400 leads, from R:
//
//	i <- 0:999; m <- i[i %% 5 != 0]; s <- m[m %% 3 == 0]; wn <- s[s %% 4 == 0]
//	quantile(m %% 7 + 1, c(.5, .9), type = 1); mean(m %% 7 + 1)    # 4 7, 4
//	quantile(s %% 11 + 2, c(.5, .9), type = 1); mean(s %% 11 + 2)  # 7 11, 7.011236
//	quantile(wn %% 13 + 10, c(.5, .9), type = 1); mean(wn %% 13 + 10) # 16 21, 16.23881
//	sum(wn %% 5 == 1 | wn %% 5 == 2)                               # 34
func TestEventsSection(t *testing.T) {
	var b strings.Builder
	if err := eventsSection(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, tc := range []struct{ name, want string }{
		{"leads", "Lead    1000\n"},
		{"won", "Won       67   25.09%"},
		{"mql time", "MQL     4    7   4.00   over 800 contacts"},
		{"sql time", "SQL     7   11   7.01   over 267 contacts"},
		{"won time", "Won    16   21  16.24   over 67 contacts"},
		{"webinar", "source webinar  400 leads, won 34/400 (8.50%)"},
		{"ads", "source ads      600 leads, won 33/600 (5.50%)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(out, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
	if n := strings.Count(out, "\n"); n > 25 {
		t.Errorf("section is %d lines long, want ≤ 25", n)
	}
}
