//go:build unix

package store

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used so far, user and
// system, on all threads. On a busy machine it measures work where wall
// time measures the neighbours.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
