package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"chainscope"
	"chainscope/graph"
)

// TestFunnelCommand: --json prints graph's funnel of the stored data, the
// table names the stages in Chinese, and bad flags fail with the right code.
func TestFunnelCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	mustCLI(t, "init", "--db", db)
	ds := loadDB(t, db)
	out := mustCLI(t, "funnel", "--db", db, "--json", "--from", "2024-01-01", "--to", "2024-04-30", "--as-of", "1")
	var got graph.Funnel
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want, err := graph.NewFunnel(ds, "*", "", graph.Period{From: "2024-01-01", To: "2024-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, want) {
		t.Errorf("funnel --json = %+v, want %+v", got, want)
	}
	if out := mustCLI(t, "funnel", "--db", db, "--area", ds.Counties[0].Code); !strings.Contains(out, "走访 visited") || !strings.Contains(out, ds.Counties[0].Name) {
		t.Errorf("table:\n%s", out)
	}
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"funnel", "--db", db, "--from", "2024-04"}, 2},
		{[]string{"funnel", "--db", db, "--area", "000000"}, 1},
		{[]string{"funnel", "--db", db, "--chain", "nope"}, 1},
		{[]string{"funnel", "--db", db, "--as-of", "99"}, 1},
		{[]string{"funnel"}, 2},
	} {
		if code, _, _ := cli(t, c.args...); code != c.code {
			t.Errorf("chainscope %v: exit %d, want %d", c.args, code, c.code)
		}
	}
}

// TestFunnelTable: the table of hand-built leads shows each stage's count
// and rate as counted by hand (3 visited, 2 intent = 66.67%, 1 dropped).
func TestFunnelTable(t *testing.T) {
	ds := &chainscope.Dataset{Region: chainscope.Region{Code: "140800", Name: "运城市"},
		Counties: []chainscope.County{{Code: "140882", Name: "河津市", Kind: chainscope.KindCity}},
		Leads: []chainscope.Lead{
			{ID: "a", County: "140882", Stage: chainscope.LeadIntent},
			{ID: "b", County: "140882", Stage: chainscope.LeadIntent},
			{ID: "c", County: "140882", Stage: chainscope.LeadDropped, Dates: map[string]string{"visited": "2024-01-02"}},
		}}
	f, err := graph.NewFunnel(ds, "*", "", graph.Period{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := writeFunnelTable(&b, ds, f); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	find := func(prefix string) string {
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return strings.Join(strings.Fields(l), " ")
			}
		}
		return ""
	}
	for prefix, want := range map[string]string{
		"走访": "走访 visited 3 —", "意向": "意向 intent 2 66.67%", "考察": "考察 inspected 0 0.00%", "放弃": "放弃 dropped 1",
	} {
		if got := find(prefix); !strings.HasPrefix(got, want) {
			t.Errorf("row %s = %q, want %q…\n%s", prefix, got, want, b.String())
		}
	}
}
