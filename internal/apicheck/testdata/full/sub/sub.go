// Package sub depends on the package under test.
package sub

import fix "github.com/kpiflow/kpi/internal/apicheck/testdata/full"

// First is the first key.
var First = len(fix.Map([]int{1}, func(x int) int { return x }))
