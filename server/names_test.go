package server

import (
	"strings"
	"testing"
)

// TestNames: GET /names gives the kind and name of each enterprise and
// project asked for, in the order asked, leaving out other ids; no ids or
// too many are a 400.
func TestNames(t *testing.T) {
	ts := start(t, nil)
	ds := ts.stored()
	e, p := ds.Enterprises[len(ds.Enterprises)-1], ds.Projects[0]
	r := ts.get("/api/v1/names?ids=" + p.ID + ",nope," + e.ID + "&ids=" + p.ID)
	if r.status != 200 {
		t.Fatalf("names: %d %s", r.status, r.body)
	}
	var got Names
	r.decode(t, &got)
	want := []SearchHit{{Kind: "project", ID: p.ID, Name: p.Name}, {Kind: "enterprise", ID: e.ID, Name: e.Name}, {Kind: "project", ID: p.ID, Name: p.Name}}
	if len(got.Items) != len(want) {
		t.Fatalf("names: %+v, want %+v", got.Items, want)
	}
	for i := range want {
		if got.Items[i] != want[i] {
			t.Errorf("item %d: %+v, want %+v", i, got.Items[i], want[i])
		}
	}
	for _, path := range []string{"/api/v1/names", "/api/v1/names?ids=,", "/api/v1/names?ids=" + strings.Repeat("x,", maxNames+1)} {
		if r := ts.get(path); r.status != 400 {
			t.Errorf("GET %.60s = %d, want 400", path, r.status)
		}
	}
}
