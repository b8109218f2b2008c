package kpibeam_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/attribution"
	"github.com/kpiflow/kpi/funnel"
)

func init() {
	register.Function2x0(genEvents)
	register.Function2x0(genTenantEvents)
	register.Emitter1[funnel.Event]()
	register.Emitter2[string, funnel.Event]()
}

// TestMain runs the pipelines on the in-process Prism runner.
func TestMain(m *testing.M) { ptest.Main(m) }

// The generated data: shards of entities, ten events each on average,
// over the five steps of genDef and a page view, with a channel.
const (
	shards    = 64
	perEntity = 10
)

// size is the number of events of the tests: 200 000 by default, or
// KPIBEAM_EVENTS (such as 1000000 for the million).
func size(t testing.TB) int {
	if v := os.Getenv("KPIBEAM_EVENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < shards*perEntity {
			t.Fatalf("KPIBEAM_EVENTS=%q: want a number ≥ %d", v, shards*perEntity)
		}
		return n
	}
	return 200_000
}

var (
	genBase  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	genNames = []string{"visit", "lead", "mql", "sql", "won", "page_view"}
	channels = []string{"ads", "seo", "email", "events"}
	genDef   = funnel.Definition{
		Steps:     []funnel.Match{{Event: "visit"}, {Event: "lead"}, {Event: "mql"}, {Event: "sql"}, {Event: "won"}},
		Window:    30 * 24 * time.Hour,
		Breakdown: []string{"channel"},
	}
)

// shard describes one shard of generated events: its number and how many
// entities it holds.
type shard struct {
	ID, Entities int
}

// shardList splits n events into the shards' descriptions.
func shardList(n int) []shard {
	per := n / perEntity / shards
	out := make([]shard, shards)
	for i := range out {
		out[i] = shard{ID: i, Entities: per}
	}
	return out
}

// shardEvents calls emit with the events of shard sh, in an order that
// mixes the entities; the same shard always gives the same events.
func shardEvents(sh shard, emit func(funnel.Event)) {
	rng := rand.New(rand.NewPCG(uint64(sh.ID), 99))
	var evs []funnel.Event
	for e := range sh.Entities {
		id := fmt.Sprintf("c-%d-%d", sh.ID, e)
		ch := channels[rng.IntN(len(channels))]
		off := time.Duration(0)
		step := 0
		for range perEntity {
			off += time.Duration(rng.IntN(3*24*3600)) * time.Second
			name := 5
			if rng.IntN(3) > 0 {
				if step < 5 && rng.IntN(2) == 0 {
					step++
				}
				name = max(step-1, 0)
			}
			evs = append(evs, funnel.Event{Entity: id, Name: genNames[name], Time: genBase.Add(off), Props: map[string]string{"channel": ch}})
		}
	}
	rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
	for _, e := range evs {
		emit(e)
	}
}

func genEvents(sh shard, emit func(funnel.Event)) { shardEvents(sh, emit) }

// genTenantEvents keys shard sh's events by tenant: shard i belongs to
// tenant i mod 3, and every entity name repeats in each tenant.
func genTenantEvents(sh shard, emit func(string, funnel.Event)) {
	tenant := fmt.Sprintf("tenant-%d", sh.ID%3)
	local := shard{ID: sh.ID / 3, Entities: sh.Entities}
	shardEvents(local, func(e funnel.Event) { emit(tenant, e) })
}

func init() {
	register.Function2x0(genJourneys)
	register.Function2x0(genTenantJourneys)
	register.Emitter1[attribution.Journey]()
	register.Emitter2[string, attribution.Journey]()
}

// shardJourneys calls emit with the journeys of shard sh: one to five
// touches of five channels, with times, some conversions with values in
// cents, some without.
func shardJourneys(sh shard, emit func(attribution.Journey)) {
	rng := rand.New(rand.NewPCG(uint64(sh.ID), 7))
	names := []string{"search", "email", "social", "direct", "webinar"}
	for range sh.Entities {
		touches := make([]attribution.Touch, 1+rng.IntN(5))
		at := genBase
		for k := range touches {
			at = at.Add(time.Duration(rng.IntN(7*24*3600)) * time.Second)
			touches[k] = attribution.Touch{Channel: names[rng.IntN(len(names))], Time: at}
		}
		j := attribution.Journey{Touches: touches, Nulls: rng.Int64N(3)}
		if rng.IntN(3) == 0 {
			j.Conversions = 1
			j.Value = decimal.New(rng.Int64N(1_000_000), -2)
		}
		emit(j)
	}
}

func genJourneys(sh shard, emit func(attribution.Journey)) { shardJourneys(sh, emit) }

func genTenantJourneys(sh shard, emit func(string, attribution.Journey)) {
	tenant := fmt.Sprintf("tenant-%d", sh.ID%3)
	shardJourneys(shard{ID: sh.ID / 3, Entities: sh.Entities}, func(j attribution.Journey) { emit(tenant, j) })
}
