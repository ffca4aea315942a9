package store

import (
	"context"
	"math/rand/v2"
	"testing"
)

// BenchmarkLoadSnapshot reads a stored index of a province's size (17 MB)
// with the drive dataset of a small region.
func BenchmarkLoadSnapshot(b *testing.B) {
	ctx := context.Background()
	db, _ := openTemp(b)
	mustReplace(b, db, genDataset(genConfig{enterprises: 200, projects: 50, links: 1500, seed: 8}))
	v, err := db.DataVersion(ctx)
	if err != nil {
		b.Fatal(err)
	}
	body := make([]byte, 17<<20)
	r := rand.New(rand.NewPCG(1, 1))
	for i := range body {
		body[i] = byte(r.Uint32())
	}
	if ok, err := db.PutSnapshot(ctx, v, 1, body); err != nil || !ok {
		b.Fatal(ok, err)
	}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		s, err := db.LoadSnapshot(ctx, 1)
		if err != nil || len(s.Body) != len(body) {
			b.Fatal(err)
		}
	}
}
