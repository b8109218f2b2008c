package funnel_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// mustNew builds a funnel with stages named s0, s1, … unless names are given
// through stages.
func mustNew(t testing.TB, stages ...funnel.Stage) *funnel.Funnel {
	t.Helper()
	f, err := funnel.New(stages...)
	require.NoError(t, err)
	return f
}

// counts builds a funnel with the given stage names and counts.
func counts(t testing.TB, names []string, cs ...int64) *funnel.Funnel {
	t.Helper()
	ss := make([]funnel.Stage, len(cs))
	for i, c := range cs {
		ss[i] = funnel.Stage{Name: names[i], Count: c}
	}
	return mustNew(t, ss...)
}

var (
	six   = []string{"Visit", "Lead", "MQL", "SQL", "Opportunity", "Won"}
	three = []string{"Lead", "MQL", "SQL"}
)

func TestNew(t *testing.T) {
	tests := []struct {
		name     string
		stages   []funnel.Stage
		overall  string // the overall rate's String
		lastStep string
	}{
		{"two stages", []funnel.Stage{{"Lead", 240}, {"MQL", 96}}, "96/240 (40.00%)", "Lead→MQL"},
		{"b2b month", []funnel.Stage{{"Visit", 12000}, {"Lead", 240}, {"MQL", 96}, {"SQL", 40}, {"Opportunity", 25}, {"Won", 6}},
			"6/12000 (0.05%)", "Opportunity→Won"},
		{"equal counts", []funnel.Stage{{"a", 5}, {"b", 5}, {"c", 5}}, "5/5 (100.00%)", "b→c"},
		{"all empty", []funnel.Stage{{"a", 0}, {"b", 0}}, "0/0 (undefined)", "a→b"},
		{"runs dry", []funnel.Stage{{"a", 10}, {"b", 0}, {"c", 0}}, "0/10 (0.00%)", "b→c"},
		{"unicode names", []funnel.Stage{{"リード", 10}, {"商談", 3}}, "3/10 (30.00%)", "リード→商談"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := funnel.New(tc.stages...)
			require.NoError(t, err)
			assert.Equal(t, tc.overall, f.Overall().String())
			steps := f.Steps()
			assert.Len(t, steps, len(tc.stages)-1)
			assert.Equal(t, tc.lastStep, steps[len(steps)-1].String())
		})
	}
}

func TestNewCopiesStages(t *testing.T) {
	in := []funnel.Stage{{"a", 10}, {"b", 5}}
	f := mustNew(t, in...)
	in[1].Count = 99
	s, _ := f.Stage("b")
	assert.Equal(t, int64(5), s.Count)
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name   string
		stages []funnel.Stage
		msg    string
	}{
		{"no stages", nil, "funnel.New: stages 0: a funnel needs at least two stages"},
		{"one stage", []funnel.Stage{{"Lead", 5}}, "funnel.New: stages 1: a funnel needs at least two stages"},
		{"empty name", []funnel.Stage{{"Lead", 5}, {"", 3}}, `funnel.New: stages[1] name "": empty stage name`},
		// A probe: stages "a\xff" and "a\xfe" made a funnel whose JSON,
		// U+FFFD for the bad bytes, its UnmarshalJSON refused as a name
		// used twice.
		{"name not UTF-8", []funnel.Stage{{"Lead", 5}, {"a\xff", 3}}, `funnel.New: stages[1] name "a\xff": not valid UTF-8`},
		{"repeated name", []funnel.Stage{{"Lead", 5}, {"MQL", 3}, {"Lead", 1}}, `funnel.New: stage name "Lead": used twice`},
		{"negative count", []funnel.Stage{{"Lead", -1}, {"MQL", -3}}, `funnel.New: stage "Lead" count -1: negative count`},
		{"later negative", []funnel.Stage{{"Lead", 5}, {"MQL", -3}}, `funnel.New: stage "MQL" count -3: negative count`},
		{"larger than the one before", []funnel.Stage{{"Lead", 240}, {"MQL", 96}, {"SQL", 120}},
			`funnel.New: stage "SQL" count 120: exceeds "MQL" count 96`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := funnel.New(tc.stages...)
			require.Error(t, err)
			assert.Nil(t, f)
			assert.EqualError(t, err, tc.msg)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			var ke *kpi.Error
			assert.True(t, errors.As(err, &ke))
		})
	}
}

func TestFunnel_Stages(t *testing.T) {
	tests := []struct {
		name string
		f    *funnel.Funnel
		want []funnel.Stage
	}{
		{"three", counts(t, three, 240, 96, 40), []funnel.Stage{{"Lead", 240}, {"MQL", 96}, {"SQL", 40}}},
		{"two empty", counts(t, three[:2], 0, 0), []funnel.Stage{{"Lead", 0}, {"MQL", 0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.f.Stages()
			assert.Equal(t, tc.want, got)
			got[0].Count = -7 // a copy: the funnel is unchanged
			assert.Equal(t, tc.want, tc.f.Stages())
		})
	}
}

func TestFunnel_Steps(t *testing.T) {
	// By hand: 240 → 96 → 40 keeps 96/240 then 40/96, loses 144 then 56,
	// and reaches 96/240 then 40/240 of the top.
	type step struct {
		from, to         string
		x, n, lost, cumX int64
	}
	tests := []struct {
		name string
		f    *funnel.Funnel
		want []step
	}{
		{"three", counts(t, three, 240, 96, 40), []step{{"Lead", "MQL", 96, 240, 144, 96}, {"MQL", "SQL", 40, 96, 56, 40}}},
		{"runs dry", counts(t, three, 10, 0, 0), []step{{"Lead", "MQL", 0, 10, 10, 0}, {"MQL", "SQL", 0, 0, 0, 0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			steps := tc.f.Steps()
			require.Len(t, steps, len(tc.want))
			top := tc.f.Stages()[0].Count
			for i, w := range tc.want {
				s := steps[i]
				assert.Equal(t, w.from, s.From)
				assert.Equal(t, w.to, s.To)
				assert.Equal(t, w.x, s.Rate.Successes())
				assert.Equal(t, w.n, s.Rate.Trials())
				assert.Equal(t, w.lost, s.DropOff.Successes())
				assert.Equal(t, w.n, s.DropOff.Trials())
				assert.Equal(t, w.cumX, s.Cumulative.Successes())
				assert.Equal(t, top, s.Cumulative.Trials())
			}
		})
	}
}

func TestFunnel_Stage(t *testing.T) {
	f := counts(t, six, 12000, 240, 96, 40, 25, 6)
	tests := []struct {
		name  string
		stage string
		count int64
		ok    bool
	}{
		{"first", "Visit", 12000, true},
		{"middle", "SQL", 40, true},
		{"last", "Won", 6, true},
		{"unknown", "Churned", 0, false},
		{"case matters", "sql", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := f.Stage(tc.stage)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.count, s.Count)
			if ok {
				assert.Equal(t, tc.stage, s.Name)
			}
		})
	}
}

func TestFunnel_Step(t *testing.T) {
	f := counts(t, six, 12000, 240, 96, 40, 25, 6)
	tests := []struct {
		name string
		to   string
		want string // the rate's String
		ok   bool
	}{
		{"second stage", "Lead", "240/12000 (2.00%)", true},
		{"middle", "SQL", "40/96 (41.67%)", true},
		{"last", "Won", "6/25 (24.00%)", true},
		{"first stage has no step", "Visit", "0/0 (undefined)", false},
		{"unknown", "Churned", "0/0 (undefined)", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := f.Step(tc.to)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, s.Rate.String())
			if ok {
				assert.Equal(t, tc.to, s.To)
			}
		})
	}
}

func TestFunnel_Overall(t *testing.T) {
	tests := []struct {
		name string
		f    *funnel.Funnel
		x, n int64
	}{
		{"b2b month", counts(t, six, 12000, 240, 96, 40, 25, 6), 6, 12000},
		{"empty top", counts(t, three, 0, 0, 0), 0, 0},
		{"zero Funnel", &funnel.Funnel{}, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.f.Overall()
			assert.Equal(t, tc.x, r.Successes())
			assert.Equal(t, tc.n, r.Trials())
		})
	}
}

func TestStep_String(t *testing.T) {
	tests := []struct {
		name string
		step funnel.Step
		want string
	}{
		{"ascii", funnel.Step{From: "MQL", To: "SQL"}, "MQL→SQL"},
		{"spaces", funnel.Step{From: "Sales accepted", To: "Closed won"}, "Sales accepted→Closed won"},
		{"zero", funnel.Step{}, "→"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.step.String())
		})
	}
}

// FuzzNew builds funnels from arbitrary names and counts: New must either
// fail with ErrInvalid or return a funnel whose steps and table are sound.
func FuzzNew(f *testing.F) {
	f.Add("Visit,Lead,MQL", int64(12000), int64(240), int64(96))
	f.Add("a,b,c", int64(0), int64(0), int64(0))
	f.Add("a,a,b", int64(3), int64(2), int64(1))
	f.Add("a,,b", int64(3), int64(2), int64(1))
	f.Add("a,b,c", int64(-1), int64(2), int64(1))
	f.Add("a,b,c", int64(5), int64(7), int64(1))
	f.Add("a,b", int64(1<<62), int64(1<<62), int64(0))
	f.Add("x", int64(9223372036854775807), int64(9223372036854775807), int64(9223372036854775807))
	f.Fuzz(func(t *testing.T, names string, c0, c1, c2 int64) {
		cs := []int64{c0, c1, c2}
		var stages []funnel.Stage
		for i, n := range strings.Split(names, ",") {
			if i >= len(cs) {
				break
			}
			stages = append(stages, funnel.Stage{Name: n, Count: cs[i]})
		}
		fn, err := funnel.New(stages...)
		if err != nil {
			if !errors.Is(err, kpi.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		for _, s := range fn.Steps() {
			if s.Rate.Successes() > s.Rate.Trials() || s.DropOff.Successes() < 0 {
				t.Fatalf("bad step %+v", s)
			}
		}
		if strings.Contains(fn.String(), "NaN") {
			t.Fatalf("NaN in table:\n%s", fn)
		}
	})
}
