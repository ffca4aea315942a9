package server

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestGCPercentFor(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		live, headroom uint64
		want           int64
	}{
		{0, 64 * mib, 1600},         // before the first collection: the 4 MiB minimum
		{3 * mib, 64 * mib, 1600},   // a city: the minimum again
		{32 * mib, 64 * mib, 200},   // 32 MiB live, 64 more
		{64 * mib, 64 * mib, 100},   // Go's default already gives the headroom
		{1024 * mib, 64 * mib, 100}, // a province: never below the default
	} {
		if got := gcPercentFor(tc.live, tc.headroom); got != tc.want {
			t.Errorf("gcPercentFor(%d MiB, %d MiB) = %d, want %d", tc.live/mib, tc.headroom/mib, got, tc.want)
		}
	}
}

// gcPercent reads the current GOGC percentage (SetGCPercent returns it).
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestKeepGCHeadroom: with the tuner on, the percentage follows the live
// heap after collections; stop puts back the setting found.
func TestKeepGCHeadroom(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)

	stop := KeepGCHeadroom(1 << 30) // 1 GiB: far above any test's live heap
	deadline := time.Now().Add(5 * time.Second)
	for gcPercent() < 1000 && time.Now().Before(deadline) {
		runtime.GC() // runs the finalizer that re-tunes
		time.Sleep(10 * time.Millisecond)
	}
	if p := gcPercent(); p < 1000 {
		t.Fatalf("GC percent %d with 1 GiB headroom, want ≥ 1000", p)
	}
	stop()
	if p := gcPercent(); p != 100 {
		t.Fatalf("after stop GC percent %d, want the 100 found", p)
	}
	runtime.GC()
	time.Sleep(20 * time.Millisecond)
	if p := gcPercent(); p != 100 {
		t.Fatalf("a collection after stop re-tuned: GC percent %d", p)
	}
}
