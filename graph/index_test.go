package graph

import (
	"errors"
	"strings"
	"testing"

	"chainscope"
)

func TestNewIndexProblems(t *testing.T) {
	tests := []struct {
		name   string
		change func(ds *chainscope.Dataset)
		want   string // in some problem's message
		column string
	}{
		{
			name: "cycle in flows names its segments",
			change: func(ds *chainscope.Dataset) {
				ds.Chains[0].Flows = append(ds.Chains[0].Flows, chainscope.Flow{From: "bat.c", To: "bat.a"})
			},
			want: `cycle in flows of chain "bat": bat.a → bat.b → bat.c → bat.a`,
		},
		{
			name: "flow to itself",
			change: func(ds *chainscope.Dataset) {
				ds.Chains[0].Flows = append(ds.Chains[0].Flows, chainscope.Flow{From: "bat.e", To: "bat.e"})
			},
			want: `cycle in flows of chain "bat": bat.e → bat.e`,
		},
		{
			name: "flow between chains",
			change: func(ds *chainscope.Dataset) {
				ds.Chains[0].Flows = append(ds.Chains[0].Flows, chainscope.Flow{From: "bat.d", To: "chem.x"})
			},
			want: `flow "bat.d" → "chem.x" leaves chain "bat"`,
		},
		{
			name: "flow to unknown segment",
			change: func(ds *chainscope.Dataset) {
				ds.Chains[1].Flows = append(ds.Chains[1].Flows, chainscope.Flow{From: "chem.x", To: "chem.w"})
			},
			want: `unknown segment "chem.w"`, column: "to",
		},
		{
			name:   "unknown county",
			change: func(ds *chainscope.Dataset) { ds.Enterprises[0].County = "140899" },
			want:   `unknown county "140899"`, column: "county",
		},
		{
			name:   "unknown segment of an enterprise",
			change: func(ds *chainscope.Dataset) { ds.Enterprises[0].Segments = []string{"bat.zz"} },
			want:   `unknown segment "bat.zz"`, column: "segments",
		},
		{
			name:   "unknown chain led",
			change: func(ds *chainscope.Dataset) { ds.Enterprises[0].LeaderOf = []string{"steel"} },
			want:   `unknown chain "steel"`, column: "leader_of",
		},
		{
			name:   "duplicate id across enterprises and projects",
			change: func(ds *chainscope.Dataset) { ds.Projects[0].ID = "E1" },
			want:   `duplicate enterprise or project id "E1"`,
		},
		{
			name: "live id reused by a cancelled project",
			change: func(ds *chainscope.Dataset) {
				ds.Projects = append(ds.Projects, proj("E2", "140827", chainscope.StatusCancelled, nil, "bat.a"))
			},
			want: `id "E2" is also a cancelled project's`,
		},
		{
			name:   "link to unknown node",
			change: func(ds *chainscope.Dataset) { ds.Links = append(ds.Links, link("E1", "nobody")) },
			want:   `unknown enterprise or project "nobody"`, column: "to",
		},
		{
			name:   "self-link",
			change: func(ds *chainscope.Dataset) { ds.Links = append(ds.Links, link("E1", "E1")) },
			want:   `self-link "E1" → "E1"`,
		},
		{
			name:   "duplicate link",
			change: func(ds *chainscope.Dataset) { ds.Links = append(ds.Links, link("E1", "E2")) },
			want:   `duplicate link "E1" → "E2"`,
		},
		{
			name:   "duplicate county",
			change: func(ds *chainscope.Dataset) { ds.Counties = append(ds.Counties, ds.Counties[0]) },
			want:   `duplicate county code "140827"`,
		},
		{
			name:   "zone with unknown parent",
			change: func(ds *chainscope.Dataset) { ds.Counties[3].Parent = "140899" },
			want:   `unknown parent county "140899"`, column: "parent",
		},
		{
			name: "zones parented in a ring",
			change: func(ds *chainscope.Dataset) {
				ds.Counties[3].Parent = "Z-hj"
				ds.Counties[4].Parent = "Z-yq"
			},
			want: `zone parents form a cycle`,
		},
		{
			name:   "duplicate segment id",
			change: func(ds *chainscope.Dataset) { ds.Chains[1].Segments[0].ID = "bat.a" },
			want:   `duplicate segment id "bat.a"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := dataset(
				[]chainscope.Enterprise{ent("E1", "140827", "bat.a"), ent("E2", "140827", "bat.b")},
				[]chainscope.Project{proj("P1", "140827", chainscope.StatusSigned, nil, "bat.c")},
				links("E1", "E2"))
			tc.change(ds)
			ix, err := NewIndex(ds)
			var inv *chainscope.InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("NewIndex = %v, %v; want *chainscope.InvalidError", ix, err)
			}
			if chainscope.ErrorCode(err) != chainscope.EINVALID {
				t.Errorf("code = %s", chainscope.ErrorCode(err))
			}
			for _, p := range inv.Problems {
				if strings.Contains(p.Message, tc.want) {
					if tc.column != "" && p.Column != tc.column {
						t.Errorf("problem %v: column %q, want %q", p, p.Column, tc.column)
					}
					return
				}
			}
			t.Errorf("no problem says %q: %v", tc.want, inv.Problems)
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
		{"a repeated flow", func(ds *chainscope.Dataset) {
			ds.Chains[0].Flows = append(ds.Chains[0].Flows, ds.Chains[0].Flows[0])
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
	if _, err := NewIndex(nil); chainscope.ErrorCode(err) != chainscope.EINVALID {
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
