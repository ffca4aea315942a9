// Command snapshotmem measures what one server's in-memory snapshot of a
// synthetic region costs: it stores the region in a temporary SQLite file,
// loads it back as `serve` does (store.Load), compiles the analysis index
// (graph.NewIndex), and reports the live heap each adds (runtime.MemStats
// after a GC) per million rows (enterprises + projects + links). The
// server's list lookups and response cache come on top.
//
//	go run ./bench/snapshotmem                 # province: 100 000 / 20 000 / 1 000 000
//	go run ./bench/snapshotmem -enterprises 10000 -projects 2000 -links 100000
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"

	"chainscope/graph"
	"chainscope/store"
	"chainscope/synth"
)

func main() {
	o := synth.Province()
	flag.IntVar(&o.Enterprises, "enterprises", o.Enterprises, "enterprises")
	flag.IntVar(&o.Projects, "projects", o.Projects, "projects")
	flag.IntVar(&o.Links, "links", o.Links, "links")
	flag.Parse()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "snapshotmem-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, filepath.Join(dir, "chainscope.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	gen := synth.Generate(o)
	rows := len(gen.Enterprises) + len(gen.Projects) + len(gen.Links)
	if err := db.Replace(ctx, gen); err != nil {
		log.Fatal(err)
	}
	gen = nil

	base := heap()
	ds, err := db.Load(ctx)
	if err != nil {
		log.Fatal(err)
	}
	withDS := heap()
	ix, err := graph.NewIndex(ds)
	if err != nil {
		log.Fatal(err)
	}
	withIx := heap()
	mib := func(b uint64) float64 { return float64(b) / (1 << 20) }
	per := func(b uint64) float64 { return mib(b) / (float64(rows) / 1e6) }
	fmt.Printf("rows: %d (enterprises %d, projects %d, links %d)\n", rows, len(ds.Enterprises), len(ds.Projects), len(ds.Links))
	fmt.Printf("dataset (store.Load):   %7.1f MiB  %6.1f MiB per million rows\n", mib(withDS-base), per(withDS-base))
	fmt.Printf("index (graph.NewIndex): %7.1f MiB  %6.1f MiB per million rows\n", mib(withIx-withDS), per(withIx-withDS))
	fmt.Printf("snapshot (both):        %7.1f MiB  %6.1f MiB per million rows\n", mib(withIx-base), per(withIx-base))
	runtime.KeepAlive(ds)
	runtime.KeepAlive(ix)
}

// heap is the live heap after a full collection.
func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
