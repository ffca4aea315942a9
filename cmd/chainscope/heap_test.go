package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBatchHeap runs the real binary (the heap settings are made in main,
// not in run) with the collector's trace on: analyze of a generated city
// collects no more garbage than the program's start does before main
// (counted on `help`), and more when GOGC is set, which wins.
func TestBatchHeap(t *testing.T) {
	dir := t.TempDir()
	data, db := filepath.Join(dir, "city.json"), filepath.Join(dir, "c.db")
	mustCLI(t, "gen", "--enterprises", "2000", "--projects", "400", "--links", "20000", "-o", data)
	mustCLI(t, "import", "--db", db, data)
	cycles := regexp.MustCompile(`(?m)^gc \d+ @`)
	count := func(args []string, env ...string) int {
		t.Helper()
		cmd := exec.Command(bin, args...)
		// The test's own GOGC or GOMEMLIMIT must not decide.
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "GOGC=") && !strings.HasPrefix(kv, "GOMEMLIMIT=") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(append(cmd.Env, "GODEBUG=gctrace=1"), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("analyze: %v\n%s", err, out)
		}
		return len(cycles.FindAll(out, -1))
	}
	// As of the import's revision: the records are read and indexed (the
	// index the import stored would make the heap too small to tell).
	analyze := []string{"analyze", "--db", db, "--all", "--json", "--as-of", "1"}
	start := count([]string{"help"})
	if n := count(analyze); n != start {
		t.Errorf("analyze collected garbage %d times under batchHeap, want %d (the start's)", n, start)
	}
	if n := count(analyze, "GOGC=100"); n <= start {
		t.Errorf("analyze with GOGC=100 collected %d times, no more than the start's %d: the environment's choice was not kept (or the dataset is too small to tell)", n, start)
	}
}
