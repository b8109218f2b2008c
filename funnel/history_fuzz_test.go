package funnel_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// fuzzHistoryEntries caps the entries FuzzHistory decodes, as
// fuzzCounterEvents caps FuzzCounter's, so that the minimiser stays
// quick: 48 entries over three entities and four stages reach every
// skip, move back, duplicate and out-of-order case.
const fuzzHistoryEntries = 48

// The entities and stage spellings FuzzHistory's entries take: the
// lifecycle's four stages, two of them spelt otherwise, one stage outside
// it and an empty entity and stage, which Add refuses.
var (
	historyEntities = []string{"a", "b", "c", ""}
	historyStages   = []string{"Lead", "MQL", "SQL", "Customer", "m.q.l", " CUSTOMER ", "Other", ""}
)

// The ends of the library's time range.
var (
	minTime = time.Date(kpi.MinYear, 1, 1, 0, 0, 0, 0, time.UTC)
	endTime = time.Date(kpi.MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
)

// historyTime decodes an entry's time byte: seconds after t0, or one of
// the ends of the time range (just inside and just outside), or the zero
// time.
func historyTime(b byte) time.Time {
	switch b {
	case 0xff:
		return time.Time{}
	case 0xfe:
		return minTime
	case 0xfd:
		return endTime.Add(-time.Nanosecond)
	case 0xfc:
		return endTime // outside
	case 0xfb:
		return minTime.Add(-time.Nanosecond) // outside
	case 0xfa:
		return minTime.Add(time.Second)
	}
	return t0.Add(time.Duration(b) * time.Second)
}

// fuzzEntries decodes at most fuzzHistoryEntries entries from bytes,
// three bytes an entry: its entity, its stage and its time.
func fuzzEntries(data []byte) []funnel.Entry {
	data = data[:min(len(data), 3*fuzzHistoryEntries)]
	es := make([]funnel.Entry, 0, len(data)/3)
	for i := 0; i+2 < len(data); i += 3 {
		es = append(es, funnel.Entry{
			Entity: historyEntities[data[i]%byte(len(historyEntities))],
			Stage:  historyStages[data[i+1]%byte(len(historyStages))],
			Time:   historyTime(data[i+2]),
		})
	}
	return es
}

func reachOf(t *testing.T, h *funnel.History) *funnel.Reach {
	t.Helper()
	r, err := h.Reach()
	require.NoError(t, err)
	return r
}

// withoutEntryCounts is a Reach without Duplicates and OutOfOrder, which
// History.Merge counts exactly only when each entity's entries are in one
// History.
func withoutEntryCounts(r *funnel.Reach) funnel.Reach {
	c := *r
	c.Duplicates, c.OutOfOrder = 0, 0
	return c
}

// FuzzHistory adds fuzzed entries to Histories over a four-stage
// lifecycle in every way the accumulator offers and checks that they
// agree:
//
//   - Add refuses a bad entry (empty entity, a stage outside the
//     lifecycle, the zero time, a time outside kpi.MinYear–kpi.MaxYear)
//     with kpi.ErrInvalid and leaves the History as it was; AddAll of the
//     good entries counts what Add of each counts, and AddAll of all of
//     them stops at the first bad one, named by its position, with the
//     ones before it added;
//   - Merge of a split at any point gives one History's stage funnel
//     (entities, reached, entered, skipped, backward, times), leaving the
//     merged-from History as it was; merged by entity, the duplicates and
//     out-of-order counts agree too, and in either order;
//   - the Reach is a funnel: reached falls from stage to stage, the first
//     stage's reached is the entities, entered + skipped = reached, each
//     stage's times count its reached, and Reach.Funnel has its counts;
//   - Events gives one event per stage reached, entity by entity from
//     stage 0 in time order, which a Counter over Lifecycle.Definition
//     with a window over the whole time range counts as Reach does;
//   - Merge refuses itself, nil and another lifecycle.
func FuzzHistory(f *testing.F) {
	f.Add([]byte("\x00\x00\x00\x00\x01\x05\x00\x02\x09\x01\x00\x01\x01\x03\x02"), uint8(2))
	f.Add([]byte("\x00\x03\x01\x00\x00\x05\x00\x01\x05\x00\x01\x05\x01\x02\x03\x01\x01\x02"), uint8(3))                         // skip, move back, duplicate, out of order
	f.Add([]byte("\x00\x00\xfe\x00\x03\xfd\x01\x05\xfe\x01\x04\xfd\x02\x00\xfa\x02\x02\xfe"), uint8(1))                         // the ends of the time range
	f.Add([]byte("\x00\x00\x01\x03\x00\x01\x00\x06\x01\x00\x07\x01\x01\x00\xff\x01\x00\xfc\x01\x00\xfb\x02\x00\x02"), uint8(0)) // every bad entry
	f.Add([]byte{}, uint8(0))
	f.Fuzz(historyBody)
}

var (
	historyLifecycle      = must(funnel.NewLifecycle("Lead", "MQL", "SQL", "Customer"))
	historyOtherLifecycle = must(funnel.NewLifecycle("Lead", "MQL", "SQL", "Won"))
)

func historyBody(t *testing.T, data []byte, split uint8) {
	l, other := historyLifecycle, historyOtherLifecycle
	newHistory := func(t *testing.T) *funnel.History {
		h, err := funnel.NewHistory(l)
		require.NoError(t, err)
		return h
	}
	entries := fuzzEntries(data)

	// Add, one by one: the good entries are kept.
	one := newHistory(t)
	var good []funnel.Entry
	firstBad := -1
	for i, e := range entries {
		if err := one.Add(e); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			require.Contains(t, err.Error(), "funnel.History.Add")
			if firstBad < 0 {
				firstBad = i
			}
			continue
		}
		good = append(good, e)
	}
	want := reachOf(t, one)

	all := newHistory(t) // and so a refused entry left the History as it was
	require.NoError(t, all.AddAll(slices.Values(good)))
	assert.Equal(t, want, reachOf(t, all), "AddAll of the good entries")

	if firstBad >= 0 {
		stop, prefix := newHistory(t), newHistory(t)
		err := stop.AddAll(slices.Values(entries))
		require.ErrorIs(t, err, kpi.ErrInvalid)
		assert.Contains(t, err.Error(), fmt.Sprintf("entries[%d]", firstBad))
		require.NoError(t, prefix.AddAll(slices.Values(entries[:firstBad])))
		assert.Equal(t, reachOf(t, prefix), reachOf(t, stop), "AddAll stopping at entries[%d]", firstBad)
	}

	checkReach(t, want, len(good))

	// Merge of a split at any point.
	k := int(split) % (len(good) + 1)
	a, b, twin := newHistory(t), newHistory(t), newHistory(t)
	require.NoError(t, a.AddAll(slices.Values(good[:k])))
	require.NoError(t, b.AddAll(slices.Values(good[k:])))
	require.NoError(t, twin.AddAll(slices.Values(good[k:])))
	require.NoError(t, a.Merge(b))
	assert.Equal(t, withoutEntryCounts(want), withoutEntryCounts(reachOf(t, a)), "merge of a split at %d", k)
	assert.Equal(t, reachOf(t, twin), reachOf(t, b), "the merged-from History")

	// Merge of a split by entity, both ways round.
	p, q, p2, q2 := newHistory(t), newHistory(t), newHistory(t), newHistory(t)
	for _, e := range good {
		if e.Entity == "a" || int(split)&1 == 1 && e.Entity == "b" {
			require.NoError(t, p.Add(e))
			require.NoError(t, p2.Add(e))
		} else {
			require.NoError(t, q.Add(e))
			require.NoError(t, q2.Add(e))
		}
	}
	require.NoError(t, p.Merge(q))
	require.NoError(t, q2.Merge(p2))
	assert.Equal(t, want, reachOf(t, p), "merge of a split by entity")
	assert.Equal(t, want, reachOf(t, q2), "merge of a split by entity, the other way round")

	// Reach.Funnel has the reach's counts.
	fn, err := want.Funnel()
	require.NoError(t, err)
	for i, s := range fn.Stages() {
		assert.Equal(t, want.Stages[i].Stage, s.Name)
		assert.Equal(t, want.Stages[i].Reached, s.Count)
	}

	checkEvents(t, one, want, l)

	for _, bad := range []*funnel.History{one, nil, {}, must(funnel.NewHistory(other))} {
		require.ErrorIs(t, one.Merge(bad), kpi.ErrInvalid)
	}
	assert.Equal(t, want, reachOf(t, one), "a refused merge changed the History")
}

// checkReach checks that r is a funnel of at most entries entities.
func checkReach(t *testing.T, r *funnel.Reach, entries int) {
	t.Helper()
	require.Len(t, r.Stages, 4)
	assert.LessOrEqual(t, r.Entities, int64(min(entries, 3)))
	assert.Equal(t, r.Entities, r.Stages[0].Reached)
	assert.LessOrEqual(t, r.Skipped, r.Entities)
	assert.LessOrEqual(t, r.Backward, r.Entities)
	assert.LessOrEqual(t, r.Duplicates+r.OutOfOrder, int64(entries))
	var skipped int64
	for k, s := range r.Stages {
		assert.GreaterOrEqual(t, s.Entered, int64(0))
		assert.Equal(t, s.Reached, s.Entered+s.Skipped, "stage %d", k)
		skipped += s.Skipped
		if k == 0 {
			assert.Zero(t, s.Time.N)
			continue
		}
		assert.LessOrEqual(t, s.Reached, r.Stages[k-1].Reached, "stage %d", k)
		assert.Equal(t, s.Reached, s.Time.N, "stage %d", k)
		if s.Time.N > 0 {
			assert.GreaterOrEqual(t, s.Time.Median, time.Duration(0), "stage %d", k)
			assert.LessOrEqual(t, s.Time.Median, s.Time.P90, "stage %d", k)
			assert.GreaterOrEqual(t, s.Time.Mean, time.Duration(0), "stage %d", k)
		}
		var binned int64
		for _, bin := range s.Time.Bins {
			binned += bin.Count
		}
		assert.Equal(t, s.Time.N, binned, "stage %d: the bins", k)
	}
	assert.Equal(t, r.Skipped > 0, skipped > 0)
	assert.LessOrEqual(t, skipped, 3*r.Skipped) // an entity skips at most three stages
}

// checkEvents checks History.Events against the reach want.
func checkEvents(t *testing.T, h *funnel.History, want *funnel.Reach, l *funnel.Lifecycle) {
	t.Helper()
	var total int64
	for _, s := range want.Stages {
		total += s.Reached
	}
	var evs []funnel.Event
	for e := range h.Events() {
		evs = append(evs, e)
	}
	require.Len(t, evs, int(total))
	names := l.Stages()
	for i, e := range evs {
		require.NoError(t, kpiTime(e.Time), "event %d", i)
		if i > 0 && evs[i-1].Entity == e.Entity {
			k := slices.Index(names, evs[i-1].Name)
			assert.Equal(t, names[k+1], e.Name, "event %d", i)
			assert.False(t, e.Time.Before(evs[i-1].Time), "event %d before the one before it", i)
		} else {
			assert.Equal(t, names[0], e.Name, "an entity's first event %d", i)
		}
	}
	for range h.Events() {
		break // stopping early is fine
	}
	c, err := funnel.NewCounter(l.Definition(math.MaxInt64))
	require.NoError(t, err)
	require.NoError(t, c.AddAll(slices.Values(evs)))
	r := result(t, c)
	for k, s := range r.Steps {
		assert.Equal(t, want.Stages[k].Reached, s.Reached, "the Counter of Events, stage %d", k)
	}
}

// kpiTime is nil for a time in the library's range.
func kpiTime(tm time.Time) error {
	if tm.Before(minTime) || !tm.Before(endTime) || tm.Location() != time.UTC {
		return errors.New("time " + tm.String() + " outside the range or not UTC")
	}
	return nil
}
