package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"chainscope"
)

// historyDB fills db with a dataset and a series of revisions written both
// by Replace and by Commit, and boundaries, and returns the dataset after
// each revision (index = revision).
func historyDB(t *testing.T, db *DB) []*chainscope.Dataset {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(11, 3))
	ds := genDataset(genConfig{enterprises: 200, projects: 50, links: 900, seed: 9})
	ds.Leads = []chainscope.Lead{}
	mustReplace(t, db, ds)
	seen := []*chainscope.Dataset{nil, mustLoad(t, db)}
	for step := 2; step <= 12; step++ {
		next := mutate(rng, seen[len(seen)-1], step)
		if step%4 == 0 {
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
			if _, err := db.Commit(ctx, version, changes, Meta{By: "测试员", Summary: fmt.Sprintf("第 %d 步", step)}); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
		}
		seen = append(seen, mustLoad(t, db))
	}
	if err := db.SetBoundaries(ctx, []chainscope.Boundary{{Code: "140821", Name: "第1县",
		Polygons: [][][][2]float64{{{{110, 35}, {111, 35}, {111, 36}, {110, 35}}}}}}); err != nil {
		t.Fatal(err)
	}
	return seen
}

// checkCopy fails t unless every read of dst answers as the same read of
// src: the current data, every revision as of it, the revision list, a
// record's history, the boundaries, and the numbering later writes take.
func checkCopy(t *testing.T, dst, src *DB, seen []*chainscope.Dataset) {
	t.Helper()
	ctx := context.Background()
	checkEqual(t, mustLoad(t, dst), mustLoad(t, src))
	for rev := int64(1); rev < int64(len(seen)); rev++ {
		got, err := dst.LoadAsOf(ctx, rev)
		if err != nil {
			t.Fatalf("as of %d: %v", rev, err)
		}
		checkEqual(t, got, seen[rev])
	}
	wantRevs, wantTotal, err := src.Revisions(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	gotRevs, gotTotal, err := dst.Revisions(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if gotTotal != wantTotal || len(gotRevs) != len(wantRevs) {
		t.Fatalf("revisions: %d of %d, want %d of %d", len(gotRevs), gotTotal, len(wantRevs), wantTotal)
	}
	for i := range gotRevs {
		if !gotRevs[i].At.Equal(wantRevs[i].At) || gotRevs[i].Rev != wantRevs[i].Rev || gotRevs[i].By != wantRevs[i].By || gotRevs[i].Summary != wantRevs[i].Summary {
			t.Fatalf("revision %d: got %+v, want %+v", i, gotRevs[i], wantRevs[i])
		}
	}
	e := seen[len(seen)-1].Enterprises[0].ID
	wantEvents, wantVersions, err := src.RecordHistory(ctx, chainscope.RecordEnterprise, e)
	if err != nil {
		t.Fatal(err)
	}
	gotEvents, gotVersions, err := dst.RecordHistory(ctx, chainscope.RecordEnterprise, e)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(gotEvents, gotVersions) != fmt.Sprint(wantEvents, wantVersions) {
		t.Fatalf("history of %s:\n got  %v %v\n want %v %v", e, gotEvents, gotVersions, wantEvents, wantVersions)
	}
	wantB, err := src.Boundaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gotB, err := dst.Boundaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotB, wantB) {
		t.Fatalf("boundaries: got %v, want %v", gotB, wantB)
	}
	if err := dst.Check(ctx); err != nil {
		t.Fatal(err)
	}
	// The same edit on both afterwards: a new enterprise (a node number
	// from next_node) linked to an old one (a link seq from next_link).
	cur := seen[len(seen)-1]
	next := *cur
	next.Enterprises = append(slices.Clone(cur.Enterprises), chainscope.Enterprise{ID: "E-after-copy", Name: "复制后的企业",
		County: cur.Region.Code, Segments: []string{}, LeaderOf: []string{}})
	next.Links = append(slices.Clone(cur.Links), chainscope.Link{From: "E-after-copy", To: cur.Enterprises[0].ID})
	for _, db := range []*DB{src, dst} {
		base, version, err := db.LoadVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		changes, err := chainscope.DiffDatasets(base, &next)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Commit(ctx, version, changes, Meta{By: "测试员"}); err != nil {
			t.Fatal(err)
		}
	}
	checkEqual(t, mustLoad(t, dst), mustLoad(t, src))
	if err := dst.Check(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestCopy: a database with history copied into a new one answers every
// read as the original; a target that holds data is refused without
// Force, and replaced with it; the data version moves past both.
func TestCopy(t *testing.T) {
	ctx := context.Background()
	for _, pair := range enginePairs() {
		t.Run(pair.name, func(t *testing.T) {
			src, _ := pair.src(t)
			dst, _ := pair.dst(t)
			seen := historyDB(t, src)
			srcVersion, err := src.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			stats, err := Copy(ctx, dst, src, CopyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if stats.Revisions != int64(len(seen)-1) || stats.Rows < rows(seen[len(seen)-1]) {
				t.Errorf("stats %+v, want %d revisions and at least %d rows", stats, len(seen)-1, rows(seen[len(seen)-1]))
			}
			if v, err := dst.DataVersion(ctx); err != nil || v <= srcVersion {
				t.Errorf("target data version %d (%v), want > %d", v, err, srcVersion)
			}
			checkCopy(t, dst, src, seen)

			if _, err := Copy(ctx, src, src, CopyOptions{Force: true}); chainscope.ErrorCode(err) != chainscope.EINVALID {
				t.Fatalf("copy onto itself: %v, want invalid", err)
			}
			// Again: the target holds data now.
			before := mustLoad(t, dst)
			_, err = Copy(ctx, dst, src, CopyOptions{})
			if chainscope.ErrorCode(err) != chainscope.ECONFLICT {
				t.Fatalf("copy over data without Force: %v, want a conflict", err)
			}
			checkEqual(t, mustLoad(t, dst), before)
			if _, err := Copy(ctx, dst, src, CopyOptions{Force: true}); err != nil {
				t.Fatal(err)
			}
			checkEqual(t, mustLoad(t, dst), mustLoad(t, src))
		})
	}
}

// TestCopyTablesCoverSchema: Copy moves every table of the schema, on
// both engines (a migration adding a table must add it to copyTables).
func TestCopyTablesCoverSchema(t *testing.T) {
	ctx := context.Background()
	var want []string
	for _, c := range copyTables {
		want = append(want, c.name)
	}
	want = append(want, notCopied...)
	slices.Sort(want)
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		{
			db, _ := open(t)
			q := `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
			if db.pg != nil {
				q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
			}
			rows, err := db.read.QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var got []string
			for rows.Next() {
				var name string
				if err := rows.Scan(&name); err != nil {
					t.Fatal(err)
				}
				if name != "state" && name != "chainscope_schema" { // the schema version (PostgreSQL)
					got = append(got, name)
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("tables %v, copyTables %v", got, want)
			}
		}
	})
}

// enginePairs are every (source engine, target engine) pair, for tests
// that move data between two databases.
func enginePairs() []struct {
	name     string
	src, dst func(testing.TB) (*DB, string)
} {
	var out []struct {
		name     string
		src, dst func(testing.TB) (*DB, string)
	}
	for _, a := range testEngines {
		for _, b := range testEngines {
			out = append(out, struct {
				name     string
				src, dst func(testing.TB) (*DB, string)
			}{a.name + "→" + b.name, a.open, b.open})
		}
	}
	return out
}
