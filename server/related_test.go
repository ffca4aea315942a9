package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"chainscope"
	"chainscope/graph"
)

// storedIndex indexes the dataset the test server holds, to compare the
// routes with graph's answers.
func storedIndex(t *testing.T, ts *testServer) (*chainscope.Dataset, *graph.Index) {
	t.Helper()
	ds := ts.stored()
	ix, err := graph.NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	return ds, ix
}

// countyCodes are the codes of the counties (not zones) of ds, in order.
func countyCodes(ds *chainscope.Dataset) (counties, zones []string) {
	for _, c := range ds.Counties {
		if c.Kind == chainscope.KindZone {
			zones = append(zones, c.Code)
		} else {
			counties = append(counties, c.Code)
		}
	}
	return counties, zones
}

// TestRelatednessRoute: GET /api/v1/relatedness answers, byte for byte,
// what graph's Related answers for every county of the built-in dataset,
// every chain and the default, given and large limits.
func TestRelatednessRoute(t *testing.T) {
	ts := start(t, nil)
	ds, ix := storedIndex(t, ts)
	counties, _ := countyCodes(ds)
	if len(counties) == 0 {
		t.Fatal("the built-in dataset has no counties")
	}
	some := false
	for _, code := range counties {
		for _, tc := range []struct {
			query, chain string
			limit        int
		}{
			{"", "", defaultSuggestions},
			{"&chain=", "", defaultSuggestions},
			{"&limit=3", "", 3},
			{"&limit=100000", "", maxSuggestions},
		} {
			path := "/api/v1/relatedness?area=" + code + tc.query
			r := ts.get(path)
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d %s", path, r.status, r.body)
			}
			want, err := ix.Related(code, tc.chain, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(r.body, mustJSON(t, want)) {
				t.Errorf("%s:\n got %s\nwant %s", path, r.body, mustJSON(t, want))
			}
			some = some || len(want.Suggestions) > 0 && len(want.Suggestions[0].Because) > 0
		}
		for _, ch := range ds.Chains {
			path := "/api/v1/relatedness?area=" + code + "&chain=" + url.QueryEscape(ch.ID)
			r := ts.get(path)
			want, err := ix.Related(code, ch.ID, defaultSuggestions)
			if err != nil {
				t.Fatal(err)
			}
			if r.status != http.StatusOK || !bytes.Equal(r.body, mustJSON(t, want)) {
				t.Errorf("%s: %d\n got %s\nwant %s", path, r.status, r.body, mustJSON(t, want))
			}
			var got graph.Relatedness
			r.decode(t, &got)
			if got.Chain != ch.ID {
				t.Errorf("%s: chain %q", path, got.Chain)
			}
			for _, s := range got.Suggestions {
				if s.Chain != ch.ID {
					t.Errorf("%s: suggestion %s of chain %s", path, s.Segment, s.Chain)
				}
			}
		}
	}
	if !some {
		t.Error("no county of the built-in dataset has a suggestion with a because; the test proves little")
	}

	// The full answer of one county: every missing segment of every chain.
	code := counties[0]
	var all graph.Relatedness
	ts.get("/api/v1/relatedness?area="+code+"&limit="+strconv.Itoa(maxSuggestions)).decode(t, &all)
	missing := 0
	held := presence(ds, code)
	for _, ch := range ds.Chains {
		for _, s := range ch.Segments {
			if !held[s.ID] {
				missing++
			}
		}
	}
	if len(all.Suggestions) != missing {
		t.Errorf("%s: %d suggestions, %d segments missing", code, len(all.Suggestions), missing)
	}
	for _, s := range all.Suggestions {
		if held[s.Segment] {
			t.Errorf("%s holds %s, yet it is suggested", code, s.Segment)
		}
		for _, b := range s.Because {
			if !held[b.Segment] {
				t.Errorf("%s: because %s, which it does not hold", code, b.Segment)
			}
		}
	}
}

// presence is SPEC §11's M(c, ·) of one county, read from the dataset
// directly: the segments its enterprises and live projects list, its
// zones' included.
func presence(ds *chainscope.Dataset, county string) map[string]bool {
	in := map[string]bool{county: true}
	for _, c := range ds.Counties {
		if c.Kind == chainscope.KindZone && c.Parent == county {
			in[c.Code] = true
		}
	}
	held := map[string]bool{}
	for _, e := range ds.Enterprises {
		if in[e.County] {
			for _, s := range e.Segments {
				held[s] = true
			}
		}
	}
	for _, p := range ds.Projects {
		if in[p.County] && p.Status != chainscope.StatusCancelled {
			for _, s := range p.Segments {
				held[s] = true
			}
		}
	}
	return held
}

// TestRelatednessErrors: an area that is not a county is a 400, an unknown
// one a 404, as are an unknown chain and a malformed limit.
func TestRelatednessErrors(t *testing.T) {
	ts := start(t, nil)
	ds := ts.stored()
	_, zones := countyCodes(ds)
	if len(zones) == 0 {
		t.Fatal("the built-in dataset has no zones")
	}
	cases := []struct {
		query  string
		status int
	}{
		{"area=" + zones[0], 400},
		{"area=" + url.QueryEscape("*"), 400},
		{"area=" + ds.Region.Code, 400},
		{"", 400},
		{"area=", 400},
		{"chain=battery", 400},
		{"area=140899", 404},
		{"area=140827&chain=nochain", 404},
		{"area=140827&limit=0", 400},
		{"area=140827&limit=-2", 400},
		{"area=140827&limit=abc", 400},
		{"area=140827&limit=", 200}, // empty: absent
		{"area=140827&as_of=1", 200},
		{"area=140827&as_of=99", 404},
	}
	for _, tc := range cases {
		r := ts.get("/api/v1/relatedness?" + tc.query)
		if r.status != tc.status {
			t.Errorf("%s: %d, want %d: %s", tc.query, r.status, tc.status, r.body)
			continue
		}
		if tc.status != 200 {
			r.errorBody(t)
		}
	}
}

// TestRelatednessCaching: an empty chain and the default limit name the
// same answer (one ETag); If-None-Match gets 304; HEAD answers the GET's
// headers without a body; a write changes the answer's ETag.
func TestRelatednessCaching(t *testing.T) {
	ts := start(t, nil)
	a := ts.get("/api/v1/relatedness?area=140827")
	b := ts.get("/api/v1/relatedness?chain=&limit=20&area=140827")
	if a.status != 200 || b.status != 200 || !bytes.Equal(a.body, b.body) {
		t.Fatalf("%d %d: the same answer spelt two ways differs", a.status, b.status)
	}
	tag := a.header.Get("ETag")
	if tag == "" || b.header.Get("ETag") != tag {
		t.Fatalf("ETags %q and %q", tag, b.header.Get("ETag"))
	}
	if r := ts.get("/api/v1/relatedness?area=140827", "If-None-Match", tag); r.status != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r.status)
	}
	h := ts.do(request{method: http.MethodHead, path: "/api/v1/relatedness?area=140827"})
	if h.status != 200 || len(h.body) != 0 || h.header.Get("ETag") != tag ||
		h.header.Get("Content-Length") != strconv.Itoa(len(a.body)) {
		t.Errorf("HEAD: %d, %d bytes, ETag %q, Content-Length %q", h.status, len(h.body), h.header.Get("ETag"), h.header.Get("Content-Length"))
	}
	if h := ts.do(request{method: http.MethodHead, path: "/api/v1/relatedness?area=140827-99"}); h.status != 404 {
		t.Errorf("HEAD of an unknown area: %d", h.status)
	}
	if c := ts.get("/api/v1/relatedness?area=140827&chain=battery"); c.header.Get("ETag") == tag {
		t.Error("a chain's answer shares the whole answer's ETag")
	}
}

// TestClusterCloseness: every cell of the cluster matrix carries its
// closeness, graph's ChainCloseness, or null where that is not defined.
func TestClusterCloseness(t *testing.T) {
	ts := start(t, nil)
	ds, ix := storedIndex(t, ts)
	r := ts.get("/api/v1/cluster")
	if r.status != 200 {
		t.Fatalf("cluster: %d %s", r.status, r.body)
	}
	var raw struct {
		Cells []map[string]json.RawMessage `json:"cells"`
	}
	r.decode(t, &raw)
	var view ClusterView
	r.decode(t, &view)
	want, err := ix.Cluster()
	if err != nil {
		t.Fatal(err)
	}
	graph.NewPortfolio(ds).MarkCluster(want) // 未布局 as the counties' chains say (SPEC §5)
	if len(view.Cells) != len(want.Cells) || len(raw.Cells) != len(want.Cells) || len(want.Cells) == 0 {
		t.Fatalf("%d cells, want %d", len(view.Cells), len(want.Cells))
	}
	nulls, numbers := 0, 0
	for i, cell := range view.Cells {
		if cell.ClusterCell != want.Cells[i] {
			t.Errorf("cell %d: %+v, want %+v", i, cell.ClusterCell, want.Cells[i])
		}
		if _, ok := raw.Cells[i]["closeness"]; !ok {
			t.Fatalf("cell %d lacks closeness: %v", i, raw.Cells[i])
		}
		x, ok := ix.ChainCloseness(cell.Area, cell.Chain)
		switch {
		case !ok && cell.Closeness != nil:
			t.Errorf("%s/%s: closeness %v, want null", cell.Area, cell.Chain, *cell.Closeness)
		case ok && (cell.Closeness == nil || *cell.Closeness != x):
			t.Errorf("%s/%s: closeness %v, want %v", cell.Area, cell.Chain, cell.Closeness, x)
		case ok:
			numbers++
		default:
			nulls++
		}
	}
	if numbers == 0 {
		t.Error("no cell has a closeness")
	}
	if !slices.Equal(view.Areas, want.Areas) || !slices.Equal(view.Chains, want.Chains) {
		t.Error("the matrix's areas or chains differ from graph's")
	}
	// The flows: the count and links of all, and the ones with most links.
	links := 0
	for _, f := range want.Flows {
		links += f.Links
	}
	if view.FlowsTotal != len(want.Flows) || view.FlowsLinks != links || len(view.Flows) != min(len(want.Flows), clusterTopFlows) {
		t.Errorf("flows: %d shown of %d (%d links), want %d of %d (%d links)", len(view.Flows), view.FlowsTotal, view.FlowsLinks,
			min(len(want.Flows), clusterTopFlows), len(want.Flows), links)
	}
	for i, f := range view.Flows {
		if !slices.Contains(want.Flows, f) {
			t.Errorf("flow %+v is none of graph's", f)
		}
		if i > 0 && f.Links > view.Flows[i-1].Links {
			t.Errorf("flow %d has more links than the one before it: %+v", i, f)
		}
	}
	if len(view.Flows) > 0 {
		for _, f := range want.Flows {
			if f.Links > view.Flows[len(view.Flows)-1].Links && !slices.Contains(view.Flows, f) {
				t.Errorf("flow %+v has more links than the last shown and is left out", f)
			}
		}
	}
	t.Logf("%d cells with a closeness, %d null", numbers, nulls)
	// The built-in dataset has no null cell: the document must still allow one.
	op := ts.doc.Paths.Find("/api/v1/cluster").Get
	cells := op.Responses.Status(200).Value.Content.Get("application/json").Schema.Value.Properties["cells"].Value.Items.Value
	if c := cells.Properties["closeness"]; c == nil || !c.Value.Nullable || !slices.Contains(cells.Required, "closeness") {
		t.Errorf("the document's cell closeness is not a required, nullable number: %+v", c)
	}
}

// wantRelatedRows builds the 延链建议 rows of a workbook from API answers
// only: for each county, GET /relatedness with the workbook's chain.
func wantRelatedRows(t *testing.T, ts *testServer, n *apiNames, counties []string, chain string, sep, format string) [][]string {
	t.Helper()
	segName := map[string]string{}
	for _, c := range n.chains {
		for _, s := range c.Segments {
			segName[s.ID] = s.Name
		}
	}
	var rows [][]string
	for _, code := range counties {
		var rel graph.Relatedness
		r := ts.get("/api/v1/relatedness?area=" + code + "&chain=" + url.QueryEscape(chain))
		if r.status != 200 {
			t.Fatalf("relatedness %s/%s: %d %s", code, chain, r.status, r.body)
		}
		r.decode(t, &rel)
		for _, s := range rel.Suggestions {
			var because []string
			for _, b := range s.Because {
				because = append(because, strings.NewReplacer("NAME", segName[b.Segment], "P", num(b.Proximity)).Replace(format))
			}
			rows = append(rows, trimRow([]string{n.county[code], segName[s.Segment], n.chainID[s.Chain], num(s.Density),
				strings.Join(because, sep)}))
		}
	}
	return rows
}

// TestGapWorkbookRelated: the workbook's 延链建议 sheet lists the API's
// suggestions for the workbook's county (a zone: its county; *: every
// county), for its chain if it has one, as text and number cells, and the
// 说明 sheet says what density means.
func TestGapWorkbookRelated(t *testing.T) {
	ts := start(t, nil, fixedNow)
	n := namesOf(t, ts)
	ds := ts.stored()
	counties, _ := countyCodes(ds)
	cases := []struct {
		area, chain string
		counties    []string
	}{
		{"140827", "battery", []string{"140827"}},
		{"140827", "", []string{"140827"}},
		{"140830-01", "", []string{"140830"}}, // a zone: its county's
		{"*", "battery", counties},
	}
	sawRows := false
	for _, tc := range cases {
		t.Run(tc.area+"/"+tc.chain, func(t *testing.T) {
			q := "area=" + url.QueryEscape(tc.area)
			if tc.chain != "" {
				q += "&chain=" + tc.chain
			}
			f, _ := getWorkbook(t, ts, q)
			rows := rowsOf(t, f, "延链建议")
			if len(rows) == 0 || !slices.Equal(rows[0], []string{"县区", "建议环节", "产业链", "密度", "依据"}) {
				t.Fatalf("延链建议 header %q", rows)
			}
			want := wantRelatedRows(t, ts, n, tc.counties, tc.chain, "；", "NAME（P）")
			compareRows(t, "延链建议", rows[1:], want)
			sawRows = sawRows || len(want) > 0
			if len(rows) > 1 {
				for col, number := range []bool{false, false, false, true, false} {
					cell := string(rune('A'+col)) + "2"
					if rows[1][col] == "" {
						continue
					}
					typ, err := f.GetCellType("延链建议", cell)
					if err != nil {
						t.Fatal(err)
					}
					if number != (typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber) {
						t.Errorf("延链建议!%s %q has cell type %v", cell, rows[1][col], typ)
					}
					if formula, _ := f.GetCellFormula("延链建议", cell); formula != "" {
						t.Errorf("延链建议!%s is a formula %q", cell, formula)
					}
				}
			}
			about := rowsOf(t, f, "说明")
			if !slices.ContainsFunc(about, func(r []string) bool {
				return len(r) == 2 && r[0] == "延链建议" && strings.Contains(r[1], "密度") && strings.Contains(r[1], "不是预测")
			}) {
				t.Errorf("说明 does not say what density means: %q", about)
			}
		})
	}
	if !sawRows {
		t.Error("no workbook had a suggestion; the test proves little")
	}

	t.Run("English", func(t *testing.T) {
		f, _ := getWorkbook(t, ts, "area=140827&lang=en")
		rows := rowsOf(t, f, "Extend")
		if !slices.Equal(rows[0], []string{"Area", "Suggested segment", "Chain", "Density", "Because"}) {
			t.Errorf("Extend header %q", rows[0])
		}
		compareRows(t, "Extend", rows[1:], wantRelatedRows(t, ts, n, []string{"140827"}, "", "; ", "NAME (P)"))
		about := rowsOf(t, f, "About")
		if !slices.ContainsFunc(about, func(r []string) bool {
			return len(r) == 2 && r[0] == "Extend" && strings.Contains(r[1], "not a forecast")
		}) {
			t.Errorf("About does not say what density means: %q", about)
		}
	})
}
