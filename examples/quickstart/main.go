// Command quickstart is a tour of the kpi library on a month of a B2B
// funnel: a conversion rate with its interval, a comparison with the month
// before, money split exactly, and then a section for each package.
//
// Run it from the repository root:
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// A section is one part of the tour. Each package's part lives in a file
// of its own and registers itself from an init function, in the order
// given by its rank.
type section struct {
	rank  int
	title string
	run   func(w io.Writer) error
}

var sections []section

func register(rank int, title string, run func(w io.Writer) error) {
	sections = append(sections, section{rank, title, run})
}

func run(w io.Writer) error {
	sort.SliceStable(sections, func(i, j int) bool { return sections[i].rank < sections[j].rank })
	for i, s := range sections {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "== %s ==\n", s.title)
		if err := s.run(w); err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
	}
	return nil
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}
