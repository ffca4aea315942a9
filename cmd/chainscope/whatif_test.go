package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"chainscope/graph"
)

func TestWhatIfCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	mustCLI(t, "init", "--db", db)
	ds := loadDB(t, db)
	ix, err := graph.NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	// remove every node of the first non-missing segment of 垣曲 battery:
	// that segment must become missing in the JSON, as graph.WhatIf says
	a, _ := ix.Analyze("140827", "battery")
	var seg graph.SegmentResult
	for _, s := range a.Segments {
		if s.Status != graph.Missing {
			seg = s
			break
		}
	}
	out := mustCLI(t, "whatif", "--db", db, "--area", "140827", "--chain", "battery", "--remove", strings.Join(seg.Nodes, ","), "--json")
	var w graph.WhatIf
	if err := json.Unmarshal([]byte(out), &w); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range w.After.Segments {
		if s.ID == seg.ID {
			found = s.Status == graph.Missing
		}
	}
	if !found || w.CompletenessAfter >= w.CompletenessBefore {
		t.Fatalf("removing %v did not make %s missing: %s", seg.Nodes, seg.ID, out)
	}
	table := mustCLI(t, "whatif", "--db", db, "--area", "140827", "--chain", "battery", "--remove", strings.Join(seg.Nodes, ","))
	if !strings.Contains(table, seg.Name) || !strings.Contains(table, "缺链") {
		t.Fatalf("table lacks the change:\n%s", table)
	}
	if code, _, errOut := cli(t, "whatif", "--db", db, "--area", "140827", "--chain", "battery", "--remove", "E-nobody"); code != 1 || !strings.Contains(errOut, "E-nobody") {
		t.Fatalf("unknown id: exit %d %s", code, errOut)
	}
	if code, _, _ := cli(t, "whatif", "--db", db, "--area", "140827", "--chain", "battery"); code != 2 {
		t.Fatalf("no scenario: exit %d, want 2", code)
	}
}
