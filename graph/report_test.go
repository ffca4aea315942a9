package graph

import (
	"encoding/json"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"chainscope"
	"chainscope/synth"
	"chainscope/yuncheng"
)

func TestReport(t *testing.T) {
	yc, err := yuncheng.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		ds          *chainscope.Dataset
		area, chain string
	}{
		{"hand-built county", gapDataset(), "140827", "bat"},
		{"hand-built region", clusterDataset(), "*", "bat"},
		{"empty scope", dataset(nil, nil, nil), "140802", "chem"},
		{"运城 垣曲 battery", yc, "140827", "battery"},
		{"运城 region battery", yc, "*", "battery"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := mustIndex(t, tc.ds)
			r, err := ix.Report(tc.area, tc.chain)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := ix.Analyze(tc.area, tc.chain)
			pi, _ := ix.ProjectImpact(tc.area, tc.chain)
			gt, _ := ix.GapTargets(tc.area, tc.chain, 0)
			ld, _ := ix.LeaderDependency(tc.area, tc.chain)
			if !reflect.DeepEqual(r.Analysis, a) || !reflect.DeepEqual(r.ProjectImpact, pi) || !reflect.DeepEqual(r.GapTargets, gt) || !reflect.DeepEqual(r.LeaderDependency, ld) {
				t.Errorf("Report differs from its parts:\n got %+v", r)
			}

			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var top map[string]json.RawMessage
			if err := json.Unmarshal(b, &top); err != nil {
				t.Fatal(err)
			}
			var keys []string
			for k := range top {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			want := []string{"area", "bridges", "chain", "completeness", "cut_nodes", "gap_targets", "leader_dependency", "not_pursued", "project_impact", "project_impact_total", "pursuing", "segments", "totals"}
			if !reflect.DeepEqual(keys, want) {
				t.Errorf("top-level keys %v, want %v", keys, want)
			}
			// The §6 part reads exactly as Analyze's JSON.
			ab, _ := json.Marshal(a)
			var six map[string]json.RawMessage
			_ = json.Unmarshal(ab, &six)
			for k, v := range six {
				if string(top[k]) != string(v) {
					t.Errorf("field %s: %s, want %s", k, top[k], v)
				}
			}
			// Slices are [] everywhere; only a leader without suppliers has a null rate.
			if s := strings.ReplaceAll(string(b), `"local_supply_rate":null`, ""); strings.Contains(s, "null") {
				t.Errorf("JSON has null: %s", b)
			}
		})
	}
	ix := mustIndex(t, gapDataset())
	for _, tc := range []struct{ area, chain string }{{"999999", "bat"}, {"140827", "nope"}} {
		if _, err := ix.Report(tc.area, tc.chain); chainscope.ErrorCode(err) != chainscope.ENOTFOUND {
			t.Errorf("Report(%q, %q) error = %v, want ENOTFOUND", tc.area, tc.chain, err)
		}
	}
}

// TestExtrasConcurrentUse runs every analysis beyond SPEC at once on one
// index (go test -race checks the sharing) and compares with a serial run.
func TestExtrasConcurrentUse(t *testing.T) {
	ds, err := yuncheng.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	ix := mustIndex(t, ds)
	run := func() string {
		var out []any
		for _, area := range []string{"*", "140827", "140830-01"} {
			for _, c := range ds.Chains[:3] {
				r, err := ix.Report(area, c.ID)
				if err != nil {
					t.Error(err)
					return ""
				}
				wi, err := ix.WhatIf(area, c.ID, Scenario{Remove: []string{"E-zhenghong"}})
				if err != nil {
					t.Error(err)
					return ""
				}
				out = append(out, r, wi)
			}
		}
		cl, _ := ix.Cluster()
		out = append(out, cl, ix.Betweenness(10))
		b, _ := json.Marshal(out)
		return string(b)
	}
	results := make(chan string, 4)
	for range 4 {
		go func() { results <- run() }()
	}
	want := run()
	for range 4 {
		if got := <-results; got != want {
			t.Fatal("a concurrent run differs from the serial one")
		}
	}
}

// TestReportSameOnAnyCores: the parallel parts (project impact per project,
// leader dependency per leader, betweenness per source, the report's parts
// side by side) merge deterministically — one core and four give the same
// bytes.
func TestReportSameOnAnyCores(t *testing.T) {
	ix := mustIndex(t, synth.Generate(synth.Options{Enterprises: 3000, Projects: 900, Links: 24000, Seed: 7}))
	run := func(procs int) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		var out []any
		for _, area := range []string{"*", ix.counties[0].code} {
			for _, c := range ix.chains[:3] {
				r, err := ix.Report(area, c.id)
				if err != nil {
					t.Fatal(err)
				}
				all, _ := ix.ProjectImpact(area, c.id)
				out = append(out, r, all)
			}
		}
		st := betweennessStats(ix.und, 100, 40, 3) // sampled, with errors
		out = append(out, st.scores, st.stderr)
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	serial := run(1)
	if !strings.Contains(serial, `"project_impact":[{`) || !strings.Contains(serial, `"leader_dependency":[{`) {
		t.Fatal("the test scopes have no projects or no leaders: they test nothing")
	}
	if parallel := run(4); parallel != serial {
		t.Fatal("the report on four cores differs from the one on one core")
	}
}
