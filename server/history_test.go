package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"chainscope"
	"chainscope/graph"
)

// TestAsOf: after edits through the API, every GET with ?as_of= answers as
// the server answered right after that revision (a past snapshot, built on
// demand), and a bad as_of is a clear 404 or 400.
func TestAsOf(t *testing.T) {
	ts := start(t, nil)
	base := ts.stored()
	p := base.Projects[0]
	routes := []string{
		"/api/v1/projects/" + p.ID,
		"/api/v1/projects?per_page=500",
		"/api/v1/analysis?area=*&chain=" + base.Chains[0].ID,
		"/api/v1/analysis/all",
		"/api/v1/region",
		"/api/v1/export.svg?area=*&chain=" + base.Chains[0].ID,
	}
	seen := map[string][]string{} // route → body right after revision 1, 2, 3
	record := func() {
		for _, r := range routes {
			got := ts.get(r)
			if got.status != 200 {
				t.Fatalf("GET %s = %d", r, got.status)
			}
			seen[r] = append(seen[r], string(got.body))
		}
	}
	record()
	for i, status := range []string{"operating", "stalled"} {
		p.Status = chainscope.Status(status)
		p.Name = fmt.Sprintf("改名%d", i)
		if r := ts.edit("PUT", "/api/v1/projects/"+p.ID, mustJSON(t, p)); r.status != 200 {
			t.Fatalf("PUT = %d %s", r.status, r.body)
		}
		record()
	}
	for _, r := range routes {
		sep := "?"
		if strings.Contains(r, "?") {
			sep = "&"
		}
		for rev := 1; rev <= 3; rev++ {
			got := ts.get(fmt.Sprintf("%s%sas_of=%d", r, sep, rev))
			want := seen[r][rev-1]
			if r == "/api/v1/region" {
				// The region's data version is the server's, not the past's.
				var a, b RegionInfo
				json.Unmarshal(got.body, &a)
				json.Unmarshal([]byte(want), &b)
				a.DataVersion, b.DataVersion = 0, 0
				if a != b {
					t.Errorf("%s as of %d: %+v, want %+v", r, rev, a, b)
				}
				continue
			}
			if got.status != 200 || string(got.body) != want {
				t.Errorf("%s as of %d = %d, differs from the answer right after it", r, rev, got.status)
			}
		}
	}
	today := ts.get("/api/v1/projects/" + p.ID + "?as_of=2999-01-01")
	if string(today.body) != seen[routes[0]][2] {
		t.Errorf("as_of a future date should be the latest revision")
	}
	for q, want := range map[string]int{"as_of=9": 404, "as_of=0": 404, "as_of=2000-01-01": 404, "as_of=April": 400} {
		r := ts.get("/api/v1/analysis?area=*&chain=" + base.Chains[0].ID + "&" + q)
		if r.status != want || !strings.Contains(r.errorBody(t).Error, "as_of") && want == 400 {
			t.Errorf("%s = %d %s, want %d", q, r.status, r.body, want)
		}
	}
}

// TestChanges: /changes reports the edited record field by field and the
// scope whose segment status moved, against an independent comparison.
func TestChanges(t *testing.T) {
	ts := start(t, nil)
	base := ts.stored()
	// A project that is its segment's only node in its county: cancelling
	// it leaves the segment missing there.
	ix, err := graph.NewIndex(base)
	if err != nil {
		t.Fatal(err)
	}
	var target *chainscope.Project
	var area, chain, seg string
	for i := range base.Projects {
		p := &base.Projects[i]
		if p.Status == chainscope.StatusCancelled || len(p.Segments) == 0 || p.County == base.Region.Code {
			continue
		}
		chain = strings.Split(p.Segments[0], ".")[0]
		an, err := ix.Analyze(p.County, chain)
		if err != nil {
			continue
		}
		for _, s := range an.Segments {
			if s.ID == p.Segments[0] && len(s.Nodes) == 1 {
				target, area, seg = p, p.County, s.ID
			}
		}
		if target != nil {
			break
		}
	}
	if target == nil {
		t.Skip("no project alone on its segment in the built-in dataset")
	}
	edited := *target
	edited.Status = chainscope.StatusCancelled
	if r := ts.edit("PUT", "/api/v1/projects/"+edited.ID, mustJSON(t, edited)); r.status != 200 {
		t.Fatalf("PUT = %d %s", r.status, r.body)
	}
	var ch graph.Changes
	ts.get("/api/v1/changes?from=1").decode(t, &ch)
	if ch.From != 1 || ch.To != 2 || len(ch.Records) != 1 {
		t.Fatalf("changes = %+v", ch)
	}
	rc := ch.Records[0]
	if rc.Kind != "project" || rc.ID != edited.ID || rc.Change != "changed" || len(rc.Fields) != 1 ||
		rc.Fields["status"] != [2]any{string(target.Status), "cancelled"} {
		t.Fatalf("record change = %+v", rc)
	}
	found := false
	for _, sc := range ch.Scopes {
		if sc.Area == area && sc.Chain == chain {
			for _, s := range sc.Segments {
				if s.ID == seg && s.Status[1] != nil && *s.Status[1] == graph.Missing {
					found = true
				}
			}
		}
	}
	if !found {
		t.Fatalf("scope %s/%s segment %s not reported missing: %+v", area, chain, seg, ch.Scopes)
	}
	if r := ts.get("/api/v1/changes"); r.status != 400 {
		t.Errorf("changes without from = %d", r.status)
	}
	if r := ts.get("/api/v1/changes?from=7"); r.status != 404 {
		t.Errorf("changes from an unknown revision = %d", r.status)
	}
}

// TestIfMatch: an edit carrying the ETag of an older version of the record
// is refused with 412 and writes nothing; one carrying the current ETag
// goes through; edits of other records do not make it stale.
func TestIfMatch(t *testing.T) {
	ts := start(t, nil)
	base := ts.stored()
	a, b := base.Projects[0], base.Projects[1]
	tagA := ts.get("/api/v1/projects/" + a.ID).header.Get("ETag")
	if tagA == "" {
		t.Fatal("no ETag on a record")
	}
	// Another record changes: A's tag still holds.
	b.Name += "（改）"
	if r := ts.edit("PUT", "/api/v1/projects/"+b.ID, mustJSON(t, b)); r.status != 200 {
		t.Fatalf("PUT b = %d", r.status)
	}
	if again := ts.get("/api/v1/projects/" + a.ID).header.Get("ETag"); again != tagA {
		t.Fatalf("A's ETag moved with B's edit: %s → %s", tagA, again)
	}
	a.Name += "（甲改）"
	r := ts.edit("PUT", "/api/v1/projects/"+a.ID, mustJSON(t, a), "If-Match", tagA, "X-Editor-Name", "%E5%BC%A0%E4%B8%89")
	if r.status != 200 || r.header.Get("ETag") == tagA {
		t.Fatalf("PUT with the current ETag = %d", r.status)
	}
	if revs, _, _ := ts.db.Revisions(context.Background(), 1, 0); len(revs) != 1 || revs[0].By != "张三" {
		t.Fatalf("the revision is not by the editor named: %+v", revs)
	}
	// A second officer still holds the old tag.
	stale := a
	stale.Name = "乙的改名"
	r = ts.edit("PUT", "/api/v1/projects/"+a.ID, mustJSON(t, stale), "If-Match", tagA)
	if r.status != http.StatusPreconditionFailed || !strings.Contains(r.errorBody(t).Error, "记录已被他人修改") {
		t.Fatalf("stale PUT = %d %s", r.status, r.body)
	}
	if r := ts.edit("DELETE", "/api/v1/projects/"+a.ID+"?cascade=true", nil, "If-Match", tagA); r.status != http.StatusPreconditionFailed {
		t.Fatalf("stale DELETE = %d", r.status)
	}
	got := ts.stored()
	for _, p := range got.Projects {
		if p.ID == a.ID && p.Name != a.Name {
			t.Fatalf("stale edit stored: %q", p.Name)
		}
	}
}

// TestLinkIfMatch: GET /api/v1/link answers one link with the ETag of its
// version; an edit of the link with an older one is refused with 412 and
// writes nothing, with the current one it goes through; a link that does
// not exist is 404, a missing end 400.
func TestLinkIfMatch(t *testing.T) {
	ts := start(t, nil)
	l := ts.stored().Links[0]
	path := "/api/v1/link?from=" + url.QueryEscape(l.From) + "&to=" + url.QueryEscape(l.To)
	key := "?from=" + url.QueryEscape(l.From) + "&to=" + url.QueryEscape(l.To)
	r := ts.get(path)
	var got chainscope.Link
	if r.status != 200 || json.Unmarshal(r.body, &got) != nil || got.From != l.From || got.To != l.To || got.Product != l.Product {
		t.Fatalf("GET %s = %d %s", path, r.status, r.body)
	}
	tag := r.header.Get("ETag")
	if tag == "" {
		t.Fatal("no ETag on a link")
	}
	mine := l
	mine.Product = "甲改的产品"
	if r := ts.edit("PUT", "/api/v1/links"+key, mustJSON(t, mine), "If-Match", tag); r.status != 200 {
		t.Fatalf("PUT with the current ETag = %d %s", r.status, r.body)
	}
	if now := ts.get(path).header.Get("ETag"); now == tag {
		t.Fatal("the link's ETag did not move with its edit")
	}
	theirs := l
	theirs.Product = "乙改的产品"
	if r := ts.edit("PUT", "/api/v1/links"+key, mustJSON(t, theirs), "If-Match", tag); r.status != http.StatusPreconditionFailed {
		t.Fatalf("stale PUT = %d %s", r.status, r.body)
	}
	if r := ts.edit("DELETE", "/api/v1/links"+key, nil, "If-Match", tag); r.status != http.StatusPreconditionFailed {
		t.Fatalf("stale DELETE = %d %s", r.status, r.body)
	}
	if err := json.Unmarshal(ts.get(path).body, &got); err != nil || got.Product != "甲改的产品" {
		t.Fatalf("after the stale edits the link is %+v (%v)", got, err)
	}
	if r := ts.get("/api/v1/link?from=" + url.QueryEscape(l.To) + "&to=" + url.QueryEscape(l.From) + "x"); r.status != 404 {
		t.Fatalf("an unknown link = %d", r.status)
	}
	if r := ts.get("/api/v1/link?from=" + url.QueryEscape(l.From)); r.status != 400 {
		t.Fatalf("no to = %d", r.status)
	}
}
