package server

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"chainscope"
	"chainscope/dataset"
	"chainscope/store"
)

// writeRoutes are every route that changes data (and the backup, which
// hands out all of it), with a body that would be acceptable.
var writeRoutes = []struct{ method, path, body string }{
	{"POST", "/api/v1/enterprises", `{"id": "E-new", "name": "新企业", "county": "140827", "segments": [], "leader_of": []}`},
	{"PUT", "/api/v1/enterprises/E-zhewu", `{"name": "新名字", "county": "140800", "segments": [], "leader_of": []}`},
	{"DELETE", "/api/v1/enterprises/E-zhewu?cascade=true", ""},
	{"POST", "/api/v1/projects", `{"id": "P-new", "name": "新项目", "county": "140827", "segments": [], "status": "signed", "emerging": false}`},
	{"PUT", "/api/v1/projects/P-2022-001", `{"name": "改", "county": "140827", "segments": [], "status": "signed", "emerging": false}`},
	{"DELETE", "/api/v1/projects/P-2022-001?cascade=true", ""},
	{"POST", "/api/v1/links", `{"from": "E-zhewu", "to": "E-huajin"}`},
	{"PUT", "/api/v1/links?from=E-yanhu-equipment-03&to=E-yanhu-equipment-01", `{"product": "铸件2"}`},
	{"DELETE", "/api/v1/links?from=E-yanhu-equipment-03&to=E-yanhu-equipment-01", ""},
	{"POST", "/api/v1/leads", `{"id": "L-new", "name": "目标企业", "county": "140827", "segments": [], "stage": "visited"}`},
	{"PUT", "/api/v1/leads/L-new", `{"name": "目标企业", "county": "140827", "segments": [], "stage": "visited"}`},
	{"DELETE", "/api/v1/leads/L-new", ""},
	{"POST", "/api/v1/dataset?mode=merge", `{"enterprises": []}`},
	{"GET", "/api/v1/backup", ""},
}

// TestWritesNeedToken: a read-only server refuses every write with 403, a
// missing or wrong token is 401, and nothing changes either way.
func TestWritesNeedToken(t *testing.T) {
	readOnly := start(t, nil, func(c *Config) { c.EditorToken = "" })
	guarded := start(t, nil)
	before := jsonOf(t, guarded.stored())
	cases := []struct {
		name   string
		ts     *testServer
		header []string
		want   int
	}{
		{"read-only, no token", readOnly, nil, 403},
		{"read-only, some token", readOnly, []string{"Authorization", "Bearer " + testToken}, 403},
		{"no token", guarded, nil, 401},
		{"wrong bearer token", guarded, []string{"Authorization", "Bearer wrong"}, 401},
		{"token prefix", guarded, []string{"Authorization", "Bearer " + testToken[:5]}, 401},
		{"token with extra", guarded, []string{"Authorization", "Bearer " + testToken + "x"}, 401},
		{"basic auth", guarded, []string{"Authorization", "Basic " + testToken}, 401},
		{"wrong X-Editor-Token", guarded, []string{"X-Editor-Token", "nope"}, 401},
	}
	for _, tc := range cases {
		for _, w := range writeRoutes {
			t.Run(tc.name+" "+w.method+" "+w.path, func(t *testing.T) {
				var body []byte
				if w.body != "" {
					body = []byte(w.body)
				}
				r := tc.ts.do(request{method: w.method, path: w.path, body: body, header: pairs(tc.header)})
				if r.status != tc.want {
					t.Fatalf("= %d, want %d: %s", r.status, tc.want, r.body)
				}
				r.errorBody(t)
				if tc.want == 401 && r.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			})
		}
	}
	for _, ts := range []*testServer{readOnly, guarded} {
		if got := jsonOf(t, ts.stored()); got != before {
			t.Fatal("a refused write changed the data")
		}
		if rev, _ := ts.db.LatestRevision(context.Background()); rev != 1 {
			t.Fatalf("refused writes made revisions: latest %d", rev)
		}
	}
	// Either header carries the token.
	r := guarded.do(request{method: "POST", path: "/api/v1/links", body: []byte(writeRoutes[6].body),
		header: map[string]string{"X-Editor-Token": testToken}})
	if r.status != 201 {
		t.Fatalf("X-Editor-Token write = %d %s", r.status, r.body)
	}
}

// TestRecordWrites creates, updates and deletes an enterprise, a project
// and a link, checking the stored data and the audit log each time.
func TestRecordWrites(t *testing.T) {
	ts := start(t, nil)
	base := ts.stored()
	county, segment := "140827", base.Chains[0].Segments[0].ID
	uscc := validUSCC("91140800MA0L0K0K0")
	supplier := base.Enterprises[0].ID

	steps := []struct {
		name         string
		method, path string
		body         string
		want         int
		change       func(ds *chainscope.Dataset) // what the write should do to the stored data
		entity, key  string
	}{
		{"create enterprise", "POST", "/api/v1/enterprises",
			fmt.Sprintf(`{"id": "E-test", "name": "测试企业", "uscc": %q, "county": %q, "segments": [%q], "leader_of": []}`, uscc, county, segment), 201,
			func(ds *chainscope.Dataset) {
				ds.Enterprises = append(ds.Enterprises, chainscope.Enterprise{ID: "E-test", Name: "测试企业", USCC: uscc, County: county, Segments: []string{segment}, LeaderOf: []string{}})
			}, "enterprise", "E-test"},
		{"update enterprise", "PUT", "/api/v1/enterprises/E-test",
			fmt.Sprintf(`{"name": "测试企业（改名）", "county": %q, "segments": [%q], "leader_of": [%q], "output_wan": 1200}`, county, segment, base.Chains[0].ID), 200,
			func(ds *chainscope.Dataset) {
				e := &ds.Enterprises[len(ds.Enterprises)-1]
				out := 1200.0
				e.Name, e.USCC, e.LeaderOf, e.OutputWan = "测试企业（改名）", "", []string{base.Chains[0].ID}, &out
			}, "enterprise", "E-test"},
		{"create project", "POST", "/api/v1/projects",
			fmt.Sprintf(`{"id": "P-test", "name": "测试项目", "investor": "E-test", "county": %q, "segments": [%q], "investment_wan": 5000, "signed": "2024-04-01", "status": "signed", "emerging": true}`, county, segment), 201,
			func(ds *chainscope.Dataset) {
				inv := 5000.0
				ds.Projects = append(ds.Projects, chainscope.Project{ID: "P-test", Name: "测试项目", Investor: "E-test", County: county, Segments: []string{segment}, InvestmentWan: &inv, Signed: "2024-04-01", Status: chainscope.StatusSigned, Emerging: true})
			}, "project", "P-test"},
		{"update project", "PUT", "/api/v1/projects/P-test",
			fmt.Sprintf(`{"id": "P-test", "name": "测试项目", "investor": "E-test", "county": %q, "segments": [%q], "investment_wan": 5000, "signed": "2024-04-01", "started": "2024-05-01", "status": "started", "emerging": true}`, county, segment), 200,
			func(ds *chainscope.Dataset) {
				p := &ds.Projects[len(ds.Projects)-1]
				p.Started, p.Status = "2024-05-01", chainscope.StatusStarted
			}, "project", "P-test"},
		{"create link", "POST", "/api/v1/links", fmt.Sprintf(`{"from": %q, "to": "E-test", "product": "原料"}`, supplier), 201,
			func(ds *chainscope.Dataset) {
				ds.Links = append(ds.Links, chainscope.Link{From: supplier, To: "E-test", Product: "原料"})
			}, "link", supplier + " → E-test"},
		{"create link to a project", "POST", "/api/v1/links", `{"from": "E-test", "to": "P-test"}`, 201,
			func(ds *chainscope.Dataset) {
				ds.Links = append(ds.Links, chainscope.Link{From: "E-test", To: "P-test"})
			}, "link", "E-test → P-test"},
		{"update link", "PUT", "/api/v1/links?from=" + url.QueryEscape(supplier) + "&to=E-test", `{"product": "精矿"}`, 200,
			func(ds *chainscope.Dataset) {
				ds.Links[len(ds.Links)-2].Product = "精矿"
			}, "link", supplier + " → E-test"},
		{"delete link", "DELETE", "/api/v1/links?from=E-test&to=P-test", "", 204,
			func(ds *chainscope.Dataset) { ds.Links = ds.Links[:len(ds.Links)-1] }, "link", "E-test → P-test"},
		{"delete project", "DELETE", "/api/v1/projects/P-test", "", 204,
			func(ds *chainscope.Dataset) { ds.Projects = ds.Projects[:len(ds.Projects)-1] }, "project", "P-test"},
		{"delete enterprise with its links", "DELETE", "/api/v1/enterprises/E-test?cascade=true", "", 204,
			func(ds *chainscope.Dataset) {
				ds.Enterprises = ds.Enterprises[:len(ds.Enterprises)-1]
				ds.Links = ds.Links[:len(ds.Links)-1]
			}, "link", supplier + " → E-test"}, // the cascaded link is the newest entry
	}
	want := ts.stored()
	version := ts.snap.Load().version
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			var body []byte
			if st.body != "" {
				body = []byte(st.body)
			}
			r := ts.edit(st.method, st.path, body)
			if r.status != st.want {
				t.Fatalf("%s %s = %d, want %d: %s", st.method, st.path, r.status, st.want, r.body)
			}
			st.change(want)
			if got := ts.stored(); jsonOf(t, got) != jsonOf(t, want) {
				t.Fatalf("stored data after %s:\n%s", st.name, firstDiff(jsonOf(t, got), jsonOf(t, want)))
			}
			if mem := ts.snap.Load().ds; jsonOf(t, mem) != jsonOf(t, want) {
				t.Fatalf("data in memory after %s:\n%s", st.name, firstDiff(jsonOf(t, mem), jsonOf(t, want)))
			}
			if v := ts.snap.Load().version; v <= version {
				t.Fatalf("data version %d after write, was %d", v, version)
			} else {
				version = v
			}
			// The in-memory snapshot serves the new data at once.
			var region RegionInfo
			ts.get("/api/v1/region").decode(t, &region)
			if region.Counts != countsOf(want) || region.DataVersion != version {
				t.Fatalf("region after write: %+v, want counts %+v version %d", region, countsOf(want), version)
			}
			// The snapshot derived from the previous one (index patched,
			// lookups shared) answers as one built from the stored data.
			fresh, err := newSnapshot(0, ts.stored(), 0)
			if err != nil {
				t.Fatal(err)
			}
			mem := ts.snap.Load()
			gotAll, _ := mem.ix.AnalyzeAll()
			wantAll, _ := fresh.ix.AnalyzeAll()
			if string(mustJSON(t, gotAll)) != string(mustJSON(t, wantAll)) {
				t.Fatal("the analysis of the derived snapshot differs from a fresh one")
			}
			for i := range fresh.ds.Enterprises {
				if id := fresh.ds.Enterprises[i].ID; mem.lk.ent[id] != i ||
					string(mustJSON(t, mem.lk.suppliers(i))) != string(mustJSON(t, fresh.lk.suppliers(i))) {
					t.Fatalf("lookup of %s differs from a fresh one", id)
				}
			}
			entries, err := ts.db.Audit(context.Background(), 0, 0)
			key := strings.Replace(st.key, " → ", "\x1f", 1)
			if err != nil || len(entries) == 0 || entries[0].By != editorActor ||
				!slices.ContainsFunc(entries, func(e store.AuditEntry) bool { return e.Rev == entries[0].Rev && e.Kind == st.entity && e.Key == key }) {
				t.Fatalf("newest audit entries %+v (%v), want %s %s", entries, err, st.entity, st.key)
			}
		})
	}

	// Every write is a revision; a record's history over HTTP lists who
	// changed it and what it held before.
	var revs RevisionPage
	ts.get("/api/v1/revisions?limit=100").decode(t, &revs)
	if revs.Total != 1+len(steps) || len(revs.Revisions) != revs.Total || revs.Revisions[0].Rev != int64(revs.Total) {
		t.Fatalf("revisions: %+v", revs)
	}
	var h RecordHistory
	ts.get("/api/v1/history?kind=enterprise&id=E-test").decode(t, &h)
	changes := []string{}
	for _, e := range h.Events {
		changes = append(changes, e.Change+" by "+e.By)
	}
	if strings.Join(changes, ",") != "added by editor,changed by editor,removed by editor" || h.Current != nil ||
		len(h.Versions) != 2 || !strings.Contains(string(h.Versions[0].Doc), `"测试企业"`) ||
		!strings.Contains(string(h.Versions[1].Doc), `"测试企业（改名）"`) {
		t.Fatalf("history of E-test: %+v", h)
	}
	if jsonOf(t, ts.stored()) != jsonOf(t, base) {
		t.Fatal("after creating and deleting everything the data differs from the start")
	}
}

// validUSCC completes 17 characters to a USCC with its GB 32100-2015
// check character.
func validUSCC(first17 string) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i, c := range first17 {
		sum += strings.IndexRune(chars, c) * weights[i]
	}
	return first17 + string(chars[(31-sum%31)%31])
}

// firstDiff shows where two texts part.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(la), len(lb))
}

// TestInvalidWritesChangeNothing: a write that breaks a rule is refused
// with the problems, and the stored data, the data version and the audit
// log stay exactly as they were.
func TestInvalidWritesChangeNothing(t *testing.T) {
	ts := start(t, nil)
	ds := ts.stored()
	linked := ds.Links[0].From
	type check func(t *testing.T, e ErrorBody)
	problem := func(column, value string, row int) check {
		return func(t *testing.T, e ErrorBody) {
			for _, p := range e.Problems {
				if p.Column == column && p.Value == value && (row == 0 || p.Row == row) {
					return
				}
			}
			t.Errorf("no problem with column %q value %q row %d: %+v", column, value, row, e.Problems)
		}
	}
	cases := []struct {
		name, method, path, body string
		want                     int
		check                    check
	}{
		{"unknown county", "POST", "/api/v1/enterprises", "{\n  \"id\": \"E-x\",\n  \"name\": \"x\",\n  \"county\": \"999999\",\n  \"segments\": [], \"leader_of\": []\n}", 422, problem("county", "999999", 1)},
		{"link to unknown id", "POST", "/api/v1/links", fmt.Sprintf(`{"from": %q, "to": "E-nobody"}`, linked), 422, problem("to", "E-nobody", 0)},
		{"self-link", "POST", "/api/v1/links", fmt.Sprintf(`{"from": %q, "to": %q}`, linked, linked), 422, nil},
		{"bad USCC", "POST", "/api/v1/enterprises", `{"id": "E-x", "name": "x", "uscc": "123", "county": "140827", "segments": [], "leader_of": []}`, 422, problem("uscc", "123", 0)},
		{"unknown segment", "POST", "/api/v1/enterprises", `{"id": "E-x", "name": "x", "county": "140827", "segments": ["no.such"], "leader_of": []}`, 422, problem("segments", "no.such", 0)},
		{"unknown field", "POST", "/api/v1/enterprises", `{"id": "E-x", "nmae": "x", "county": "140827"}`, 422, nil},
		{"wrong type", "POST", "/api/v1/projects", `{"id": "P-x", "name": "x", "county": "140827", "segments": [], "investment_wan": "lots", "status": "signed", "emerging": false}`, 422, nil},
		{"bad date", "POST", "/api/v1/projects", `{"id": "P-x", "name": "x", "county": "140827", "segments": [], "signed": "2024-02-30", "status": "signed", "emerging": false}`, 422, problem("signed", "2024-02-30", 0)},
		{"negative investment", "POST", "/api/v1/projects", `{"id": "P-x", "name": "x", "county": "140827", "segments": [], "investment_wan": -1, "status": "signed", "emerging": false}`, 422, nil},
		{"unknown status", "POST", "/api/v1/projects", `{"id": "P-x", "name": "x", "county": "140827", "segments": [], "status": "dreaming", "emerging": false}`, 422, problem("status", "dreaming", 0)},
		{"malformed JSON", "POST", "/api/v1/enterprises", "{\n\"id\": \"E-x\",\n\"name\": \"x\"\n\"county\": \"140827\"\n}", 422, func(t *testing.T, e ErrorBody) {
			if len(e.Problems) == 0 || e.Problems[0].Row != 4 || !strings.Contains(e.Problems[0].Message, "malformed JSON") {
				t.Errorf("problems %+v, want malformed JSON on row 4", e.Problems)
			}
		}},
		{"injection attempt", "POST", "/api/v1/enterprises", `{"id": "E-x", "name": "x", "county": "140827"}], "links": [{"from": "E-zhewu", "to": "E-huajin"}`, 422, nil},
		{"array body", "POST", "/api/v1/links", `[{"from": "a", "to": "b"}]`, 400, nil},
		{"empty body", "POST", "/api/v1/links", ``, 422, nil},
		{"missing id", "POST", "/api/v1/enterprises", `{"name": "x", "county": "140827", "segments": [], "leader_of": []}`, 422, problem("id", "", 0)},
		{"duplicate id", "POST", "/api/v1/enterprises", fmt.Sprintf(`{"id": %q, "name": "x", "county": "140827", "segments": [], "leader_of": []}`, ds.Enterprises[0].ID), 409, nil},
		{"project reusing an enterprise id", "POST", "/api/v1/projects", fmt.Sprintf(`{"id": %q, "name": "x", "county": "140827", "segments": [], "status": "signed", "emerging": false}`, ds.Enterprises[0].ID), 409, nil},
		{"duplicate link", "POST", "/api/v1/links", fmt.Sprintf(`{"from": %q, "to": %q}`, ds.Links[0].From, ds.Links[0].To), 409, nil},
		{"update unknown", "PUT", "/api/v1/enterprises/E-nobody", `{"name": "x", "county": "140827", "segments": [], "leader_of": []}`, 404, nil},
		{"update changing the id", "PUT", "/api/v1/enterprises/" + ds.Enterprises[0].ID, `{"id": "E-other", "name": "x", "county": "140827", "segments": [], "leader_of": []}`, 400, nil},
		{"update link without key", "PUT", "/api/v1/links", `{"product": "x"}`, 400, nil},
		{"update link changing its key", "PUT", "/api/v1/links?from=" + url.QueryEscape(ds.Links[0].From) + "&to=" + url.QueryEscape(ds.Links[0].To), `{"from": "E-zhewu"}`, 400, nil},
		{"delete unknown enterprise", "DELETE", "/api/v1/enterprises/E-nobody", "", 404, nil},
		{"delete linked enterprise", "DELETE", "/api/v1/enterprises/" + url.PathEscape(linked), "", 422, nil},
		{"delete with bad cascade", "DELETE", "/api/v1/enterprises/" + url.PathEscape(linked) + "?cascade=perhaps", "", 400, nil},
		{"delete unknown link", "DELETE", "/api/v1/links?from=a&to=b", "", 404, nil},
		{"delete link without key", "DELETE", "/api/v1/links?from=a", "", 400, nil},
		{"body over 1 MiB", "POST", "/api/v1/enterprises", `{"id": "E-x", "name": "` + strings.Repeat("长", MaxBodyBytes/3+1) + `"}`, 413, nil},
	}
	before := jsonOf(t, ds)
	version := ts.snap.Load().version
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body []byte
			if tc.method != "DELETE" {
				body = []byte(tc.body)
			}
			r := ts.edit(tc.method, tc.path, body)
			if r.status != tc.want {
				t.Fatalf("%s %s = %d, want %d: %.500s", tc.method, tc.path, r.status, tc.want, r.body)
			}
			e := r.errorBody(t)
			if tc.want == 422 && len(e.Problems) == 0 {
				t.Errorf("422 without problems: %s", r.body)
			}
			if tc.check != nil {
				tc.check(t, e)
			}
			if jsonOf(t, ts.stored()) != before {
				t.Fatal("the refused write changed the stored data")
			}
			if v, _ := ts.db.DataVersion(context.Background()); v != version {
				t.Fatalf("data version %d, was %d", v, version)
			}
		})
	}
	if rev, _ := ts.db.LatestRevision(context.Background()); rev != 1 {
		t.Fatalf("refused writes made revisions: latest %d", rev)
	}
}

// variant returns the built-in dataset renamed and cut down, so that an
// upload of it is told apart from the stored data.
func variant(t testing.TB, name string, keepLinks int) *chainscope.Dataset {
	ds := builtin(t)
	ds.Region.Name = name
	ds.Links = ds.Links[:keepLinks]
	return ds
}

// zipCSV writes ds as a folder of CSV files and zips it.
func zipCSV(t testing.TB, ds *chainscope.Dataset) []byte {
	t.Helper()
	dir := t.TempDir()
	if err := dataset.WriteCSV(dir, ds); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		w, err := zw.Create("export/" + d.Name())
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xlsxOf(t testing.TB, ds *chainscope.Dataset) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := dataset.WriteXLSX(&buf, ds); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jsonDoc(t testing.TB, ds *chainscope.Dataset) []byte {
	t.Helper()
	return []byte(jsonOf(t, ds))
}

// TestUpload replaces and merges whole datasets in every format.
func TestUpload(t *testing.T) {
	ts := start(t, nil)
	mergePatch := func(ds *chainscope.Dataset) []byte {
		e := ds.Enterprises[1]
		e.Name = "合并改名企业"
		return mustJSON(t, map[string]any{"enterprises": []chainscope.Enterprise{e, {ID: "E-merged", Name: "合并新企业", County: "140827", Segments: []string{}, LeaderOf: []string{}}}})
	}
	multipartOf := func(name string, data []byte) ([]byte, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("comment", "ignored")
		w, _ := mw.CreateFormFile("file", name)
		w.Write(data)
		mw.Close()
		return buf.Bytes(), mw.FormDataContentType()
	}
	a, b, c, d := variant(t, "甲市", 100), variant(t, "乙市", 50), variant(t, "丙市", 20), variant(t, "丁市", 10)
	form, formType := multipartOf("ding.json", jsonDoc(t, d))
	cases := []struct {
		name, mode, ctype string
		body              func() []byte
		want              func(stored *chainscope.Dataset) *chainscope.Dataset
		format            string
	}{
		{"replace with JSON", "replace", "application/json", func() []byte { return jsonDoc(t, a) },
			func(*chainscope.Dataset) *chainscope.Dataset { return a }, "json"},
		{"merge JSON", "merge", "application/json", func() []byte { return mergePatch(a) },
			func(stored *chainscope.Dataset) *chainscope.Dataset {
				recs, probs := dataset.ReadJSON(bytes.NewReader(mergePatch(a)), "patch")
				ds, probs2 := dataset.Apply(stored, recs, dataset.ModeMerge)
				if len(probs)+len(probs2) > 0 {
					t.Fatal(probs, probs2)
				}
				return ds
			}, "json"},
		{"replace with xlsx", "", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", func() []byte { return xlsxOf(t, b) },
			func(*chainscope.Dataset) *chainscope.Dataset { return b }, "xlsx"},
		{"replace with a zip of CSV", "replace", "application/zip", func() []byte { return zipCSV(t, c) },
			func(*chainscope.Dataset) *chainscope.Dataset { return c }, "zip"},
		{"merge xlsx (the same data)", "merge", "application/octet-stream", func() []byte { return xlsxOf(t, c) },
			func(*chainscope.Dataset) *chainscope.Dataset { return c }, "xlsx"},
		{"multipart form", "replace", formType, func() []byte { return form },
			func(*chainscope.Dataset) *chainscope.Dataset { return d }, "json"},
		{"JSON without Content-Type", "replace", "", func() []byte { return jsonDoc(t, a) },
			func(*chainscope.Dataset) *chainscope.Dataset { return a }, "json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stored := ts.stored()
			r := ts.edit("POST", "/api/v1/dataset?mode="+tc.mode, tc.body(), "Content-Type", tc.ctype)
			if r.status != 200 {
				t.Fatalf("upload = %d %.1000s", r.status, r.body)
			}
			var res UploadResult
			r.decode(t, &res)
			want := tc.want(stored)
			// Records already stored keep their place; the rest is the upload.
			got := ts.stored()
			if changes, err := chainscope.DiffDatasets(got, want); err != nil || len(changes) != 0 {
				t.Fatalf("stored data differs from the upload: %d records (%v)", len(changes), err)
			}
			if mem := ts.snap.Load().ds; jsonOf(t, mem) != jsonOf(t, got) {
				t.Fatalf("data in memory differs from the store: %s", firstDiff(jsonOf(t, mem), jsonOf(t, got)))
			}
			if res.Counts != countsOf(want) || res.Format != tc.format || res.DataVersion != ts.snap.Load().version {
				t.Errorf("result %+v", res)
			}
			revs, _, _ := ts.db.Revisions(context.Background(), 1, 0)
			if len(revs) != 1 || revs[0].By != editorActor || !strings.HasPrefix(revs[0].Summary, "upload "+string(tc.mode)) {
				t.Errorf("revision %+v", revs)
			}
		})
	}
}

// TestBadUploadsChangeNothing: a refused upload leaves the data as it was.
func TestBadUploadsChangeNothing(t *testing.T) {
	ts := start(t, nil)
	good := jsonDoc(t, builtin(t))
	// a JSON dataset with one bad record in the middle
	lines := bytes.Split(good, []byte("\n"))
	badRow := 0
	for i, l := range lines {
		if bytes.Contains(l, []byte(`"county":"140827"`)) && bytes.HasPrefix(bytes.TrimSpace(l), []byte(`{"id":"E-`)) {
			lines[i] = bytes.Replace(l, []byte(`"county":"140827"`), []byte(`"county":"999999"`), 1)
			badRow = i + 1
			break
		}
	}
	if badRow == 0 {
		t.Fatal("no enterprise of 140827 in the built-in export")
	}
	badRecord := bytes.Join(lines, []byte("\n"))
	malformed := bytes.Replace(good, []byte(`"links"`), []byte(`"links" "`), 1)
	malformedRow := bytes.Count(good[:bytes.Index(good, []byte(`"links"`))], []byte("\n")) + 1

	bomb := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.CreateRaw(&zip.FileHeader{Name: "links.csv", Method: zip.Deflate, CompressedSize64: 5, UncompressedSize64: 2 << 30, CRC32: 0})
		w.Write([]byte{3, 0, 0, 0, 0})
		zw.Close()
		return buf.Bytes()
	}
	type check func(t *testing.T, e ErrorBody)
	rowProblem := func(row int, words ...string) check {
		return func(t *testing.T, e ErrorBody) {
			for _, p := range e.Problems {
				if p.Row == row && strings.Contains(p.File, "upload") {
					msg := p.String()
					for _, w := range words {
						if !strings.Contains(msg, w) {
							t.Errorf("problem %s lacks %q", msg, w)
						}
					}
					return
				}
			}
			t.Errorf("no problem on row %d: %+v", row, e.Problems)
		}
	}
	cases := []struct {
		name, path, ctype string
		body              []byte
		want              int
		check             check
	}{
		{"bad record in the middle", "/api/v1/dataset", "application/json", badRecord, 422, rowProblem(badRow, "999999", "county")},
		{"malformed JSON", "/api/v1/dataset", "application/json", malformed, 422, rowProblem(malformedRow, "malformed JSON")},
		{"truncated JSON", "/api/v1/dataset", "application/json", good[:len(good)/2], 422, nil},
		{"truncated xlsx", "/api/v1/dataset", "application/zip", []byte("PK\x03\x04truncated"), 422, nil},
		{"legacy xls", "/api/v1/dataset", "application/vnd.ms-excel", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), 422, nil},
		{"plain text", "/api/v1/dataset", "text/plain", []byte("hello"), 422, nil},
		{"zip bomb", "/api/v1/dataset", "application/zip", bomb(), 422, nil},
		{"empty zip", "/api/v1/dataset", "application/zip", []byte("PK\x05\x06" + strings.Repeat("\x00", 18)), 422, nil},
		{"bad mode", "/api/v1/dataset?mode=append", "application/json", good, 400, nil},
		{"multipart without file", "/api/v1/dataset", "multipart/form-data; boundary=x", []byte("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n"), 400, nil},
	}
	before := jsonOf(t, ts.stored())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := ts.edit("POST", tc.path, tc.body, "Content-Type", tc.ctype)
			if r.status != tc.want {
				t.Fatalf("= %d, want %d: %.800s", r.status, tc.want, r.body)
			}
			e := r.errorBody(t)
			if tc.want == 422 && len(e.Problems) == 0 {
				t.Errorf("422 without problems")
			}
			if tc.check != nil {
				tc.check(t, e)
			}
			if jsonOf(t, ts.stored()) != before {
				t.Fatal("a refused upload changed the data")
			}
		})
	}
}

// TestUploadTooLarge: over 50 MiB is 413, whether the client announces the
// length or streams the body.
func TestUploadTooLarge(t *testing.T) {
	ts := start(t, nil)
	before := jsonOf(t, ts.stored())
	big := func() io.Reader {
		return io.MultiReader(strings.NewReader(`{"region": {"code": "1", "name": "`),
			io.LimitReader(repeatReader('x'), MaxUploadBytes), strings.NewReader(`"}}`))
	}
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprintf("chunked=%v", chunked), func(t *testing.T) {
			req, _ := http.NewRequest("POST", ts.http.URL+"/api/v1/dataset", big())
			if !chunked {
				req.ContentLength = MaxUploadBytes + 37
			} else {
				req.ContentLength = -1
			}
			req.Header.Set("Authorization", "Bearer "+testToken)
			req.Header.Set("Content-Type", "application/json")
			res, err := ts.http.Client().Do(req)
			if err != nil {
				// The server may close the connection before the client
				// finished sending; that is a refusal too, if the data is
				// unchanged.
				t.Logf("client: %v", err)
			} else {
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), `"error"`) {
					t.Fatalf("= %d %s", res.StatusCode, body)
				}
			}
			if jsonOf(t, ts.stored()) != before {
				t.Fatal("an oversized upload changed the data")
			}
		})
	}
}

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestBackupDownload: the backup is a database holding the stored data,
// and its temporary file is gone afterwards.
func TestBackupDownload(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ts := start(t, nil)
	r := ts.edit("GET", "/api/v1/backup", nil)
	if r.status != 200 || !bytes.HasPrefix(r.body, []byte("SQLite format 3\x00")) {
		t.Fatalf("backup = %d, %d bytes", r.status, len(r.body))
	}
	if !strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("Content-Disposition %q", r.header.Get("Content-Disposition"))
	}
	out := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(out, r.body, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if jsonOf(t, got) != jsonOf(t, ts.stored()) {
		t.Fatal("the backup holds other data")
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Fatalf("backup left temporary files: %v", left)
	}
}

// jsonBodyOf decodes a JSON document into a map, for loose checks.
func jsonBodyOf(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
