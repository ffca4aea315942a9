// Command weakpoints is the chainscope side of bench/analysis.sh: it writes a
// region's undirected simple link graph as an edge list, and times
// chainscope's articulation points + bridges on such a list, excluding file
// loading, so that python-igraph and networkx can be timed on the same edges.
//
//	weakpoints -write edges.txt [-enterprises N -projects N -links N]
//	weakpoints -time edges.txt [-runs 5]
//	weakpoints -scopes [-enterprises N -projects N -links N]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"chainscope"
	"chainscope/graph"
	"chainscope/synth"
)

func main() {
	write := flag.String("write", "", "write the province's edge list to this file")
	timeFile := flag.String("time", "", "time articulation points + bridges on this edge list")
	scopes := flag.Bool("scopes", false, "time NewIndex and AnalyzeAll on the generated region")
	runs := flag.Int("runs", 5, "timed runs; the best is reported")
	o := synth.Province()
	flag.IntVar(&o.Enterprises, "enterprises", o.Enterprises, "enterprises")
	flag.IntVar(&o.Projects, "projects", o.Projects, "projects")
	flag.IntVar(&o.Links, "links", o.Links, "links")
	flag.Parse()
	var err error
	switch {
	case *write != "":
		err = writeEdges(synth.Generate(o), *write)
	case *timeFile != "":
		err = timeWeakPoints(*timeFile, *runs)
	case *scopes:
		timeScopes(synth.Generate(o), *runs)
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// writeEdges writes "n m" then one "a b" line per edge of the undirected
// simple graph of every link between non-cancelled nodes (SPEC §5's U for
// the whole region).
func writeEdges(ds *chainscope.Dataset, path string) error {
	id := map[string]int32{}
	for _, e := range ds.Enterprises {
		id[e.ID] = int32(len(id))
	}
	for _, p := range ds.Projects {
		if p.Status != chainscope.StatusCancelled {
			id[p.ID] = int32(len(id))
		}
	}
	edges := make([][2]int32, 0, len(ds.Links))
	for _, l := range ds.Links {
		a, okA := id[l.From]
		b, okB := id[l.To]
		if !okA || !okB || a == b {
			continue
		}
		edges = append(edges, [2]int32{min(a, b), max(a, b)})
	}
	slices.SortFunc(edges, func(x, y [2]int32) int {
		if x[0] != y[0] {
			return int(x[0] - y[0])
		}
		return int(x[1] - y[1])
	})
	edges = slices.Compact(edges)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "%d %d\n", len(id), len(edges))
	for _, e := range edges {
		fmt.Fprintf(w, "%d %d\n", e[0], e[1])
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func readEdges(path string) (int, [][2]int32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var n int
	var edges [][2]int32
	for first := true; sc.Scan(); first = false {
		a, b, _ := strings.Cut(sc.Text(), " ")
		x, err1 := strconv.Atoi(a)
		y, err2 := strconv.Atoi(b)
		if err1 != nil || err2 != nil {
			return 0, nil, fmt.Errorf("bad line %q", sc.Text())
		}
		if first {
			n, edges = x, make([][2]int32, 0, y)
			continue
		}
		edges = append(edges, [2]int32{int32(x), int32(y)})
	}
	return n, edges, sc.Err()
}

func timeWeakPoints(path string, runs int) error {
	n, edges, err := readEdges(path)
	if err != nil {
		return err
	}
	g := graph.NewUndirectedCSR(n, edges)
	best := time.Duration(1 << 62)
	var aps, brs int
	for range runs {
		runtime.GC()
		start := time.Now()
		ap := graph.ArticulationPoints(g)
		br := graph.Bridges(g)
		best = min(best, time.Since(start))
		aps, brs = len(ap), len(br)
	}
	fmt.Printf("chainscope %.4f s  nodes=%d edges=%d articulation_points=%d bridges=%d\n", best.Seconds(), n, len(edges), aps, brs)
	return nil
}

func timeScopes(ds *chainscope.Dataset, runs int) {
	start := time.Now()
	ix, err := graph.NewIndex(ds)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	build := time.Since(start)
	best := time.Duration(1 << 62)
	var scopes int
	for range runs {
		start = time.Now()
		res, _ := ix.AnalyzeAll()
		best = min(best, time.Since(start))
		scopes = len(res)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("NewIndex %.3f s; AnalyzeAll %d scopes best of %d: %.3f s (target <= 2 s); Go heap in use %.0f MiB\n",
		build.Seconds(), scopes, runs, best.Seconds(), float64(ms.HeapInuse)/(1<<20))
}
