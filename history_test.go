package chainscope

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func randomDataset(rng *rand.Rand, n int) *Dataset {
	ds := &Dataset{Region: Region{Code: "140800", Name: "运城市"}}
	for i := range 3 {
		ds.Counties = append(ds.Counties, County{Code: fmt.Sprintf("14082%d", i), Name: "县", Kind: KindCounty})
	}
	ds.Chains = []Chain{{ID: "c", Name: "链", Segments: []Segment{{ID: "c.a", Name: "甲"}, {ID: "c.b", Name: "乙"}},
		Flows: []Flow{{From: "c.a", To: "c.b"}}}}
	amount := func() *float64 {
		if rng.IntN(3) == 0 {
			return nil
		}
		v := float64(rng.IntN(3))
		return &v
	}
	for i := range n {
		ds.Enterprises = append(ds.Enterprises, Enterprise{ID: fmt.Sprintf("E%d", i), Name: []string{"", "甲"}[rng.IntN(2)],
			County: "140820", Segments: [][]string{nil, {}, {"c.a"}, {"c.a", "c.b"}}[rng.IntN(4)], OutputWan: amount()})
		ds.Projects = append(ds.Projects, Project{ID: fmt.Sprintf("P%d", i), Status: Statuses[rng.IntN(2)],
			Emerging: rng.IntN(2) == 0, InvestmentWan: amount(), Signed: []string{"", "2024-01-01"}[rng.IntN(2)]})
	}
	for i := range 3 * n {
		ds.Links = append(ds.Links, Link{From: fmt.Sprintf("E%d", rng.IntN(n)), To: fmt.Sprintf("P%d", i%n),
			Product: []string{"", "x"}[rng.IntN(2)]})
	}
	// Unique link keys.
	seen := map[[2]string]bool{}
	ds.Links = slices.DeleteFunc(ds.Links, func(l Link) bool {
		k := [2]string{l.From, l.To}
		dup := seen[k]
		seen[k] = true
		return dup
	})
	return ds
}

// TestSameRecordFastPaths: the typed comparisons DiffDatasets uses for
// enterprises, projects and links decide exactly what the field lists of
// SPEC §8 decide.
func TestSameRecordFastPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	a, b := randomDataset(rng, 60), randomDataset(rng, 60)
	for i := range a.Enterprises {
		for j := range b.Enterprises {
			if got, want := sameEnterprise(&a.Enterprises[i], &b.Enterprises[j]), SameRecord(&a.Enterprises[i], &b.Enterprises[j]); got != want &&
				!(len(a.Enterprises[i].Segments) == 0 && len(b.Enterprises[j].Segments) == 0) {
				t.Fatalf("enterprise %+v vs %+v: fast %v, fields %v", a.Enterprises[i], b.Enterprises[j], got, want)
			}
		}
	}
	for i := range a.Projects {
		for j := range b.Projects {
			if got, want := sameProject(&a.Projects[i], &b.Projects[j]), SameRecord(&a.Projects[i], &b.Projects[j]); got != want {
				t.Fatalf("project %+v vs %+v: fast %v, fields %v", a.Projects[i], b.Projects[j], got, want)
			}
		}
	}
	for i := range a.Links {
		for j := range b.Links[:50] {
			if got, want := sameLink(&a.Links[i], &b.Links[j]), SameRecord(&a.Links[i], &b.Links[j]); got != want {
				t.Fatalf("link %+v vs %+v: fast %v, fields %v", a.Links[i], b.Links[j], got, want)
			}
		}
	}
}

// TestDiffDatasets compares DiffDatasets with a plain reading of SPEC §8 on
// random pairs: shuffled, edited, added and removed records.
func TestDiffDatasets(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 50 {
		a := randomDataset(rng, 30)
		b := randomDataset(rng, 30)
		if round%2 == 0 {
			// Mostly the same, as an edited re-import is.
			c := *a
			c.Links = slices.Clone(a.Links)
			c.Projects = slices.Clone(a.Projects)
			c.Projects[rng.IntN(len(c.Projects))].Name = "改"
			c.Links = slices.Delete(c.Links, 3, 5)
			c.Links = append(c.Links, Link{From: "E1", To: "P-new"})
			if round%4 == 0 {
				rng.Shuffle(len(c.Links), func(i, j int) { c.Links[i], c.Links[j] = c.Links[j], c.Links[i] })
			}
			b = &c
		}
		got, err := DiffDatasets(a, b)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		collect := func(ds *Dataset) map[string]any {
			m := map[string]any{}
			records(ds, func(kind string, rec any) { m[kind+"|"+RecordKey(rec)] = rec })
			return m
		}
		ma, mb := collect(a), collect(b)
		for k, rb := range mb {
			if ra, ok := ma[k]; !ok {
				want[k] = "added"
			} else if len(ChangedFields(ra, rb)) > 0 {
				want[k] = "changed"
			}
		}
		for k := range ma {
			if _, ok := mb[k]; !ok {
				want[k] = "removed"
			}
		}
		gotMap := map[string]string{}
		for _, c := range got {
			gotMap[c.Kind+"|"+c.Key] = c.Change()
		}
		if len(gotMap) != len(got) || fmt.Sprint(gotMap) != fmt.Sprint(want) {
			t.Fatalf("round %d:\n got  %v\n want %v", round, gotMap, want)
		}
	}
}

func TestDiffDatasetsDuplicates(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	a := randomDataset(rng, 10)
	for _, b := range []func() *Dataset{
		func() *Dataset { c := *a; c.Links = append(slices.Clone(a.Links), a.Links[0]); return &c },
		func() *Dataset {
			c := *a
			c.Links = append(slices.Clone(a.Links), Link{From: "X", To: "Y"}, Link{From: "X", To: "Y"})
			return &c
		},
		func() *Dataset { c := *a; c.Projects = append(slices.Clone(a.Projects), a.Projects[3]); return &c },
		func() *Dataset {
			c := *a
			c.Projects = append([]Project{a.Projects[len(a.Projects)-1]}, a.Projects...)
			return &c
		},
	} {
		if _, err := DiffDatasets(a, b()); ErrorCode(err) != EINVALID {
			t.Errorf("duplicate key: %v", err)
		}
	}
}

// records calls fn with every record of ds as a versioned record, read
// plainly from the dataset for the tests' own reading of SPEC §8.
func records(ds *Dataset, fn func(kind string, rec any)) {
	if ds.Region.Code != "" {
		fn(RecordRegion, &ds.Region)
	}
	for i := range ds.Counties {
		fn(RecordCounty, &ds.Counties[i])
	}
	for i := range ds.Chains {
		c := &ds.Chains[i]
		fn(RecordChain, &ChainRecord{ID: c.ID, Name: c.Name, Flows: c.Flows, Source: c.Source, Note: c.Note})
		for j := range c.Segments {
			fn(RecordSegment, &SegmentRecord{Chain: c.ID, Segment: c.Segments[j]})
		}
	}
	for i := range ds.Enterprises {
		fn(RecordEnterprise, &ds.Enterprises[i])
	}
	for i := range ds.Projects {
		fn(RecordProject, &ds.Projects[i])
	}
	for i := range ds.Links {
		fn(RecordLink, &ds.Links[i])
	}
}
