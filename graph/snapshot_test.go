package graph

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"unsafe"

	"chainscope"
	"chainscope/synth"
)

// notEncoded are the fields of Index that MarshalBinary leaves out: what an
// Index computes on first use, its scratch space, and the id map NewIndex
// drops once it has indexed.
var notEncoded = map[string]bool{"pool": true, "shared": true, "related": true, "flows": true}

// field returns struct field i of v (addressable) as an interface value,
// unexported or not.
func field(v reflect.Value, i int) any {
	f := v.Field(i)
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface()
}

// equalIndexes reports the first field in which got differs from want,
// comparing every field of Index and of its chains (a field added to
// either is compared without being named here) but the caches, and the
// chains' flow DAGs by their vertices, labels and edges.
func equalIndexes(got, want *Index) error {
	gv, wv := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	for i := range gv.NumField() {
		name := gv.Type().Field(i).Name
		if notEncoded[name] || name == "chains" {
			continue
		}
		if g, w := field(gv, i), field(wv, i); !reflect.DeepEqual(g, w) {
			return fmt.Errorf("Index.%s differs", name)
		}
	}
	if len(got.chains) != len(want.chains) || (got.chains == nil) != (want.chains == nil) {
		return fmt.Errorf("%d chains, want %d", len(got.chains), len(want.chains))
	}
	for c := range got.chains {
		gc, wc := reflect.ValueOf(&got.chains[c]).Elem(), reflect.ValueOf(&want.chains[c]).Elem()
		for i := range gc.NumField() {
			name := gc.Type().Field(i).Name
			if name == "dag" {
				continue
			}
			if g, w := field(gc, i), field(wc, i); !reflect.DeepEqual(g, w) {
				return fmt.Errorf("chain %d: %s differs", c, name)
			}
		}
		if gd, wd := got.chains[c].dag, want.chains[c].dag; gd == nil || wd == nil {
			if (gd == nil) != (wd == nil) {
				return fmt.Errorf("chain %d: flow DAG missing", c)
			}
			continue
		}
		ga, err := got.chains[c].dag.AdjacencyMap()
		if err != nil {
			return err
		}
		wa, err := want.chains[c].dag.AdjacencyMap()
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(ga, wa) {
			return fmt.Errorf("chain %d: flow DAG edges differ", c)
		}
		for k := range wa {
			_, gp, err1 := got.chains[c].dag.VertexWithProperties(k)
			_, wp, err2 := want.chains[c].dag.VertexWithProperties(k)
			if err1 != nil || err2 != nil || !reflect.DeepEqual(gp, wp) {
				return fmt.Errorf("chain %d: segment %q differs in the DAG", c, k)
			}
		}
	}
	return nil
}

// withCancelled returns ds with a few linked projects cancelled, so that the
// index has cancelled projects and dormant links to encode.
func withCancelled(ds *chainscope.Dataset, k int) *chainscope.Dataset {
	out := *ds
	out.Projects = append([]chainscope.Project(nil), ds.Projects...)
	linked := map[string]bool{}
	for _, l := range ds.Links {
		linked[l.From], linked[l.To] = true, true
	}
	for i := range out.Projects {
		if k > 0 && linked[out.Projects[i].ID] {
			out.Projects[i].Status = chainscope.StatusCancelled
			k--
		}
	}
	return &out
}

// snapshotDatasets are the datasets the round-trip tests encode.
func snapshotDatasets() map[string]*chainscope.Dataset {
	return map[string]*chainscope.Dataset{
		"small":     synth.Generate(synth.Small()),
		"cancelled": withCancelled(synth.Generate(synth.Options{Enterprises: 120, Projects: 50, Links: 500, Seed: 3}), 5),
		"empty":     {Region: chainscope.Region{Code: "140800", Name: "运城市"}},
	}
}

func roundTrip(t *testing.T, ix *Index) *Index {
	t.Helper()
	b, err := ix.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnmarshalIndex(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := equalIndexes(got, ix); err != nil {
		t.Fatal(err)
	}
	again, err := got.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(b) {
		t.Fatal("the decoded index encodes to other bytes")
	}
	return got
}

func TestSnapshotRoundTrip(t *testing.T) {
	for name, ds := range snapshotDatasets() {
		t.Run(name, func(t *testing.T) {
			ix, err := NewIndex(ds)
			if err != nil {
				t.Fatal(err)
			}
			if name == "cancelled" && (len(ix.cancelled) == 0 || len(ix.dormant) == 0) {
				t.Fatal("no cancelled project or dormant link to encode")
			}
			got := roundTrip(t, ix)
			if err := sameAnswers(ask(t, got, ds), ask(t, ix, ds)); err != nil {
				t.Fatal(err)
			}
			areas, chains := scopes(ds)
			for _, area := range areas {
				for _, c := range chains {
					want, wantErr := ix.Scope(area, c)
					have, haveErr := got.Scope(area, c)
					if (wantErr == nil) != (haveErr == nil) {
						t.Fatalf("%s × %s: error %v, want %v", area, c, haveErr, wantErr)
					}
					if wantErr != nil {
						continue
					}
					a, _ := json.Marshal(want.DriveReport(ds))
					b, _ := json.Marshal(have.DriveReport(ds))
					if string(a) != string(b) {
						t.Fatalf("%s × %s: the drive reports differ", area, c)
					}
				}
			}
		})
	}
}

// An index read by record numbers (what analyze reads) and a patched one
// (what a server holds after an edit) encode and decode as well.
func TestSnapshotOfPairsAndPatched(t *testing.T) {
	ds := withCancelled(synth.Generate(synth.Small()), 4)
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, ix)
	byRecord, pairs := recordPairs(ds)
	px, err := NewIndexPairs(byRecord, pairs)
	if err != nil {
		t.Fatal(err)
	}
	if err := sameAnswers(ask(t, roundTrip(t, px), ds), ask(t, ix, ds)); err != nil {
		t.Fatal(err)
	}
	e := &editor{r: rand.New(rand.NewPCG(3, 9))}
	patched := 0
	for range 30 {
		ed := e.valid(ds)
		next, err := ix.Patch(ed.next, ed.delta)
		if err != nil {
			continue
		}
		got := roundTrip(t, next)
		if err := sameAnswers(ask(t, got, ed.next), ask(t, next, ed.next)); err != nil {
			t.Fatal(err)
		}
		ix, ds = next, ed.next
		patched++
	}
	if patched == 0 {
		t.Fatal("no edit patched")
	}
}

func TestSnapshotProvince(t *testing.T) {
	if testing.Short() {
		t.Skip("province scale")
	}
	ix := snapProvinceIndex(t)
	roundTrip(t, ix)
}

// snapProvince is synth's province, indexed once per test binary.
var snapProvince struct {
	once sync.Once
	ix   *Index
	err  error
}

func snapProvinceIndex(tb testing.TB) *Index {
	snapProvince.once.Do(func() { snapProvince.ix, snapProvince.err = NewIndex(synth.Generate(synth.Province())) })
	if snapProvince.err != nil {
		tb.Fatal(snapProvince.err)
	}
	return snapProvince.ix
}

// reseal writes the header of a changed body, so that the decoder gets past
// the checksum and its own checks are tried.
func reseal(b []byte) {
	binary.LittleEndian.PutUint64(b[16:], uint64(len(b)-snapHeader))
	binary.LittleEndian.PutUint32(b[8:], crc32.Checksum(b[snapHeader:], castagnoli))
}

// A damaged blob is an error, never a panic; one damaged and then resealed
// (as if made wrong) is an error or an index the analysis runs on without
// panicking.
func TestSnapshotDamaged(t *testing.T) {
	ds := withCancelled(synth.Generate(synth.Options{Enterprises: 60, Projects: 20, Links: 200, Seed: 4}), 3)
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ix.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	decode := func(blob []byte) (ix *Index, err error) {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("UnmarshalIndex panicked: %v", r)
			}
		}()
		return UnmarshalIndex(blob)
	}
	for n := 0; n < len(b); n += 1 + n/50 {
		if _, err := decode(b[:n:n]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(b))
		}
		cut := append([]byte(nil), b[:n]...)
		if n >= snapHeader {
			reseal(cut)
		}
		if _, err := decode(cut); err == nil {
			t.Fatalf("truncated to %d of %d bytes and resealed: no error", n, len(b))
		}
	}
	if _, err := decode(append(append([]byte(nil), b...), 0, 0, 0, 0, 0, 0, 0, 0)); err == nil {
		t.Fatal("bytes appended: no error")
	}
	r := rand.New(rand.NewPCG(1, 2))
	accepted, flips := 0, 3000
	if testing.Short() {
		flips = 600
	}
	for i := range flips {
		c := append([]byte(nil), b...)
		pos := r.IntN(len(c))
		c[pos] ^= 1 << r.IntN(8)
		if got, err := decode(c); err == nil {
			if equalIndexes(got, ix) != nil {
				t.Fatalf("flip %d at byte %d: a different index without an error", i, pos)
			}
		}
		if pos < snapHeader {
			continue
		}
		reseal(c)
		got, err := decode(c)
		if err != nil {
			continue
		}
		accepted++
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("resealed flip at byte %d: the analysis of the decoded index panicked: %v", pos, r)
				}
			}()
			if _, err := got.AnalyzeAll(); err != nil {
				t.Logf("resealed flip at byte %d: %v", pos, err)
			}
		}()
	}
	t.Logf("%d of %d resealed flips decoded", accepted, flips)
}

// The format number is checked: a blob of another format is refused.
func TestSnapshotFormat(t *testing.T) {
	ix, err := NewIndex(synth.Generate(synth.Small()))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ix.MarshalBinary()
	binary.LittleEndian.PutUint32(b[4:], SnapshotFormat+1)
	if _, err := UnmarshalIndex(b); err == nil {
		t.Fatal("another format decoded")
	}
	// A blob that is not aligned is read by copying, to the same index.
	un := make([]byte, len(b)+1)
	b2, _ := ix.MarshalBinary()
	copy(un[1:], b2)
	got, err := UnmarshalIndex(un[1:])
	if err != nil {
		t.Fatal(err)
	}
	if err := equalIndexes(got, ix); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkSnapshotEncodeProvince(b *testing.B) {
	ix := snapProvinceIndex(b)
	b.ResetTimer()
	for b.Loop() {
		blob, err := ix.MarshalBinary()
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(blob)))
	}
}

func BenchmarkSnapshotDecodeProvince(b *testing.B) {
	blob, err := snapProvinceIndex(b).MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(blob)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := UnmarshalIndex(blob); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzUnmarshalIndex decodes arbitrary bodies behind a valid header (the
// checksum made to match, so that the decoder's own checks are what is
// tried): an error, or an index the analysis runs on, never a panic.
// `go test ./graph -fuzz FuzzUnmarshalIndex` explores; plain `go test`
// runs the seeds.
func FuzzUnmarshalIndex(f *testing.F) {
	for _, o := range []synth.Options{{Enterprises: 12, Projects: 5, Links: 30, Seed: 1}, {Enterprises: 40, Projects: 10, Links: 90, Seed: 2}} {
		ix, err := NewIndex(withCancelled(synth.Generate(o), 1))
		if err != nil {
			f.Fatal(err)
		}
		b, err := ix.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[snapHeader:])
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		blob := make([]byte, snapHeader+len(body))
		copy(blob, snapMagic)
		binary.LittleEndian.PutUint32(blob[4:], SnapshotFormat)
		copy(blob[snapHeader:], body)
		reseal(blob)
		ix, err := UnmarshalIndex(blob)
		if err != nil {
			return
		}
		if _, err := ix.AnalyzeAll(); err != nil {
			t.Log(err)
		}
	})
}

// equalIndexes compares every field: a field the decoder left unset (as a
// field added to Index and not encoded would be) is reported, whichever it
// is — also one of a chain.
func TestEqualIndexesSeesEveryField(t *testing.T) {
	ix, err := NewIndex(withCancelled(synth.Generate(synth.Small()), 3))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ix.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	unset := func(v reflect.Value) bool {
		if v.IsZero() {
			return false // NewIndex leaves it zero too: nothing to miss
		}
		reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem().SetZero()
		return true
	}
	typ := reflect.TypeOf(Index{})
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		if notEncoded[name] {
			continue
		}
		got, err := UnmarshalIndex(b)
		if err != nil {
			t.Fatal(err)
		}
		if !unset(reflect.ValueOf(got).Elem().Field(i)) {
			continue
		}
		if equalIndexes(got, ix) == nil {
			t.Errorf("Index.%s unset: not seen", name)
		}
	}
	ctyp := reflect.TypeOf(chain{})
	for i := range ctyp.NumField() {
		got, err := UnmarshalIndex(b)
		if err != nil {
			t.Fatal(err)
		}
		if !unset(reflect.ValueOf(&got.chains[0]).Elem().Field(i)) {
			continue
		}
		if equalIndexes(got, ix) == nil {
			t.Errorf("chain.%s unset: not seen", ctyp.Field(i).Name)
		}
	}
}
