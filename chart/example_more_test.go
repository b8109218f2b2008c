package chart_test

import (
	"bytes"
	"fmt"
	"image/png"
	"slices"
	"time"

	"github.com/kpiflow/kpi/chart"
	"github.com/kpiflow/kpi/funnel"
)

// ExampleFunnel_png writes the same kind of funnel as a PNG for an
// e-mail or a slide: 480 × 240 points at the default 144 DPI are
// 960 × 480 pixels.
func ExampleFunnel_png() {
	f, err := funnel.New(funnel.Stage{Name: "Lead", Count: 240}, funnel.Stage{Name: "MQL", Count: 96},
		funnel.Stage{Name: "SQL", Count: 40}, funnel.Stage{Name: "Won", Count: 6})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b bytes.Buffer
	if err := chart.Funnel(&b, f, nil, chart.Options{Format: chart.PNG, Width: 480, Height: 240}); err != nil {
		fmt.Println(err)
		return
	}
	img, err := png.Decode(&b)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Bounds().Dx(), "×", img.Bounds().Dy(), "pixels")
	// Output: 960 × 480 pixels
}

// ExampleStepPeriods draws a step's conversion per month of entry from
// an event funnel's series: March's leads have not all had their ten
// days, so March is immature and drawn hollow.
func ExampleStepPeriods() {
	d := funnel.Definition{Steps: []funnel.Match{{Event: "lead"}, {Event: "sql"}}, Window: 10 * 24 * time.Hour}
	c, _ := funnel.NewCounter(d)
	at := func(m time.Month, day int) time.Time { return time.Date(2026, m, day, 9, 0, 0, 0, time.UTC) }
	_ = c.AddAll(slices.Values([]funnel.Event{
		{Entity: "a", Name: "lead", Time: at(1, 5)}, {Entity: "a", Name: "sql", Time: at(1, 7)},
		{Entity: "b", Name: "lead", Time: at(1, 20)},
		{Entity: "c", Name: "lead", Time: at(2, 3)}, {Entity: "c", Name: "sql", Time: at(2, 4)},
		{Entity: "d", Name: "lead", Time: at(3, 25)},
	}))
	s, err := c.Series(funnel.Periods{Grain: funnel.Month, Location: time.UTC}, at(3, 30))
	if err != nil {
		fmt.Println(err)
		return
	}
	ps, err := chart.StepPeriods(s, "sql")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range ps {
		fmt.Println(p.Label, p.Rate, "immature:", p.Immature)
	}
	var b bytes.Buffer
	if err := chart.Trend(&b, ps, chart.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	pic, _ := parse(b.Bytes())
	filled, hollow := pic.dots()
	fmt.Println("filled:", filled, "hollow:", hollow)
	// Output:
	// 2026-01 1/2 (50.00%) immature: false
	// 2026-02 1/1 (100.00%) immature: false
	// 2026-03 0/1 (0.00%) immature: true
	// filled: 2 hollow: 1
}
