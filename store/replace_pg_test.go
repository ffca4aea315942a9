package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"chainscope"
)

// tableRows reads every row of table in key order, each value as the
// other engine would give it (see convert), for comparing two databases.
func tableRows(t *testing.T, db *DB, table, order string) [][]any {
	t.Helper()
	ctx := context.Background()
	rows, err := db.read.QueryContext(ctx, `SELECT * FROM `+table+` ORDER BY `+order)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(cols) // the engines may order the columns differently
	q := `SELECT ` + strings.Join(cols, ", ") + ` FROM ` + table + ` ORDER BY ` + order
	rows.Close()
	rows, err = db.read.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				vals[i] = string(x)
			case bool: // PostgreSQL's boolean is SQLite's 0 or 1
				vals[i] = convert(x, kindInt)
			case float64: // an amount that is a whole number may come back as either
				vals[i] = convert(x, kindInt)
			}
			if cols[i] == "doc" || cols[i] == "chains" || cols[i] == "polygons" {
				vals[i] = fmt.Sprint(vals[i] != nil) // JSON text: jsonb may lay it out anew
			}
		}
		out = append(out, append([]any{cols}, vals...))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReplaceSameRowsOnBothEngines: the bulk first import writes the same
// rows — values, seq and node numbers — and the same state on PostgreSQL
// (COPY) as on SQLite.
func TestReplaceSameRowsOnBothEngines(t *testing.T) {
	engines := testEngines
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		ds   func() *chainscope.Dataset
	}{
		{"rich", richDataset},
		{"generated", func() *chainscope.Dataset {
			return genDataset(genConfig{enterprises: 500, projects: 120, links: 4000, seed: 3})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var dbs []*DB
			for _, e := range engines {
				db, _ := e.open(t)
				mustReplace(t, db, tc.ds())
				if err := db.Check(ctx); err != nil {
					t.Fatalf("%s: %v", e.name, err)
				}
				dbs = append(dbs, db)
			}
			for _, tab := range copyTables {
				if tab.name == "revisions" {
					continue // their times differ
				}
				want := tableRows(t, dbs[0], tab.name, tab.order)
				got := tableRows(t, dbs[1], tab.name, tab.order)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: %s differs from %s:\n got  %v\n want %v", tab.name, engines[1].name, engines[0].name, head(got), head(want))
				}
			}
			want := tableRows(t, dbs[0], "state", "id")
			got := tableRows(t, dbs[1], "state", "id")
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("state: got %v, want %v", got, want)
			}
			checkEqual(t, mustLoad(t, dbs[1]), mustLoad(t, dbs[0]))
		})
	}
}

func head(rows [][]any) [][]any { return rows[:min(len(rows), 3)] }

// TestReplaceFailsWhole: a bulk first import that fails — the links
// cannot be had after every other table is written, or a duplicate key
// only the database sees — leaves the database as it was, on either
// engine, with the same problem; a later import numbers from 1 as if the
// failed one had never run.
func TestReplaceFailsWhole(t *testing.T) {
	ctx := context.Background()
	var messages []string
	for _, e := range testEngines {
		t.Run(e.name, func(t *testing.T) {
			db, _ := e.open(t)
			v0, err := db.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ds := genDataset(genConfig{enterprises: 300, projects: 60, links: 2000, seed: 4})
			boom := errors.New("links unreadable")
			err = db.ReplaceWith(ctx, ds, ReplaceOptions{Links: func() ([]chainscope.Link, error) { return nil, boom }, LinkCount: 2000})
			if !errors.Is(err, boom) {
				t.Fatalf("got %v, want the links' error", err)
			}
			dup := genDataset(genConfig{enterprises: 300, projects: 60, links: 2000, seed: 4})
			dup.Links[1500] = dup.Links[700] // Build would refuse it; the store must too
			err = db.Replace(ctx, dup)
			if chainscope.ErrorCode(err) != chainscope.EINVALID {
				t.Fatalf("duplicate link: %v, want invalid", err)
			}
			messages = append(messages, strings.SplitN(chainscope.ErrorMessage(err), "（", 2)[0])
			if empty, err := db.Empty(ctx); err != nil || !empty {
				t.Fatalf("empty after failures: %v %v", empty, err)
			}
			if v, err := db.DataVersion(ctx); err != nil || v != v0 {
				t.Fatalf("data version %d after failures, was %d (%v)", v, v0, err)
			}
			mustReplace(t, db, ds)
			checkEqual(t, mustLoad(t, db), mustLoad(t, func() *DB { fresh, _ := e.open(t); mustReplace(t, fresh, ds); return fresh }()))
			// Over stored data (a write by difference) a failure keeps it.
			before := mustLoad(t, db)
			v1, err := db.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			next := mutate(rand.New(rand.NewPCG(1, 2)), before, 2)
			if err := db.ReplaceWith(ctx, next, ReplaceOptions{Links: func() ([]chainscope.Link, error) { return nil, boom }}); !errors.Is(err, boom) {
				t.Fatalf("got %v, want the links' error", err)
			}
			checkEqual(t, mustLoad(t, db), before)
			if v, err := db.DataVersion(ctx); err != nil || v != v1 {
				t.Fatalf("data version %d after a failure, was %d (%v)", v, v1, err)
			}
			if got := tableRows(t, db, "enterprise_segments", "seq"); got[0][1+slices.Index(got[0][0].([]string), "seq")] != int64(1) {
				t.Fatalf("enterprise_segments start at %v after a failed import, want 1", got[0])
			}
		})
	}
	if len(messages) == 2 && messages[0] != messages[1] {
		t.Errorf("the engines word a duplicate key differently: %q, %q", messages[0], messages[1])
	}
}

// BenchmarkReplaceProvincePG is the store's share of a province import into
// PostgreSQL: Replace of the validated dataset into a new database (COPY),
// on the test cluster (fsync off; bench/postgres.sh measures the whole
// import on a durable one). cpu-ms/op is this process's CPU only: the
// server works beside it.
func BenchmarkReplaceProvincePG(b *testing.B) {
	if testing.Short() {
		b.Skip("province scale")
	}
	ds := genDataset(provinceScale)
	ctx := context.Background()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		db, _ := openTempPG(b)
		b.StartTimer()
		c := processCPU()
		if err := db.Replace(ctx, ds); err != nil {
			b.Fatal(err)
		}
		cpu += processCPU() - c
	}
	reportRows(b, rows(ds), cpu)
}

// BenchmarkLoadProvincePG loads provinceScale back from PostgreSQL (what a
// server does at start), for docs/SCALING.md beside BenchmarkLoadProvince.
func BenchmarkLoadProvincePG(b *testing.B) {
	if testing.Short() {
		b.Skip("province scale")
	}
	ds := genDataset(provinceScale)
	db, _ := openTempPG(b)
	mustReplace(b, db, ds)
	b.ResetTimer()
	c := processCPU()
	for b.Loop() {
		if _, err := db.Load(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	reportRows(b, rows(ds), processCPU()-c)
}
