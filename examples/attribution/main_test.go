package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "paths.csv")
	if err := os.WriteFile(csv, []byte("path,total_conversions,total_conversion_value,total_null\nsearch > email,2,100.00,3\nemail,1,50.00,0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, comma string
		order             int
		want              string
	}{
		{"embedded sample", "", ";", 1, "20 paths, 8 channels, 30 conversions worth 715750, 711 journeys without conversion"},
		{"file with commas", csv, ",", 2, "2 paths, 2 channels, 3 conversions worth 150, 3 journeys without conversion"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			if err := run(&out, &errw, c.path, c.comma, c.order, true); err != nil {
				t.Fatal(err)
			}
			if first, _, _ := strings.Cut(out.String(), "\n"); first != c.want {
				t.Errorf("first line %q, want %q", first, c.want)
			}
			if !strings.Contains(errw.String(), "total") {
				t.Errorf("no timing in %q", errw.String())
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	cases := []struct {
		name, path, comma string
		order             int
		want              string
	}{
		{"no file", "/nonexistent/paths.csv", ";", 1, "no such file"},
		{"bad comma", "", ";;", 1, "-comma"},
		{"wrong comma", "", ",", 1, `no "path" column`},
		{"bad order", "", ";", -1, "Attribute: Order -1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			err := run(&out, &errw, c.path, c.comma, c.order, false)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
}
