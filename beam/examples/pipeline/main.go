// Command pipeline is an Apache Beam pipeline over a CSV of marketing
// events: it counts the funnel visit → lead → opportunity → won, credits
// the channels with the Markov model of each contact's journey, and
// writes both results as JSON. Rows that cannot be read go to a
// dead-letter file with the reason, instead of failing the job.
//
// The input has a header and the columns
//
//	entity,event,time,channel,value
//
// where time is RFC 3339 and value, on "won" rows, is the deal's amount.
// Run it locally, on the in-process Prism runner, from beam/:
//
//	go run ./examples/pipeline --input events.csv --output out
//
// which writes out.funnel.json, out.attribution.json and
// out.deadletter.txt. The same binary runs on Dataflow (the input and
// output on Cloud Storage):
//
//	go run ./examples/pipeline --runner dataflow --project my-project \
//	  --region europe-west1 --staging_location gs://my-bucket/staging \
//	  --input gs://my-bucket/events-*.csv --output gs://my-bucket/kpi/out
//
// and on Flink through Beam's portable runner, with a Flink job server
// listening on localhost:8099:
//
//	go run ./examples/pipeline --runner universal --endpoint localhost:8099 \
//	  --environment_type LOOPBACK --input /data/events.csv --output /data/out
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"slices"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/attribution"
	kpibeam "github.com/kpiflow/kpi/beam"
	"github.com/kpiflow/kpi/funnel"
)

var (
	input  = flag.String("input", "events.csv", "the CSV of events (a file or a glob)")
	output = flag.String("output", "out", "the prefix of the output files")
)

func init() {
	register.Function3x0(parse)
	register.Emitter1[funnel.Event]()
	register.Emitter1[string]()
	register.Function1x2(byEntity)
	register.Function2x1(journey)
	register.Iter1[funnel.Event]()
	register.Function1x2(funnelJSON)
	register.Function1x2(attributionJSON)
}

// definition is the funnel the pipeline counts.
var definition = funnel.Definition{
	Steps:  []funnel.Match{{Event: "visit"}, {Event: "lead"}, {Event: "opportunity"}, {Event: "won"}},
	Window: 90 * 24 * time.Hour,
}

// parse reads one CSV line into an event, or sends the line and the
// reason it cannot be read to the dead letters.
func parse(line string, good func(funnel.Event), bad func(string)) {
	if line == "" || strings.HasPrefix(line, "entity,") {
		return
	}
	e, err := row(line)
	if err != nil {
		bad(fmt.Sprintf("%q: %v", line, err))
		return
	}
	good(e)
}

func row(line string) (funnel.Event, error) {
	f := strings.Split(line, ",")
	if len(f) != 5 {
		return funnel.Event{}, fmt.Errorf("%d fields, want 5", len(f))
	}
	if f[0] == "" || f[1] == "" || f[3] == "" {
		return funnel.Event{}, fmt.Errorf("empty entity, event or channel")
	}
	t, err := time.Parse(time.RFC3339, f[2])
	if err != nil {
		return funnel.Event{}, fmt.Errorf("time %q: not RFC 3339", f[2])
	}
	e := funnel.Event{Entity: f[0], Name: f[1], Time: t, Props: map[string]string{"channel": f[3]}}
	if f[4] != "" {
		v, err := decimal.NewFromString(f[4])
		if err != nil || v.Sign() < 0 {
			return funnel.Event{}, fmt.Errorf("value %q: not an amount", f[4])
		}
		e.Props["value"] = v.String()
	}
	return e, nil
}

func byEntity(e funnel.Event) (string, funnel.Event) { return e.Entity, e }

// journey makes a contact's touches, in time order up to its first won
// event, into an attribution journey that converts if it was won.
func journey(_ string, events func(*funnel.Event) bool) attribution.Journey {
	var evs []funnel.Event
	var e funnel.Event
	for events(&e) {
		evs = append(evs, e)
	}
	slices.SortFunc(evs, func(a, b funnel.Event) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return strings.Compare(a.Name+a.Props["channel"], b.Name+b.Props["channel"])
	})
	var j attribution.Journey
	for _, e := range evs {
		j.Touches = append(j.Touches, attribution.Touch{Channel: e.Props["channel"], Time: e.Time})
		if e.Name == "won" {
			j.Conversions = 1
			j.Value, _ = decimal.NewFromString(e.Props["value"])
			return j
		}
	}
	j.Nulls = 1
	return j
}

func funnelJSON(r *funnel.Result) (string, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	return string(b), err
}

func attributionJSON(r *attribution.Result) (string, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	return string(b), err
}

// build adds the pipeline to s.
func build(s beam.Scope, input, output string) error {
	lines := textio.Read(s, input)
	events, dead := beam.ParDo2(s, parse, lines)
	textio.Write(s, output+".deadletter.txt", dead)

	counted, err := kpibeam.Funnel(s, definition, events)
	if err != nil {
		return err
	}
	textio.Write(s, output+".funnel.json", beam.ParDo(s, funnelJSON, counted))

	journeys := beam.ParDo(s, journey, beam.GroupByKey(s, beam.ParDo(s, byEntity, events)))
	credits, err := kpibeam.Attribute(s, attribution.Markov{}, kpibeam.Journeys(s, journeys))
	if err != nil {
		return err
	}
	textio.Write(s, output+".attribution.json", beam.ParDo(s, attributionJSON, credits))
	return nil
}

func main() {
	flag.Parse()
	beam.Init()
	p, s := beam.NewPipelineWithRoot()
	if err := build(s, *input, *output); err != nil {
		log.Fatal(err)
	}
	if err := beamx.Run(context.Background(), p); err != nil {
		log.Fatal(err)
	}
}
