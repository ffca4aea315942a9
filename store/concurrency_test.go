package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"chainscope"
)

// twoDatasets returns two different generated datasets, told apart by
// their region name.
func twoDatasets() (a, b *chainscope.Dataset) { return twoDatasetsScaled(raceScale) }

// twoDatasetsScaled is twoDatasets divided by scale.
func twoDatasetsScaled(scale int) (a, b *chainscope.Dataset) {
	a = genDataset(genConfig{enterprises: 3000 / scale, projects: 600 / scale, links: 30_000 / scale, seed: 11})
	b = genDataset(genConfig{enterprises: 2000 / scale, projects: 900 / scale, links: 25_000 / scale, seed: 12})
	a.Region.Name, b.Region.Name = "甲", "乙"
	return a, b
}

// whichOf reports which of a and b ds equals entirely: "a", "b", or a
// description of the mix.
func whichOf(ds, a, b *chainscope.Dataset) string {
	switch {
	case sameRecords(ds, a):
		return "a"
	case sameRecords(ds, b):
		return "b"
	case ds.Region.Name == a.Region.Name:
		return "a mix, region of a: " + diffDataset(ds, a)
	default:
		return "a mix: " + diffDataset(ds, b)
	}
}

// TestReadersDuringReplace: readers loading while another goroutine
// replaces the dataset back and forth see one whole dataset or the other,
// never a mix, and never an error.
func TestReadersDuringReplace(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		db, _ := open(t)
		a, b := twoDatasets()
		if db.Engine() == "postgres" {
			// Every Replace after the first writes tens of thousands of
			// changed records one statement each: keep it small.
			a, b = twoDatasetsScaled(60)
		}
		mustReplace(t, db, a)
		ctx := context.Background()

		var writing atomic.Bool
		var stop atomic.Bool
		var wg sync.WaitGroup
		var loads, overlapped, sawA, sawB atomic.Int64
		errs := make(chan error, 10)
		for range 3 {
			wg.Go(func() {
				for !stop.Load() {
					during := writing.Load()
					ds, err := db.Load(ctx)
					if err != nil {
						errs <- err
						return
					}
					switch which := whichOf(ds, a, b); which {
					case "a":
						sawA.Add(1)
					case "b":
						sawB.Add(1)
					default:
						errs <- fmt.Errorf("a reader saw %s", which)
						return
					}
					loads.Add(1)
					if during && writing.Load() {
						overlapped.Add(1)
					}
				}
			})
		}
		for i := range 6 {
			next := b
			if i%2 == 1 {
				next = a
			}
			writing.Store(true)
			err := db.Replace(ctx, next)
			writing.Store(false)
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(5 * time.Millisecond)
		}
		stop.Store(true)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		t.Logf("%d loads (%d of a, %d of b), %d of them during a Replace", loads.Load(), sawA.Load(), sawB.Load(), overlapped.Load())
		if loads.Load() == 0 {
			t.Fatal("no load completed")
		}
		checkSameRecords(t, mustLoad(t, db), a)
	})
}

// TestBackupDuringWrites: backups taken while another goroutine keeps
// replacing the dataset each open as a database holding one whole dataset.
func TestBackupDuringWrites(t *testing.T) {
	db, _ := openTemp(t)
	a, b := twoDatasets()
	mustReplace(t, db, a)
	ctx := context.Background()

	var stop atomic.Bool
	var writes atomic.Int64
	var wg sync.WaitGroup
	writeErr := make(chan error, 1)
	wg.Go(func() {
		for i := 0; !stop.Load(); i++ {
			next := b
			if i%2 == 1 {
				next = a
			}
			if err := db.Replace(ctx, next); err != nil {
				writeErr <- err
				return
			}
			writes.Add(1)
		}
	})

	dir := t.TempDir()
	seen := map[string]int{}
	for i := range 4 {
		time.Sleep(time.Duration(20+30*i) * time.Millisecond)
		out := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		if err := db.Backup(ctx, out); err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		copyDB, err := Open(ctx, out)
		if err != nil {
			t.Fatalf("open backup %d: %v", i, err)
		}
		if err := copyDB.Check(ctx); err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		got := mustLoad(t, copyDB)
		copyDB.Close()
		which := whichOf(got, a, b)
		if which != "a" && which != "b" {
			t.Fatalf("backup %d holds %s", i, which)
		}
		seen[which]++
	}
	stop.Store(true)
	wg.Wait()
	select {
	case err := <-writeErr:
		t.Fatal(err)
	default:
	}
	t.Logf("backups: %v, during %d writes", seen, writes.Load())
	if writes.Load() == 0 {
		t.Fatal("no write completed during the backups")
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if filepath.Ext(e.Name()) != ".db" {
			t.Errorf("Backup left %s behind", e.Name())
		}
	}
}
