package graph

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"

	"chainscope"
)

// recordPairs splits ds into the dataset without links and its links as
// record-number pairs, as store.DB.LoadForAnalysis reads them.
func recordPairs(ds *chainscope.Dataset) (*chainscope.Dataset, [][2]int32) {
	rec := map[string]int32{}
	for i, e := range ds.Enterprises {
		rec[e.ID] = int32(i)
	}
	for j, p := range ds.Projects {
		rec[p.ID] = int32(len(ds.Enterprises) + j)
	}
	var pairs [][2]int32
	for _, l := range ds.Links {
		pairs = append(pairs, [2]int32{rec[l.From], rec[l.To]})
	}
	bare := *ds
	bare.Links = nil
	return &bare, pairs
}

func TestNewIndexPairsIsNewIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 2))
	for i := 0; i < 30; i++ {
		ds := randomDataset(r, 40, 2)
		for k := range ds.Enterprises {
			if r.IntN(4) == 0 {
				ds.Enterprises[k].LeaderOf = []string{ds.Chains[0].ID}
			}
		}
		want := mustIndex(t, ds)
		got, err := NewIndexPairs(recordPairs(ds))
		if err != nil {
			t.Fatal(err)
		}
		wa, _ := want.AnalyzeAll()
		ga, _ := got.AnalyzeAll()
		if !reflect.DeepEqual(ga, wa) {
			t.Fatalf("dataset %d: AnalyzeAll differs", i)
		}
		for _, area := range []string{"*", "140827", "Z-yq"} {
			for _, c := range ds.Chains {
				wr, _ := want.Report(area, c.ID)
				gr, _ := got.Report(area, c.ID)
				if !reflect.DeepEqual(gr, wr) {
					t.Fatalf("dataset %d %s/%s: Report differs", i, area, c.ID)
				}
			}
		}
		if !reflect.DeepEqual(got.dormant, want.dormant) && len(got.dormant)+len(want.dormant) > 0 {
			t.Fatalf("dataset %d: links of cancelled projects %v, want %v", i, got.dormant, want.dormant)
		}
		if !reflect.DeepEqual(got.Betweenness(5), want.Betweenness(5)) {
			t.Fatalf("dataset %d: betweenness differs", i)
		}
	}
}

func TestNewIndexPairsProblems(t *testing.T) {
	ds := dataset([]chainscope.Enterprise{ent("A", "140827", "bat.a"), ent("B", "140827", "bat.b")}, nil, nil)
	for name, pairs := range map[string][][2]int32{
		"self-link":      {{0, 0}},
		"duplicate":      {{0, 1}, {0, 1}},
		"unknown record": {{0, 7}},
	} {
		// As NewIndex: a broken invariant is an internal error.
		_, err := NewIndexPairs(ds, pairs)
		var inv *chainscope.InvalidError
		if chainscope.ErrorCode(err) != chainscope.EINTERNAL || errors.As(err, &inv) {
			t.Errorf("%s: %v, want an internal error", name, err)
		}
	}
	withLinks := dataset(ds.Enterprises, nil, links("A", "B"))
	if _, err := NewIndexPairs(withLinks, nil); err == nil {
		t.Error("a dataset with links of its own was accepted")
	}
	if _, err := NewIndexPairs(nil, nil); err == nil {
		t.Error("no dataset was accepted")
	}
}
