package chart_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update rewrites the golden files: go test -run . -update, then review
// the diff.
var update = flag.Bool("update", false, "rewrite the golden SVG files in testdata")

// picture is what a test reads back from an SVG: its paths and texts.
type picture struct {
	paths []svgPath
	texts []string
}

// svgPath is one <path> element: its geometry and its style.
type svgPath struct{ d, style string }

// fill and stroke return the path's colours ("" when unset or none).
func (p svgPath) fill() string   { return p.prop("fill") }
func (p svgPath) stroke() string { return p.prop("stroke") }

func (p svgPath) prop(key string) string {
	for _, kv := range strings.Split(p.style, ";") {
		if k, v, ok := strings.Cut(kv, ":"); ok && k == key && v != "none" {
			return v
		}
	}
	return ""
}

// arc reports a glyph: the writer draws circles as arcs.
func (p svgPath) arc() bool { return strings.Contains(p.d, "A") }

// parse reads an SVG as XML: every token must decode, the root must be an
// svg element, and nothing may follow it.
func parse(b []byte) (picture, error) {
	var pic picture
	d := xml.NewDecoder(bytes.NewReader(b))
	depth, roots := 0, 0
	var inText bool
	var text strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return pic, err
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if roots++; x.Name.Local != "svg" || roots > 1 {
					return pic, fmt.Errorf("root element %d is <%s>", roots, x.Name.Local)
				}
			}
			depth++
			switch x.Name.Local {
			case "path":
				var p svgPath
				for _, a := range x.Attr {
					switch a.Name.Local {
					case "d":
						p.d = a.Value
					case "style":
						p.style = a.Value
					}
				}
				pic.paths = append(pic.paths, p)
			case "text":
				inText = true
				text.Reset()
			}
		case xml.CharData:
			if inText {
				text.Write(x)
			}
		case xml.EndElement:
			depth--
			if x.Name.Local == "text" {
				inText = false
				pic.texts = append(pic.texts, text.String())
			}
		}
	}
	if roots != 1 || depth != 0 {
		return pic, fmt.Errorf("%d root elements, depth %d at the end", roots, depth)
	}
	return pic, nil
}

// mustParse is parse for tests.
func mustParse(t testing.TB, b []byte) picture {
	t.Helper()
	pic, err := parse(b)
	require.NoError(t, err, "the SVG must parse as XML")
	return pic
}

// bars counts the filled rectangles of a colour (glyphs excluded).
func (pic picture) bars(color string) int {
	n := 0
	for _, p := range pic.paths {
		if p.fill() == color && !p.arc() {
			n++
		}
	}
	return n
}

// whiskers counts the intervals: a whisker is one stroked path of three
// pieces, the line and its two caps.
func (pic picture) whiskers() int {
	n := 0
	for _, p := range pic.paths {
		if p.stroke() != "" && strings.Count(p.d, "M") == 3 {
			n++
		}
	}
	return n
}

// dots counts the points drawn filled and drawn hollow (as rings).
func (pic picture) dots() (filled, hollow int) {
	for _, p := range pic.paths {
		switch {
		case !p.arc():
		case p.stroke() != "":
			hollow++
		case p.fill() != "#FFFFFF":
			filled++
		}
	}
	return filled, hollow
}

// blanks counts the dashed outlines of unreached cohort cells: the
// subpaths of the dashed paths, which may hold many cells each.
func (pic picture) blanks() int {
	n := 0
	for _, p := range pic.paths {
		if strings.Contains(p.style, "stroke-dasharray:2,2") {
			n += p.subpaths()
		}
	}
	return n
}

// cells counts the filled shapes that are not white: the subpaths of
// every coloured filled path (a heat map draws the cells of one colour
// as one path).
func (pic picture) cells() int {
	n := 0
	for _, p := range pic.paths {
		if f := p.fill(); f != "" && f != "#FFFFFF" {
			n += p.subpaths()
		}
	}
	return n
}

// subpaths counts the pieces of a path, each started by a move.
func (p svgPath) subpaths() int { return strings.Count(p.d, "M") }

// has reports a text element that contains s.
func (pic picture) has(s string) bool {
	for _, t := range pic.texts {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// golden compares an SVG with testdata/name.svg, or rewrites the file
// under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	if name == "" {
		return
	}
	path := filepath.Join("testdata", name+".svg")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to write the golden file")
	assert.True(t, bytes.Equal(want, got), "%s differs from the chart drawn now; go test -update rewrites it", path)
}

// The package's default colours, as the SVG writes them.
const (
	blue   = "#4E79A7"
	orange = "#F28E2B"
	green  = "#59A14F"
	red    = "#E15759"
)

// TestParse checks the checker: it must reject what is not one SVG
// document, or the tests built on it could not fail.
func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"svg", `<svg><path d="M0,0L1,1" style="fill:#4E79A7"/><text>a &lt; b</text></svg>`, true},
		{"unescaped", `<svg><text>a < b</text></svg>`, false},
		{"bare ampersand", `<svg><text>a & b</text></svg>`, false},
		{"not svg", `<html></html>`, false},
		{"two roots", `<svg></svg><svg></svg>`, false},
		{"unclosed", `<svg><g>`, false},
		{"control character", "<svg><text>a\x01b</text></svg>", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pic, err := parse([]byte(tc.in))
			if !tc.ok {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 1, pic.bars(blue))
			assert.True(t, pic.has("a < b"))
		})
	}
}
