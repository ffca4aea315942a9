//go:build unix

package graph

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user + system) the test process has used: a
// benchmark figure that, unlike wall time, holds up on a busy machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
