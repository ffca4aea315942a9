package store

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"chainscope"
)

// checkAnalysisLoad compares LoadForAnalysis with Load: the same records
// (for one chain: Load's records cut down to what LoadForAnalysis
// promises), no links, and pairs naming exactly the stored links.
func checkAnalysisLoad(t *testing.T, db *DB) {
	t.Helper()
	want := mustLoad(t, db)
	checkAnalysisLoadChain(t, db, want, "")
	for _, c := range want.Chains {
		checkAnalysisLoadChain(t, db, want, c.ID)
	}
}

// forChain is ds cut down as LoadForAnalysis(chain) reads it.
func forChain(ds *chainscope.Dataset, chain string) *chainscope.Dataset {
	in := map[string]bool{}
	for _, c := range ds.Chains {
		for _, s := range c.Segments {
			in[s.ID] = c.ID == chain
		}
	}
	out := *ds
	out.Links = nil
	out.Enterprises = nil
	for _, e := range ds.Enterprises {
		segs := []string{}
		for _, s := range e.Segments {
			if in[s] {
				segs = append(segs, s)
			}
		}
		leads := []string{}
		if slices.Contains(e.LeaderOf, chain) {
			leads = append(leads, chain)
		}
		out.Enterprises = append(out.Enterprises, chainscope.Enterprise{ID: e.ID, Name: e.Name, County: e.County,
			OutputWan: e.OutputWan, Segments: segs, LeaderOf: leads})
	}
	out.Projects = nil
	for _, p := range ds.Projects {
		segs := []string{}
		for _, s := range p.Segments {
			if in[s] {
				segs = append(segs, s)
			}
		}
		out.Projects = append(out.Projects, chainscope.Project{ID: p.ID, Name: p.Name, County: p.County,
			InvestmentWan: p.InvestmentWan, Status: p.Status, Segments: segs})
	}
	return &out
}

func checkAnalysisLoadChain(t *testing.T, db *DB, want *chainscope.Dataset, chain string) {
	t.Helper()
	ds, pairs, err := db.LoadForAnalysis(context.Background(), chain)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Links != nil {
		t.Fatalf("LoadForAnalysis returned %d links in the dataset", len(ds.Links))
	}
	records := *want
	records.Links = nil
	if chain != "" {
		records = *forChain(want, chain)
	}
	if !reflect.DeepEqual(ds, &records) {
		t.Fatalf("chain %q: records differ from Load's:\n%s", chain, diffDataset(ds, &records))
	}
	ne := len(ds.Enterprises)
	id := func(r int32) string {
		if int(r) < ne {
			return ds.Enterprises[r].ID
		}
		return ds.Projects[int(r)-ne].ID
	}
	var got, exp []string
	for _, p := range pairs {
		got = append(got, id(p[0])+"→"+id(p[1]))
	}
	for _, l := range want.Links {
		exp = append(exp, l.From+"→"+l.To)
	}
	slices.Sort(got)
	slices.Sort(exp)
	if !slices.Equal(got, exp) {
		t.Fatalf("pairs name %d links, Load has %d (or they differ)", len(got), len(exp))
	}
}

func TestLoadForAnalysis(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		db, _ := open(t)
		rich := richDataset()
		mustReplace(t, db, rich)
		checkAnalysisLoad(t, db)

		// Stored over: records removed and added, so node numbers have gaps
		// and new ones come after them.
		ds := genDataset(genConfig{enterprises: 300, projects: 80, links: 2000, seed: 3})
		mustReplace(t, db, ds)
		checkAnalysisLoad(t, db)
		next := genDataset(genConfig{enterprises: 300, projects: 80, links: 2000, seed: 3})
		next.Enterprises = next.Enterprises[:250]
		keep := map[string]bool{}
		for _, e := range next.Enterprises {
			keep[e.ID] = true
		}
		for _, p := range next.Projects {
			keep[p.ID] = true
		}
		for i := range next.Projects {
			if !keep[next.Projects[i].Investor] {
				next.Projects[i].Investor = ""
			}
		}
		links := next.Links[:0]
		for _, l := range next.Links {
			if keep[l.From] && keep[l.To] {
				links = append(links, l)
			}
		}
		next.Links = links
		next.Enterprises = append(next.Enterprises, chainscope.Enterprise{ID: "E-new", Name: "新企业", County: next.Counties[0].Code,
			Segments: []string{next.Chains[0].Segments[0].ID}, LeaderOf: []string{}})
		next.Links = append(next.Links, chainscope.Link{From: "E-new", To: next.Enterprises[0].ID})
		mustReplace(t, db, next)
		checkAnalysisLoad(t, db)
	})
}

// With no spare connection the links are read in the loader's own
// transaction, with the same result.
func TestLoadForAnalysisOneConnection(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		db, _ := open(t)
		mustReplace(t, db, genDataset(genConfig{enterprises: 300, projects: 80, links: 2000, seed: 5}))
		ctx := context.Background()
		if db.pg != nil {
			// database/sql opens as many connections as asked; the
			// pgx pool under it is what runs out.
			for range db.pg.pool.Stat().MaxConns() - 1 {
				c, err := db.pg.pool.Acquire(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Release()
			}
		}
		for range db.read.Stats().MaxOpenConnections - 1 {
			c, err := db.read.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
		}
		checkAnalysisLoad(t, db)
	})
}
