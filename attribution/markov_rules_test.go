package attribution_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

// caRow is one journey of generated data for the ChannelAttribution check.
type caRow struct {
	path        []string
	conv, nulls int64
	value       decimal.Decimal
}

// caRows generates n journeys over four channels with many repeats in a
// row, so that kept and merged repeats give different chains.
func caRows(seed uint64, n int, nulls bool) []caRow {
	rng := rand.New(rand.NewPCG(seed, 7))
	names := []string{"ads", "blog", "call", "demo"}
	rows := make([]caRow, n)
	for i := range rows {
		p := make([]string, 1+rng.IntN(6))
		for k := range p {
			if k > 0 && rng.IntN(3) == 0 {
				p[k] = p[k-1]
			} else {
				p[k] = names[rng.IntN(len(names))]
			}
		}
		r := caRow{path: p}
		if rng.IntN(3) > 0 {
			r.conv = 1 + rng.Int64N(3)
			r.value = decimal.New(r.conv*(1000+rng.Int64N(90000)), -2)
		}
		if nulls {
			r.nulls = rng.Int64N(6)
		}
		if r.conv+r.nulls == 0 {
			r.conv = 1
			r.value = decimal.New(2500, -2)
		}
		rows[i] = r
	}
	return rows
}

func caJourneys(t testing.TB, rows []caRow) *attribution.Journeys {
	var js attribution.Journeys
	for _, r := range rows {
		require.NoError(t, js.Add(journeyOf(r)))
	}
	return &js
}

func journeyOf(r caRow) attribution.Journey {
	j := attribution.Journey{Conversions: r.conv, Nulls: r.nulls, Value: r.value}
	for _, c := range r.path {
		j.Touches = append(j.Touches, attribution.Touch{Channel: c})
	}
	return j
}

// caExact is an exact solver of ChannelAttribution's markov_model, written
// from its description and its C++ source (markov_model_cpp,
// ChannelAttribution 2.x, read for its rules, not its code) independently
// of the package: the states of order k are the windows of k consecutive
// channels of a path (the whole path when it is shorter), repeats kept,
// with a window equal to the one before it dropped; the chain is solved as
// an absorbing chain by LU (gonum mat) rather than simulated. It returns
// the conversion and value credits and removal effects per channel.
type caCredit struct{ conv, value, re, vre float64 }

func caExact(rows []caRow, k int) map[string]caCredit {
	const start, conv, null = "(start)", "(conversion)", "(null)"
	trans := map[string]map[string]float64{}
	add := func(a, b string, w float64) {
		if w == 0 {
			return
		}
		if trans[a] == nil {
			trans[a] = map[string]float64{}
		}
		trans[a][b] += w
	}
	valueAt := map[string]float64{}
	convAt := map[string]float64{}
	channels := map[string]bool{}
	totalConv, totalValue := 0.0, 0.0
	for _, r := range rows {
		var states []string
		n := len(r.path)
		for i := 0; i == 0 || i+k <= n; i++ {
			w := strings.Join(r.path[i:min(n, i+k)], " > ")
			if len(states) == 0 || states[len(states)-1] != w {
				states = append(states, w)
			}
		}
		for _, c := range r.path {
			channels[c] = true
		}
		w := float64(r.conv + r.nulls)
		prev := start
		for _, s := range states {
			add(prev, s, w)
			prev = s
		}
		add(prev, conv, float64(r.conv))
		add(prev, null, float64(r.nulls))
		v := r.value.InexactFloat64()
		valueAt[prev] += v
		convAt[prev] += float64(r.conv)
		totalConv += float64(r.conv)
		totalValue += v
	}
	var states []string
	for s := range trans {
		states = append(states, s)
	}
	slices.Sort(states)
	idx := map[string]int{}
	for i, s := range states {
		idx[s] = i
	}
	// solve returns the expected reward from start, with the states
	// holding channel removed made dead ends.
	solve := func(removed string, value bool) float64 {
		n := len(states)
		a := mat.NewDense(n, n, nil)
		b := mat.NewVecDense(n, nil)
		for i, s := range states {
			a.Set(i, i, 1)
			if removed != "" && s != start && slices.Contains(strings.Split(s, " > "), removed) {
				continue
			}
			out := 0.0
			for _, w := range trans[s] {
				out += w
			}
			for to, w := range trans[s] {
				switch to {
				case conv:
					reward := w / out
					if value {
						reward *= valueAt[s] / convAt[s]
					}
					b.SetVec(i, reward)
				case null:
				default:
					a.Set(i, idx[to], a.At(i, idx[to])-w/out)
				}
			}
		}
		var x mat.VecDense
		if err := x.SolveVec(a, b); err != nil {
			panic(err)
		}
		return x.AtVec(idx[start])
	}
	p, v := solve("", false), solve("", true)
	out := map[string]caCredit{}
	sumRE, sumVRE := 0.0, 0.0
	for c := range channels {
		cr := caCredit{re: 1 - solve(c, false)/p, vre: 1 - solve(c, true)/v}
		out[c] = cr
		sumRE += cr.re
		sumVRE += cr.vre
	}
	for c, cr := range out {
		cr.conv = totalConv * cr.re / sumRE
		cr.value = totalValue * cr.vre / sumVRE
		out[c] = cr
	}
	return out
}

// TestMarkovChannelAttribution checks Rules ChannelAttribution against the
// independent exact solver caExact at orders 1 to 3, with and without
// nulls, and that the zero Rules differ from it where they should.
func TestMarkovChannelAttribution(t *testing.T) {
	tests := []struct {
		name  string
		order int
		nulls bool
		seed  uint64
	}{
		{"order 1 with nulls", 1, true, 1},
		{"order 2 with nulls", 2, true, 2},
		{"order 3 with nulls", 3, true, 3},
		{"order 1 without nulls", 1, false, 4},
		{"order 2 without nulls", 2, false, 5},
		{"order 3 without nulls", 3, false, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows := caRows(tc.seed, 300, tc.nulls)
			js := caJourneys(t, rows)
			want := caExact(rows, tc.order)
			r, err := attribution.Markov{Order: tc.order, Rules: attribution.ChannelAttribution}.Attribute(js)
			require.NoError(t, err)
			checkInvariants(t, js, r)
			require.Len(t, r.Credits, len(want))
			for _, c := range r.Credits {
				w := want[c.Channel]
				assert.InDelta(t, w.re, c.Removal, 1e-10, "%s removal", c.Channel)
				assert.InDelta(t, w.vre, c.ValueRemoval, 1e-10, "%s value removal", c.Channel)
				assert.InDelta(t, w.conv, c.Conversions, 1e-9*float64(js.Conversions()), "%s conversions", c.Channel)
				assert.InDelta(t, w.value, c.Value.InexactFloat64(), 0.011, "%s value", c.Channel)
			}
			// The library's own rules: merged repeats differ from order 2 up,
			// and the value split by conversion removal effects differs always.
			m, err := attribution.Markov{Order: tc.order}.Attribute(js)
			require.NoError(t, err)
			diffConv, diffValue := 0.0, 0.0
			for k, c := range m.Credits {
				diffConv = max(diffConv, abs(c.Conversions-r.Credits[k].Conversions))
				diffValue = max(diffValue, abs(c.Value.InexactFloat64()-r.Credits[k].Value.InexactFloat64()))
			}
			if tc.order == 1 {
				assert.InDelta(t, 0, diffConv, 1e-9)
			} else {
				assert.Greater(t, diffConv, 1e-3)
			}
			assert.Greater(t, diffValue, 1.0)
		})
	}
}

func abs(x float64) float64 { return max(x, -x) }

// TestMarkovKeepRepeats checks the states of KeepRepeats on a path worked
// out by hand: at order 2, a > a > a > b passes through (a), (a a) — the
// third a would lead from (a a) to itself and is dropped — and (a b).
func TestMarkovKeepRepeats(t *testing.T) {
	tests := []struct {
		name  string
		rules attribution.Rules
		want  []string
	}{
		{"kept", attribution.KeepRepeats, []string{"(start) → a", "a → a > a", "a > a → a > b", "a > b → (conversion)"}},
		{"merged", 0, []string{"(start) → a", "a → a > b", "a > b → (conversion)"}},
		{"ChannelAttribution", attribution.ChannelAttribution, []string{"(start) → a", "a → a > a", "a > a → a > b", "a > b → (conversion)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := attribution.Markov{Order: 2, Rules: tc.rules}.Chain(read(t, "path;total_conversions;total_conversion_value;total_null\na > a > a > b;1;5;0\n"))
			require.NoError(t, err)
			var got []string
			for _, tr := range c.Transitions() {
				got = append(got, tr.From+" → "+tr.To)
			}
			slices.Sort(got)
			slices.Sort(tc.want)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestRulesString(t *testing.T) {
	tests := []struct {
		name  string
		rules attribution.Rules
		want  string
	}{
		{"zero", 0, "merged"},
		{"kept", attribution.KeepRepeats, "repeats kept"},
		{"value", attribution.ValueRemoval, "value removal"},
		{"both", attribution.ChannelAttribution, "ChannelAttribution"},
		{"unknown", 8, "Rules(8)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.rules.String())
		})
	}
}

func TestMarkovRulesErrors(t *testing.T) {
	js := read(t, chainData)
	kept, err := attribution.Markov{Rules: attribution.KeepRepeats}.Chain(js)
	require.NoError(t, err)
	merged, err := attribution.Markov{}.Chain(js)
	require.NoError(t, err)
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"unknown rules", func() error { _, err := attribution.Markov{Rules: 12}.Attribute(js); return err }, "attribution.Markov.Attribute: Rules 12: unknown rules"},
		{"merge rules", func() error { return kept.Merge(merged) }, "attribution.Chain.Merge: o rules merged: differ from repeats kept"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// TestMarkovChannels checks the bound on channels: MaxChannels channels
// are solved, one more is an error naming the bound.
func TestMarkovChannels(t *testing.T) {
	tests := []struct {
		name     string
		channels int
		err      string
	}{
		{"at the bound", attribution.MaxChannels, ""},
		{"above it", attribution.MaxChannels + 1, fmt.Sprintf("attribution.Markov.Attribute: channels %d: more than %d (MaxChannels)", attribution.MaxChannels+1, attribution.MaxChannels)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var js attribution.Journeys
			for i := range tc.channels {
				j := journey(fmt.Sprintf("c%04d", i), fmt.Sprintf("c%04d", (i+1)%tc.channels))
				j.Nulls = int64(i % 3)
				require.NoError(t, js.Add(j))
			}
			r, err := attribution.Markov{}.Attribute(&js)
			if tc.err != "" {
				require.ErrorIs(t, err, kpi.ErrInvalid)
				assert.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			checkInvariants(t, &js, r)
		})
	}
}
