package jsontest

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"DropOff", "dropOff"},
		{"ROI", "roi"},
		{"ChiSquareP", "chiSquareP"},
		{"CustomerID", "customerID"},
		{"ZP", "zp"},
		{"ProbBBetter", "probBBetter"},
		{"DF", "df"},
		{"x", "x"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, Key(tt.in))
		})
	}
}

type inner struct{ Lo, Hi float64 }

type outer struct {
	inner
	Name   string `json:"label"`
	Hidden int    `json:"-"`
	Count  int64
	note   string
}

func TestFields(t *testing.T) {
	got := Fields(reflect.TypeFor[outer]())
	assert.Equal(t, []Field{{"Lo", "lo"}, {"Hi", "hi"}, {"Name", "label"}, {"Count", "count"}}, got)
	_ = outer{note: ""}.note
}

// fake records what the checks report.
type fake struct{ errs []string }

func (f *fake) Helper() {}
func (f *fake) Errorf(format string, args ...any) {
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
}

type Good struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

type Lossy struct {
	Name  string `json:"name"`
	Count int64  `json:"-"`
	Extra int
}

func (Lossy) MarshalJSON() ([]byte, error) { return []byte(`{"name":"x"}`), nil }

type Empty struct{ x int }

var _ = Empty{x: 0}.x

type Failing struct{}

func (Failing) MarshalJSON() ([]byte, error) { return nil, fmt.Errorf("boom") }

type Listy []int

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	src := "package p\n\ntype Good struct{}\ntype Forgotten struct{}\ntype Skipped int\ntype I interface{}\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p_test.go"), []byte("package p\ntype Test struct{}\n"), 0o644))
	tests := []struct {
		name   string
		skip   map[string]string
		values []any
		want   []string
	}{
		{"complete", map[string]string{"Forgotten": "r", "Skipped": "r"}, []any{Good{"a", 1}, &Good{}, Listy{1}}, nil},
		{"forgotten type", map[string]string{"Skipped": "r"}, []any{Good{}}, []string{"jsontest: exported type Forgotten is not checked"}},
		{"lost field", map[string]string{"Forgotten": "r", "Skipped": "r"}, []any{Good{}, Lossy{}}, []string{`jsontest: Lossy.Extra has no key "extra" in {"name":"x"}`}},
		{"lost field with a reason", map[string]string{"Forgotten": "r", "Skipped": "r", "Lossy.Extra": "derived"}, []any{Good{}, Lossy{}}, nil},
		{"empty object", map[string]string{"Forgotten": "r", "Skipped": "r"}, []any{Good{}, Empty{}}, []string{"jsontest: Empty marshals to {}"}},
		{"nil", map[string]string{"Forgotten": "r", "Skipped": "r"}, []any{Good{}, (*Good)(nil)}, []string{"jsontest: Good marshals to null"}},
		{"failing", map[string]string{"Forgotten": "r", "Skipped": "r"}, []any{Good{}, Failing{}}, []string{"jsontest: Failing: Marshal: json: error calling MarshalJSON for type jsontest.Failing: boom"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fake{}
			check(f, dir, tt.skip, tt.values)
			assert.Equal(t, tt.want, f.errs)
		})
	}
}

func TestCheckBadDir(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bad.go"), []byte("package"), 0o644))
	f := &fake{}
	check(f, dir, nil, nil)
	require.Len(t, f.errs, 1)
	assert.Contains(t, f.errs[0], "expected 'IDENT'")
	Check(t, ".", map[string]string{"Field": "the checker's own type"})
}

func TestGolden(t *testing.T) {
	dir := t.TempDir()
	wd, err := os.Getwd()
	require.NoError(t, err)
	require.NoError(t, os.Chdir(dir))
	defer func() { require.NoError(t, os.Chdir(wd)) }()
	tests := []struct {
		name    string
		file    string
		update  bool
		got     string
		want    bool
		nErrors int
	}{
		{"missing", "sub/x.json", false, "a", false, 1},
		{"written", "sub/x.json", true, "a", true, 0},
		{"same", "sub/x.json", false, "a", true, 0},
		{"differs", "sub/x.json", false, "b", false, 1},
		{"folder is a file", "sub/x.json/y.json", true, "a", false, 1},
		{"file is a folder", "sub", true, "a", false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			*update = tt.update
			defer func() { *update = false }()
			f := &fake{}
			assert.Equal(t, tt.want, Golden(f, tt.file, []byte(tt.got)))
			assert.Len(t, f.errs, tt.nErrors)
		})
	}
}

// fakeTB records the failures Refused reports instead of stopping.
type fakeTB struct {
	testing.TB
	errors, fatals int
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Errorf(string, ...any) { f.errors++ }
func (f *fakeTB) Fatalf(string, ...any) { f.fatals++ }

// TestRefused decodes kpi.MoneyInterval, whose decoder bounds money:
// "1e1000000000" is refused naming lo; valid JSON is not refused (a
// fatal failure); a want the error lacks is an error.
func TestRefused(t *testing.T) {
	tests := []struct {
		name           string
		data           string
		want           []string
		errors, fatals int
	}{
		{"refused", `{"lo":"1e1000000000"}`, []string{"lo", "more than 30 digits"}, 0, 0},
		{"accepted", `{}`, nil, 0, 1},
		{"text lacks a want", `{"lo":"1e1000000000"}`, []string{"hi"}, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeTB{TB: t}
			var v kpi.MoneyInterval
			Refused(f, &v, tc.data, tc.want...)
			assert.Equal(t, tc.errors, f.errors, "errors")
			assert.Equal(t, tc.fatals, f.fatals, "fatals")
		})
	}
}
