package dataset_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"chainscope/dataset"
)

// TestBuildStaged: the two-stage build gives exactly what Build gives —
// the dataset, or every problem of both stages — and Nodes is ready only
// when the records but the links are sound.
func TestBuildStaged(t *testing.T) {
	raw, err := os.ReadFile("testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		edit      func(string) string
		nodesOK   bool
		problemOK bool // Build reports problems
	}{
		{"sound", func(s string) string { return s }, true, false},
		{"link problem", replace(`{"from": "P-2024-017", "to": "E-anode"}`, `{"from": "P-2024-017", "to": "E-nobody"}`), true, true},
		{"node problem", replace(`"status": "started"`, `"status": "planned"`), false, true},
		{"both", func(s string) string {
			s = replace(`{"from": "P-2024-017", "to": "E-anode"}`, `{"from": "P-2024-017", "to": "E-nobody"}`)(s)
			return replace(`"status": "started"`, `"status": "planned"`)(s)
		}, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			read := func() *dataset.Records {
				recs, probs := dataset.ReadJSON(strings.NewReader(tc.edit(string(raw))), "small.json")
				if len(probs) > 0 {
					t.Fatal(probs)
				}
				return recs
			}
			wantDS, wantProbs := dataset.Build(read())
			if (len(wantProbs) > 0) != tc.problemOK {
				t.Fatalf("Build problems = %v", wantProbs)
			}
			recs := read()
			s := dataset.BuildStaged(recs)
			if (s.Nodes != nil) != tc.nodesOK {
				t.Fatalf("Nodes = %v, want ready %v", s.Nodes != nil, tc.nodesOK)
			}
			if s.LinkCount != len(recs.Links) {
				t.Errorf("LinkCount = %d, want %d", s.LinkCount, len(recs.Links))
			}
			var nodes []string
			if s.Nodes != nil {
				// read while the link stage may still run (go test -race)
				for _, e := range s.Nodes.Enterprises {
					nodes = append(nodes, e.ID)
				}
			}
			gotDS, gotProbs := s.Wait()
			if !reflect.DeepEqual(gotProbs, wantProbs) {
				t.Fatalf("problems:\n got %v\nwant %v", gotProbs, wantProbs)
			}
			if !reflect.DeepEqual(gotDS, wantDS) {
				t.Fatalf("dataset differs from Build's")
			}
			if s.Nodes != nil && gotDS != nil {
				if len(s.Nodes.Links) != 0 {
					t.Errorf("Nodes has %d links", len(s.Nodes.Links))
				}
				if len(nodes) != len(gotDS.Enterprises) || !reflect.DeepEqual(s.Nodes.Projects, gotDS.Projects) {
					t.Errorf("Nodes and the dataset disagree")
				}
			}
		})
	}
}
