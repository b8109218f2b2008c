// Command attribution reads journeys in ChannelAttribution's CSV layout and
// prints how the attribution models share out the conversions and their
// value, side by side.
//
// Usage:
//
//	go run ./examples/attribution [-comma ;] [-order 1] [-time] [file.csv]
//
// Without a file it reads a small embedded sample of B2B journeys.
package main

import (
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kpiflow/kpi/attribution"
)

//go:embed sample.csv
var sample []byte

func main() {
	comma := flag.String("comma", ";", "the field separator")
	order := flag.Int("order", 1, "the order of the Markov model")
	timing := flag.Bool("time", false, "report the time taken on stderr")
	flag.Parse()
	if err := run(os.Stdout, os.Stderr, flag.Arg(0), *comma, *order, *timing); err != nil {
		fmt.Fprintln(os.Stderr, "attribution:", err)
		os.Exit(1)
	}
}

func run(w, errw io.Writer, path, comma string, order int, timing bool) error {
	start := time.Now()
	var r io.Reader = bytes.NewReader(sample)
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	if len([]rune(comma)) != 1 {
		return fmt.Errorf("-comma %q: want one character", comma)
	}
	js, err := attribution.Read(r, attribution.Format{Comma: []rune(comma)[0]})
	if err != nil {
		return err
	}
	read := time.Since(start)
	fmt.Fprintf(w, "%d paths, %d channels, %d conversions worth %s, %d journeys without conversion\n\n",
		js.Len(), len(js.Channels()), js.Conversions(), js.Value(), js.Nulls())

	models := []attribution.Model{
		attribution.First{}, attribution.Last{}, attribution.Linear{},
		attribution.Position{}, attribution.Markov{Order: order}, attribution.Shapley{},
	}
	var results []*attribution.Result
	for _, m := range models {
		t := time.Now()
		res, err := m.Attribute(js)
		if err != nil {
			return err
		}
		if timing {
			fmt.Fprintf(errw, "%-16s %v\n", res.Model, time.Since(t).Round(time.Millisecond))
		}
		results = append(results, res)
	}
	t, err := attribution.NewTable(results...)
	if err != nil {
		return err
	}
	fmt.Fprint(w, t)
	if timing {
		fmt.Fprintf(errw, "%-16s %v\n%-16s %v\n", "read", read.Round(time.Millisecond), "total", time.Since(start).Round(time.Millisecond))
	}
	return nil
}
