package graph

import (
	"encoding/json"
	"reflect"
	"testing"

	"chainscope"
)

func TestLeaderDependency(t *testing.T) {
	const yq, hj = "140827", "140882"
	// Supply into leader L: S1 (in 垣曲) and S2 (in 河津) supply L; X and Y
	// supply S1; W supplies X; Z supplies S2; Q supplies both X and S2.
	// N is a leader with no supplier; M leads another chain; K is a
	// cancelled project supplying L.
	ds := dataset(
		[]chainscope.Enterprise{
			leader("L", yq, []string{"bat"}, "bat.d"),
			leader("N", "Z-yq", []string{"bat", "chem"}),
			leader("M", yq, []string{"chem"}, "chem.y"),
			leader("H", hj, []string{"bat"}, "bat.d"),
			ent("S1", yq, "bat.c"), ent("S2", hj, "bat.c"),
			ent("X", yq, "bat.b"), ent("Y", yq, "bat.b"), ent("W", hj, "bat.a"), ent("Z", yq, "bat.b"),
			ent("Q", region, "bat.a"),
		},
		[]chainscope.Project{proj("K", yq, chainscope.StatusCancelled, nil, "bat.c")},
		links("S1", "L", "S2", "L", "X", "S1", "Y", "S1", "W", "X", "Z", "S2", "K", "L", "L", "M", "S1", "H", "Q", "X", "Q", "S2"))
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	half, one := 0.5, 1.0
	tests := []struct {
		name, area, chain string
		want              []LeaderDependency
	}{
		{
			name: "county: leaders located in it, local supply rate over direct links",
			area: yq, chain: "bat",
			want: []LeaderDependency{
				{
					ID: "L", Name: "企业L",
					DirectSuppliers:   []string{"S1", "S2"},
					IndirectSuppliers: []string{"Q", "W", "X", "Y", "Z"},
					Dominators:        []Dominator{{"S1", 3}, {"S2", 1}, {"X", 1}},
					LocalSupplyRate:   &half,
					OutsideSuppliers:  []string{"S2"},
				},
				{
					ID: "N", Name: "企业N",
					DirectSuppliers: []string{}, IndirectSuppliers: []string{}, Dominators: []Dominator{}, OutsideSuppliers: []string{},
				},
			},
		},
		{
			name: "whole region: every supplier is local",
			area: "*", chain: "bat",
			want: []LeaderDependency{
				{
					ID: "H", Name: "企业H",
					DirectSuppliers:   []string{"S1"},
					IndirectSuppliers: []string{"Q", "W", "X", "Y"},
					Dominators:        []Dominator{{"S1", 4}, {"X", 2}},
					LocalSupplyRate:   &one,
					OutsideSuppliers:  []string{},
				},
				{
					ID: "L", Name: "企业L",
					DirectSuppliers:   []string{"S1", "S2"},
					IndirectSuppliers: []string{"Q", "W", "X", "Y", "Z"},
					Dominators:        []Dominator{{"S1", 3}, {"S2", 1}, {"X", 1}},
					LocalSupplyRate:   &one,
					OutsideSuppliers:  []string{},
				},
				{
					ID: "N", Name: "企业N",
					DirectSuppliers: []string{}, IndirectSuppliers: []string{}, Dominators: []Dominator{}, OutsideSuppliers: []string{},
				},
			},
		},
		{
			name: "zone: only the zone's leaders",
			area: "Z-yq", chain: "bat",
			want: []LeaderDependency{{
				ID: "N", Name: "企业N",
				DirectSuppliers: []string{}, IndirectSuppliers: []string{}, Dominators: []Dominator{}, OutsideSuppliers: []string{},
			}},
		},
		{
			name: "no leader in scope",
			area: "140802", chain: "bat",
			want: []LeaderDependency{},
		},
		{
			name: "leader's customer is not a supplier",
			area: yq, chain: "chem",
			want: []LeaderDependency{
				{
					ID: "M", Name: "企业M",
					DirectSuppliers:   []string{"L"},
					IndirectSuppliers: []string{"Q", "S1", "S2", "W", "X", "Y", "Z"},
					Dominators:        []Dominator{{"L", 7}, {"S1", 3}, {"S2", 1}, {"X", 1}},
					LocalSupplyRate:   &one,
					OutsideSuppliers:  []string{},
				},
				{
					ID: "N", Name: "企业N",
					DirectSuppliers: []string{}, IndirectSuppliers: []string{}, Dominators: []Dominator{}, OutsideSuppliers: []string{},
				},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ix.LeaderDependency(tc.area, tc.chain)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				g, _ := json.MarshalIndent(got, "", "  ")
				w, _ := json.MarshalIndent(tc.want, "", "  ")
				t.Errorf("got\n%s\nwant\n%s", g, w)
			}
		})
	}
}

func TestLeaderDependencyJSON(t *testing.T) {
	ix, err := NewIndex(dataset([]chainscope.Enterprise{leader("L", "140827", []string{"bat"})}, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ix.LeaderDependency("*", "bat")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(got)
	want := `[{"id":"L","name":"企业L","direct_suppliers":[],"indirect_suppliers":[],"dominators":[],"local_supply_rate":null,"outside_suppliers":[]}]`
	if string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
}
