package apicheck

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const fixtures = "github.com/kpiflow/kpi/internal/apicheck/testdata/"

// TestCheck runs the checker on the fixtures under testdata/ and states,
// for each, which names must be reported: the tricks that passed the old
// name-matching check (a blank use and an ExampleBogus that prints
// anything, a struct field named like a method, a method value, a loop
// that asserts nothing, a one-row loop, an example without output, a
// same-named function of another package) are reported; a table test
// through a helper, an interface called on the table's rows and a
// String method printed by fmt count.
func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		names int
		want  []string
	}{
		{"good", 4, nil},
		{"full", 4, nil},
		{"bogus", 1, []string{"Bogus example", "Bogus table test"}},
		{"field", 1, []string{"Sum.Add example", "Sum.Add table test"}},
		{"methodvalue", 1, []string{"Counter.Inc example", "Counter.Inc table test"}},
		{"noassert", 2, []string{"Half table test", "Third example", "Third table test"}},
		{"othername", 1, []string{"Join example", "Join table test"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Check(filepath.Join("testdata", tc.name), fixtures+tc.name)
			require.NoError(t, err)
			assert.Equal(t, tc.names, rep.Names)
			var got []string
			for _, p := range rep.Problems {
				assert.Equal(t, fixtures+tc.name, p.Package)
				assert.Contains(t, p.String(), p.Name)
				got = append(got, p.Name+" "+p.Missing)
			}
			sort.Strings(got)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestCheckErrors(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "x.go"), []byte("package x\n\nfunc (\n"), 0o644))
	tests := []struct {
		name, root, module, want string
	}{
		{"type error", "testdata/broken", fixtures + "broken", "type errors"},
		{"missing root", "testdata/nothing-here", fixtures + "nothing", "nothing-here"},
		{"syntax error", dir, "example.com/x", "x.go"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Check(tc.root, tc.module)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{"m/p", "T.M", "example"}, "m/p: T.M has no runnable example (ExampleT_M with an Output comment that calls it)"},
		{Problem{"m/p", "F", "table test"}, "m/p: F is not called inside a table-driven test whose loop asserts"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.p.String())
	}
}

func TestIsInternal(t *testing.T) {
	tests := []struct {
		ip   string
		want bool
	}{
		{"m", false},
		{"m/funnel", false},
		{"m/internal/errs", true},
		{"m/examples/quickstart", true},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, isInternal("m", tc.ip), tc.ip)
	}
}

func TestUnitImport(t *testing.T) {
	l, err := newLoader("testdata/good", fixtures+"good")
	require.NoError(t, err)
	u := &unit{l: l}
	tests := []struct {
		path, want string
		fails      bool
	}{
		{"fmt", "fmt", false},
		{"unsafe", "unsafe", false},
		{fixtures + "good", "fix", false},
		{fixtures + "good/missing", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			p, err := u.Import(tc.path)
			if tc.fails {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, p.Name())
		})
	}
}
