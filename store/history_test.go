package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"chainscope"
)

// mutate returns a copy of ds with a few random valid changes: fields of
// counties, chains (flows), segments, enterprises, projects and links
// changed, records added and removed. ds is not modified.
func mutate(rng *rand.Rand, ds *chainscope.Dataset, step int) *chainscope.Dataset {
	next := *ds
	next.Counties = slices.Clone(ds.Counties)
	next.Chains = slices.Clone(ds.Chains)
	next.Enterprises = slices.Clone(ds.Enterprises)
	next.Projects = slices.Clone(ds.Projects)
	next.Links = slices.Clone(ds.Links)
	for range 1 + rng.IntN(4) {
		switch rng.IntN(10) {
		case 0:
			next.Region.Name = fmt.Sprintf("地区%d", step)
		case 1:
			i := rng.IntN(len(next.Counties))
			next.Counties[i].Name += "·"
		case 2:
			i := rng.IntN(len(next.Chains))
			c := next.Chains[i]
			c.Segments = slices.Clone(c.Segments)
			c.Flows = slices.Clone(c.Flows)
			if len(c.Flows) > 0 && rng.IntN(2) == 0 {
				c.Flows = c.Flows[:len(c.Flows)-1]
			} else {
				c.Name += "+"
			}
			if j := rng.IntN(len(c.Segments)); rng.IntN(2) == 0 {
				c.Segments[j].Note = fmt.Sprintf("备注%d", step)
			}
			next.Chains[i] = c
		case 3:
			i := rng.IntN(len(next.Enterprises))
			e := next.Enterprises[i]
			e.Segments = append(slices.Clone(e.Segments), next.Chains[0].Segments[rng.IntN(len(next.Chains[0].Segments))].ID)
			e.Segments = slices.Compact(e.Segments)
			v := float64(step) * 1.5
			e.OutputWan = &v
			next.Enterprises[i] = e
		case 4:
			i := rng.IntN(len(next.Projects))
			p := next.Projects[i]
			p.Status = chainscope.Statuses[rng.IntN(len(chainscope.Statuses))]
			p.Started = fmt.Sprintf("2024-%02d-01", 1+step%12)
			next.Projects[i] = p
		case 5:
			next.Projects = append(next.Projects, chainscope.Project{ID: fmt.Sprintf("P-new-%d-%d", step, rng.IntN(1000)),
				Name: "新项目", County: next.Counties[0].Code, Segments: []string{next.Chains[1].Segments[0].ID},
				Status: chainscope.StatusSigned, Signed: "2024-03-01"})
		case 6:
			id := fmt.Sprintf("E-new-%d-%d", step, rng.IntN(1000))
			next.Enterprises = append(next.Enterprises, chainscope.Enterprise{ID: id, Name: "新企业",
				County: next.Region.Code, Segments: []string{}, LeaderOf: []string{next.Chains[0].ID}})
			next.Links = append(next.Links, chainscope.Link{From: id, To: next.Enterprises[0].ID, Product: "新"})
		case 7:
			if len(next.Links) > 0 {
				i := rng.IntN(len(next.Links))
				next.Links = slices.Delete(next.Links, i, i+1)
			}
		case 8:
			i := rng.IntN(len(next.Links))
			next.Links[i].Product = fmt.Sprintf("产品%d", step)
		case 9:
			// Remove a project nobody links to, with nothing else.
			linked := map[string]bool{}
			for _, l := range next.Links {
				linked[l.From], linked[l.To] = true, true
			}
			for i, p := range next.Projects {
				if !linked[p.ID] {
					next.Projects = slices.Delete(next.Projects, i, i+1)
					break
				}
			}
		}
	}
	return &next
}

// TestAsOfEveryRevision: after a series of revisions written both by
// Replace (whole datasets) and by Commit (changes), LoadAsOf of each
// revision returns exactly what Load returned right after it.
func TestAsOfEveryRevision(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		db, path := open(t)
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(7, 7))
		ds := genDataset(genConfig{enterprises: 300, projects: 80, links: 1500, seed: 5})
		mustReplace(t, db, ds)
		seen := []*chainscope.Dataset{nil, mustLoad(t, db)}
		for step := 2; step <= 40; step++ {
			next := mutate(rng, seen[len(seen)-1], step)
			if step%3 == 0 {
				mustReplace(t, db, next)
			} else {
				cur, version, err := db.LoadVersion(ctx)
				if err != nil {
					t.Fatal(err)
				}
				changes, err := chainscope.DiffDatasets(cur, next)
				if err != nil {
					t.Fatal(err)
				}
				rev, err := db.Commit(ctx, version, changes, Meta{By: "测试", Summary: fmt.Sprintf("step %d", step)})
				if err != nil {
					t.Fatalf("step %d: %v", step, err)
				}
				if rev.Rev != int64(len(seen)) {
					t.Fatalf("step %d: revision %d, want %d", step, rev.Rev, len(seen))
				}
			}
			got := mustLoad(t, db)
			checkSameRecords(t, got, next)
			seen = append(seen, got)
		}
		if err := db.Check(ctx); err != nil {
			t.Fatal(err)
		}
		check := func(t *testing.T, db *DB) {
			for rev := int64(1); rev < int64(len(seen)); rev++ {
				got, err := db.LoadAsOf(ctx, rev)
				if err != nil {
					t.Fatalf("as of %d: %v", rev, err)
				}
				checkEqual(t, got, seen[rev])
				if t.Failed() {
					t.Fatalf("as of %d differs", rev)
				}
			}
			if _, err := db.LoadAsOf(ctx, int64(len(seen))); chainscope.ErrorCode(err) != chainscope.ENOTFOUND {
				t.Errorf("as of a future revision: %v", err)
			}
		}
		check(t, db)
		if db.Engine() != "sqlite" {
			return // PostgreSQL is backed up with pg_dump
		}

		// A backup carries the whole history.
		out := filepath.Join(filepath.Dir(path), "copy.db")
		if err := db.Backup(ctx, out); err != nil {
			t.Fatal(err)
		}
		copyDB, err := Open(ctx, out)
		if err != nil {
			t.Fatal(err)
		}
		defer copyDB.Close()
		check(t, copyDB)
		revs, total, err := copyDB.Revisions(ctx, 0, 0)
		if err != nil || total != len(seen)-1 || len(revs) != total || revs[0].Rev != int64(total) || revs[total-1].Rev != 1 {
			t.Fatalf("revisions of the copy: %d of %d, %v", len(revs), total, err)
		}
	})
}

// TestRevisions: numbers without gaps, a failed or stale write takes none,
// as_of dates resolve in Asia/Shanghai time, and a record's history lists
// who changed it.
func TestRevisions(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		db, _ := open(t)
		ctx := context.Background()
		now := time.Date(2024, 4, 30, 15, 0, 0, 0, time.UTC) // 23:00 in Shanghai
		db.Now = func() time.Time { return now }
		ds := richDataset()
		if err := db.ReplaceWith(ctx, ds, ReplaceOptions{Meta: Meta{By: "cli", Summary: "import replace"}}); err != nil {
			t.Fatal(err)
		}
		r1, err := db.Revision(ctx, 1)
		segments := len(ds.Chains[0].Segments) + len(ds.Chains[1].Segments) + len(ds.Chains[2].Segments)
		want := fmt.Sprintf("import replace: 1 region, %d county, %d chain, %d segment, %d enterprise, %d project, %d link",
			len(ds.Counties), len(ds.Chains), segments, len(ds.Enterprises), len(ds.Projects), len(ds.Links))
		if err != nil || r1.By != "cli" || r1.Summary != want || len(ds.Chains) != 3 {
			t.Fatalf("revision 1 = %+v, %v", r1, err)
		}

		// A refused write takes no number.
		bad := *ds
		bad.Projects = slices.Clone(ds.Projects)
		bad.Projects[0].Investor = "E-nobody"
		if err := db.Replace(ctx, &bad); err == nil {
			t.Fatal("dangling investor stored")
		}
		// A stale write takes none either.
		cur, version, _ := db.LoadVersion(ctx)
		edited := *cur
		edited.Projects = slices.Clone(cur.Projects)
		edited.Projects[0].Status = chainscope.StatusOperating
		changes, _ := chainscope.DiffDatasets(cur, &edited)
		if _, err := db.Commit(ctx, version-1, changes, Meta{By: "王"}); !errors.Is(err, ErrStale) {
			t.Fatalf("stale commit: %v", err)
		}
		now = now.Add(2 * time.Hour) // 1 May, 01:00 in Shanghai
		r2, err := db.Commit(ctx, version, changes, Meta{By: "王", Summary: "edit project " + edited.Projects[0].ID})
		if err != nil || r2.Rev != 2 || r2.Summary != "edit project "+edited.Projects[0].ID+": 1 project" {
			t.Fatalf("revision 2 = %+v, %v", r2, err)
		}
		for asOf, want := range map[string]int64{"1": 1, "2": 2, "2024-04-30": 1, "2024-05-01": 2, "2030-01-01": 2} {
			if got, _, err := db.ResolveAsOf(ctx, asOf); err != nil || got != want {
				t.Errorf("as_of %s = %d, %v; want %d", asOf, got, err, want)
			}
		}
		for asOf, code := range map[string]string{"0": chainscope.ENOTFOUND, "3": chainscope.ENOTFOUND,
			"2024-04-29": chainscope.ENOTFOUND, "April": chainscope.EINVALID, "2024-02-30": chainscope.EINVALID} {
			if _, _, err := db.ResolveAsOf(ctx, asOf); chainscope.ErrorCode(err) != code {
				t.Errorf("as_of %s: %v, want %s", asOf, err, code)
			}
		}

		events, versions, err := db.RecordHistory(ctx, chainscope.RecordProject, edited.Projects[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 2 || events[0].Rev != 1 || events[0].Change != "added" || events[1].Rev != 2 ||
			events[1].By != "王" || events[1].Change != "changed" {
			t.Fatalf("events = %+v", events)
		}
		if len(versions) != 1 || versions[0].From != 1 || versions[0].To != 2 {
			t.Fatalf("versions = %+v", versions)
		}
		audit, err := db.Audit(ctx, 0, 0)
		if err != nil || len(audit) != 2 || audit[0].Key != edited.Projects[0].ID || audit[1].Rev != 1 || audit[1].Kind != "" {
			t.Fatalf("audit = %+v, %v", audit, err)
		}
	})
}

// TestSmallEditWritesLittle: one changed record over a stored dataset adds
// one history row and rewrites one row, whatever the size of the dataset.
func TestSmallEditWritesLittle(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		db, _ := open(t)
		ctx := context.Background()
		ds := genDataset(genConfig{enterprises: 2000, projects: 400, links: 20_000, seed: 3})
		mustReplace(t, db, ds)
		next := *ds
		next.Links = slices.Clone(ds.Links)
		next.Links[100].Product = "改"
		if err := db.Replace(ctx, &next); err != nil {
			t.Fatal(err)
		}
		var history, records, rewritten int
		db.read.QueryRowContext(ctx, `SELECT count(*) FROM history`).Scan(&history)
		db.read.QueryRowContext(ctx, `SELECT count(*) FROM revision_records`).Scan(&records)
		db.read.QueryRowContext(ctx, `SELECT count(*) FROM links WHERE rev = 2`).Scan(&rewritten)
		if history != 1 || records != 1 || rewritten != 1 {
			t.Fatalf("history %d, revision records %d, rows of revision 2 %d; want 1 each", history, records, rewritten)
		}
	})
}

// TestLoadOnTwoConnections: a dataset read with its links split over two
// connections (current and as of every revision) is the one read on one.
func TestLoadOnTwoConnections(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		db, _ := open(t)
		rng := rand.New(rand.NewPCG(9, 9))
		ds := genDataset(genConfig{enterprises: 200, projects: 50, links: 1500, seed: 8})
		mustReplace(t, db, ds)
		for step := 2; step <= 6; step++ {
			mustReplace(t, db, mutate(rng, mustLoad(t, db), step))
		}
		read := func(threshold int) []*chainscope.Dataset {
			saved := parallelLinks
			parallelLinks = threshold
			defer func() { parallelLinks = saved }()
			out := []*chainscope.Dataset{mustLoad(t, db)}
			for rev := int64(1); rev <= 6; rev++ {
				out = append(out, mustLoadAsOf(t, db, rev))
			}
			return out
		}
		one, two := read(1<<30), read(10)
		for i := range one {
			checkEqual(t, two[i], one[i])
		}
	})
}
