package zerotest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type sample struct{ X []float64 }

func TestHasNaN(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want bool
	}{
		{"number", 1.5, false},
		{"NaN", math.NaN(), true},
		{"in a struct slice", sample{X: []float64{1, math.NaN()}}, true},
		{"in a map", map[string]float64{"a": math.NaN()}, true},
		{"nil pointer", (*sample)(nil), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := hasNaN(reflect.ValueOf(tt.v), "v", 0)
			assert.Equal(t, tt.want, got)
		})
	}
}

type Calm struct{ n int }

func (c *Calm) Mean(xs []float64, names ...string) float64 {
	if len(xs) == 0 {
		return 0
	}
	return xs[0]
}
func (c Calm) Count() (int, error) { return c.n, nil }

// TestRunCalm runs the checker on a type whose methods neither panic nor
// return NaN at zero values; its own package has no exported types.
func TestRunCalm(t *testing.T) {
	for _, dir := range []string{".", "testdata-missing"} {
		Run(t, dir, new(Calm))
	}
}

func TestRecvName(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"func (T) M()", "T"},
		{"func (*T) M()", "T"},
		{"func (*G[K]) M()", "G"},
		{"func (*G[K, V]) M()", "G"},
		{"func (x struct{}) M()", ""},
	}
	for _, tt := range tests {
		f, err := parser.ParseFile(token.NewFileSet(), "x.go", "package p\n"+tt.src+" {}", 0)
		require.NoError(t, err)
		assert.Equal(t, tt.want, recvName(f.Decls[0].(*ast.FuncDecl).Recv.List[0].Type), tt.src)
	}
}

type Wild struct{}

func (*Wild) Boom()            { panic("boom") }
func (Wild) Ratio() float64    { return math.NaN() }
func (Wild) Pair() (int, bool) { return 1, true }

type fake struct{ msgs []string }

func (f *fake) Helper() {}
func (f *fake) Errorf(format string, args ...any) {
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}
func (f *fake) Fatalf(format string, args ...any) { f.Errorf(format, args...) }

// TestCheckReports shows the checker failing where it must: a panic, a
// NaN, a value that is not a pointer, an exported type left out, and a
// folder it cannot parse.
func TestCheckReports(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.go"), []byte("package a\ntype Left struct{}\nfunc (Left) M() {}\nfunc (*G[K]) N() {}\n"), 0o644))
	bad := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(bad, "b.go"), []byte("package"), 0o644))
	tests := []struct {
		name   string
		dir    string
		values []any
		want   []string
	}{
		{"panic and NaN", ".", []any{new(Wild)}, []string{"Boom on the zero value panics: boom", "Ratio on the zero value returns NaN at result 0"}},
		{"not a pointer", ".", []any{Wild{}}, []string{"is not a pointer"}},
		{"type left out", dir, nil, []string{"exported type G has methods but is not checked", "exported type Left has methods but is not checked"}},
		{"unparsable", bad, nil, []string{"zerotest.Run:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fake{}
			check(f, tt.dir, tt.values, func(_ string, fn func(reporter)) { fn(f) })
			joined := strings.Join(f.msgs, "\n")
			for _, w := range tt.want {
				assert.Contains(t, joined, w)
			}
		})
	}
}
