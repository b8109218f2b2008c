package kpibeam

import (
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/kpiflow/kpi/funnel"
)

func init() {
	register.Function1x2(entityKey)
	register.Function2x2(tenantEntityKey)
	register.Function2x3(entityBatch)
	register.Iter1[funnel.Event]()
	register.Combiner3[*funnel.Counter, batch, *funnel.Result](&counterFn{})
}

// Funnel counts the event funnel d over events, a PCollection of
// funnel.Event, and returns a PCollection holding one *funnel.Result:
// the result of a funnel.Counter given every event, breakdowns and times
// to convert included.
//
// Each entity's events are grouped by a GroupByKey on the entity, then
// added to per-bundle Counters; the Counters, encoded, are merged by a
// combine. The result equals the in-memory Counter's on the same events,
// however the runner splits them.
//
// Errors: those of funnel.NewCounter for d, at construction, before any
// data are read. An event the Counter rejects (no entity, a zero time)
// fails the pipeline with the Counter's error.
func Funnel(s beam.Scope, d funnel.Definition, events beam.PCollection) (beam.PCollection, error) {
	s = s.Scope("kpibeam.Funnel")
	fn, err := newCounterFn(d)
	if err != nil {
		return beam.PCollection{}, err
	}
	keyed := beam.ParDo(s, entityKey, events)
	return beam.DropKey(s, count(s, fn, keyed)), nil
}

// FunnelPerKey is Funnel for each key: events is a PCollection of
// KV<string, funnel.Event> (the key is a tenant, a product line) and the
// result a PCollection of KV<string, *funnel.Result>, one per key. The
// same entity under two keys is two entities.
func FunnelPerKey(s beam.Scope, d funnel.Definition, events beam.PCollection) (beam.PCollection, error) {
	s = s.Scope("kpibeam.FunnelPerKey")
	fn, err := newCounterFn(d)
	if err != nil {
		return beam.PCollection{}, err
	}
	return count(s, fn, beam.ParDo(s, tenantEntityKey, events)), nil
}

// count groups KV<tenant and entity, event> by entity and combines the
// groups per tenant.
func count(s beam.Scope, fn *counterFn, keyed beam.PCollection) beam.PCollection {
	grouped := beam.GroupByKey(s, keyed)
	batches := beam.ParDo(s, entityBatch, grouped)
	return beam.CombinePerKey(s, fn, batches)
}

// entityKey keys an event by its entity, under the empty tenant.
func entityKey(e funnel.Event) (string, funnel.Event) { return joinKey("", e.Entity), e }

// tenantEntityKey keys an event by its tenant and entity.
func tenantEntityKey(tenant string, e funnel.Event) (string, funnel.Event) {
	return joinKey(tenant, e.Entity), e
}

// joinKey writes a tenant and an entity as one key that splitKey undoes.
func joinKey(tenant, entity string) string {
	return strconv.Itoa(len(tenant)) + ":" + tenant + entity
}

func splitKey(key string) (string, error) {
	n, rest, ok := strings.Cut(key, ":")
	size, err := strconv.Atoi(n)
	if !ok || err != nil || size < 0 || size > len(rest) {
		return "", fmt.Errorf("kpibeam: malformed key %q", key)
	}
	return rest[:size], nil
}

// entityBatch turns an entity's grouped events into a batch keyed by its
// tenant.
func entityBatch(key string, events func(*funnel.Event) bool) (string, batch, error) {
	tenant, err := splitKey(key)
	var b batch
	var e funnel.Event
	for events(&e) {
		b = append(b, e)
	}
	return tenant, b, err
}

// counterFn is the CombineFn of Funnel: the accumulator is a Counter,
// the input one entity's events, the output the Result.
type counterFn struct {
	// Empty is the encoding of an empty Counter: its definition.
	Empty []byte
}

func newCounterFn(d funnel.Definition) (*counterFn, error) {
	c, err := funnel.NewCounter(d)
	if err != nil {
		return nil, err
	}
	b, err := c.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return &counterFn{Empty: b}, nil
}

func (f *counterFn) CreateAccumulator() (*funnel.Counter, error) {
	return decodeCounter(f.Empty)
}

func (f *counterFn) AddInput(c *funnel.Counter, b batch) (*funnel.Counter, error) {
	return c, c.AddSorted(values(b))
}

func (f *counterFn) MergeAccumulators(a, b *funnel.Counter) (*funnel.Counter, error) {
	return a, a.Merge(b)
}

func (f *counterFn) ExtractOutput(c *funnel.Counter) (*funnel.Result, error) {
	return c.Result()
}

// values yields b's events; one entity's events are sorted by entity.
func values(b batch) iter.Seq[funnel.Event] {
	return func(yield func(funnel.Event) bool) {
		for _, e := range b {
			if !yield(e) {
				return
			}
		}
	}
}
