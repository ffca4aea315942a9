package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"chainscope/graph"
)

// decodeAny decodes a JSON object for comparing answers field by field.
func decodeAny(t *testing.T, s string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%v: %.200s", err, s)
	}
	return v
}

func TestAnalyzeCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	mustCLI(t, "init", "--db", db)
	ds := loadDB(t, db)
	ix, err := graph.NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("json carries the SPEC §6 analysis", func(t *testing.T) {
		out := mustCLI(t, "analyze", "--db", db, "--area", "140827", "--chain", "battery", "--json")
		var got graph.Analysis
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		want, _ := ix.Analyze("140827", "battery")
		if !reflect.DeepEqual(&got, want) {
			t.Fatalf("analyze --json differs from graph.Analyze:\n%s", out)
		}
		var fields map[string]json.RawMessage
		json.Unmarshal([]byte(out), &fields)
		for _, f := range []string{"area", "chain", "completeness", "segments", "cut_nodes", "bridges", "totals", "project_impact", "gap_targets", "leader_dependency"} {
			if _, ok := fields[f]; !ok {
				t.Errorf("JSON lacks %q", f)
			}
		}
		if again := mustCLI(t, "analyze", "--db", db, "--area", "140827", "--chain", "battery", "--json"); again != out {
			t.Fatal("analyze output is not deterministic")
		}
	})

	t.Run("json is the API's analysis, leads and portfolio included", func(t *testing.T) {
		ts := apiServer(t, db)
		pursued, notPursued := 0, 0
		for _, sc := range [][2]string{{"140827", "battery"}, {"140825", "battery"}, {"*", "battery"}, {"140830", "pharma"}, {"140828", "battery"}} {
			cli := decodeAny(t, mustCLI(t, "analyze", "--db", db, "--area", sc[0], "--chain", sc[1], "--json"))
			res, err := http.Get(ts.URL + "/api/v1/analysis?area=" + url.QueryEscape(sc[0]) + "&chain=" + sc[1])
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s/%s: %d %s", sc[0], sc[1], res.StatusCode, body)
			}
			api := decodeAny(t, string(body))
			if !reflect.DeepEqual(cli, api) {
				t.Errorf("%s/%s: analyze --json differs from GET /api/v1/analysis", sc[0], sc[1])
			}
			if p, _ := cli["pursuing"].([]any); len(p) > 0 {
				pursued++
			}
			if cli["not_pursued"] == true {
				notPursued++
			}
		}
		// The built-in dataset has open leads on missing segments and
		// counties that develop other chains: both parts are exercised.
		if pursued == 0 || notPursued == 0 {
			t.Errorf("scopes with pursued segments: %d, not pursued: %d; the test no longer covers the drive", pursued, notPursued)
		}
	})

	t.Run("readable table names segments and statuses in Chinese", func(t *testing.T) {
		out := mustCLI(t, "analyze", "--db", db, "--area", "140827", "--chain", "battery")
		a, _ := ix.Analyze("140827", "battery")
		for _, s := range a.Segments {
			if !strings.Contains(out, s.Name) {
				t.Errorf("table lacks segment %s", s.Name)
			}
		}
		if !strings.Contains(out, "完整度") || !strings.Contains(out, "缺链") {
			t.Errorf("table lacks Chinese labels:\n%s", out)
		}
	})

	t.Run("all scopes as JSON lines", func(t *testing.T) {
		out := mustCLI(t, "analyze", "--db", db, "--all", "--json")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		counties := 0
		for _, c := range ds.Counties {
			if c.Kind != "zone" {
				counties++
			}
		}
		if want := (counties + 1) * len(ds.Chains); len(lines) != want {
			t.Fatalf("--all printed %d scopes, want %d", len(lines), want)
		}
		var first graph.Analysis
		json.Unmarshal([]byte(lines[0]), &first)
		if first.Area != "*" || first.Chain != ds.Chains[0].ID {
			t.Fatalf("first scope = %s/%s", first.Area, first.Chain)
		}
	})

	t.Run("errors", func(t *testing.T) {
		cases := []struct {
			args []string
			code int
			want string
		}{
			{[]string{"--area", "140899", "--chain", "battery"}, 1, "140899"},
			{[]string{"--area", "140827", "--chain", "nochain"}, 1, "nochain"},
			{[]string{"--area", "140827"}, 2, "--chain"},
		}
		for _, tc := range cases {
			code, _, errOut := cli(t, append([]string{"analyze", "--db", db}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("%v: exit %d, stderr %q", tc.args, code, errOut)
			}
		}
	})
}

// analyze loads only what the asked chain's scopes read
// (store.DB.LoadForAnalysis with a chain): every report (with the drive's
// leads and portfolio) and every leader's
// whole supplier list, for "*", every county and every zone of every
// chain, equals the one computed on the whole dataset.
func TestAnalyzeChainLoadMatchesWholeDataset(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	mustCLI(t, "gen", "--enterprises", "1500", "--projects", "400", "--links", "9000", "-o", filepath.Join(dir, "g.json"))
	mustCLI(t, "import", "--db", db, filepath.Join(dir, "g.json"))
	ds := loadDB(t, db)
	whole, err := graph.NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	leaders := 0
	sdb, err := openExisting(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	for _, c := range ds.Chains {
		cds, ix, err := loadRecordsIndex(ctx, sdb, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		areas := []string{graph.AllAreas}
		for _, k := range ds.Counties {
			areas = append(areas, k.Code)
		}
		for _, area := range areas {
			wsc, err := whole.Scope(area, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := wsc.DriveReport(ds)
			sc, err := ix.Scope(area, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := sc.DriveReport(cds)
			if !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				t.Fatalf("%s/%s: report from the chain's load differs:\n%s\nwant\n%s", area, c.ID, g, w)
			}
			for _, l := range want.LeaderDependency {
				leaders++
				gp, err := sc.LeaderSuppliers(l.ID, 0, 0)
				if err != nil {
					t.Fatal(err)
				}
				wp, _ := wsc.LeaderSuppliers(l.ID, 0, 0)
				if !reflect.DeepEqual(gp, wp) {
					t.Fatalf("%s/%s: suppliers of %s differ", area, c.ID, l.ID)
				}
			}
		}
	}
	if leaders == 0 {
		t.Fatal("no chain leader in any scope: the supplier lists went untested")
	}
}
