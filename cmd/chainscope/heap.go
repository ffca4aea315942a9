package main

import (
	"os"
	"runtime/debug"
)

// batchHeapLimit is the heap a batch command may grow to before the
// garbage collector runs: issue #10 allows analyze 400 MiB at province
// scale, and the collector keeps the heap near this soft limit.
const batchHeapLimit = 320 << 20

// batchCommands are the commands that build a large graph once, answer and
// exit: collecting garbage while they run only costs time (at province
// scale a county scope's analyze spent ~15% of its wall time in the
// collector), so it waits until the heap nears batchHeapLimit.
var batchCommands = map[string]bool{"analyze": true}

// batchHeap sets the collector for a batch command: off until the heap
// nears batchHeapLimit (the Go GC guide's setting for short jobs with a
// memory budget). GOGC or GOMEMLIMIT in the environment win: whoever sets
// them has chosen.
func batchHeap(args []string) {
	if len(args) == 0 || !batchCommands[args[0]] || os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(batchHeapLimit)
}
