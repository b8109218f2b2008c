//go:build unix

package scoring_test

import (
	"syscall"
	"time"
)

// processorTime returns the processor time the process has used, so that
// the size benchmarks can report it beside the wall time.
func processorTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
