package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"chainscope"
	"chainscope/graph"
)

// TestRelatedCommand: `chainscope related --json` prints what GET
// /api/v1/relatedness answers for every county of the built-in dataset; the
// table names the suggestions in Chinese, lined up by display width; a zone,
// *, an unknown area and a bad limit fail.
func TestRelatedCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	mustCLI(t, "init", "--db", db)
	ds := loadDB(t, db)
	ix, err := graph.NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}

	ts := apiServer(t, db)
	api := func(query string) []byte {
		t.Helper()
		resp, err := ts.Client().Get(ts.URL + "/api/v1/relatedness?" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("relatedness?%s: %d %s", query, resp.StatusCode, body)
		}
		return body
	}
	compact := func(s string) []byte {
		t.Helper()
		var b bytes.Buffer
		if err := json.Compact(&b, []byte(s)); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, s)
		}
		return b.Bytes()
	}

	t.Run("json equals the API's answer", func(t *testing.T) {
		for _, c := range ds.Counties {
			if c.Kind == chainscope.KindZone {
				continue
			}
			for _, q := range []struct{ args, query string }{
				{"", ""},
				{"--chain battery", "&chain=battery"},
				{"--limit 2", "&limit=2"},
			} {
				args := append([]string{"related", "--db", db, "--area", c.Code, "--json"}, strings.Fields(q.args)...)
				out := mustCLI(t, args...)
				if got, want := compact(out), api("area="+c.Code+q.query); !bytes.Equal(got, want) {
					t.Errorf("%v:\n cli %s\n api %s", args, got, want)
				}
			}
		}
		out := mustCLI(t, "related", "--db", db, "--area", "140827", "--json")
		var got graph.Relatedness
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		want, _ := ix.Related("140827", "", defaultRelated)
		if !reflect.DeepEqual(&got, want) {
			t.Fatalf("related --json differs from graph.Related:\n%s", out)
		}
	})

	t.Run("as-of answers as of the revision", func(t *testing.T) {
		now := mustCLI(t, "related", "--db", db, "--area", "140827", "--json")
		if then := mustCLI(t, "related", "--db", db, "--area", "140827", "--json", "--as-of", "1"); then != now {
			t.Errorf("--as-of 1 of a database with one revision differs from now")
		}
		if code, _, _ := cli(t, "related", "--db", db, "--area", "140827", "--as-of", "7"); code != 1 {
			t.Errorf("unknown revision: exit %d", code)
		}
	})

	t.Run("table", func(t *testing.T) {
		out := mustCLI(t, "related", "--db", db, "--area", "140827")
		want, _ := ix.Related("140827", "", defaultRelated)
		if len(want.Suggestions) == 0 {
			t.Fatal("垣曲县 has no suggestions; pick another county")
		}
		seg := segmentNames(ds)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		head := -1
		for i, l := range lines {
			if strings.HasPrefix(l, "环节 segment") {
				head = i
			}
		}
		if head < 0 || !strings.Contains(out, "垣曲县") || !strings.Contains(out, "不是预测") {
			t.Fatalf("table lacks its header, the county or what density means:\n%s", out)
		}
		rows := lines[head+1:]
		if len(rows) != len(want.Suggestions) {
			t.Fatalf("%d rows, want %d:\n%s", len(rows), len(want.Suggestions), out)
		}
		// Each column starts at the same terminal cell in every row.
		starts := func(line string, cells ...string) []int { return cellStarts(t, line, cells...) }
		wantAt := starts(lines[head], "环节 segment", "产业链 chain", "密度 density", "依据 because")
		for i, s := range want.Suggestions {
			cells := []string{seg[s.Segment] + " " + s.Segment, ds.Chains[chainIndex(ds, s.Chain)].Name,
				fmt.Sprintf("%.4f ", s.Density)}
			if len(s.Because) > 0 {
				cells = append(cells, seg[s.Because[0].Segment]+"（")
			}
			got := starts(rows[i], cells...)
			for k := range got {
				if got[k] != wantAt[k] {
					t.Errorf("row %d column %d starts at cell %d, header at %d:\n%s", i+1, k+1, got[k], wantAt[k], out)
				}
			}
			if !strings.Contains(rows[i], densityBar(s.Density)) {
				t.Errorf("row %d lacks the density bar %s", i+1, densityBar(s.Density))
			}
		}
	})

	t.Run("errors", func(t *testing.T) {
		zone := ""
		for _, c := range ds.Counties {
			if c.Kind == chainscope.KindZone {
				zone = c.Code
				break
			}
		}
		cases := []struct {
			args []string
			code int
			want string
		}{
			{[]string{"--area", zone}, 1, zone},
			{[]string{"--area", "*"}, 1, "*"},
			{[]string{"--area", "140899"}, 1, "140899"},
			{[]string{"--area", "140827", "--chain", "nochain"}, 1, "nochain"},
			{[]string{"--area", "140827", "--limit", "0"}, 2, "--limit"},
			{[]string{"--area", "140827", "--limit", "x"}, 2, "limit"},
			{[]string{}, 2, "--area"},
		}
		for _, tc := range cases {
			code, _, errOut := cli(t, append([]string{"related", "--db", db}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("%v: exit %d, stderr %q", tc.args, code, errOut)
			}
		}
	})
}

// chainIndex is the position of chain id in ds.Chains.
func chainIndex(ds *chainscope.Dataset, id string) int {
	for i, c := range ds.Chains {
		if c.ID == id {
			return i
		}
	}
	return -1
}
