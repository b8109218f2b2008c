package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReport builds the page and checks what a reader must find in it:
// the five charts inline, each with its reading, and nothing that runs or
// reaches the network.
func TestReport(t *testing.T) {
	p, funnelSVG, err := build()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := render(&b, p); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	if n := strings.Count(html, "<svg "); n != 5 {
		t.Errorf("%d inline charts, want 5", n)
	}
	for _, bad := range []string{"<script", "<link", "<iframe", "<img", "src=", "url(", "<?xml", `href="http`} {
		if strings.Contains(html, bad) {
			t.Errorf("the page holds %q: it must be self-contained", bad)
		}
	}
	readings := []string{
		"The bottleneck is Visit→Lead: 2.0% against a 2.5% target",
		"MQL→SQL averaged 41% over the ten settled weeks",
		"70% of customers still pay in their third month",
		"the January cohort keeps 60% into month 3",
		"Working the top 20% of leads by score reaches",
		"The models disagree most on search: first touch gives it 50%",
	}
	for _, r := range readings {
		if !strings.Contains(html, r) {
			t.Errorf("the page lacks the reading %q", r)
		}
	}
	for i, s := range p.Sections {
		if err := wellFormed([]byte(s.SVG)); err != nil {
			t.Errorf("chart %d (%s) is not well-formed XML: %v", i, s.Title, err)
		}
	}
	if err := wellFormed(funnelSVG); err != nil {
		t.Errorf("the README's funnel: %v", err)
	}
}

// TestWrite runs the command's writer into files, as the README's line
// does.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	out, svg := filepath.Join(dir, "report.html"), filepath.Join(dir, "funnel.svg")
	if err := write(out, svg); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{out, svg} {
		if st, err := os.Stat(f); err != nil || st.Size() < 1000 {
			t.Errorf("%s: %v, %v", f, st, err)
		}
	}
	if err := write(filepath.Join(dir, "missing", "r.html"), ""); err == nil {
		t.Error("writing into a missing folder did not fail")
	}
}

// TestReadmeChart checks that the funnel the README shows is the one the
// example draws now: go run ./examples/report -readme examples/report/funnel.svg
// rewrites it.
func TestReadmeChart(t *testing.T) {
	_, svg, err := build()
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("funnel.svg")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, svg) {
		t.Error("examples/report/funnel.svg is stale: run go run ./examples/report -readme examples/report/funnel.svg from chart/")
	}
}

// wellFormed decodes a document to its end.
func wellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// BenchmarkReport builds and renders the whole page: the data, five
// charts and the HTML (the issue asks ≤ 200 ms).
func BenchmarkReport(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		p, _, err := build()
		if err != nil {
			b.Fatal(err)
		}
		if err := render(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
}
