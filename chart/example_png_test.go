package chart_test

import (
	"bytes"
	"fmt"
	"image/png"

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
