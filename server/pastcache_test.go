package server

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestPastCache: a past revision's snapshot is built once however many
// requests ask for it at once, kept while it is among the most recently
// used, rebuilt after it fell out, and a failed build is not kept.
func TestPastCache(t *testing.T) {
	pc := &pastCache{limit: 2}
	ctx := context.Background()
	var builds atomic.Int32
	build := func(rev int64) func() (*snapshot, error) {
		return func() (*snapshot, error) {
			builds.Add(1)
			time.Sleep(20 * time.Millisecond)
			return &snapshot{version: -rev}, nil
		}
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			s, err := pc.get(ctx, 1, build(1))
			if err != nil || s.version != -1 {
				t.Errorf("get 1 = %v, %v", s, err)
			}
		})
	}
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Fatalf("8 concurrent requests built %d snapshots, want 1", n)
	}
	pc.get(ctx, 2, build(2))
	pc.get(ctx, 1, build(1)) // 1 is used again: 2 is now the oldest
	pc.get(ctx, 3, build(3)) // evicts 2
	if n := builds.Load(); n != 3 {
		t.Fatalf("%d builds, want 3", n)
	}
	pc.get(ctx, 1, build(1))
	if n := builds.Load(); n != 3 {
		t.Fatalf("revision 1 was rebuilt although recently used (%d builds)", n)
	}
	pc.get(ctx, 2, build(2))
	if n := builds.Load(); n != 4 {
		t.Fatalf("revision 2 was not rebuilt after eviction (%d builds)", n)
	}
	boom := errors.New("boom")
	if _, err := pc.get(ctx, 9, func() (*snapshot, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("failed build: %v", err)
	}
	if s, err := pc.get(ctx, 9, build(9)); err != nil || s.version != -9 {
		t.Fatalf("after a failed build: %v, %v", s, err)
	}
}
