package scoring_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kpiflow/kpi/scoring"
)

// The benchmarks of this file run a builder at two sizes, n and 10n, to
// show that its cost is linear in the input (issue 13). cpu-ns/op is the
// processor time, steadier than the wall time on a shared machine.

// BenchmarkLearnSize fits 20 rules over 10⁴ and 10⁵ leads, and 200 rules
// over 10⁴ leads (the duplicate-rule check was rules × fired entries).
func BenchmarkLearnSize(b *testing.B) {
	for _, sz := range []struct{ rules, leads int }{{20, 10_000}, {20, 100_000}, {200, 10_000}} {
		b.Run(fmt.Sprintf("rules=%d/leads=%d", sz.rules, sz.leads), func(b *testing.B) {
			s, leads := learnSizeData(b, sz.rules, sz.leads)
			b.ReportAllocs()
			start := processorTime()
			for b.Loop() {
				if _, err := scoring.Learn(s, leads, 1e-3); err != nil {
					b.Fatal(err)
				}
			}
			reportProcessor(b, start)
		})
	}
}

// learnSizeData is a scorer of rules flag rules and a stream of n leads with
// random flags and outcomes.
func learnSizeData(b *testing.B, rules, n int) (*scoring.Scorer, func(func(scoring.Outcome) bool)) {
	names := make([]string, rules)
	var rs []scoring.Rule
	for j := range names {
		names[j] = "r" + strconv.Itoa(j)
		rs = append(rs, scoring.Rule{ID: names[j], Points: 1, When: &scoring.Condition{Attr: names[j], Op: scoring.Eq, Value: true}})
	}
	s, err := scoring.Compile(scoring.Model{Version: scoring.Version, Groups: []scoring.Group{{Name: "g", Rules: rs}}})
	if err != nil {
		b.Fatal(err)
	}
	return s, func(yield func(scoring.Outcome) bool) {
		rng := rand.New(rand.NewPCG(3, 5))
		attrs := make(map[string]any, rules)
		o := scoring.Outcome{Lead: scoring.Lead{Attrs: attrs}, At: benchAt}
		for range n {
			for _, name := range names {
				attrs[name] = rng.Float64() < 0.3
			}
			o.Converted = rng.Float64() < 0.2
			if !yield(o) {
				return
			}
		}
	}
}

// BenchmarkModelJSONSize decodes a model of 200 and 2 000 rules, and one of
// 20 rules nested 999 and 9 990 nots deep (20 × 9 990 took 4.2 s and 620 MB
// before the decoder kept its path as steps).
func BenchmarkModelJSONSize(b *testing.B) {
	for _, sz := range []struct{ rules, depth int }{{200, 1}, {2000, 1}, {20, 999}, {20, 9990}} {
		data := modelJSON(sz.rules, sz.depth)
		b.Run(fmt.Sprintf("rules=%d/depth=%d", sz.rules, sz.depth), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			start := processorTime()
			for b.Loop() {
				var m scoring.Model
				if err := json.Unmarshal(data, &m); err != nil {
					b.Fatal(err)
				}
			}
			reportProcessor(b, start)
		})
	}
}

// modelJSON writes a model of rules rules, each a leaf inside depth − 1 nots.
func modelJSON(rules, depth int) []byte {
	var sb strings.Builder
	sb.WriteString(`{"version":1,"groups":[{"name":"g","rules":[`)
	for j := range rules {
		if j > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":"r%d","points":1,"when":`, j)
		sb.WriteString(strings.Repeat(`{"not":`, depth-1))
		fmt.Fprintf(&sb, `{"attr":"a%d","op":"exists"}`, j)
		sb.WriteString(strings.Repeat(`}`, depth-1))
		sb.WriteByte('}')
	}
	sb.WriteString(`]}]}`)
	return []byte(sb.String())
}

// reportProcessor reports the processor time per operation since start.
func reportProcessor(b *testing.B, start time.Duration) {
	if used := processorTime() - start; used > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
