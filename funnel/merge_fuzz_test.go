package funnel_test

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// fuzzEvents decodes at most fuzzCounterEvents events from bytes as
// FuzzCounter does: three bytes an event, for its entity, its name and
// properties, and its second (0xff for the zero time).
func fuzzEvents(data []byte) []funnel.Event {
	names := []string{"A", "B", "C", "X", "D", ""}
	data = data[:min(len(data), 3*fuzzCounterEvents)]
	evs := make([]funnel.Event, 0, len(data)/3)
	for i := 0; i+2 < len(data); i += 3 {
		e := funnel.Event{Entity: fuzzEntities[data[i]%4], Name: names[int(data[i+1])%len(names)], Props: fuzzProps[data[i+1]%2]}
		if data[i+2] != 0xff {
			e.Time = t0.Add(time.Duration(data[i+2]) * time.Second)
		}
		evs = append(evs, e)
	}
	return evs
}

// fuzzDefinition is FuzzCounter's definition for a mode byte.
func fuzzDefinition(mode uint8) funnel.Definition {
	d := abc()
	d.Mode = funnel.Mode(mode & 0x1f)
	d.Counting = funnel.Counting(mode >> 5 & 1)
	if mode&0x40 != 0 {
		d.Hold = "deal"
		d.Exclusions = []funnel.Exclusion{{Match: funnel.Match{Event: "X"}, From: 0, To: 2}}
	}
	if mode&0x80 != 0 {
		d.Breakdown = []string{"deal"}
	}
	return d
}

// FuzzMerge splits fuzzed events at any point between two counters and
// merges them, and spreads them by entity over up to four partitions of
// Parallel: the merge must count what one counter of all the events
// counts, and leave the merged-from counter as it was (its result that of
// a counter of the same events, not merged), or the
// events must be refused with kpi.ErrInvalid.
func FuzzMerge(f *testing.F) {
	f.Add([]byte("\x00\x00\x00\x00\x01\x05\x01\x00\x02\x00\x02\x09\x01\x01\x03"), uint8(0), uint8(2), uint8(2))
	f.Add([]byte("\x00\x00\x00\x00\x01\x01\x00\x02\x02\x00\x00\x05\x00\x01\x06"), uint8(0x20), uint8(1), uint8(3))
	f.Add([]byte("\x00\x00\x00\x00\x03\x01\x00\x01\x02\x00\x02\x03\x03\x00\x00"), uint8(0xc3), uint8(3), uint8(4))
	f.Add([]byte("\x00\x00\xff\x01\x05\x01"), uint8(0), uint8(1), uint8(1))
	f.Add([]byte{}, uint8(0x1f), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, mode, split, parts uint8) {
		d := fuzzDefinition(mode)
		evs := fuzzEvents(data)
		whole, err := funnel.NewCounter(d)
		if err != nil {
			require.True(t, errors.Is(err, kpi.ErrInvalid), err)
			return
		}
		if err := whole.AddAll(slices.Values(evs)); err != nil {
			require.True(t, errors.Is(err, kpi.ErrInvalid), err)
			return
		}
		want := result(t, whole)
		k := int(split) % (len(evs) + 1)
		// b's twin takes the same events and no merge; reading b's Result
		// before the merge would count its entities, which then must not
		// have events in a.
		a, b, twin := must(funnel.NewCounter(d)), must(funnel.NewCounter(d)), must(funnel.NewCounter(d))
		require.NoError(t, a.AddAll(slices.Values(evs[:k])))
		require.NoError(t, b.AddAll(slices.Values(evs[k:])))
		require.NoError(t, twin.AddAll(slices.Values(evs[k:])))
		require.NoError(t, a.Merge(b))
		assert.Equal(t, want, result(t, a), "merge of a split at %d", k)
		assert.Equal(t, result(t, twin), result(t, b), "the merged-from counter")
		n := int(parts%4) + 1
		p, err := funnel.Parallel(d, n, func(part int, c *funnel.Counter) error {
			for _, e := range evs {
				if int(e.Entity[0])%n == part {
					if err := c.Add(e); err != nil {
						return err
					}
				}
			}
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, want, result(t, p), "Parallel over %d partitions", n)
	})
}

// FuzzCompareFunnels compares two three-stage funnels of any counts at any
// confidence level: Compare must return an error wrapping kpi.ErrInvalid,
// or one change per step whose rates are the funnels', whose adjusted
// p-values lie in [FisherP, 1] and whose family counts the tested steps.
func FuzzCompareFunnels(f *testing.F) {
	f.Add(int64(240), int64(96), int64(40), int64(100), int64(50), int64(20), 0.95)
	f.Add(int64(1<<40), int64(1<<39), int64(1<<38), int64(10), int64(5), int64(1), 0.95)
	f.Add(int64(1<<40+1), int64(1<<40), int64(3), int64(10), int64(5), int64(1), 0.95)
	f.Add(int64(0), int64(0), int64(0), int64(1), int64(1), int64(1), 0.999999)
	f.Add(int64(5), int64(0), int64(0), int64(5), int64(5), int64(5), 1e-300)
	f.Add(int64(5), int64(1), int64(0), int64(5), int64(5), int64(5), 1.0)
	f.Fuzz(func(t *testing.T, a0, a1, a2, b0, b1, b2 int64, conf float64) {
		mk := func(c0, c1, c2 int64) (*funnel.Funnel, error) {
			return funnel.New(funnel.Stage{Name: "Lead", Count: c0}, funnel.Stage{Name: "MQL", Count: c1}, funnel.Stage{Name: "SQL", Count: c2})
		}
		fa, errA := mk(a0, a1, a2)
		fb, errB := mk(b0, b1, b2)
		if errA != nil || errB != nil {
			require.True(t, errors.Is(errors.Join(errA, errB), kpi.ErrInvalid))
			return
		}
		changes, err := funnel.Compare(fa, fb, conf)
		if err != nil {
			require.True(t, errors.Is(err, kpi.ErrInvalid), err)
			return
		}
		require.Len(t, changes, 2)
		tested := 0
		for i, ch := range changes {
			sa, _ := fa.Step(ch.Step)
			sb, _ := fb.Step(ch.Step)
			require.Equal(t, []string{"MQL", "SQL"}[i], ch.Step)
			assert.Equal(t, sa.Rate, ch.A)
			assert.Equal(t, sb.Rate, ch.B)
			if !ch.Tested {
				assert.Equal(t, 1.0, ch.AdjustedP)
				assert.False(t, ch.Significant)
				continue
			}
			tested++
			if !(ch.FisherP >= 0 && ch.FisherP <= ch.AdjustedP+1e-15 && ch.AdjustedP <= 1) || math.IsNaN(ch.Diff) {
				t.Fatalf("step %s: Fisher p %v, adjusted %v, diff %v", ch.Step, ch.FisherP, ch.AdjustedP, ch.Diff)
			}
			assert.Equal(t, ch.AdjustedP < 1-conf, ch.Significant)
		}
		for _, ch := range changes {
			if ch.Tested {
				assert.Equal(t, tested, ch.Family)
			}
		}
	})
}
