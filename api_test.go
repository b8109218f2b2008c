package kpi_test

import (
	"testing"

	"github.com/kpiflow/kpi/internal/apicheck"
)

// TestEveryExportedNameIsCovered enforces the project's rule on every
// package of the module (see internal/apicheck): each exported function,
// and each exported method of an exported type, is called by a runnable
// example with an Output comment and inside an asserting table-driven
// test. Names are resolved with go/types, so a field or a method of
// another type with the same name does not count.
func TestEveryExportedNameIsCovered(t *testing.T) {
	rep, err := apicheck.Check(".", "github.com/kpiflow/kpi")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Names == 0 {
		t.Fatal("no exported functions found: is the test running from the module root?")
	}
	for _, p := range rep.Problems {
		t.Error(p)
	}
	t.Logf("%d exported functions and methods checked", rep.Names)
}
