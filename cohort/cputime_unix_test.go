//go:build unix

package cohort_test

import (
	"syscall"
	"time"
)

// cpuTime returns the processor time the process has used, so that the
// benchmarks can report it beside the wall time, which suffers when the
// machine is shared.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
