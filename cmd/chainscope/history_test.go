package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"chainscope"
	"chainscope/dataset"
	"chainscope/graph"
	"chainscope/server"
	"chainscope/store"
)

// fakeClock makes every database the commands open stamp its revisions
// with *now, so that revisions fall on chosen days.
func fakeClock(t *testing.T) *time.Time {
	t.Helper()
	now := new(time.Time)
	real := openStore
	openStore = func(ctx context.Context, path string) (*store.DB, error) {
		db, err := real(ctx, path)
		if err == nil {
			db.Now = func() time.Time { return *now }
		}
		return db, err
	}
	t.Cleanup(func() { openStore = real })
	return now
}

// snapshot is everything the tests compare, taken right after a revision.
type snapshot struct {
	json, graphml []byte
	csv           map[string][]byte     // file name → bytes
	xlsx          map[string][][]string // sheet → rows of cells
	analyzeAll    string                // analyze --all --json
	zones         map[string]string     // "zone/chain" → analyze --json (zones are not in --all)
	svg           string
	whatif        string
	whatifCode    int
}

// revisionTimes are the commit times of the history the tests build, in
// UTC. The first two straddle midnight in Shanghai (UTC+8): 2024-04-01
// 23:59:59 and 2024-04-02 00:00:01 there, both 2024-04-01 in UTC.
var revisionTimes = []time.Time{
	time.Date(2024, 4, 1, 15, 59, 59, 0, time.UTC),
	time.Date(2024, 4, 1, 16, 0, 1, 0, time.UTC),
	time.Date(2024, 4, 5, 2, 0, 0, 0, time.UTC),
	time.Date(2024, 4, 5, 7, 0, 0, 0, time.UTC),
	time.Date(2024, 4, 10, 1, 0, 0, 0, time.UTC),
	time.Date(2024, 4, 12, 1, 0, 0, 0, time.UTC),
}

// history is a database with six CLI revisions and a snapshot after each.
type history struct {
	db    string
	snaps []*snapshot // snaps[r-1] is right after revision r
	// what the edits did, for the readable diff
	filled      [3]string // county, chain, segment filled at revision 2
	renamed     string    // the county renamed at revision 2
	flow        string    // the flow taken out at revision 3, "from→to"
	whatifScope [3]string // area, chain, project
}

// buildHistory writes six revisions with the command line, each with a
// different kind of write: init; a JSON merge (status change, a flag
// flipped, a missing segment filled, a county renamed); a JSON replace (the
// region renamed, a cut node removed with its links, flows, a segment
// renamed, lists and amounts changed, a note and investors dropped); a CSV
// folder replace (a new chain, a new zone, a link removed, a product
// changed); a JSON merge (a project added, a link changed); an xlsx replace
// of the same data (no change).
func buildHistory(t *testing.T) *history {
	t.Helper()
	now := fakeClock(t)
	dir := t.TempDir()
	h := &history{db: filepath.Join(dir, "h.db")}
	commit := func(rev int, args ...string) {
		t.Helper()
		*now = revisionTimes[rev-1]
		mustCLI(t, args...)
	}
	write := func(rev int, args ...string) {
		t.Helper()
		commit(rev, args...)
		h.snaps = append(h.snaps, takeSnapshot(t, h, ""))
	}
	file := func(name string, fill func(*bytes.Buffer) error) string {
		var buf bytes.Buffer
		if err := fill(&buf); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}

	commit(1, "init", "--db", h.db)

	// 2: merge
	ds := loadDB(t, h.db)
	ix, err := graph.NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	var patch struct {
		Counties    []chainscope.County     `json:"counties"`
		Enterprises []chainscope.Enterprise `json:"enterprises"`
		Projects    []chainscope.Project    `json:"projects"`
		Links       []chainscope.Link       `json:"links"`
	}
	// a project that starts, and becomes strategic-emerging
	for _, p := range ds.Projects {
		if p.Status == chainscope.StatusSigned && p.Started == "" && !p.Emerging && len(p.Segments) > 0 {
			p.Status, p.Started, p.Emerging = chainscope.StatusStarted, "2024-04-02", true
			patch.Projects = append(patch.Projects, p)
			seg := p.Segments[0]
			h.whatifScope = [3]string{graph.AllAreas, seg[:strings.IndexByte(seg, '.')], p.ID}
			break
		}
	}
	if len(patch.Projects) == 0 {
		t.Fatal("no signed project to start")
	}
	h.snaps = append(h.snaps, takeSnapshot(t, h, "")) // of revision 1, now that whatif has a scope
	// a missing segment of a county that has other nodes of the chain
fill:
	for _, c := range ds.Counties {
		if c.Kind == chainscope.KindZone {
			continue
		}
		for _, ch := range ds.Chains {
			a, err := ix.Analyze(c.Code, ch.ID)
			if err != nil || a.Totals.Enterprises == 0 {
				continue
			}
			for _, s := range a.Segments {
				if s.Status == graph.Missing {
					patch.Enterprises = append(patch.Enterprises, chainscope.Enterprise{ID: "E-test-fill", Name: "测试补链企业",
						County: c.Code, Segments: []string{s.ID}, LeaderOf: []string{}})
					var peer string
					for _, o := range a.Segments {
						if len(o.Nodes) > 0 {
							peer = o.Nodes[0]
						}
					}
					patch.Links = append(patch.Links, chainscope.Link{From: "E-test-fill", To: peer, Product: "测试产品"})
					h.filled = [3]string{c.Name, ch.Name, s.Name}
					break fill
				}
			}
		}
	}
	if patch.Enterprises == nil {
		t.Fatal("no missing segment to fill")
	}
	county := ds.Counties[1]
	county.Name += "（新）"
	h.renamed = county.Name
	patch.Counties = append(patch.Counties, county)
	write(2, "import", "--db", h.db, "--mode", "merge", file("patch2.json", func(b *bytes.Buffer) error { return json.NewEncoder(b).Encode(patch) }))

	// 3: replace with a JSON file
	ds = loadDB(t, h.db)
	ix, err = graph.NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	ds.Region.Name += "（测试）"
	var gone string
	for _, ch := range ds.Chains {
		if a, err := ix.Analyze(graph.AllAreas, ch.ID); err == nil && len(a.CutNodes) > 0 && strings.HasPrefix(a.CutNodes[0].ID, "E-") {
			gone = a.CutNodes[0].ID
			break
		}
	}
	if gone == "" {
		t.Fatal("no enterprise is a cut node")
	}
	ds.Enterprises = slices.DeleteFunc(ds.Enterprises, func(e chainscope.Enterprise) bool { return e.ID == gone })
	ds.Links = slices.DeleteFunc(ds.Links, func(l chainscope.Link) bool { return l.From == gone || l.To == gone })
	for i := range ds.Projects {
		if ds.Projects[i].Investor == gone {
			ds.Projects[i].Investor = ""
		}
	}
	h.flow = ds.Chains[0].Flows[0].From + "→" + ds.Chains[0].Flows[0].To
	ds.Chains[0].Flows = ds.Chains[0].Flows[1:]
	ds.Chains[1].Segments[0].Name += "（改）"
	e := &ds.Enterprises[0]
	e.Segments = append(e.Segments, ds.Chains[2].Segments[0].ID)
	out := 12345.0
	e.OutputWan = &out
	for i := range ds.Projects {
		if ds.Projects[i].Note != "" {
			ds.Projects[i].Note = ""
			break
		}
	}
	write(3, "import", "--db", h.db, file("full3.json", func(b *bytes.Buffer) error { return dataset.WriteJSON(b, ds) }))

	// 4: replace with a CSV folder
	ds = loadDB(t, h.db)
	ds.Chains = append(ds.Chains, chainscope.Chain{ID: "testchain", Name: "测试产业链",
		Segments: []chainscope.Segment{{ID: "testchain.a", Name: "测试上游", Stage: chainscope.StageUpstream},
			{ID: "testchain.b", Name: "测试下游", Stage: chainscope.StageDownstream}},
		Flows: []chainscope.Flow{{From: "testchain.a", To: "testchain.b"}}})
	parent := ds.Counties[0].Code
	ds.Counties = append(ds.Counties, chainscope.County{Code: parent + "-99", Name: "测试园区", Kind: chainscope.KindZone, Parent: parent})
	ds.Enterprises = append(ds.Enterprises, chainscope.Enterprise{ID: "E-test-zone", Name: "测试园区企业", County: parent + "-99",
		Segments: []string{"testchain.a", ds.Chains[0].Segments[0].ID}, LeaderOf: []string{"testchain"}})
	ds.Links[0].Product += "（改）"
	ds.Links = slices.Delete(ds.Links, 1, 2)
	csvDir := filepath.Join(dir, "csv4")
	if err := dataset.WriteCSV(csvDir, ds); err != nil {
		t.Fatal(err)
	}
	write(4, "import", "--db", h.db, csvDir)

	// 5: merge a project and a changed link
	ds = loadDB(t, h.db)
	inv := 8000.0
	link := ds.Links[2]
	link.Product = "改过的产品"
	patch5 := map[string]any{
		"projects": []chainscope.Project{{ID: "P-test-zone", Name: "测试园区项目", County: parent + "-99", Segments: []string{"testchain.b"},
			InvestmentWan: &inv, Signed: "2024-04-09", Status: chainscope.StatusSigned}},
		"links": []chainscope.Link{link, {From: "E-test-zone", To: "P-test-zone"}},
	}
	write(5, "import", "--db", h.db, "--mode", "merge", file("patch5.json", func(b *bytes.Buffer) error { return json.NewEncoder(b).Encode(patch5) }))

	// 6: the same data again, from a workbook
	write(6, "import", "--db", h.db, file("same6.xlsx", func(b *bytes.Buffer) error { return dataset.WriteXLSX(b, loadDB(t, h.db)) }))
	return h
}

// takeSnapshot runs every read command that takes --as-of, with asOf ("":
// none), and keeps what they print.
func takeSnapshot(t *testing.T, h *history, asOf string) *snapshot {
	t.Helper()
	dir := t.TempDir()
	var opt []string
	if asOf != "" {
		opt = []string{"--as-of", asOf}
	}
	cmd := func(args ...string) string {
		t.Helper()
		return mustCLI(t, append(append(args[:1:1], append([]string{"--db", h.db}, opt...)...), args[1:]...)...)
	}
	s := &snapshot{csv: map[string][]byte{}, zones: map[string]string{}}
	s.json = []byte(cmd("export", "--format", "json", "-o", "-"))
	s.graphml = []byte(cmd("export", "--format", "graphml", "-o", "-"))
	// a file, not stdout, for one format at least
	jsonFile := filepath.Join(dir, "x.json")
	cmd("export", "--format", "json", "-o", jsonFile)
	if b, err := os.ReadFile(jsonFile); err != nil || !bytes.Equal(b, s.json) {
		t.Fatalf("export to a file differs from export to stdout (%v)", err)
	}
	cmd("export", "--format", "csv", "-o", filepath.Join(dir, "csv"))
	entries, err := os.ReadDir(filepath.Join(dir, "csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, "csv", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		s.csv[e.Name()] = b
	}
	cmd("export", "--format", "xlsx", "-o", filepath.Join(dir, "x.xlsx"))
	s.xlsx = xlsxCells(t, filepath.Join(dir, "x.xlsx"))
	s.analyzeAll = cmd("analyze", "--all", "--json")
	var ds map[string]any
	if err := json.Unmarshal(s.json, &ds); err != nil {
		t.Fatal(err)
	}
	for _, c := range ds["counties"].([]any) {
		c := c.(map[string]any)
		if c["kind"] != "zone" {
			continue
		}
		for _, ch := range ds["chains"].([]any) {
			id := ch.(map[string]any)["id"].(string)
			s.zones[c["code"].(string)+"/"+id] = cmd("analyze", "--area", c["code"].(string), "--chain", id, "--json")
		}
	}
	s.svg = cmd("svg", "--area", "*", "--chain", "battery", "-o", "-")
	var wout, werr string
	s.whatifCode, wout, werr = cli(t, append(append([]string{"whatif", "--db", h.db}, opt...),
		"--area", h.whatifScope[0], "--chain", h.whatifScope[1], "--operate", h.whatifScope[2], "--json")...)
	s.whatif = wout + werr
	return s
}

// xlsxCells reads every cell of a workbook, sheet by sheet.
func xlsxCells(t *testing.T, path string) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		out[sheet] = rows
	}
	// The dates the workbook carries (SPEC §8: the revision's at).
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	out["docProps"] = [][]string{{props.Created, props.Modified}}
	return out
}

// compareSnapshots reports where got differs from want.
func compareSnapshots(t *testing.T, label string, got, want *snapshot) {
	t.Helper()
	check := func(what string, same bool) {
		t.Helper()
		if !same {
			t.Errorf("%s: %s differs from the one taken right after the revision", label, what)
		}
	}
	check("JSON export", bytes.Equal(got.json, want.json))
	check("GraphML export", bytes.Equal(got.graphml, want.graphml))
	check("CSV export", reflect.DeepEqual(got.csv, want.csv))
	check("xlsx cells", reflect.DeepEqual(got.xlsx, want.xlsx))
	check("analyze --all", got.analyzeAll == want.analyzeAll)
	check("analyze of the zones", reflect.DeepEqual(got.zones, want.zones))
	check("svg", got.svg == want.svg)
	check("whatif", got.whatif == want.whatif && got.whatifCode == want.whatifCode)
}

func TestAsOf(t *testing.T) {
	h := buildHistory(t)
	for i, snap := range h.snaps {
		want := revisionTimes[i].Format(time.RFC3339)
		if got := snap.xlsx["docProps"][0]; got[0] != want || got[1] != want {
			t.Errorf("xlsx right after revision %d carries %v, want its time %s", i+1, got, want)
		}
	}
	for i := 1; i < len(h.snaps); i++ {
		if bytes.Equal(h.snaps[i].json, h.snaps[i-1].json) != (i == 5) {
			t.Fatalf("revision %d: the history is not as planned (only revision 6 changes nothing)", i+1)
		}
	}
	if !bytes.Equal(h.snaps[5].json, h.snaps[4].json) {
		t.Fatal("the xlsx re-import of the same data changed it")
	}

	t.Run("by revision", func(t *testing.T) {
		for r := 1; r <= len(h.snaps); r++ {
			compareSnapshots(t, "--as-of "+strconv.Itoa(r), takeSnapshot(t, h, strconv.Itoa(r)), h.snaps[r-1])
		}
	})

	t.Run("by date, days ending at midnight in Shanghai", func(t *testing.T) {
		for _, tc := range []struct {
			date string
			rev  int
		}{
			{"2024-04-01", 1}, // 23:59:59 there; revision 2 is 1 s after midnight
			{"2024-04-02", 2},
			{"2024-04-04", 2}, // no revision that day: the last before
			{"2024-04-05", 4}, // two that day: the later
			{"2024-04-11", 5},
			{"2024-04-12", 6},
			{"2099-12-31", 6},
		} {
			got := takeSnapshot(t, h, tc.date)
			// The picture is dated by the day asked for; the revision's
			// own picture by the day of the revision.
			asked := ">数据截至 " + tc.date + "<"
			if !strings.Contains(got.svg, asked) {
				t.Errorf("--as-of %s: the svg does not say %s", tc.date, asked)
			}
			got.svg = strings.Replace(got.svg, asked, ">数据截至 "+revisionTimes[tc.rev-1].In(store.Shanghai).Format("2006-01-02")+"<", 1)
			compareSnapshots(t, "--as-of "+tc.date, got, h.snaps[tc.rev-1])
		}
	})

	t.Run("without --as-of, the latest", func(t *testing.T) {
		compareSnapshots(t, "no --as-of", takeSnapshot(t, h, ""), h.snaps[len(h.snaps)-1])
	})

	t.Run("errors", func(t *testing.T) {
		cmds := [][]string{
			{"export", "--format", "json", "-o", "-"},
			{"analyze", "--area", "*", "--chain", "battery"},
			{"analyze", "--all"},
			{"svg", "--area", "*", "--chain", "battery", "-o", "-"},
			{"whatif", "--area", "*", "--chain", "battery", "--remove", "E-x"},
		}
		for _, tc := range []struct {
			asOf string
			code int
			want string
		}{
			{"7", 1, "没有修订版本 7"},
			{"0", 1, "没有修订版本 0"},
			{"2024-03-31", 1, "2024-03-31 之前没有任何修订"},
			{"2024-02-30", 2, "YYYY-MM-DD"},
			{"april", 2, "YYYY-MM-DD"},
		} {
			for _, c := range cmds {
				args := append([]string{c[0], "--db", h.db, "--as-of", tc.asOf}, c[1:]...)
				code, out, errOut := cli(t, args...)
				if code != tc.code || !strings.Contains(errOut, tc.want) || out != "" {
					t.Errorf("%s: exit %d, want %d with %q\nstdout %q\nstderr %s", strings.Join(args, " "), code, tc.code, tc.want, out, errOut)
				}
			}
		}
		missing := filepath.Join(t.TempDir(), "none.db")
		if code, _, errOut := cli(t, "export", "--db", missing, "--as-of", "1", "-o", "-"); code != 1 || !strings.Contains(errOut, "no database") {
			t.Errorf("as-of on a missing database: exit %d %s", code, errOut)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Error("a read created a database")
		}
	})
}

func TestHistoryCommand(t *testing.T) {
	h := buildHistory(t)
	var page struct {
		Revisions []store.Revision `json:"revisions"`
		Total     int              `json:"total"`
	}
	if err := json.Unmarshal([]byte(mustCLI(t, "history", "--db", h.db, "--json")), &page); err != nil {
		t.Fatal(err)
	}
	summaries := []string{"init built-in dataset: ", "import merge: ", "import replace: ", "import replace: ", "import merge: ", "import replace: no change"}
	if page.Total != 6 || len(page.Revisions) != 6 {
		t.Fatalf("history: %d revisions of %d, want 6", len(page.Revisions), page.Total)
	}
	for i, r := range page.Revisions {
		rev := 6 - i
		if r.Rev != int64(rev) || r.By != "cli" || !strings.HasPrefix(r.Summary, summaries[rev-1]) || !r.At.Equal(revisionTimes[rev-1]) {
			t.Errorf("revision %d: %+v", rev, r)
		}
		if _, off := r.At.Zone(); off != 8*3600 {
			t.Errorf("revision %d: at %s is not in Shanghai time", rev, r.At)
		}
	}
	if !strings.Contains(page.Revisions[5].Summary, "190 enterprise") {
		t.Errorf("the first revision does not count its records: %q", page.Revisions[5].Summary)
	}

	out := mustCLI(t, "history", "--db", h.db)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 7 || !strings.HasPrefix(lines[0], "修订 rev") {
		t.Fatalf("history table:\n%s", out)
	}
	// newest first, in Shanghai time: revision 2 is on 2 April there
	for i, want := range []string{"6", "5", "4", "3", "2", "1"} {
		if f := strings.Fields(lines[i+1]); f[0] != want {
			t.Errorf("row %d is revision %s, want %s", i+1, f[0], want)
		}
	}
	for _, want := range []string{"2024-04-02 00:00:01", "2024-04-01 23:59:59", "import replace: no change"} {
		if !strings.Contains(out, want) {
			t.Errorf("history table lacks %q:\n%s", want, out)
		}
	}
	checkAligned(t, lines)

	out = mustCLI(t, "history", "--db", h.db, "--limit", "2")
	if !strings.Contains(out, "共 6 个修订") || strings.Count(out, "\n") != 5 {
		t.Errorf("history --limit 2:\n%s", out)
	}
	json.Unmarshal([]byte(mustCLI(t, "history", "--db", h.db, "--limit", "2", "--json")), &page)
	if page.Total != 6 || len(page.Revisions) != 2 || page.Revisions[0].Rev != 6 {
		t.Errorf("history --limit 2 --json: %+v", page)
	}

	if code, _, _ := cli(t, "history", "--db", h.db, "--limit", "-1"); code != 2 {
		t.Errorf("--limit -1: exit %d, want 2", code)
	}
	if code, _, _ := cli(t, "history"); code != 2 {
		t.Errorf("no --db: exit %d, want 2", code)
	}
	if code, _, _ := cli(t, "history", "--db", filepath.Join(t.TempDir(), "none.db")); code != 1 {
		t.Errorf("missing database: exit %d, want 1", code)
	}
}

// checkAligned checks that the cells of a table (cells two or more spaces
// apart) start at the display columns of the header's cells.
func checkAligned(t *testing.T, lines []string) {
	t.Helper()
	starts := func(line string) []int {
		var cols []int
		col, spaces := 0, 2
		for _, r := range line {
			if r == ' ' {
				spaces++
			} else {
				if spaces >= 2 {
					cols = append(cols, col)
				}
				spaces = 0
			}
			col += displayWidth(string(r))
		}
		return cols
	}
	head := starts(lines[0])
	for _, l := range lines[1:] {
		for _, c := range starts(l) {
			if !slices.Contains(head, c) {
				t.Errorf("a cell at display column %d, not under a heading %v:\n%s\n%s", c, head, lines[0], l)
				break
			}
		}
	}
}

// keyedRecord is a record of an export with its kind and key.
type keyedRecord struct {
	kind string
	id   string // "" for a link
	from string // links only
	to   string
	doc  map[string]any
}

// exportRecords lists the records of a JSON export, read as plain JSON, by
// their SPEC §8 key: a chain without its segments, each segment with the
// chain it belongs to.
func exportRecords(t *testing.T, b []byte) map[string]keyedRecord {
	t.Helper()
	var ds map[string]any
	if err := json.Unmarshal(b, &ds); err != nil {
		t.Fatal(err)
	}
	out := map[string]keyedRecord{}
	add := func(r keyedRecord) {
		key := r.kind + "\x00" + r.id + "\x00" + r.from + "\x00" + r.to
		if _, dup := out[key]; dup {
			t.Fatalf("export holds %s twice", key)
		}
		out[key] = r
	}
	list := func(name string) []map[string]any {
		var l []map[string]any
		for _, x := range ds[name].([]any) {
			l = append(l, x.(map[string]any))
		}
		return l
	}
	region := ds["region"].(map[string]any)
	add(keyedRecord{kind: "region", doc: region})
	for _, c := range list("counties") {
		add(keyedRecord{kind: "county", id: c["code"].(string), doc: c})
	}
	for _, c := range list("chains") {
		doc := map[string]any{}
		for k, v := range c {
			if k != "segments" {
				doc[k] = v
			}
		}
		add(keyedRecord{kind: "chain", id: c["id"].(string), doc: doc})
		for _, s := range c["segments"].([]any) {
			s := s.(map[string]any)
			doc := map[string]any{"chain": c["id"]}
			for k, v := range s {
				doc[k] = v
			}
			add(keyedRecord{kind: "segment", id: s["id"].(string), doc: doc})
		}
	}
	for _, kind := range []string{"enterprise", "project"} {
		for _, r := range list(kind + "s") {
			add(keyedRecord{kind: kind, id: r["id"].(string), doc: r})
		}
	}
	for _, l := range list("links") {
		add(keyedRecord{kind: "link", from: l["from"].(string), to: l["to"].(string), doc: l})
	}
	return out
}

// absentIfEmpty is a field value as SPEC §8 compares it: absent, "", []
// and {} are all absent (nil). So is a false flag: a project without
// "emerging" imports as false, and the diff reports a false flag as null
// (chainscope.Fields) where the export writes false; both sides of the
// comparison go through this, so either reading passes.
func absentIfEmpty(v any) any {
	switch x := v.(type) {
	case bool:
		if !x {
			return nil
		}
	case string:
		if x == "" {
			return nil
		}
	case []any:
		if len(x) == 0 {
			return nil
		}
	case map[string]any:
		if len(x) == 0 {
			return nil
		}
	}
	return v
}

// expectedRecords computes the records part of the diff from a to b from
// the two JSON exports, as plain JSON values.
func expectedRecords(t *testing.T, a, b []byte) []any {
	t.Helper()
	before, after := exportRecords(t, a), exportRecords(t, b)
	out := []any{}
	entry := func(r keyedRecord, change string) map[string]any {
		m := map[string]any{"kind": r.kind, "change": change}
		if r.kind == "link" {
			m["from"], m["to"] = r.from, r.to
		} else if r.kind == "region" {
			m["id"] = r.doc["code"]
		} else {
			m["id"] = r.id
		}
		return m
	}
	for key, y := range after {
		x, ok := before[key]
		if !ok {
			out = append(out, entry(y, "added"))
			continue
		}
		fields := map[string]any{}
		for _, doc := range []map[string]any{x.doc, y.doc} {
			for name := range doc {
				u, v := absentIfEmpty(x.doc[name]), absentIfEmpty(y.doc[name])
				if !reflect.DeepEqual(u, v) {
					fields[name] = []any{u, v}
				}
			}
		}
		if len(fields) > 0 {
			m := entry(y, "changed")
			m["fields"] = fields
			out = append(out, m)
		}
	}
	for key, x := range before {
		if _, ok := after[key]; !ok {
			out = append(out, entry(x, "removed"))
		}
	}
	return out
}

// scopeState is one scope at one end, from analyze --json.
type scopeState struct {
	completeness float64
	status       map[string]string
	cuts         []string
}

// scopesOf reads every scope of a snapshot: analyze --all and the zones.
func scopesOf(t *testing.T, s *snapshot) map[[2]string]scopeState {
	t.Helper()
	out := map[[2]string]scopeState{}
	add := func(line string) {
		var a graph.Analysis
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatal(err)
		}
		st := scopeState{completeness: a.Completeness, status: map[string]string{}, cuts: []string{}}
		for _, sg := range a.Segments {
			st.status[sg.ID] = string(sg.Status)
		}
		for _, c := range a.CutNodes {
			st.cuts = append(st.cuts, c.ID)
		}
		slices.Sort(st.cuts)
		out[[2]string{a.Area, a.Chain}] = st
	}
	for _, line := range strings.Split(strings.TrimSpace(s.analyzeAll), "\n") {
		add(line)
	}
	for _, z := range s.zones {
		add(z)
	}
	return out
}

// expectedScopes computes the scopes part of the diff from the analyses at
// both ends, as plain JSON values.
func expectedScopes(t *testing.T, a, b *snapshot) []any {
	t.Helper()
	before, after := scopesOf(t, a), scopesOf(t, b)
	keys := map[[2]string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	out := []any{}
	for k := range keys {
		x, okX := before[k]
		y, okY := after[k]
		comp := []any{nil, nil}
		if okX {
			comp[0] = x.completeness
		}
		if okY {
			comp[1] = y.completeness
		}
		var ids []string
		for id := range x.status {
			ids = append(ids, id)
		}
		for id := range y.status {
			if _, ok := x.status[id]; !ok {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		segs := []any{}
		for _, id := range ids {
			u, okU := x.status[id]
			v, okV := y.status[id]
			if okU && okV && u == v {
				continue
			}
			st := []any{nil, nil}
			if okU {
				st[0] = u
			}
			if okV {
				st[1] = v
			}
			segs = append(segs, map[string]any{"id": id, "status": st})
		}
		added, removed := []any{}, []any{}
		for _, c := range y.cuts {
			if !slices.Contains(x.cuts, c) {
				added = append(added, c)
			}
		}
		for _, c := range x.cuts {
			if !slices.Contains(y.cuts, c) {
				removed = append(removed, c)
			}
		}
		if okX && okY && x.completeness == y.completeness && len(segs) == 0 && len(added)+len(removed) == 0 {
			continue
		}
		out = append(out, map[string]any{"area": k[0], "chain": k[1], "completeness": comp, "segments": segs,
			"cut_nodes": map[string]any{"added": added, "removed": removed}})
	}
	return out
}

// canonical sorts a list of JSON objects by their JSON text, and the
// segments of scopes by id, so that two lists compare as sets.
func canonical(list []any) []any {
	for _, x := range list {
		if m, ok := x.(map[string]any); ok {
			if segs, ok := m["segments"].([]any); ok {
				slices.SortFunc(segs, func(a, b any) int {
					return cmp.Compare(a.(map[string]any)["id"].(string), b.(map[string]any)["id"].(string))
				})
			}
		}
	}
	text := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	slices.SortFunc(list, func(a, b any) int { return strings.Compare(text(a), text(b)) })
	return list
}

func TestDiffCommand(t *testing.T) {
	h := buildHistory(t)
	n := len(h.snaps)
	diffJSON := func(args ...string) map[string]any {
		t.Helper()
		var got map[string]any
		out := mustCLI(t, append([]string{"diff", "--db", h.db, "--json"}, args...)...)
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("diff --json: %v\n%s", err, out)
		}
		return got
	}

	t.Run("json against a recomputation from the exports and the analyses", func(t *testing.T) {
		for from := 1; from <= n; from++ {
			for to := 1; to <= n; to++ {
				got := diffJSON("--from", strconv.Itoa(from), "--to", strconv.Itoa(to))
				label := fmt.Sprintf("diff %d → %d", from, to)
				if len(got) != 4 || got["from"] != float64(from) || got["to"] != float64(to) {
					t.Fatalf("%s: from/to or extra fields: %v", label, got)
				}
				records, _ := got["records"].([]any)
				scopes, _ := got["scopes"].([]any)
				if records == nil || scopes == nil {
					t.Fatalf("%s: records and scopes must be lists: %v", label, got)
				}
				a, b := h.snaps[from-1], h.snaps[to-1]
				for _, r := range records {
					if f, ok := r.(map[string]any)["fields"].(map[string]any); ok {
						for name, pair := range f {
							p := pair.([]any)
							f[name] = []any{absentIfEmpty(p[0]), absentIfEmpty(p[1])}
						}
					}
				}
				if want := expectedRecords(t, a.json, b.json); !reflect.DeepEqual(canonical(records), canonical(want)) {
					gotJ, _ := json.MarshalIndent(records, "", " ")
					wantJ, _ := json.MarshalIndent(want, "", " ")
					t.Errorf("%s: records\n got %s\nwant %s", label, gotJ, wantJ)
				}
				if want := expectedScopes(t, a, b); !reflect.DeepEqual(canonical(scopes), canonical(want)) {
					gotJ, _ := json.MarshalIndent(scopes, "", " ")
					wantJ, _ := json.MarshalIndent(want, "", " ")
					t.Errorf("%s: scopes\n got %s\nwant %s", label, gotJ, wantJ)
				}
				if from == to && len(records)+len(scopes) != 0 {
					t.Errorf("%s: a revision differs from itself", label)
				}
			}
		}
	})

	t.Run("the planned changes are there", func(t *testing.T) {
		// 5 → 6 re-imported the same data; 1 → 6 has every kind of change
		if d := diffJSON("--from", "5"); len(d["records"].([]any))+len(d["scopes"].([]any)) != 0 || d["to"] != float64(6) {
			t.Errorf("5 → latest: %v", d)
		}
		kinds := map[string]map[string]bool{}
		for _, r := range diffJSON("--from", "1")["records"].([]any) {
			r := r.(map[string]any)
			k := r["kind"].(string)
			if kinds[k] == nil {
				kinds[k] = map[string]bool{}
			}
			kinds[k][r["change"].(string)] = true
		}
		for _, want := range []string{"region changed", "county changed", "county added", "chain changed", "chain added",
			"segment changed", "segment added", "enterprise added", "enterprise changed", "enterprise removed",
			"project changed", "project added", "link added", "link changed", "link removed"} {
			k, c, _ := strings.Cut(want, " ")
			if !kinds[k][c] {
				t.Errorf("1 → 6 lists no %s", want)
			}
		}
	})

	t.Run("dates and the default end", func(t *testing.T) {
		if got, want := diffJSON("--from", "2024-04-04", "--to", "2024-04-05"), diffJSON("--from", "2", "--to", "4"); !reflect.DeepEqual(got, want) {
			t.Error("diff by dates differs from diff by the revisions they name")
		}
		if got, want := diffJSON("--from", "2"), diffJSON("--from", "2", "--to", "6"); !reflect.DeepEqual(got, want) {
			t.Error("diff without --to is not the diff to the latest revision")
		}
	})

	t.Run("from after to is the way back", func(t *testing.T) {
		fwd, back := diffJSON("--from", "2", "--to", "4"), diffJSON("--from", "4", "--to", "2")
		swap := map[string]string{"added": "removed", "removed": "added", "changed": "changed"}
		var want []any
		for _, r := range fwd["records"].([]any) {
			r := r.(map[string]any)
			m := map[string]any{}
			for k, v := range r {
				m[k] = v
			}
			m["change"] = swap[r["change"].(string)]
			if f, ok := r["fields"].(map[string]any); ok {
				g := map[string]any{}
				for name, v := range f {
					pair := v.([]any)
					g[name] = []any{pair[1], pair[0]}
				}
				m["fields"] = g
			}
			want = append(want, m)
		}
		// a region renamed at revision 3 keys the region by its code both ways
		if !reflect.DeepEqual(canonical(back["records"].([]any)), canonical(want)) {
			t.Error("diff 4 → 2 is not diff 2 → 4 reversed")
		}
		if len(back["scopes"].([]any)) != len(fwd["scopes"].([]any)) {
			t.Error("diff 4 → 2 moves other scopes than diff 2 → 4")
		}
	})

	t.Run("the same as the API", func(t *testing.T) {
		sdb, err := store.Open(t.Context(), h.db)
		if err != nil {
			t.Fatal(err)
		}
		defer sdb.Close()
		srv, err := server.New(server.Config{DB: sdb, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		defer ts.Close()
		get := func(path string) any {
			t.Helper()
			resp, err := ts.Client().Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var v any
			if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != 200 {
				t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
			}
			return v
		}
		plain := func(s string) any {
			var v any
			if err := json.Unmarshal([]byte(s), &v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		for _, q := range [][2]string{{"1", "6"}, {"4", "2"}, {"2024-04-02", "2024-04-05"}} {
			cli := plain(mustCLI(t, "diff", "--db", h.db, "--from", q[0], "--to", q[1], "--json"))
			if api := get("/api/v1/changes?from=" + q[0] + "&to=" + q[1]); !reflect.DeepEqual(cli, api) {
				t.Errorf("diff --from %s --to %s differs from GET /api/v1/changes", q[0], q[1])
			}
		}
		if cli, api := plain(mustCLI(t, "history", "--db", h.db, "--json")), get("/api/v1/revisions"); !reflect.DeepEqual(cli, api) {
			t.Errorf("history --json differs from GET /api/v1/revisions:\n%v\n%v", cli, api)
		}
	})

	t.Run("readable table", func(t *testing.T) {
		out := mustCLI(t, "diff", "--db", h.db, "--from", "1", "--to", "2")
		for _, want := range []string{
			"修订 rev 1", "修订 rev 2", "2024-04-02 00:00:01", "import merge",
			"记录变化 records: 新增 added 2 · 修改 changed 2 · 删除 removed 0",
			"项目 project", "状态 status", "签约 signed", "开工 started", "战略性新兴产业 emerging", "否 no", "是 yes",
			"县区 county", h.renamed, "企业 enterprise", "新增 added", "E-test-fill 测试补链企业", "供需关系 link",
			"补链 filled：" + h.filled[2] + "（缺链 missing → ",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("diff table lacks %q:\n%s", want, out)
			}
		}
		if !strings.Contains(out, h.filled[0]) || !strings.Contains(out, h.filled[1]) {
			t.Errorf("diff table lacks the filled scope %v:\n%s", h.filled, out)
		}
		checkTables(t, out)

		out = mustCLI(t, "diff", "--db", h.db, "--from", "2", "--to", "3")
		for _, want := range []string{"删除 removed", "不再是关键节点 no longer a cut node", "环节关系 flows", "－" + h.flow, "产值(万元) output_wan", "12345", "地区 region"} {
			if !strings.Contains(out, want) {
				t.Errorf("diff 2 → 3 lacks %q:\n%s", want, out)
			}
		}
		checkTables(t, out)
		out = mustCLI(t, "diff", "--db", h.db, "--from", "3", "--to", "4")
		for _, want := range []string{"新范围 new scope", "测试产业链", "测试园区"} {
			if !strings.Contains(out, want) {
				t.Errorf("diff 3 → 4 lacks %q:\n%s", want, out)
			}
		}
		checkTables(t, out)

		out = mustCLI(t, "diff", "--db", h.db, "--from", "6", "--to", "5")
		if !strings.Contains(out, "记录无变化") || !strings.Contains(out, "no scope changed") {
			t.Errorf("diff of equal data:\n%s", out)
		}
		out = mustCLI(t, "diff", "--db", h.db, "--from", "4", "--to", "1")
		if !strings.Contains(out, "from a later revision to an earlier one") {
			t.Errorf("a diff backwards does not say so:\n%s", out)
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			code int
			want string
		}{
			{[]string{"--from", "7"}, 1, "没有修订版本 7"},
			{[]string{"--from", "1", "--to", "9"}, 1, "没有修订版本 9"},
			{[]string{"--from", "2024-03-31"}, 1, "之前没有任何修订"},
			{[]string{"--from", "1", "--to", "2024-03-31"}, 1, "之前没有任何修订"},
			{[]string{"--from", "2024-4-1"}, 2, "YYYY-MM-DD"},
			{[]string{"--from", "1", "--to", "latest"}, 2, "YYYY-MM-DD"},
			{[]string{"--to", "2"}, 2, "--from"},
		} {
			code, out, errOut := cli(t, append([]string{"diff", "--db", h.db}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) || out != "" {
				t.Errorf("diff %v: exit %d (want %d), stderr %q", tc.args, code, tc.code, errOut)
			}
		}
		if code, _, errOut := cli(t, "diff", "--db", filepath.Join(t.TempDir(), "none.db"), "--from", "1"); code != 1 || !strings.Contains(errOut, "no database") {
			t.Errorf("missing database: exit %d %s", code, errOut)
		}
	})
}

// checkTables checks the alignment of every table of a readable diff:
// runs of lines between blank lines that start with a heading.
func checkTables(t *testing.T, out string) {
	t.Helper()
	blocks := strings.Split(out, "\n\n")
	for _, b := range blocks {
		lines := strings.Split(strings.TrimRight(b, "\n"), "\n")
		if strings.HasPrefix(lines[0], "类型 kind") || strings.HasPrefix(lines[0], "县区 area") {
			checkAligned(t, lines)
		}
	}
}

// TestWritesNameRevisions: every command-line write is a revision by cli
// that says what it was.
func TestWritesNameRevisions(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	mustCLI(t, "init", "--db", db)
	ds := loadDB(t, db)
	e := ds.Enterprises[0]
	e.Name += "（改）"
	patch := filepath.Join(dir, "p.json")
	b, _ := json.Marshal(map[string]any{"enterprises": []chainscope.Enterprise{e}})
	os.WriteFile(patch, b, 0o644)
	mustCLI(t, "import", "--db", db, "--mode", "merge", patch)
	mustCLI(t, "init", "--db", db, "--force")
	seeded := filepath.Join(dir, "seeded.db")
	sdb, err := openOrSeed(t.Context(), seeded) // what serve does without a database
	if err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	for _, tc := range []struct {
		db   string
		want []string
	}{
		{db, []string{"init built-in dataset: 1 region, 21 county", "import merge: 1 enterprise", "init built-in dataset: 1 enterprise"}},
		{seeded, []string{"init built-in dataset: 1 region, 21 county"}},
	} {
		var page revisionPage
		if err := json.Unmarshal([]byte(mustCLI(t, "history", "--db", tc.db, "--json")), &page); err != nil {
			t.Fatal(err)
		}
		if page.Total != len(tc.want) {
			t.Fatalf("%s: %d revisions, want %d: %+v", tc.db, page.Total, len(tc.want), page.Revisions)
		}
		for i, want := range tc.want {
			r := page.Revisions[len(tc.want)-1-i]
			if r.Rev != int64(i+1) || r.By != "cli" || !strings.HasPrefix(r.Summary, want) {
				t.Errorf("%s revision %d: %+v, want %q by cli", tc.db, i+1, r, want)
			}
		}
	}
}

// TestImportOverHistoryKeepsOrder: a replace import into a database that
// already holds data (written as a diff, one revision) stores the records
// it adds at the end of their kind in the file's order, so an export gives
// back the file it imported.
func TestImportOverHistoryKeepsOrder(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	mustCLI(t, "init", "--db", db)
	ds := loadDB(t, db)
	ds.Chains = append(ds.Chains, chainscope.Chain{ID: "zz", Name: "新链",
		Segments: []chainscope.Segment{{ID: "zz.1", Name: "一", Stage: chainscope.StageUpstream},
			{ID: "zz.2", Name: "二", Stage: chainscope.StageMidstream}, {ID: "zz.3", Name: "三", Stage: chainscope.StageDownstream}},
		Flows: []chainscope.Flow{{From: "zz.1", To: "zz.2"}, {From: "zz.2", To: "zz.3"}}})
	for i := 1; i <= 3; i++ {
		ds.Enterprises = append(ds.Enterprises, chainscope.Enterprise{ID: fmt.Sprintf("E-zz-%d", i), Name: fmt.Sprintf("新企业%d", i),
			County: ds.Counties[0].Code, Segments: []string{fmt.Sprintf("zz.%d", i)}, LeaderOf: []string{}})
	}
	ds.Links = append(ds.Links, chainscope.Link{From: "E-zz-1", To: "E-zz-2"}, chainscope.Link{From: "E-zz-2", To: "E-zz-3"})
	var buf bytes.Buffer
	if err := dataset.WriteJSON(&buf, ds); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "more.json")
	os.WriteFile(f, buf.Bytes(), 0o644)
	mustCLI(t, "import", "--db", db, f)
	if got := exportJSON(t, db); !bytes.Equal(got, buf.Bytes()) {
		for _, id := range []string{`"id":"zz.1"`, `"id":"E-zz-1"`, `"from":"E-zz-1"`} {
			t.Logf("%s at byte %d of the export, %d of the file", id, bytes.Index(got, []byte(id)), bytes.Index(buf.Bytes(), []byte(id)))
		}
		t.Fatal("export after a replace import over stored data differs from the imported file")
	}
}
