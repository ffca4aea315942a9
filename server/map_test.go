package server

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"chainscope/render"
	"chainscope/yuncheng"
)

// TestMapRoutes walks a region from no boundaries to a map: GET
// /boundaries and /map.svg say there is none (and how to add it), a bad
// upload is refused listing the county it lacks, a good one (as a
// multipart form) is stored, the map is served office-safe with an ETag
// that answers 304, an edit of the data keeps the boundaries and moves the
// ETag, and a past revision's map uses today's boundaries.
func TestMapRoutes(t *testing.T) {
	ts := start(t, nil)
	var bv BoundariesView
	ts.get("/api/v1/boundaries").decode(t, &bv)
	if bv.Counties == nil || len(bv.Counties) != 0 {
		t.Fatalf("boundaries of a new database: %+v", bv)
	}
	r := ts.get("/api/v1/map.svg?chain=battery")
	if r.status != 404 || !strings.Contains(r.errorBody(t).Error, "chainscope import-boundaries") {
		t.Fatalf("map.svg without boundaries: %d %s", r.status, r.body)
	}
	if r := ts.get("/api/v1/map.svg"); r.status != 400 {
		t.Errorf("map.svg without a chain: %d", r.status)
	}

	var doc map[string]any
	if err := json.Unmarshal(yuncheng.BoundariesGeoJSON(), &doc); err != nil {
		t.Fatal(err)
	}
	doc["features"] = doc["features"].([]any)[:12] // 河津市 140882 left out
	r = ts.edit(http.MethodPut, "/api/v1/boundaries", mustJSON(t, doc), "Content-Type", "application/geo+json")
	if r.status != 422 || !strings.Contains(string(r.body), "county 140882 河津市 has no feature") {
		t.Fatalf("partial upload: %d %s", r.status, r.body)
	}
	if r := ts.do(request{method: http.MethodPut, path: "/api/v1/boundaries", body: yuncheng.BoundariesGeoJSON()}); r.status != 401 {
		t.Errorf("upload without the token: %d", r.status)
	}

	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "运城.geojson")
	fw.Write(yuncheng.BoundariesGeoJSON())
	mw.Close()
	r = ts.edit(http.MethodPut, "/api/v1/boundaries", form.Bytes(), "Content-Type", mw.FormDataContentType())
	var res BoundariesResult
	r.decode(t, &res)
	if r.status != 200 || len(res.Counties) != 13 || res.Counties[12] != "140882" {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	ts.get("/api/v1/boundaries").decode(t, &bv)
	if len(bv.Counties) != 13 {
		t.Fatalf("boundaries after the upload: %v", bv.Counties)
	}

	r = ts.get("/api/v1/map.svg?chain=battery&metric=investment")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "image/svg+xml") {
		t.Fatalf("map.svg: %d %s", r.status, r.body)
	}
	if err := render.CheckSVG(r.body); err != nil {
		t.Fatal(err)
	}
	tag := r.header.Get("ETag")
	if r := ts.get("/api/v1/map.svg?chain=battery&metric=investment", "If-None-Match", tag); r.status != 304 {
		t.Errorf("If-None-Match: %d", r.status)
	}
	if r := ts.do(request{method: http.MethodHead, path: "/api/v1/map.svg?chain=battery&metric=investment"}); r.status != 200 || len(r.body) != 0 {
		t.Errorf("HEAD: %d with %d bytes", r.status, len(r.body))
	}

	// An edit: the next snapshot is derived from this one and keeps the
	// boundaries; the picture's ETag moves with the data.
	id := ""
	for _, p := range builtin(t).Projects {
		if p.County == "140827" && p.InvestmentWan != nil && strings.HasPrefix(p.Segments[0], "battery.") && p.Status != "cancelled" {
			id = p.ID
			break
		}
	}
	var pv ProjectView
	ts.get("/api/v1/projects/"+id).decode(t, &pv)
	*pv.Project.InvestmentWan += 1000
	if r := ts.edit(http.MethodPut, "/api/v1/projects/"+id, mustJSON(t, pv.Project)); r.status != 200 {
		t.Fatalf("edit: %d %s", r.status, r.body)
	}
	r2 := ts.get("/api/v1/map.svg?chain=battery&metric=investment")
	if r2.status != 200 || r2.header.Get("ETag") == tag || bytes.Equal(r2.body, r.body) {
		t.Errorf("after an edit: %d, ETag %s (was %s), same bytes %v", r2.status, r2.header.Get("ETag"), tag, bytes.Equal(r2.body, r.body))
	}
	if past := ts.get("/api/v1/map.svg?chain=battery&metric=investment&as_of=1"); past.status != 200 || !bytes.Equal(past.body, r.body) {
		t.Errorf("the map as of revision 1: %d, same as before the edit %v", past.status, bytes.Equal(past.body, r.body))
	}
	if r := ts.get("/api/v1/map.svg?chain=battery&metric=beauty"); r.status != 400 {
		t.Errorf("unknown metric: %d", r.status)
	}
	if r := ts.get("/api/v1/map.svg?chain=nope"); r.status != 404 {
		t.Errorf("unknown chain: %d", r.status)
	}
}
