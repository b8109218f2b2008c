package funnel_test

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kpiflow/kpi/funnel"
)

// ExampleDefinition_breakdown breaks a lead → MQL funnel down by two
// properties of the lead, its month and its source: one group per
// combination seen, sorted, each with its values in the order of the
// breakdown; the CSV form has a column per property.
func ExampleDefinition_breakdown() {
	at := func(month time.Month, d int) time.Time { return time.Date(2026, month, d, 9, 0, 0, 0, time.UTC) }
	lead := func(who string, month time.Month, d int, source string) funnel.Event {
		return funnel.Event{Entity: who, Name: "lead", Time: at(month, d),
			Props: map[string]string{"month": fmt.Sprintf("2026-%02d", int(month)), "source": source}}
	}
	mql := func(who string, month time.Month, d int) funnel.Event {
		return funnel.Event{Entity: who, Name: "mql", Time: at(month, d)}
	}
	events := []funnel.Event{
		lead("ana", 4, 2, "ads"), mql("ana", 4, 9),
		lead("ben", 4, 20, "ads"),
		lead("cho", 4, 21, "webinar"), mql("cho", 5, 3),
		lead("dev", 5, 6, "ads"), mql("dev", 5, 8),
	}
	c, _ := funnel.NewCounter(funnel.Definition{
		Steps:     []funnel.Match{{Step: "Lead", Event: "lead"}, {Step: "MQL", Event: "mql"}},
		Window:    30 * 24 * time.Hour,
		Breakdown: []string{"month", "source"},
	})
	_ = c.AddAll(slices.Values(events))
	r, _ := c.Result()
	fmt.Println(r.Keys)
	for _, g := range r.Breakdown {
		fmt.Printf("%v: %d leads, MQL %v\n", g.Values, g.Steps[0].Reached, g.Steps[1].Rate)
	}
	var csv strings.Builder
	_ = r.WriteCSV(&csv)
	lines := strings.Split(csv.String(), "\n")
	fmt.Println(lines[0])
	fmt.Println(lines[3]) // the first group's first step
	// Output:
	// [month source]
	// [2026-04 ads]: 2 leads, MQL 1/2 (50.00%)
	// [2026-04 webinar]: 1 leads, MQL 1/1 (100.00%)
	// [2026-05 ads]: 1 leads, MQL 1/1 (100.00%)
	// breakdown,values.month,values.source,step,reached,rate,lo,hi,method,level,cumulative,n,median,p90,mean
	// true,2026-04,ads,Lead,2,1,0.3423802275066532,1,Wilson,0.95,1,0,,,
}
