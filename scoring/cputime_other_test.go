//go:build !unix

package scoring_test

import "time"

// processorTime is not measured here: the benchmarks report wall time only.
func processorTime() time.Duration { return 0 }
