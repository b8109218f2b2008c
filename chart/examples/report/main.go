// Command report writes a one-page KPI report as self-contained HTML —
// inline SVG charts, no JavaScript, nothing fetched from the network —
// from the quickstart's data: the funnel against its targets, twelve
// weeks of MQL→SQL, the cohort retention grid, the lead score's gains
// and the channels' credit, each with a line saying what it shows.
//
// From the chart module (chart/ in the repository):
//
//	go run ./examples/report -o report.html
//
// With -readme it also writes the funnel chart on its own, as the README
// shows it: -readme examples/report/funnel.svg.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"html/template"
	"io"
	"os"
	"strings"
)

// section is one chart of the page: a heading, the reading, the picture.
type section struct {
	Title   string
	Reading string
	SVG     template.HTML
}

// page is what the template fills in.
type page struct {
	Title    string
	Subtitle string
	Tiles    []tile
	Sections []section
}

// tile is one headline number at the top of the page.
type tile struct{ Label, Value, Note string }

func main() {
	out := flag.String("o", "", "write the page to this file (default: standard output)")
	readme := flag.String("readme", "", "also write the funnel chart to this SVG file")
	flag.Parse()
	if err := write(*out, *readme); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

// write makes the report and writes it, and the README's chart if asked.
func write(out, readme string) error {
	p, funnelSVG, err := build()
	if err != nil {
		return err
	}
	if readme != "" {
		if err := os.WriteFile(readme, funnelSVG, 0o644); err != nil {
			return err
		}
	}
	if out == "" {
		return render(os.Stdout, p)
	}
	var b bytes.Buffer
	if err := render(&b, p); err != nil {
		return err
	}
	return os.WriteFile(out, b.Bytes(), 0o644)
}

// render writes the page.
func render(w io.Writer, p page) error {
	return pageTemplate.Execute(w, p)
}

// inline turns a chart's SVG document into an element for the page: the
// XML declaration and comment go, and the fixed size gives way to the
// viewBox, so that the chart fills its card's width.
func inline(svg []byte) template.HTML {
	s := string(svg)
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	head, rest, _ := strings.Cut(s, "viewBox=")
	if i := strings.Index(head, "width="); i >= 0 {
		head = head[:i]
	}
	return template.HTML(head + `role="img" viewBox=` + rest) // #nosec: the chart package escapes every text
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { margin: 0; background: #f4f6f8; color: #333; font: 15px/1.45 "Liberation Sans", Arial, Helvetica, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 20px 40px; }
h1 { font-size: 26px; margin: 0 0 2px; }
.sub { color: #666; margin: 0 0 22px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 22px; }
.tile { background: #fff; border-radius: 8px; padding: 12px 14px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.tile .v { font-size: 24px; font-weight: bold; color: #1f4e79; }
.tile .l { font-size: 13px; color: #666; }
.tile .n { font-size: 12px; color: #888; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 16px; }
.card { background: #fff; border-radius: 8px; padding: 16px 18px 10px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.card.wide { grid-column: 1 / -1; }
.card h2 { font-size: 17px; margin: 0 0 4px; }
.card p { margin: 0 0 10px; color: #444; }
.card svg { display: block; width: 100%; height: auto; }
footer { color: #888; font-size: 12px; margin-top: 22px; }
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p class="sub">{{.Subtitle}}</p>
<div class="tiles">{{range .Tiles}}
<div class="tile"><div class="l">{{.Label}}</div><div class="v">{{.Value}}</div><div class="n">{{.Note}}</div></div>{{end}}
</div>
<div class="cards">{{range $i, $s := .Sections}}
<section class="card{{if eq $i 0}} wide{{end}}">
<h2>{{$s.Title}}</h2>
<p>{{$s.Reading}}</p>
{{$s.SVG}}
</section>{{end}}
</div>
<footer>Rates carry 95% Wilson intervals. Made with github.com/kpiflow/kpi and its chart module.</footer>
</main>
</body>
</html>
`))
