package store

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

// loadSnap is LoadSnapshot that fails the test on an error.
func loadSnap(t *testing.T, db *DB, format int) *Snapshot {
	t.Helper()
	s, err := db.LoadSnapshot(context.Background(), format)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSnapshotPutAndLoad(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		ctx := context.Background()
		db, _ := open(t)
		if s := loadSnap(t, db, 1); s.Body != nil || s.Drive != nil || s.SnapshotVersion != 0 {
			t.Fatalf("new database: %+v", s)
		}
		if sv, f, err := db.SnapshotVersion(ctx); sv != 0 || f != 0 || err != nil {
			t.Fatalf("SnapshotVersion of a new database: %d, %d, %v", sv, f, err)
		}
		ds := genDataset(genConfig{enterprises: 200, projects: 50, links: 1500, seed: 8})
		mustReplace(t, db, ds)
		v, err := db.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		revs, _, _ := db.Revisions(ctx, 0, 0)
		body := bytes.Repeat([]byte{0, 1, 2, 0xff}, 100_000)
		// A stale version is refused and writes nothing.
		if ok, err := db.PutSnapshot(ctx, v-1, 1, body); err != nil || ok {
			t.Fatalf("stale put: %v, %v", ok, err)
		}
		if s := loadSnap(t, db, 1); s.Body != nil || s.SnapshotVersion != 0 {
			t.Fatalf("after a stale put: %+v", s.SnapshotVersion)
		}
		if ok, err := db.PutSnapshot(ctx, v, 1, body); err != nil || !ok {
			t.Fatalf("put: %v, %v", ok, err)
		}
		// Storing it is no write of data: no new version, no revision.
		if v2, _ := db.DataVersion(ctx); v2 != v {
			t.Fatalf("data version %d after PutSnapshot, was %d", v2, v)
		}
		if revs2, _, _ := db.Revisions(ctx, 0, 0); !reflect.DeepEqual(revs2, revs) {
			t.Fatalf("revisions changed by PutSnapshot")
		}
		if sv, f, err := db.SnapshotVersion(ctx); sv != v || f != 1 || err != nil {
			t.Fatalf("SnapshotVersion: %d, %d, %v", sv, f, err)
		}
		s := loadSnap(t, db, 1)
		if s.DataVersion != v || s.SnapshotVersion != v || !bytes.Equal(s.Body, body) {
			t.Fatalf("load: version %d/%d, %d bytes", s.DataVersion, s.SnapshotVersion, len(s.Body))
		}
		full := mustLoad(t, db)
		d := s.Drive
		if !reflect.DeepEqual(d.Region, full.Region) || !reflect.DeepEqual(d.Counties, full.Counties) ||
			!reflect.DeepEqual(d.Chains, full.Chains) || len(d.Leads) != len(full.Leads) || len(d.Reports) != len(full.Reports) ||
			len(d.Leads) > 0 && !reflect.DeepEqual(d.Leads, full.Leads) ||
			len(d.Reports) > 0 && !reflect.DeepEqual(d.Reports, full.Reports) {
			t.Fatal("the drive dataset is not what Load reads")
		}
		if d.Enterprises != nil || d.Projects != nil || d.Links != nil {
			t.Fatal("the drive dataset holds nodes or links")
		}
		// Another format is not read.
		if s := loadSnap(t, db, 2); s.Body != nil || s.Drive != nil || s.SnapshotVersion != v {
			t.Fatalf("format 2: %+v", s)
		}
		// Put again replaces it.
		if ok, err := db.PutSnapshot(ctx, v, 1, body[:10]); err != nil || !ok {
			t.Fatalf("second put: %v, %v", ok, err)
		}
		if s := loadSnap(t, db, 1); !bytes.Equal(s.Body, body[:10]) {
			t.Fatalf("after a second put: %d bytes", len(s.Body))
		}
		// A write of data makes it stale: no body; a put of the old version
		// is refused.
		next := mustLoad(t, db)
		next.Enterprises = slices.Clone(next.Enterprises)
		next.Enterprises[3].Name += "改"
		mustReplace(t, db, next)
		s = loadSnap(t, db, 1)
		if s.Body != nil || s.Drive != nil || s.SnapshotVersion != v || s.DataVersion == v {
			t.Fatalf("after a write: versions %d/%d, %d bytes", s.DataVersion, s.SnapshotVersion, len(s.Body))
		}
		if ok, err := db.PutSnapshot(ctx, v, 1, body); err != nil || ok {
			t.Fatalf("put of the old version after a write: %v, %v", ok, err)
		}
		if ok, err := db.PutSnapshot(ctx, s.DataVersion, 1, body); err != nil || !ok {
			t.Fatalf("put of the new version: %v, %v", ok, err)
		}
		if s := loadSnap(t, db, 1); !bytes.Equal(s.Body, body) {
			t.Fatal("the new version's snapshot is not read")
		}
	})
}

// A copy does not carry the snapshot (its data version moves past the
// source's, so it would be stale anyway) and drops the target's; a backup
// carries it with the data version it belongs to.
func TestSnapshotCopyAndBackup(t *testing.T) {
	ctx := context.Background()
	for _, p := range enginePairs() {
		t.Run(p.name, func(t *testing.T) {
			src, _ := p.src(t)
			dst, _ := p.dst(t)
			for _, db := range []*DB{src, dst} {
				mustReplace(t, db, genDataset(genConfig{enterprises: 50, projects: 10, links: 200, seed: 2}))
				v, _ := db.DataVersion(ctx)
				if ok, err := db.PutSnapshot(ctx, v, 1, []byte("index")); err != nil || !ok {
					t.Fatal(ok, err)
				}
			}
			if _, err := Copy(ctx, dst, src, CopyOptions{Force: true}); err != nil {
				t.Fatal(err)
			}
			if s := loadSnap(t, dst, 1); s.Body != nil || s.SnapshotVersion != 0 {
				t.Fatalf("copy: snapshot of version %d kept", s.SnapshotVersion)
			}
			if s := loadSnap(t, src, 1); string(s.Body) != "index" {
				t.Fatal("copy: the source lost its snapshot")
			}
		})
	}
	db, _ := openTemp(t)
	mustReplace(t, db, genDataset(genConfig{enterprises: 50, projects: 10, links: 200, seed: 2}))
	v, _ := db.DataVersion(ctx)
	if ok, err := db.PutSnapshot(ctx, v, 1, []byte("index")); err != nil || !ok {
		t.Fatal(ok, err)
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if s := loadSnap(t, b, 1); string(s.Body) != "index" || s.DataVersion != v {
		t.Fatalf("backup: snapshot %q at %d/%d", s.Body, s.SnapshotVersion, s.DataVersion)
	}
}

// TestSnapshotBodyIsOwn guards snapshotBody's reliance on the SQLite
// driver (modernc.org/sqlite) handing each row's blob over in a buffer of
// its own: graph's decoder keeps strings pointing into the body, so a body
// a later read overwrote would change an index in use. A driver update
// that reuses its buffers fails here instead.
func TestSnapshotBodyIsOwn(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	mustReplace(t, db, genDataset(genConfig{enterprises: 50, projects: 10, links: 200, seed: 3}))
	v, err := db.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var held [][]byte
	for i := range 8 {
		body := bytes.Repeat([]byte{byte(i), 0xa5, byte(255 - i)}, 200_000)
		if ok, err := db.PutSnapshot(ctx, v, 1, body); err != nil || !ok {
			t.Fatalf("put %d: %v, %v", i, ok, err)
		}
		s := loadSnap(t, db, 1)
		if !bytes.Equal(s.Body, body) {
			t.Fatalf("load %d: not the body stored", i)
		}
		held = append(held, s.Body)
	}
	for i, b := range held {
		if !bytes.Equal(b, bytes.Repeat([]byte{byte(i), 0xa5, byte(255 - i)}, 200_000)) {
			t.Fatalf("the body of load %d changed after later loads: the driver reuses its buffers", i)
		}
	}
}
