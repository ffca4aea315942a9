package server

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// KeepGCHeadroom makes the garbage collector wait until at least headroom
// bytes have been allocated since the last collection, or until the heap
// has doubled (Go's default, GOGC=100), whichever is later.
//
// Why: a city's snapshot and caches are a few MiB, and under Go's default a
// collection starts every time the heap doubles — every ~1 300 cached
// requests, 15 times a second under load, each with its stop-the-world
// pauses and write-barrier phase. bench/http.sh measured a cached request at
// 79 µs of CPU with the default and 64 µs with the collector given
// headroom. For a province-sized snapshot (hundreds of MiB live) the
// default already leaves more than headroom and nothing changes.
//
// The percentage is recomputed after each collection from the live heap
// (runtime/metrics), and set only when it moves by more than a tenth, as
// setting it briefly stops the world. stop restores the setting found.
func KeepGCHeadroom(headroom uint64) (stop func()) {
	t := &gcTuner{headroom: headroom, previous: debug.SetGCPercent(100), current: 100,
		sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	t.arm()
	t.tune()
	var once sync.Once
	return func() {
		once.Do(func() {
			t.stopped.Store(true)
			debug.SetGCPercent(t.previous)
		})
	}
}

type gcTuner struct {
	headroom uint64
	previous int
	stopped  atomic.Bool

	mu      sync.Mutex // guards what tune uses
	current int64      // the percentage set
	sample  []metrics.Sample
}

// arm schedules tune after the next collection: a finalizer runs once the
// collector has found its object unreachable, and re-arms a fresh one.
func (t *gcTuner) arm() {
	sentinel := new([16]byte)
	runtime.SetFinalizer(sentinel, func(*[16]byte) {
		if t.stopped.Load() {
			return
		}
		t.tune()
		t.arm()
	})
}

// tune sets the percentage for the live heap now.
func (t *gcTuner) tune() {
	t.mu.Lock()
	defer t.mu.Unlock()
	metrics.Read(t.sample)
	live := uint64(0)
	if t.sample[0].Value.Kind() == metrics.KindUint64 {
		live = t.sample[0].Value.Uint64()
	}
	want := gcPercentFor(live, t.headroom)
	if math.Abs(float64(want-t.current)) <= float64(t.current)/10 || t.stopped.Load() {
		return
	}
	t.current = want
	debug.SetGCPercent(int(want))
}

// gcPercentFor is the GOGC percentage under which a heap of live bytes
// grows by at least headroom before the next collection; never below 100.
func gcPercentFor(live, headroom uint64) int64 {
	// Below 4 MiB the runtime counts the heap as 4 MiB (its minimum goal);
	// before the first collection the live heap reads 0.
	live = max(live, 4<<20)
	p := headroom * 100 / live
	return int64(max(p, 100))
}
