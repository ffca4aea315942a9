package graph

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"

	"chainscope"
)

func TestScopeResolvesOnce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 9))
	ds := randomDataset(r, 40, 1.5)
	ix := mustIndex(t, ds)
	for _, area := range []string{"*", "140827", "140882", "Z-yq"} {
		for _, c := range ds.Chains {
			sc, err := ix.Scope(area, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if sc.Area() != area || sc.Chain() != c.ID {
				t.Fatalf("scope %s/%s reads back as %s/%s", area, c.ID, sc.Area(), sc.Chain())
			}
			// A scope's answers are the index's answers for the same pair.
			a, _ := ix.Analyze(area, c.ID)
			if got := sc.Analysis(); !reflect.DeepEqual(got, a) {
				t.Fatalf("%s/%s: Scope.Analysis differs from Analyze", area, c.ID)
			}
			pi, _ := ix.ProjectImpact(area, c.ID)
			if got := sc.ProjectImpact(); !reflect.DeepEqual(got, pi) {
				t.Fatalf("%s/%s: Scope.ProjectImpact differs", area, c.ID)
			}
			rep, _ := ix.Report(area, c.ID)
			if !reflect.DeepEqual(rep.Analysis, a) || !reflect.DeepEqual(rep.ProjectImpact, pi[:min(len(pi), ReportImpactTop)]) ||
				rep.ProjectImpactTotal != len(pi) {
				t.Fatalf("%s/%s: Report differs from its parts", area, c.ID)
			}
		}
	}
	for _, bad := range [][2]string{{"999999", "bat"}, {"*", "nope"}} {
		_, err := ix.Scope(bad[0], bad[1])
		var ce *chainscope.Error
		if !errors.As(err, &ce) || ce.Code != chainscope.ENOTFOUND {
			t.Fatalf("Scope(%q, %q): %v, want ENOTFOUND", bad[0], bad[1], err)
		}
	}
}

// A zone scope's nodes are its own: scopes used from many goroutines at
// once, while other scopes are analysed, keep their answers.
func TestScopeConcurrentZones(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 3))
	ds := randomDataset(r, 60, 1.5)
	ix := mustIndex(t, ds)
	want := map[string]*Report{}
	for _, c := range ds.Chains {
		rep, err := ix.Report("Z-yq", c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want[c.ID] = rep
	}
	scopes := map[string]*Scope{}
	for _, c := range ds.Chains {
		scopes[c.ID], _ = ix.Scope("Z-yq", c.ID)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for range 4 {
		wg.Go(func() {
			for id, sc := range scopes {
				if _, err := ix.Report("Z-yq", id); err != nil {
					errs <- err.Error()
				}
				if !reflect.DeepEqual(sc.Report(), want[id]) {
					errs <- "zone scope of " + id + " changed"
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

// A report lists the first ReportImpactTop projects of the ranking and
// counts them all.
func TestReportImpactIsCapped(t *testing.T) {
	var ps []chainscope.Project
	for i := range ReportImpactTop + 30 {
		ps = append(ps, proj(fmt.Sprintf("P%03d", i), "140827", chainscope.StatusSigned, wan(float64(i)), "bat.a"))
	}
	ix := mustIndex(t, dataset(nil, ps, nil))
	rep, err := ix.Report("140827", "bat")
	if err != nil {
		t.Fatal(err)
	}
	all, _ := ix.ProjectImpact("140827", "bat")
	if len(all) != ReportImpactTop+30 || rep.ProjectImpactTotal != len(all) || !reflect.DeepEqual(rep.ProjectImpact, all[:ReportImpactTop]) {
		t.Fatalf("report lists %d of %d (total %d)", len(rep.ProjectImpact), len(all), rep.ProjectImpactTotal)
	}
}
