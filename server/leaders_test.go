package server

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"

	"chainscope/graph"
	"chainscope/synth"
)

func TestLeaderSuppliersRoute(t *testing.T) {
	ds := synth.Generate(synth.Small())
	ts := start(t, ds)
	ix, err := graph.NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, ch := range ds.Chains {
		var leaders []graph.LeaderDependency
		ts.get("/api/v1/leaders?area=*&chain="+ch.ID).decode(t, &leaders)
		for _, l := range leaders {
			sc, _ := ix.Scope("*", ch.ID)
			want, err := sc.LeaderSuppliers(l.ID, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if want.Total != l.Direct+l.Indirect {
				t.Fatalf("%s: summary counts %d + %d, pages total %d", l.ID, l.Direct, l.Indirect, want.Total)
			}
			var items []graph.Supplier
			for off := 0; ; off += 7 {
				var p graph.SupplierPage
				r := ts.get(fmt.Sprintf("/api/v1/leaders/%s/suppliers?area=*&chain=%s&offset=%d&limit=7", l.ID, ch.ID, off))
				if r.status != http.StatusOK {
					t.Fatalf("%s offset %d: %d %s", l.ID, off, r.status, r.body)
				}
				r.decode(t, &p)
				if p.Leader != l.ID || p.Total != want.Total || p.Direct != l.Direct || p.Offset != off || p.Limit != 7 {
					t.Fatalf("%s page at %d: %+v", l.ID, off, p)
				}
				if len(p.Items) == 0 {
					break
				}
				items = append(items, p.Items...)
			}
			if !reflect.DeepEqual(items, want.Items) && len(want.Items) > 0 {
				t.Fatalf("%s: pages do not add up to the supplier list", l.ID)
			}
			if len(items) > 7 {
				checked++
			}
		}
	}
	if checked < 2 {
		t.Fatalf("only %d leaders with more than one page", checked)
	}

	// Errors: a bad offset or limit is 400; an enterprise that leads nothing here is 404.
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/api/v1/leaders/x/suppliers?area=*", 400},
		{"/api/v1/leaders/x/suppliers?area=*&chain=" + ds.Chains[0].ID + "&offset=-1", 400},
		{"/api/v1/leaders/x/suppliers?area=*&chain=" + ds.Chains[0].ID + "&limit=0", 400},
		{"/api/v1/leaders/nobody/suppliers?area=*&chain=" + ds.Chains[0].ID, 404},
		{"/api/v1/leaders/" + ds.Enterprises[0].ID + "/suppliers?area=999&chain=" + ds.Chains[0].ID, 404},
	} {
		if r := ts.get(tc.path); r.status != tc.status {
			t.Errorf("%s: %d, want %d: %s", tc.path, r.status, tc.status, r.body)
		} else {
			r.errorBody(t)
		}
	}
}

// Two leaders asked with the same query get their own answers and ETags.
func TestLeaderSuppliersKeyedByLeader(t *testing.T) {
	ds := synth.Generate(synth.Small())
	ts := start(t, ds)
	var ids []string
	chain := ""
	for _, ch := range ds.Chains {
		var leaders []graph.LeaderDependency
		ts.get("/api/v1/leaders?area=*&chain="+ch.ID).decode(t, &leaders)
		if len(leaders) >= 2 {
			ids, chain = []string{leaders[0].ID, leaders[1].ID}, ch.ID
			break
		}
	}
	if ids == nil {
		t.Fatal("no chain with two leaders")
	}
	q := "/suppliers?area=*&chain=" + chain
	a, b := ts.get("/api/v1/leaders/"+ids[0]+q), ts.get("/api/v1/leaders/"+ids[1]+q)
	var pa, pb graph.SupplierPage
	a.decode(t, &pa)
	b.decode(t, &pb)
	if pa.Leader != ids[0] || pb.Leader != ids[1] || a.header.Get("ETag") == b.header.Get("ETag") {
		t.Fatalf("leaders %s and %s answered %s and %s (ETags %s, %s)", ids[0], ids[1], pa.Leader, pb.Leader,
			a.header.Get("ETag"), b.header.Get("ETag"))
	}
	if r := ts.get("/api/v1/leaders/"+ids[0]+q, "If-None-Match", a.header.Get("ETag")); r.status != http.StatusNotModified {
		t.Fatalf("revalidation: %d", r.status)
	}
}
