package server

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"chainscope"
	"chainscope/graph"
	"chainscope/synth"
)

// TestReadRoutes calls every read route on the built-in dataset; do
// checks each answer against the OpenAPI document.
func TestReadRoutes(t *testing.T) {
	ts := start(t, nil)
	ds := ts.stored()
	ent, proj := ds.Enterprises[0].ID, ds.Projects[0].ID
	cases := []struct {
		name, path string
		want       int
	}{
		{"healthz", "/healthz", 200},
		{"openapi", "/api/v1/openapi.json", 200},
		{"region", "/api/v1/region", 200},
		{"counties", "/api/v1/counties", 200},
		{"chains", "/api/v1/chains", 200},
		{"enterprises", "/api/v1/enterprises", 200},
		{"enterprises filtered", "/api/v1/enterprises?county=140827&chain=battery&leader=false&q=e-&page=1&per_page=5", 200},
		{"enterprise", "/api/v1/enterprises/" + url.PathEscape(ent), 200},
		{"projects", "/api/v1/projects", 200},
		{"projects filtered", "/api/v1/projects?status=signed,started&emerging=true&signed_from=2024-01-01&signed_to=2024-12-31", 200},
		{"project", "/api/v1/projects/" + url.PathEscape(proj), 200},
		{"links", "/api/v1/links", 200},
		{"links filtered", "/api/v1/links?county=140827&chain=battery&q=焦", 200},
		{"links of a node", "/api/v1/links?node=" + url.QueryEscape(ent), 200},
		{"search", "/api/v1/search?q=" + url.QueryEscape("垣曲"), 200},
		{"audit", "/api/v1/audit?page=1&per_page=10", 200},
		{"analysis region", "/api/v1/analysis?area=*&chain=battery", 200},
		{"analysis county", "/api/v1/analysis?area=140827&chain=battery", 200},
		{"analysis zone", "/api/v1/analysis?area=140830-01&chain=battery", 200},
		{"analysis all", "/api/v1/analysis/all", 200},
		{"cluster", "/api/v1/cluster", 200},
		{"impact", "/api/v1/impact?area=140827&chain=battery", 200},
		{"targets", "/api/v1/targets?area=140827&chain=battery&limit=3", 200},
		{"leaders", "/api/v1/leaders?area=*&chain=battery", 200},
		{"betweenness", "/api/v1/betweenness?top=5", 200},
		{"dashboard", "/api/v1/dashboard", 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := ts.get(tc.path)
			if r.status != tc.want {
				t.Fatalf("GET %s = %d, want %d: %.300s", tc.path, r.status, tc.want, r.body)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
	// POST /whatif reads too.
	r := ts.do(request{method: "POST", path: "/api/v1/whatif",
		body: []byte(`{"area": "140827", "chain": "battery", "operate": [], "remove": ["` + firstNodeOf(t, ts, "140827", "battery") + `"]}`)})
	if r.status != 200 {
		t.Fatalf("whatif = %d %s", r.status, r.body)
	}
	if ts.stored().Region != ds.Region || jsonOf(t, ts.stored()) != jsonOf(t, ds) {
		t.Fatal("a read changed the data")
	}
}

// firstNodeOf returns a node of the scope's analysis.
func firstNodeOf(t *testing.T, ts *testServer, area, chain string) string {
	t.Helper()
	a, err := ts.snap.Load().ix.Analyze(area, chain)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range a.Segments {
		if len(s.Nodes) > 0 {
			return s.Nodes[0]
		}
	}
	t.Fatalf("scope %s/%s has no node", area, chain)
	return ""
}

// TestAnalysisIsSpecAnalysis checks, for every scope, that the SPEC §6
// fields of GET /api/v1/analysis are exactly graph.Index.Analyze's.
func TestAnalysisIsSpecAnalysis(t *testing.T) {
	ts := start(t, nil)
	ix, err := graph.NewIndex(ts.stored())
	if err != nil {
		t.Fatal(err)
	}
	all, err := ix.AnalyzeAll()
	if err != nil {
		t.Fatal(err)
	}
	// a zone too, which AnalyzeAll does not cover
	zone, err := ix.Analyze("140830-01", "battery")
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, zone)
	for _, a := range all {
		r := ts.get("/api/v1/analysis?area=" + url.QueryEscape(a.Area) + "&chain=" + url.QueryEscape(a.Chain))
		if r.status != 200 {
			t.Fatalf("%s/%s: %d %s", a.Area, a.Chain, r.status, r.body)
		}
		var got, want map[string]json.RawMessage
		r.decode(t, &got)
		if err := json.Unmarshal(mustJSON(t, a), &want); err != nil {
			t.Fatal(err)
		}
		for _, field := range []string{"area", "chain", "completeness", "segments", "cut_nodes", "bridges", "totals"} {
			if _, ok := want[field]; !ok {
				t.Fatalf("graph.Analysis lacks SPEC field %q", field)
			}
		}
		for field, w := range want {
			var gc, wc bytes.Buffer
			json.Compact(&wc, w)
			json.Compact(&gc, got[field])
			if gc.String() != wc.String() {
				t.Errorf("%s/%s field %q:\n got  %.300s\n want %.300s", a.Area, a.Chain, field, gc.String(), wc.String())
			}
		}
	}
}

// TestBadRequests: malformed parameters are 400, unknown things 404, both
// with a JSON error body.
func TestBadRequests(t *testing.T) {
	ts := start(t, nil)
	cases := []struct {
		name, method, path string
		body               string
		want               int
	}{
		{"analysis without area", "GET", "/api/v1/analysis?chain=battery", "", 400},
		{"analysis without chain", "GET", "/api/v1/analysis?area=*", "", 400},
		{"analysis without anything", "GET", "/api/v1/analysis", "", 400},
		{"analysis unknown area", "GET", "/api/v1/analysis?area=999999&chain=battery", "", 404},
		{"analysis unknown chain", "GET", "/api/v1/analysis?area=*&chain=nochain", "", 404},
		{"analysis region code is no area", "GET", "/api/v1/analysis?area=140800&chain=battery", "", 404},
		{"impact unknown chain", "GET", "/api/v1/impact?area=*&chain=nochain", "", 404},
		{"impact without area", "GET", "/api/v1/impact?chain=battery", "", 400},
		{"targets unknown area", "GET", "/api/v1/targets?area=1&chain=battery", "", 404},
		{"targets bad limit", "GET", "/api/v1/targets?area=*&chain=battery&limit=x", "", 400},
		{"leaders unknown area", "GET", "/api/v1/leaders?area=1&chain=battery", "", 404},
		{"betweenness bad top", "GET", "/api/v1/betweenness?top=-1", "", 400},
		{"page zero", "GET", "/api/v1/enterprises?page=0", "", 400},
		{"page not a number", "GET", "/api/v1/enterprises?page=abc", "", 400},
		{"per_page negative", "GET", "/api/v1/projects?per_page=-5", "", 400},
		{"per_page not a number", "GET", "/api/v1/links?per_page=1.5", "", 400},
		{"bad date", "GET", "/api/v1/projects?signed_from=2024-13-01", "", 400},
		{"bad date format", "GET", "/api/v1/projects?signed_to=20240101", "", 400},
		{"dates reversed", "GET", "/api/v1/projects?signed_from=2024-05-01&signed_to=2024-01-01", "", 400},
		{"bad boolean", "GET", "/api/v1/projects?emerging=maybe", "", 400},
		{"bad leader boolean", "GET", "/api/v1/enterprises?leader=2", "", 400},
		{"bad status", "GET", "/api/v1/projects?status=finished", "", 400},
		{"unknown sort field", "GET", "/api/v1/projects?sort=colour", "", 400},
		{"sort by a field projects lack", "GET", "/api/v1/projects?sort=output_wan", "", 400},
		{"bad sort direction", "GET", "/api/v1/projects?sort=name&dir=down", "", 400},
		{"unknown county filter", "GET", "/api/v1/enterprises?county=999", "", 404},
		{"unknown chain filter", "GET", "/api/v1/projects?chain=nochain", "", 404},
		{"unknown segment filter", "GET", "/api/v1/links?segment=no.segment", "", 404},
		{"unknown enterprise", "GET", "/api/v1/enterprises/E-nobody", "", 404},
		{"unknown project", "GET", "/api/v1/projects/P-nothing", "", 404},
		{"search without q", "GET", "/api/v1/search", "", 400},
		{"search bad limit", "GET", "/api/v1/search?q=a&limit=0", "", 400},
		{"audit bad page", "GET", "/api/v1/audit?page=x", "", 400},
		{"unknown API route", "GET", "/api/v1/nothing-here", "", 404},
		{"unknown API version", "GET", "/api/v2/region", "", 404},
		{"wrong method", "DELETE", "/api/v1/region", "", 405},
		{"whatif malformed", "POST", "/api/v1/whatif", `{"area": "*",`, 400},
		{"whatif unknown field", "POST", "/api/v1/whatif", `{"area": "*", "chain": "battery", "opperate": []}`, 400},
		{"whatif without chain", "POST", "/api/v1/whatif", `{"area": "*"}`, 400},
		{"whatif unknown chain", "POST", "/api/v1/whatif", `{"area": "*", "chain": "nochain"}`, 404},
		{"whatif unknown id", "POST", "/api/v1/whatif", `{"area": "*", "chain": "battery", "remove": ["E-nobody"]}`, 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body []byte
			if tc.body != "" {
				body = []byte(tc.body)
			}
			r := ts.do(request{method: tc.method, path: tc.path, body: body})
			if r.status != tc.want {
				t.Fatalf("%s %s = %d, want %d: %s", tc.method, tc.path, r.status, tc.want, r.body)
			}
			e := r.errorBody(t)
			if strings.Contains(e.Error, "internal") {
				t.Errorf("error message %q", e.Error)
			}
		})
	}
}

// TestETag: GET answers carry an ETag, If-None-Match gets 304, the tag
// depends on the query, and a write changes it.
func TestETag(t *testing.T) {
	ts := start(t, nil)
	paths := []string{
		"/api/v1/analysis?area=*&chain=battery",
		"/api/v1/region",
		"/api/v1/enterprises?county=140827",
		"/api/v1/dashboard",
	}
	tags := map[string]string{}
	for _, p := range paths {
		r := ts.get(p)
		tag := r.header.Get("ETag")
		if r.status != 200 || tag == "" {
			t.Fatalf("GET %s = %d, ETag %q", p, r.status, tag)
		}
		for other, otherTag := range tags {
			if otherTag == tag {
				t.Errorf("%s and %s share ETag %s", p, other, tag)
			}
		}
		tags[p] = tag
		if r := ts.get(p, "If-None-Match", tag); r.status != http.StatusNotModified || len(r.body) != 0 || r.header.Get("ETag") != tag {
			t.Errorf("GET %s If-None-Match current: %d, body %d bytes", p, r.status, len(r.body))
		}
		if r := ts.get(p, "If-None-Match", `"other", W/`+tag); r.status != http.StatusNotModified {
			t.Errorf("GET %s If-None-Match list with weak tag: %d", p, r.status)
		}
		if r := ts.get(p, "If-None-Match", `"0-0"`); r.status != 200 {
			t.Errorf("GET %s If-None-Match stale: %d", p, r.status)
		}
	}
	// The same query in another order is the same resource.
	a := ts.get("/api/v1/analysis?chain=battery&area=*")
	if a.header.Get("ETag") != tags[paths[0]] {
		t.Errorf("parameter order changed the ETag: %s vs %s", a.header.Get("ETag"), tags[paths[0]])
	}

	// A write changes every tag.
	ds := ts.stored()
	e := ds.Enterprises[0]
	e.Name = "改名后的企业"
	if r := ts.edit("PUT", "/api/v1/enterprises/"+url.PathEscape(e.ID), mustJSON(t, e)); r.status != 200 {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	for _, p := range paths {
		r := ts.get(p, "If-None-Match", tags[p])
		if r.status != 200 || r.header.Get("ETag") == tags[p] || r.header.Get("ETag") == "" {
			t.Errorf("after a write GET %s = %d with ETag %q (was %q)", p, r.status, r.header.Get("ETag"), tags[p])
		}
	}
}

// TestListFilters checks the filters and paging against the dataset.
func TestListFilters(t *testing.T) {
	ts := start(t, nil)
	ds := ts.stored()
	inArea := func(county, area string) bool {
		if county == area {
			return true
		}
		for _, c := range ds.Counties {
			if c.Code == county && c.Parent == area {
				return true
			}
		}
		return false
	}
	chainOf := map[string]string{}
	for _, c := range ds.Chains {
		for _, s := range c.Segments {
			chainOf[s.ID] = c.ID
		}
	}
	onChain := func(segs []string, chain string) bool {
		return slices.ContainsFunc(segs, func(s string) bool { return chainOf[s] == chain })
	}
	count := func(n int, match func(i int) bool) (c int) {
		for i := range n {
			if match(i) {
				c++
			}
		}
		return c
	}
	leaderOf := func(e chainscope.Enterprise) bool { return len(e.LeaderOf) > 0 }
	withUSCC := ""
	for _, e := range ds.Enterprises {
		if e.USCC != "" {
			withUSCC = e.USCC
			break
		}
	}
	cases := []struct {
		name  string
		path  string
		total int
	}{
		{"all enterprises", "/api/v1/enterprises", len(ds.Enterprises)},
		{"county with its zones", "/api/v1/enterprises?county=140802", count(len(ds.Enterprises), func(i int) bool { return inArea(ds.Enterprises[i].County, "140802") })},
		{"a zone alone", "/api/v1/enterprises?county=140802-01", count(len(ds.Enterprises), func(i int) bool { return ds.Enterprises[i].County == "140802-01" })},
		{"region level", "/api/v1/enterprises?county=140800", count(len(ds.Enterprises), func(i int) bool { return ds.Enterprises[i].County == "140800" })},
		{"chain", "/api/v1/enterprises?chain=battery", count(len(ds.Enterprises), func(i int) bool { return onChain(ds.Enterprises[i].Segments, "battery") })},
		{"segment", "/api/v1/enterprises?segment=battery.anode", count(len(ds.Enterprises), func(i int) bool { return slices.Contains(ds.Enterprises[i].Segments, "battery.anode") })},
		{"leaders", "/api/v1/enterprises?leader=true", count(len(ds.Enterprises), func(i int) bool { return leaderOf(ds.Enterprises[i]) })},
		{"leaders of a chain", "/api/v1/enterprises?leader=是&chain=battery", count(len(ds.Enterprises), func(i int) bool {
			return slices.Contains(ds.Enterprises[i].LeaderOf, "battery") && onChain(ds.Enterprises[i].Segments, "battery")
		})},
		{"USCC search", "/api/v1/enterprises?q=" + withUSCC, 1},
		{"name search", "/api/v1/enterprises?q=" + url.QueryEscape(ds.Enterprises[3].Name), 1},
		{"projects by status", "/api/v1/projects?status=operating", count(len(ds.Projects), func(i int) bool { return ds.Projects[i].Status == chainscope.StatusOperating })},
		{"projects by two statuses", "/api/v1/projects?status=signed&status=stalled", count(len(ds.Projects), func(i int) bool {
			return ds.Projects[i].Status == chainscope.StatusSigned || ds.Projects[i].Status == chainscope.StatusStalled
		})},
		{"emerging projects", "/api/v1/projects?emerging=1", count(len(ds.Projects), func(i int) bool { return ds.Projects[i].Emerging })},
		{"not emerging", "/api/v1/projects?emerging=false", count(len(ds.Projects), func(i int) bool { return !ds.Projects[i].Emerging })},
		{"signed in 2024", "/api/v1/projects?signed_from=2024-01-01&signed_to=2024-12-31", count(len(ds.Projects), func(i int) bool {
			return ds.Projects[i].Signed >= "2024-01-01" && ds.Projects[i].Signed <= "2024-12-31"
		})},
		{"projects of a county", "/api/v1/projects?county=140830", count(len(ds.Projects), func(i int) bool { return inArea(ds.Projects[i].County, "140830") })},
		{"links of a node", "/api/v1/links?node=" + ds.Links[0].From, count(len(ds.Links), func(i int) bool {
			return ds.Links[i].From == ds.Links[0].From || ds.Links[i].To == ds.Links[0].From
		})},
		{"one link", "/api/v1/links?from=" + ds.Links[0].From + "&to=" + ds.Links[0].To, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.total == 0 {
				t.Fatalf("case matches nothing in the built-in dataset; pick another")
			}
			r := ts.get(tc.path)
			var page struct {
				Items   []json.RawMessage `json:"items"`
				Total   int               `json:"total"`
				Page    int               `json:"page"`
				PerPage int               `json:"per_page"`
			}
			r.decode(t, &page)
			if r.status != 200 || page.Total != tc.total || len(page.Items) != min(tc.total, defaultPerPage) {
				t.Fatalf("GET %s = %d: total %d, %d items; want total %d", tc.path, r.status, page.Total, len(page.Items), tc.total)
			}
		})
	}

	t.Run("paging", func(t *testing.T) {
		var seen []string
		for p := 1; ; p++ {
			var page Page[chainscope.Enterprise]
			ts.get(fmt.Sprintf("/api/v1/enterprises?per_page=7&page=%d", p)).decode(t, &page)
			if page.Total != len(ds.Enterprises) || page.PerPage != 7 || page.Page != p {
				t.Fatalf("page %d: %+v", p, page)
			}
			if len(page.Items) == 0 {
				break
			}
			for _, e := range page.Items {
				seen = append(seen, e.ID)
			}
		}
		want := make([]string, len(ds.Enterprises))
		for i, e := range ds.Enterprises {
			want[i] = e.ID
		}
		if !slices.Equal(seen, want) {
			t.Fatal("paging through the enterprises does not give each once, in order")
		}
	})
	t.Run("per_page capped", func(t *testing.T) {
		var page Page[chainscope.Link]
		ts.get("/api/v1/links?per_page=100000").decode(t, &page)
		if page.PerPage != maxPerPage || len(page.Items) != min(maxPerPage, len(ds.Links)) {
			t.Fatalf("per_page %d, %d items", page.PerPage, len(page.Items))
		}
	})
}

// TestProjectSort: sort and dir order every matching project before the
// page is cut. The order is checked against a sort of the stored projects
// done here, ties in ascending id order in either direction.
func TestProjectSort(t *testing.T) {
	ts := start(t, nil)
	ds := ts.stored()
	chainPos := map[string]int{}
	for i, c := range ds.Chains {
		for _, s := range c.Segments {
			chainPos[s.ID] = i
		}
	}
	// key is what a field sorts by: a number, then a string.
	type key struct {
		n float64
		s string
	}
	keys := map[string]func(p *chainscope.Project) key{
		"id":       func(p *chainscope.Project) key { return key{s: p.ID} },
		"name":     func(p *chainscope.Project) key { return key{s: p.Name} },
		"county":   func(p *chainscope.Project) key { return key{s: p.County} },
		"investor": func(p *chainscope.Project) key { return key{s: p.Investor} },
		"signed":   func(p *chainscope.Project) key { return key{s: p.Signed} },
		"started":  func(p *chainscope.Project) key { return key{s: p.Started} },
		"status":   func(p *chainscope.Project) key { return key{n: float64(slices.Index(chainscope.Statuses, p.Status))} },
		"emerging": func(p *chainscope.Project) key {
			if p.Emerging {
				return key{n: 1}
			}
			return key{}
		},
		"investment_wan": func(p *chainscope.Project) key {
			if p.InvestmentWan == nil {
				return key{n: math.Inf(-1)}
			}
			return key{n: *p.InvestmentWan}
		},
		"chain": func(p *chainscope.Project) key {
			if len(p.Segments) == 0 {
				return key{n: -1}
			}
			return key{n: float64(chainPos[p.Segments[0]])}
		},
	}
	if got := slices.Sorted(maps.Keys(keys)); !slices.Equal(got, projectSortFields) {
		t.Fatalf("the API sorts by %v, this test by %v", projectSortFields, got)
	}
	inArea := func(p *chainscope.Project) bool {
		return p.County == "140802" || strings.HasPrefix(p.County, "140802-")
	}
	// fetch pages through a query and returns the ids in the order served.
	fetch := func(t *testing.T, query string) []string {
		var ids []string
		for page := 1; ; page++ {
			var pg Page[chainscope.Project]
			r := ts.get(fmt.Sprintf("/api/v1/projects?%s&per_page=7&page=%d", query, page))
			if r.status != 200 {
				t.Fatalf("%s page %d = %d %s", query, page, r.status, r.body)
			}
			r.decode(t, &pg)
			for _, p := range pg.Items {
				ids = append(ids, p.ID)
			}
			if len(pg.Items) < 7 {
				return ids
			}
		}
	}
	for _, field := range projectSortFields {
		for _, dir := range []string{"", "asc", "desc"} {
			for _, filtered := range []bool{false, true} {
				query := "sort=" + field
				if dir != "" {
					query += "&dir=" + dir
				}
				var want []*chainscope.Project
				for i := range ds.Projects {
					if !filtered || inArea(&ds.Projects[i]) {
						want = append(want, &ds.Projects[i])
					}
				}
				if filtered {
					query += "&county=140802"
				}
				t.Run(query, func(t *testing.T) {
					sign := 1
					if dir == "desc" {
						sign = -1
					}
					by := keys[field]
					sort.SliceStable(want, func(i, j int) bool {
						a, b := by(want[i]), by(want[j])
						if c := cmp.Or(cmp.Compare(a.n, b.n), strings.Compare(a.s, b.s)); c != 0 {
							return sign*c < 0
						}
						return want[i].ID < want[j].ID
					})
					wantIDs := make([]string, len(want))
					for i, p := range want {
						wantIDs[i] = p.ID
					}
					if got := fetch(t, query); !slices.Equal(got, wantIDs) {
						t.Errorf("served order:\n%v\nwant:\n%v", got, wantIDs)
					}
				})
			}
		}
	}
	t.Run("ties", func(t *testing.T) {
		// The data must hold ties and unknown values, or the cases above
		// prove less than they seem to.
		status := map[chainscope.Status]int{}
		noInvestment := 0
		for _, p := range ds.Projects {
			status[p.Status]++
			if p.InvestmentWan == nil {
				noInvestment++
			}
		}
		if len(status) >= len(ds.Projects) || noInvestment == 0 || len(ds.Projects) < 15 {
			t.Errorf("the built-in projects have no ties or no unknown investment: %v, %d of %d", status, noInvestment, len(ds.Projects))
		}
	})
	t.Run("no sort keeps the stored order", func(t *testing.T) {
		want := make([]string, len(ds.Projects))
		for i, p := range ds.Projects {
			want[i] = p.ID
		}
		if got := fetch(t, "dir=desc"); !slices.Equal(got, want) {
			t.Errorf("dir alone changed the order")
		}
	})
}

// TestRecordViews: one record with its links.
func TestRecordViews(t *testing.T) {
	ts := start(t, nil)
	ds := ts.stored()
	l := ds.Links[0]
	var ev EnterpriseView
	r := ts.get("/api/v1/enterprises/" + url.PathEscape(l.From))
	if r.status != 200 {
		t.Skipf("first link does not start at an enterprise: %d", r.status)
	}
	r.decode(t, &ev)
	if ev.Enterprise.ID != l.From || !slices.ContainsFunc(ev.Customers, func(x chainscope.Link) bool { return x.To == l.To }) {
		t.Fatalf("view of %s: %+v", l.From, ev)
	}
	for _, x := range ev.Suppliers {
		if x.To != l.From {
			t.Errorf("supplier link %+v does not end at %s", x, l.From)
		}
	}
	for _, p := range ds.Projects {
		if p.Investor != "" {
			var v EnterpriseView
			ts.get("/api/v1/enterprises/"+url.PathEscape(p.Investor)).decode(t, &v)
			if !slices.Contains(v.Projects, p.ID) {
				t.Errorf("enterprise %s does not list its project %s", p.Investor, p.ID)
			}
			var pv ProjectView
			ts.get("/api/v1/projects/"+url.PathEscape(p.ID)).decode(t, &pv)
			if pv.Project.ID != p.ID || pv.Project.Name != p.Name {
				t.Errorf("project view %+v", pv.Project)
			}
			break
		}
	}
}

// TestSearch finds every kind of record by name, id, code or USCC.
func TestSearch(t *testing.T) {
	ts := start(t, nil)
	ds := ts.stored()
	var uscc chainscope.Enterprise
	for _, e := range ds.Enterprises {
		if e.USCC != "" {
			uscc = e
			break
		}
	}
	cases := []struct{ q, kind, id string }{
		{"垣曲县", "county", "140827"},
		{"140882", "county", "140882"},
		{ds.Chains[0].Name, "chain", ds.Chains[0].ID},
		{ds.Chains[0].Segments[0].Name, "segment", ds.Chains[0].Segments[0].ID},
		{strings.ToUpper(ds.Chains[0].Segments[0].ID), "segment", ds.Chains[0].Segments[0].ID},
		{ds.Enterprises[5].Name, "enterprise", ds.Enterprises[5].ID},
		{uscc.USCC, "enterprise", uscc.ID},
		{ds.Projects[2].ID, "project", ds.Projects[2].ID},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			var res SearchResult
			ts.get("/api/v1/search?limit=500&q="+url.QueryEscape(tc.q)).decode(t, &res)
			if !slices.ContainsFunc(res.Items, func(h SearchHit) bool { return h.Kind == tc.kind && h.ID == tc.id }) {
				t.Fatalf("search %q lacks %s %s: %+v", tc.q, tc.kind, tc.id, res.Items)
			}
		})
	}
}

// TestStatic serves the web app from Config.Static, with SPA deep links,
// and the placeholder page without one.
func TestStatic(t *testing.T) {
	t.Run("placeholder", func(t *testing.T) {
		ts := start(t, nil)
		for _, p := range []string{"/", "/chains/battery"} {
			r := ts.get(p)
			if r.status != 200 || !strings.Contains(string(r.body), "网页应用尚未构建") || !strings.Contains(string(r.body), "not built yet") {
				t.Fatalf("GET %s = %d %s", p, r.status, r.body)
			}
		}
	})
	t.Run("app", func(t *testing.T) {
		app := fstest.MapFS{
			"index.html":     {Data: []byte("<!doctype html><title>app</title><script type=module src=/js/main.js></script>")},
			"js/main.js":     {Data: []byte("console.log('chainscope')")},
			"css/style.css":  {Data: []byte("body{}")},
			"img/legend.svg": {Data: []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")},
		}
		ts := start(t, nil, func(c *Config) { c.Static = app })
		cases := []struct{ path, body, ctype string }{
			{"/", "<title>app</title>", "text/html"},
			{"/js/main.js", "console.log", "text/javascript"},
			{"/css/style.css", "body{}", "text/css"},
			{"/img/legend.svg", "<svg", "image/svg+xml"},
			{"/scope/140827/battery", "<title>app</title>", "text/html"}, // deep link
			{"/js/", "<title>app</title>", "text/html"},                  // a folder is no file
			{"/../../etc/passwd", "<title>app</title>", "text/html"},
		}
		for _, tc := range cases {
			r := ts.get(tc.path)
			if r.status != 200 || !strings.Contains(string(r.body), tc.body) || !strings.HasPrefix(r.header.Get("Content-Type"), tc.ctype) {
				t.Errorf("GET %s = %d %q %s", tc.path, r.status, r.header.Get("Content-Type"), r.body)
			}
		}
		// API paths and non-GET methods never fall back to the app.
		if r := ts.get("/api/v1/no/such/thing"); r.status != 404 {
			t.Errorf("unknown API path = %d", r.status)
		} else {
			r.errorBody(t)
		}
		if r := ts.do(request{method: "POST", path: "/scope/x"}); r.status != 404 {
			t.Errorf("POST to an app path = %d", r.status)
		} else {
			r.errorBody(t)
		}
	})
}

// TestHealthz answers 200 while the database answers and 503 once it does
// not; the data in memory is still served meanwhile.
func TestHealthz(t *testing.T) {
	ts := start(t, nil)
	var h Health
	if r := ts.get("/healthz"); r.status != 200 {
		t.Fatalf("healthz = %d", r.status)
	} else if r.decode(t, &h); h.Status != "ok" || h.DataVersion != ts.snap.Load().version {
		t.Fatalf("healthz body %+v", h)
	}
	ts.db.Close()
	ts.refreshEvery = 0
	if r := ts.get("/healthz"); r.status != 503 {
		t.Fatalf("healthz with a closed database = %d %s", r.status, r.body)
	} else {
		r.errorBody(t)
	}
	if r := ts.get("/api/v1/region"); r.status != 200 {
		t.Fatalf("region from memory = %d %s", r.status, r.body)
	}
}

// TestDashboardTarget: the annual target is data — the target of the
// region's latest report that states one — unless the configuration
// overrides it; none without either.
func TestDashboardTarget(t *testing.T) {
	wan := func(v float64) *float64 { return &v }
	base := builtin(t)
	region := base.Region.Code
	with := func(reports ...chainscope.Report) *chainscope.Dataset {
		ds := *base
		ds.Reports = reports
		return &ds
	}
	q1 := chainscope.Report{Area: region, From: "2024-01-01", To: "2024-03-31", TargetWan: wan(2500 * 10000)}
	apr := chainscope.Report{Area: region, From: "2024-01-01", To: "2024-04-30", TargetWan: wan(2800 * 10000)}
	county := chainscope.Report{Area: base.Counties[0].Code, From: "2024-01-01", To: "2024-12-31", TargetWan: wan(100 * 10000)}
	noTarget := chainscope.Report{Area: region, From: "2024-05-01", To: "2024-05-31"}
	for _, tc := range []struct {
		name string
		ds   *chainscope.Dataset
		cfg  float64
		want float64
	}{
		{"built-in: its report's 3000 亿元", nil, 0, 3000 * 10000},
		{"no report", with(), 0, 0},
		{"override", nil, 1500 * 10000, 1500 * 10000},
		{"override without report", with(), 1500 * 10000, 1500 * 10000},
		{"the latest report with a target", with(apr, q1, noTarget, county), 0, 2800 * 10000},
		{"a county's report is not the region's", with(county), 0, 0},
	} {
		ts := start(t, tc.ds, func(c *Config) { c.AnnualTargetWan = tc.cfg })
		var d graph.Dashboard
		ts.get("/api/v1/dashboard").decode(t, &d)
		if d.Region.TargetWan != tc.want {
			t.Errorf("%s: dashboard says %v, want %v", tc.name, d.Region.TargetWan, tc.want)
		}
		if tc.want == 0 && d.Region.TargetShare != 0 {
			t.Errorf("%s: no target, yet a share %v", tc.name, d.Region.TargetShare)
		}
	}
}

// TestRegionLevel: /region says whether the region is a province or a
// city, by its GB/T 2260 code (the app's 全省 / 全市).
func TestRegionLevel(t *testing.T) {
	province := synth.Generate(synth.Options{Enterprises: 300, Projects: 80, Links: 1200, Seed: 1, Counties: 100})
	if !strings.HasSuffix(province.Region.Code, "0000") {
		t.Fatalf("synth made region %s, not a province", province.Region.Code)
	}
	for _, tc := range []struct {
		ds   *chainscope.Dataset
		want string
	}{{nil, "city"}, {province, "province"}} {
		ts := start(t, tc.ds)
		var info RegionInfo
		ts.get("/api/v1/region").decode(t, &info)
		if info.Level != tc.want {
			t.Errorf("region %s: level %q, want %q", info.Code, info.Level, tc.want)
		}
	}
}

// TestSearchEnterprises: kind=enterprise searches every enterprise of a
// large region by name, id and USCC, exact matches first, limit and total
// as asked; an unknown kind is 400.
func TestSearchEnterprises(t *testing.T) {
	ds := synth.Generate(synth.Options{Enterprises: 3000, Projects: 100, Links: 3000, Seed: 2})
	ts := start(t, ds)
	last := ds.Enterprises[len(ds.Enterprises)-1] // far beyond any first 500
	var withUSCC chainscope.Enterprise
	for _, e := range slices.Backward(ds.Enterprises) {
		if e.USCC != "" {
			withUSCC = e
			break
		}
	}
	for _, tc := range []struct{ q, id string }{
		{last.ID, last.ID}, {strings.ToLower(last.ID), last.ID}, {last.Name, last.ID}, {withUSCC.USCC, withUSCC.ID},
	} {
		var res SearchResult
		ts.get("/api/v1/search?kind=enterprise&limit=20&q="+url.QueryEscape(tc.q)).decode(t, &res)
		if len(res.Items) == 0 || res.Items[0].ID != tc.id || res.Items[0].Kind != "enterprise" {
			t.Errorf("search %q: first hit %+v, want %s", tc.q, res.Items, tc.id)
		}
	}
	// A word many names share: limit hits, total counts them all, every
	// hit an enterprise, none of another kind.
	word := string([]rune(ds.Enterprises[0].Name)[len([]rune(ds.Enterprises[0].Name))-4:])
	want := 0
	for _, e := range ds.Enterprises {
		if strings.Contains(strings.ToLower(e.Name), strings.ToLower(word)) || strings.Contains(strings.ToLower(e.ID), strings.ToLower(word)) ||
			strings.Contains(strings.ToLower(e.USCC), strings.ToLower(word)) {
			want++
		}
	}
	var res SearchResult
	ts.get("/api/v1/search?kind=enterprise&limit=7&q="+url.QueryEscape(word)).decode(t, &res)
	if res.Total != want || len(res.Items) != min(7, want) || want < 8 {
		t.Errorf("search %q: %d items, total %d; want 7 and %d", word, len(res.Items), res.Total, want)
	}
	for _, h := range res.Items {
		if h.Kind != "enterprise" {
			t.Errorf("hit of kind %s", h.Kind)
		}
	}
	if r := ts.get("/api/v1/search?kind=planet&q=a"); r.status != 400 || r.errorBody(t).Code != "bad_parameter" {
		t.Errorf("kind=planet: %d %s", r.status, r.body)
	}
}
