package funnel_test

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/funnel"
)

// A step in JSON carries its three rates and the 95 % Wilson interval the
// funnel's table prints.
func ExampleStep_MarshalJSON() {
	s, _ := month().Step("SQL")
	b, _ := json.MarshalIndent(s, "", " ")
	fmt.Println(string(b))
	// Output:
	// {
	//  "from": "MQL",
	//  "to": "SQL",
	//  "rate": {
	//   "successes": 40,
	//   "trials": 96,
	//   "value": 0.4166666666666667
	//  },
	//  "dropOff": {
	//   "successes": 56,
	//   "trials": 96,
	//   "value": 0.5833333333333334
	//  },
	//  "cumulative": {
	//   "successes": 40,
	//   "trials": 12000,
	//   "value": 0.0033333333333333335
	//  },
	//  "interval": {
	//   "lo": 0.32311561071330697,
	//   "hi": 0.5166303205963056,
	//   "level": 0.95,
	//   "method": "Wilson"
	//  }
	// }
}

// A funnel in JSON is its stages and its steps, what a dashboard draws
// without recomputing anything.
func ExampleFunnel_MarshalJSON() {
	f, _ := funnel.New(funnel.Stage{Name: "MQL", Count: 96}, funnel.Stage{Name: "SQL", Count: 40})
	b, _ := json.Marshal(f)
	fmt.Println(string(b))
	// Output:
	// {"stages":[{"name":"MQL","count":96},{"name":"SQL","count":40}],"steps":[{"from":"MQL","to":"SQL","rate":{"successes":40,"trials":96,"value":0.4166666666666667},"dropOff":{"successes":56,"trials":96,"value":0.5833333333333334},"cumulative":{"successes":40,"trials":96,"value":0.4166666666666667},"interval":{"lo":0.32311561071330697,"hi":0.5166303205963056,"level":0.95,"method":"Wilson"}}]}
}

// A funnel is read from its stages, checked as New checks them.
func ExampleFunnel_UnmarshalJSON() {
	var f funnel.Funnel
	err := json.Unmarshal([]byte(`{"stages":[{"name":"MQL","count":96},{"name":"SQL","count":40}]}`), &f)
	s, _ := f.Step("SQL")
	fmt.Println(err, s.Rate)
	err = json.Unmarshal([]byte(`{"stages":[{"name":"MQL","count":96},{"name":"SQL","count":120}]}`), &f)
	fmt.Println(err)
	// Output:
	// <nil> 40/96 (41.67%)
	// funnel.Funnel.UnmarshalJSON: stage "SQL" count 120: exceeds "MQL" count 96
}

// A verdict reads in JSON as its constant's name.
func ExampleVerdict_MarshalText() {
	b, _ := json.Marshal([]funnel.Verdict{funnel.Met, funnel.BelowConfident})
	fmt.Println(string(b))
	// Output:
	// ["Met","BelowConfident"]
}

// A verdict is read back from its name.
func ExampleVerdict_UnmarshalText() {
	var v funnel.Verdict
	fmt.Println(v.UnmarshalText([]byte("Below")), v)
	// Output:
	// <nil> below
}

// A bottleneck in JSON is its check with the gain it is worth; the gain
// is null when a later step ran dry.
func ExampleBottleneck_MarshalJSON() {
	bs, _ := month().Bottlenecks(funnel.Targets{"Won": 0.3}, 0.95)
	b, _ := json.Marshal(bs[0])
	fmt.Println(string(b))
	// Output:
	// {"step":{"from":"Opportunity","to":"Won","rate":{"successes":6,"trials":25,"value":0.24},"dropOff":{"successes":19,"trials":25,"value":0.76},"cumulative":{"successes":6,"trials":12000,"value":0.0005},"interval":{"lo":0.11496313693401447,"hi":0.4342968335542907,"level":0.95,"method":"Wilson"}},"target":0.3,"verdict":"Below","p":0.34065490427939177,"gain":1.5,"estimated":true}
}

// A change in JSON carries the comparison with its tests, or null when
// the step could not be tested.
func ExampleChange_MarshalJSON() {
	a, _ := funnel.New(funnel.Stage{Name: "MQL", Count: 110}, funnel.Stage{Name: "SQL", Count: 52})
	b, _ := funnel.New(funnel.Stage{Name: "MQL", Count: 96}, funnel.Stage{Name: "SQL", Count: 40})
	changes, _ := funnel.Compare(a, b, 0.95)
	out, _ := json.MarshalIndent(changes[0], "", " ")
	fmt.Println(string(out))
	// Output:
	// {
	//  "step": "SQL",
	//  "a": {
	//   "successes": 52,
	//   "trials": 110,
	//   "value": 0.4727272727272727
	//  },
	//  "b": {
	//   "successes": 40,
	//   "trials": 96,
	//   "value": 0.4166666666666667
	//  },
	//  "tested": true,
	//  "significant": false,
	//  "comparison": {
	//   "a": {
	//    "successes": 52,
	//    "trials": 110,
	//    "value": 0.4727272727272727
	//   },
	//   "b": {
	//    "successes": 40,
	//    "trials": 96,
	//    "value": 0.4166666666666667
	//   },
	//   "diff": -0.05606060606060603,
	//   "lift": -0.1185897435897435,
	//   "z": -0.8073781992753136,
	//   "zp": 0.4194486231274708,
	//   "chiSquare": 0.651859556665048,
	//   "chiSquareP": 0.4194486231274708,
	//   "yates": 0.44476268332639984,
	//   "yatesP": 0.5048326233458607,
	//   "fisherP": 0.4828421643926918,
	//   "probBBetter": 0.21124665216052924,
	//   "alternative": "TwoSided"
	//  },
	//  "adjustedP": 0.4828421643926918,
	//  "family": 1,
	//  "adjustment": "Holm"
	// }
}

// A planning model is read from JSON, money as decimal strings, and
// checked as Plan checks it.
func ExampleModel_UnmarshalJSON() {
	var m funnel.Model
	err := json.Unmarshal([]byte(`{"stages":["Lead","MQL","Won"],"rates":[0.4,0.25],"dealSize":"24000","costs":{"Lead":"45.50"}}`), &m)
	fmt.Println(err)
	p, _ := funnel.Plan(m, decimal.RequireFromString("240000"))
	fmt.Println(p.Volumes[0].Count, p.Budget)
	fmt.Println(json.Unmarshal([]byte(`{"stages":["Lead","Won"],"rates":[1.5],"dealSize":"24000"}`), &m))
	// Output:
	// <nil>
	// 100 4550
	// funnel.Model.UnmarshalJSON: step "Lead→Won" rate 1.5: must lie in (0, 1]
}

// Targets are read from JSON, each checked to lie in (0, 1].
func ExampleTargets_UnmarshalJSON() {
	var t funnel.Targets
	fmt.Println(json.Unmarshal([]byte(`{"SQL":0.5,"Won":0.3}`), &t), t)
	fmt.Println(json.Unmarshal([]byte(`{"SQL":50}`), &t))
	// Output:
	// <nil> map[SQL:0.5 Won:0.3]
	// funnel.Targets.UnmarshalJSON: target "SQL" 50: must lie in (0, 1]
}

// A mode reads in JSON as windowFunnel's names.
func ExampleMode_MarshalText() {
	b, _ := (funnel.StrictOrder | funnel.StrictOnce).MarshalText()
	fmt.Println(string(b))
	// Output:
	// strict_order|strict_once
}

// A mode is read back from windowFunnel's names joined by "|".
func ExampleMode_UnmarshalText() {
	var m funnel.Mode
	fmt.Println(m.UnmarshalText([]byte("strict_increase|strict_deduplication")), m == funnel.StrictIncrease|funnel.StrictDedup)
	// Output:
	// <nil> true
}

// A counting reads in JSON as "unique" or "totals".
func ExampleCounting_MarshalText() {
	b, _ := funnel.Totals.MarshalText()
	fmt.Println(string(b))
	// Output:
	// totals
}

// A counting is read back from its name.
func ExampleCounting_UnmarshalText() {
	var c funnel.Counting
	fmt.Println(c.UnmarshalText([]byte("totals")), c == funnel.Totals)
	// Output:
	// <nil> true
}

// A match in JSON has its step's own window in seconds.
func ExampleMatch_MarshalJSON() {
	b, _ := json.Marshal(funnel.Match{Step: "Demo", Event: "meeting", Where: map[string]string{"type": "demo"}, Within: 7 * 24 * time.Hour})
	fmt.Println(string(b))
	// Output:
	// {"step":"Demo","event":"meeting","where":{"type":"demo"},"within":604800}
}

// A match is read back from JSON; unknown keys are errors.
func ExampleMatch_UnmarshalJSON() {
	var m funnel.Match
	fmt.Println(json.Unmarshal([]byte(`{"event":"meeting","within":3600}`), &m), m.Within)
	fmt.Println(json.Unmarshal([]byte(`{"event":"meeting","window":3600}`), &m))
	// Output:
	// <nil> 1h0m0s
	// funnel.Match.UnmarshalJSON: JSON document: json: unknown field "window"
}

// An exclusion in JSON is its match with the steps it lies between.
func ExampleExclusion_MarshalJSON() {
	b, _ := json.Marshal(funnel.Exclusion{Match: funnel.Match{Event: "unsubscribe"}, From: 0, To: 2})
	fmt.Println(string(b))
	// Output:
	// {"event":"unsubscribe","from":0,"to":2}
}

// An exclusion is read back from JSON.
func ExampleExclusion_UnmarshalJSON() {
	var x funnel.Exclusion
	fmt.Println(json.Unmarshal([]byte(`{"event":"lost","from":1,"to":2}`), &x), x.Event, x.From, x.To)
	// Output:
	// <nil> lost 1 2
}

// A definition in JSON has its window in seconds and its mode and
// counting by name, so that it can be stored and loaded.
func ExampleDefinition_MarshalJSON() {
	b, _ := json.Marshal(leadToSQL)
	fmt.Println(string(b))
	// Output:
	// {"steps":[{"step":"Lead","event":"lead"},{"step":"MQL","event":"mql"},{"step":"SQL","event":"sql"}],"window":2592000,"mode":"default","counting":"unique","bins":null}
}

// A definition is read from JSON and checked as NewCounter checks it.
func ExampleDefinition_UnmarshalJSON() {
	var d funnel.Definition
	err := json.Unmarshal([]byte(`{"steps":[{"event":"lead"},{"event":"sql"}],"window":2592000,"mode":"strict_order","counting":"unique"}`), &d)
	fmt.Println(err, d.Window, d.Mode)
	fmt.Println(json.Unmarshal([]byte(`{"steps":[{"event":"lead"}],"window":60}`), &d))
	// Output:
	// <nil> 720h0m0s strict_order
	// funnel.Definition.UnmarshalJSON: steps 1: a funnel needs at least two steps
}

// An event funnel's step in JSON carries its rate's interval and its times
// in seconds.
func ExampleStepResult_MarshalJSON() {
	c, _ := funnel.NewCounter(leadToSQL)
	for _, e := range crm() {
		_ = c.Add(e)
	}
	r, _ := c.Result()
	s := r.Steps[1]
	s.Time.Bins = s.Time.Bins[len(s.Time.Bins)-1:] // the last bin only, to keep it short
	b, _ := json.MarshalIndent(s, "", " ")
	fmt.Println(string(b))
	// Output:
	// {
	//  "step": "MQL",
	//  "reached": 2,
	//  "rate": {
	//   "successes": 2,
	//   "trials": 3,
	//   "value": 0.6666666666666666
	//  },
	//  "cumulative": {
	//   "successes": 2,
	//   "trials": 3,
	//   "value": 0.6666666666666666
	//  },
	//  "interval": {
	//   "lo": 0.20765960080204782,
	//   "hi": 0.9385080552796038,
	//   "level": 0.95,
	//   "method": "Wilson"
	//  },
	//  "time": {
	//   "n": 2,
	//   "median": 259200,
	//   "p90": 604800,
	//   "mean": 432000,
	//   "bins": [
	//    {
	//     "upper": null,
	//     "count": 0
	//    }
	//   ]
	//  }
	// }
}

// Times to convert in JSON are seconds; with no times the statistics are
// null.
func ExampleDurations_MarshalJSON() {
	b, _ := json.Marshal(funnel.Durations{})
	fmt.Println(string(b))
	b, _ = json.Marshal(funnel.Durations{N: 1, Median: 36 * time.Hour, P90: 36 * time.Hour, Mean: 36 * time.Hour})
	fmt.Println(string(b))
	// Output:
	// {"n":0,"median":null,"p90":null,"mean":null,"bins":[]}
	// {"n":1,"median":129600,"p90":129600,"mean":129600,"bins":[]}
}

// A histogram bin's upper edge is in seconds, null for the last bin.
func ExampleBin_MarshalJSON() {
	b, _ := json.Marshal([]funnel.Bin{{Upper: time.Hour, Count: 3}, {Upper: 1<<63 - 1, Count: 1}})
	fmt.Println(string(b))
	// Output:
	// [{"upper":3600,"count":3},{"upper":null,"count":1}]
}

// The funnel table as CSV, ready for a spreadsheet.
func ExampleFunnel_WriteCSV() {
	f, _ := funnel.New(funnel.Stage{Name: "Lead", Count: 240}, funnel.Stage{Name: "MQL", Count: 96}, funnel.Stage{Name: "SQL", Count: 40})
	_ = f.WriteCSV(os.Stdout)
	// Output:
	// name,count,rate,lo,hi,method,level,cumulative,dropOff
	// Lead,240,,,,,,,
	// MQL,96,0.4,0.3400658590264169,0.46308492496189485,Wilson,0.95,0.4,0.6
	// SQL,40,0.4166666666666667,0.32311561071330697,0.5166303205963056,Wilson,0.95,0.16666666666666666,0.5833333333333334
}

// An event funnel with its breakdown as CSV: the whole funnel's rows, then
// each source's.
func ExampleResult_WriteCSV() {
	d := leadToSQL
	d.Breakdown = []string{"source"}
	c, _ := funnel.NewCounter(d)
	for _, e := range crm() {
		_ = c.Add(e)
	}
	r, _ := c.Result()
	_ = r.WriteCSV(os.Stdout)
	// Output:
	// breakdown,values.source,step,reached,rate,lo,hi,method,level,cumulative,n,median,p90,mean
	// false,,Lead,3,1,0.4385029682449546,1,Wilson,0.95,1,0,,,
	// false,,MQL,2,0.6666666666666666,0.20765960080204782,0.9385080552796038,Wilson,0.95,0.6666666666666666,2,259200,604800,432000
	// false,,SQL,1,0.5,0.0945312057342308,0.9054687942657692,Wilson,0.95,0.3333333333333333,1,604800,604800,604800
	// true,ads,Lead,2,1,0.3423802275066532,1,Wilson,0.95,1,0,,,
	// true,ads,MQL,1,0.5,0.0945312057342308,0.9054687942657692,Wilson,0.95,0.5,1,604800,604800,604800
	// true,ads,SQL,0,0,0,0.7934506856227626,Wilson,0.95,0,0,,,
	// true,webinar,Lead,1,1,0.20654931437723745,1,Wilson,0.95,1,0,,,
	// true,webinar,MQL,1,1,0.20654931437723745,1,Wilson,0.95,1,1,259200,259200,259200
	// true,webinar,SQL,1,1,0.20654931437723745,1,Wilson,0.95,1,1,604800,604800,604800
}

// A plan's volumes as CSV.
func ExampleProjection_WriteCSV() {
	m := funnel.Model{Stages: []string{"Lead", "MQL", "Won"}, Rates: []float64{0.4, 0.25},
		DealSize: decimal.RequireFromString("24000"), Costs: map[string]decimal.Decimal{"Lead": decimal.RequireFromString("45.50")}}
	p, _ := funnel.Plan(m, decimal.RequireFromString("240000"))
	_ = p.WriteCSV(os.Stdout)
	// Output:
	// stage,count,cost
	// Lead,100,4550
	// MQL,40,0
	// Won,10,0
}
