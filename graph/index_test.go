package graph

import (
	"errors"
	"strings"
	"testing"

	"chainscope"
)

// TestNewIndexBrokenInvariants: NewIndex trusts a dataset Build accepted
// (dataset's tests hold the user-facing rules and their messages); a
// dataset Build would refuse, in a way that would mislead the analysis,
// is an internal error naming what broke.
func TestNewIndexBrokenInvariants(t *testing.T) {
	tests := []struct {
		name   string
		change func(ds *chainscope.Dataset)
		want   string // in the error's message
	}{
		{"cycle in flows", func(ds *chainscope.Dataset) {
			ds.Chains[0].Flows = append(ds.Chains[0].Flows, chainscope.Flow{From: "bat.c", To: "bat.a"})
		}, `flow "bat.c" → "bat.a": edge would create a cycle`},
		{"flow to itself", func(ds *chainscope.Dataset) {
			ds.Chains[0].Flows = append(ds.Chains[0].Flows, chainscope.Flow{From: "bat.e", To: "bat.e"})
		}, `flow "bat.e" → "bat.e" is not between two of its segments`},
		{"flow between chains", func(ds *chainscope.Dataset) {
			ds.Chains[0].Flows = append(ds.Chains[0].Flows, chainscope.Flow{From: "bat.d", To: "chem.x"})
		}, `flow "bat.d" → "chem.x" is not between two of its segments`},
		{"flow to unknown segment", func(ds *chainscope.Dataset) {
			ds.Chains[1].Flows = append(ds.Chains[1].Flows, chainscope.Flow{From: "chem.x", To: "chem.w"})
		}, `flow "chem.x" → "chem.w" is not between`},
		{"a repeated flow", func(ds *chainscope.Dataset) {
			ds.Chains[0].Flows = append(ds.Chains[0].Flows, ds.Chains[0].Flows[0])
		}, `edge already exists`},
		{"unknown county", func(ds *chainscope.Dataset) { ds.Enterprises[0].County = "140899" }, `E1: county "140899" unknown`},
		{"unknown segment of an enterprise", func(ds *chainscope.Dataset) { ds.Enterprises[0].Segments = []string{"bat.zz"} },
			`E1: segment "bat.zz" unknown`},
		{"unknown chain led", func(ds *chainscope.Dataset) { ds.Enterprises[0].LeaderOf = []string{"steel"} }, `E1: chain led "steel" unknown`},
		{"duplicate id across enterprises and projects", func(ds *chainscope.Dataset) { ds.Projects[0].ID = "E1" },
			`id "E1" empty or twice`},
		{"live id reused by a cancelled project", func(ds *chainscope.Dataset) {
			ds.Projects = append(ds.Projects, proj("E2", "140827", chainscope.StatusCancelled, nil, "bat.a"))
		}, `id "E2" empty or twice`},
		{"link to unknown node", func(ds *chainscope.Dataset) { ds.Links = append(ds.Links, link("E1", "nobody")) },
			`link "E1" → "nobody": an unknown end or a self-link`},
		{"self-link", func(ds *chainscope.Dataset) { ds.Links = append(ds.Links, link("E1", "E1")) },
			`link "E1" → "E1": an unknown end or a self-link`},
		{"duplicate link", func(ds *chainscope.Dataset) { ds.Links = append(ds.Links, link("E1", "E2")) }, `link "E1" → "E2" twice`},
		{"duplicate county", func(ds *chainscope.Dataset) { ds.Counties = append(ds.Counties, ds.Counties[0]) }, `county "140827" twice`},
		{"zone with unknown parent", func(ds *chainscope.Dataset) { ds.Counties[3].Parent = "140899" }, `parent "140899" unknown`},
		{"zones parented in a ring", func(ds *chainscope.Dataset) {
			ds.Counties[3].Parent = "Z-hj"
			ds.Counties[4].Parent = "Z-yq"
		}, `parents form a cycle`},
		{"duplicate segment id", func(ds *chainscope.Dataset) { ds.Chains[1].Segments[0].ID = "bat.a" }, `segment "bat.a" twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := dataset(
				[]chainscope.Enterprise{ent("E1", "140827", "bat.a"), ent("E2", "140827", "bat.b")},
				[]chainscope.Project{proj("P1", "140827", chainscope.StatusSigned, nil, "bat.c")},
				links("E1", "E2"))
			if _, err := NewIndex(ds); err != nil {
				t.Fatalf("the unchanged dataset: %v", err)
			}
			tc.change(ds)
			ix, err := NewIndex(ds)
			if chainscope.ErrorCode(err) != chainscope.EINTERNAL {
				t.Fatalf("NewIndex = %v, %v; want an internal error", ix, err)
			}
			var inv *chainscope.InvalidError
			if errors.As(err, &inv) {
				t.Errorf("a broken invariant reported as the user's problems: %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

func TestNewIndexAccepts(t *testing.T) {
	tests := []struct {
		name   string
		change func(ds *chainscope.Dataset)
	}{
		{"nothing at all", func(ds *chainscope.Dataset) { *ds = chainscope.Dataset{} }},
		{"links of cancelled projects", func(ds *chainscope.Dataset) {
			ds.Projects = append(ds.Projects, proj("PX", "140827", chainscope.StatusCancelled, nil, "bat.a", "nope"))
			ds.Links = append(ds.Links, link("PX", "E1"), link("E2", "PX"))
		}},
		{"records with empty county", func(ds *chainscope.Dataset) { ds.Enterprises[0].County = "" }},
		{"the region listed as a county, with a city-level zone", func(ds *chainscope.Dataset) {
			ds.Counties = append(ds.Counties,
				chainscope.County{Code: region, Name: "市本级", Kind: chainscope.KindDistrict},
				chainscope.County{Code: "Z-city", Name: "运城经济技术开发区", Kind: chainscope.KindZone, Parent: region})
			ds.Enterprises[0].County = region
			ds.Enterprises[1].County = "Z-city"
		}},
		{"segment ids that need DOT escaping", func(ds *chainscope.Dataset) {
			ds.Chains[0].Segments[0].ID = `bat."a" [x]\`
			ds.Chains[0].Flows[0].From = `bat."a" [x]\`
			ds.Enterprises[0].Segments = []string{`bat."a" [x]\`}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := dataset([]chainscope.Enterprise{ent("E1", "140827", "bat.a"), ent("E2", "140827", "bat.b")}, nil, links("E1", "E2"))
			tc.change(ds)
			ix, err := NewIndex(ds)
			if err != nil {
				t.Fatal(err)
			}
			all, err := ix.AnalyzeAll()
			if err != nil {
				t.Fatal(err)
			}
			// Areas are "*" and the three counties, never the region or a zone.
			if want := 4 * len(ds.Chains); len(all) != want {
				t.Errorf("%d scopes, want %d", len(all), want)
			}
			for _, c := range ds.Chains {
				if _, err := ix.ChainDOT(c.ID); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	if _, err := NewIndex(nil); chainscope.ErrorCode(err) != chainscope.EINTERNAL {
		t.Errorf("NewIndex(nil) = %v", err)
	}
}

func TestChainDOT(t *testing.T) {
	ds := dataset(nil, nil, nil)
	ds.Chains[0].Segments[1].Name = `负极"材料"`
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	want := `strict digraph {
	label="新能源电池";
	rankdir="LR";
	"bat.a" [ label="锻后焦\n上游",  weight=0 ];
	"bat.a" -> "bat.b" [  weight=0 ];
	"bat.b" [ label="负极\"材料\"\n中游",  weight=0 ];
	"bat.b" -> "bat.c" [  weight=0 ];
	"bat.c" [ label="电芯\n中游",  weight=0 ];
	"bat.c" -> "bat.d" [  weight=0 ];
	"bat.d" [ label="电池包\n下游",  weight=0 ];
	"bat.e" [ label="检测\n配套",  weight=0 ];
}
`
	for i := 0; i < 20; i++ { // the renderer walks maps: the order must not depend on it
		got, err := ix.ChainDOT("bat")
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("ChainDOT =\n%s\nwant\n%s", got, want)
		}
	}
	if _, err := ix.ChainDOT("steel"); chainscope.ErrorCode(err) != chainscope.ENOTFOUND {
		t.Errorf("unknown chain: %v", err)
	}
}
