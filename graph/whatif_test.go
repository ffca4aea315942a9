package graph

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"chainscope"
)

func TestWhatIf(t *testing.T) {
	const yq, hj = "140827", "140882"
	signed := chainscope.StatusSigned
	// E1 (a) → E2 (b) → E3 (c) → E4 (d), all in 垣曲; O1 in 河津 lists c and
	// supplies E4; P1 is a signed project on e.
	ds := dataset(
		[]chainscope.Enterprise{ent("E1", yq, "bat.a"), ent("E2", yq, "bat.b"), ent("E3", yq, "bat.c"), ent("E4", yq, "bat.d"), ent("O1", hj, "bat.c")},
		[]chainscope.Project{proj("P1", yq, signed, wan(100), "bat.e")},
		links("E1", "E2", "E2", "E3", "E3", "E4", "O1", "E4"),
	)
	ix := mustIndex(t, ds)
	seg := func(id string) (string, chainscope.Stage) {
		for _, s := range ds.Chains[0].Segments {
			if s.ID == id {
				return s.Name, s.Stage
			}
		}
		return "", ""
	}
	change := func(id string, from, to Status, fr, tr []Reason, fb, tb bool) SegmentChange {
		name, stage := seg(id)
		return SegmentChange{ID: id, Name: name, Stage: stage, From: from, To: to, FromReasons: fr, ToReasons: tr, FromBroken: fb, ToBroken: tb}
	}
	single := []Reason{ReasonSingle}
	tests := []struct {
		name      string
		sc        Scenario
		changes   []SegmentChange
		before    float64
		after     float64
		added     []CutNode
		removed   []CutNode
		externalC bool // bat.c supplied externally after
	}{
		{
			name: "removing the only supplier of a segment breaks the chain",
			sc:   Scenario{Remove: []string{"E2"}},
			changes: []SegmentChange{
				change("bat.b", Weak, Missing, single, []Reason{}, false, true),
			},
			before: 1, after: 0.8,
			added:   []CutNode{},
			removed: []CutNode{{ID: "E2", Impact: 1}, {ID: "E3", Impact: 1}},
		},
		{
			name: "removing the segment's node and the outside supplier",
			sc:   Scenario{Remove: []string{"E3", "O1"}},
			changes: []SegmentChange{
				change("bat.c", Weak, Missing, single, []Reason{}, false, true),
			},
			before: 1, after: 0.8,
			added:   []CutNode{},
			removed: []CutNode{{ID: "E2", Impact: 1}, {ID: "E3", Impact: 1}},
		},
		{
			name: "removing the segment's node leaves it supplied externally",
			sc:   Scenario{Remove: []string{"E3"}},
			changes: []SegmentChange{
				change("bat.c", Weak, Missing, single, []Reason{}, false, true),
			},
			before: 1, after: 0.8,
			added:     []CutNode{},
			removed:   []CutNode{{ID: "E2", Impact: 1}, {ID: "E3", Impact: 1}},
			externalC: true,
		},
		{
			name: "a project becoming operating drops planned only",
			sc:   Scenario{Operate: []string{"P1"}},
			changes: []SegmentChange{
				change("bat.e", Weak, Weak, []Reason{ReasonSingle, ReasonPlannedOnly}, single, false, false),
			},
			before: 1, after: 1,
			added: []CutNode{}, removed: []CutNode{},
		},
		{
			name:    "an empty scenario changes nothing",
			sc:      Scenario{},
			changes: []SegmentChange{},
			before:  1, after: 1,
			added: []CutNode{}, removed: []CutNode{},
		},
		{
			name: "removed wins over operate; removing an end of the path makes a new cut node",
			sc:   Scenario{Operate: []string{"P1"}, Remove: []string{"P1", "E1"}},
			changes: []SegmentChange{
				change("bat.a", Weak, Missing, single, []Reason{}, false, false),
				change("bat.e", Weak, Missing, []Reason{ReasonSingle, ReasonPlannedOnly}, []Reason{}, false, false),
			},
			before: 1, after: 0.6,
			// Path E2–E3–E4: E3 stays cut (impact 1); E2 is now an end.
			added:   []CutNode{},
			removed: []CutNode{{ID: "E2", Impact: 1}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wi, err := ix.WhatIf(yq, "bat", tc.sc)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(wi.Changes, tc.changes) {
				t.Errorf("Changes:\n got %+v\nwant %+v", wi.Changes, tc.changes)
			}
			if wi.CompletenessBefore != tc.before || wi.CompletenessAfter != tc.after {
				t.Errorf("completeness %v → %v, want %v → %v", wi.CompletenessBefore, wi.CompletenessAfter, tc.before, tc.after)
			}
			if !reflect.DeepEqual(wi.CutNodesAdded, tc.added) || !reflect.DeepEqual(wi.CutNodesRemoved, tc.removed) {
				t.Errorf("cut nodes added %v removed %v, want %v and %v", wi.CutNodesAdded, wi.CutNodesRemoved, tc.added, tc.removed)
			}
			if got := wi.After.Segments[2].SuppliedExternally; got != tc.externalC {
				t.Errorf("bat.c supplied externally after = %v, want %v", got, tc.externalC)
			}
			if before, _ := ix.Analyze(yq, "bat"); !reflect.DeepEqual(wi.Before, before) {
				t.Errorf("Before differs from Analyze:\n got %+v\nwant %+v", wi.Before, before)
			}
			if want := referenceAnalysis(changed(ds, tc.sc.Remove, tc.sc.Operate), yq, "bat"); !reflect.DeepEqual(wi.After, want) {
				t.Errorf("After differs from the reference:\n got %+v\nwant %+v", wi.After, want)
			}
		})
	}
}

func TestWhatIfErrors(t *testing.T) {
	ds := dataset(
		[]chainscope.Enterprise{ent("E1", "140827", "bat.a")},
		[]chainscope.Project{proj("P1", "140827", chainscope.StatusSigned, nil, "bat.a"), proj("PX", "140827", chainscope.StatusCancelled, nil, "bat.a")},
		nil,
	)
	ix := mustIndex(t, ds)
	tests := []struct {
		name        string
		area, chain string
		sc          Scenario
		code        string
		mentions    []string
	}{
		{"unknown ids are all named", "140827", "bat", Scenario{Operate: []string{"nope1"}, Remove: []string{"E1", "nope2"}}, chainscope.ENOTFOUND, []string{"nope1", "nope2"}},
		{"a cancelled project is unknown", "140827", "bat", Scenario{Operate: []string{"PX"}}, chainscope.ENOTFOUND, []string{"PX"}},
		{"an enterprise cannot become operating", "140827", "bat", Scenario{Operate: []string{"P1", "E1"}}, chainscope.EINVALID, []string{"E1", "只有项目"}},
		{"unknown area", "999999", "bat", Scenario{}, chainscope.ENOTFOUND, []string{"999999"}},
		{"unknown chain", "140827", "nope", Scenario{}, chainscope.ENOTFOUND, []string{"nope"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ix.WhatIf(tc.area, tc.chain, tc.sc)
			if chainscope.ErrorCode(err) != tc.code {
				t.Fatalf("error %v: code %q, want %q", err, chainscope.ErrorCode(err), tc.code)
			}
			for _, m := range tc.mentions {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
		})
	}
}

func TestWhatIfJSON(t *testing.T) {
	ix := mustIndex(t, dataset([]chainscope.Enterprise{ent("E1", "140827", "bat.a")}, nil, nil))
	wi, err := ix.WhatIf("140827", "bat", Scenario{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(wi)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"area":"140827"`, `"chain":"bat"`, `"scenario":{"operate":[],"remove":[]}`, `"before":{`, `"after":{`,
		`"changes":[]`, `"completeness_before":0.2`, `"completeness_after":0.2`, `"cut_nodes_added":[]`, `"cut_nodes_removed":[]`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON lacks %s:\n%s", k, b)
		}
	}
	if strings.Contains(string(b), "null") {
		t.Errorf("JSON has null:\n%s", b)
	}
}

// TestWhatIfAgainstReference applies random scenarios to random datasets and
// checks After against the reference analysis of the changed data.
func TestWhatIfAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 9))
	areas := []string{"*", "140827", "140882", "Z-yq", "Z-free"}
	for i := 0; i < 60; i++ {
		ds := randomDataset(r, 25, 1.5)
		ix := mustIndex(t, ds)
		var live, projects []string
		for _, e := range ds.Enterprises {
			live = append(live, e.ID)
		}
		for _, p := range ds.Projects {
			if p.Status != chainscope.StatusCancelled {
				live = append(live, p.ID)
				projects = append(projects, p.ID)
			}
		}
		pick := func(from []string, k int) []string {
			var out []string
			for j := 0; j < k && len(from) > 0; j++ {
				out = append(out, from[r.IntN(len(from))])
			}
			return out
		}
		for j := 0; j < 4; j++ {
			sc := Scenario{Operate: pick(projects, r.IntN(4)), Remove: pick(live, r.IntN(4))}
			for _, area := range areas {
				for _, c := range ds.Chains {
					wi, err := ix.WhatIf(area, c.ID, sc)
					if err != nil {
						t.Fatal(err)
					}
					want := referenceAnalysis(changed(ds, sc.Remove, sc.Operate), area, c.ID)
					if !reflect.DeepEqual(wi.After, want) {
						t.Fatalf("dataset %d %s/%s %+v:\n got %+v\nwant %+v", i, area, c.ID, sc, wi.After, want)
					}
					if want := referenceAnalysis(ds, area, c.ID); !reflect.DeepEqual(wi.Before, want) {
						t.Fatalf("dataset %d %s/%s: Before differs", i, area, c.ID)
					}
					for _, ch := range wi.Changes {
						if ch.From == ch.To && ch.FromBroken == ch.ToBroken && reflect.DeepEqual(ch.FromReasons, ch.ToReasons) {
							t.Fatalf("change %+v changes nothing", ch)
						}
					}
				}
			}
		}
	}
}
