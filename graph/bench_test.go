package graph

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"chainscope"
	"chainscope/synth"
)

// provinceConfig sizes a synthetic province.
type provinceConfig struct {
	counties, zones   int
	chains, segments  int // segments per chain
	enterprises       int
	projects          int
	links             int
	sameChain, nearby float64 // share of links inside one chain, and of those inside one county
}

// provinceScale is the size the analysis must handle comfortably (SPEC:
// a province with 100 000 enterprises, 20 000 projects, 1 000 000 links).
var provinceScale = provinceConfig{
	counties: 117, zones: 60, chains: 24, segments: 12,
	enterprises: 100_000, projects: 20_000, links: 1_000_000,
	sameChain: 0.7, nearby: 0.5,
}

// syntheticProvince builds a province-sized dataset: counties with zones,
// chains whose flows form a layered DAG, enterprises and projects clustered
// by county and chain (skewed, as real ones are), and supply links mostly
// along a chain and within a county.
func syntheticProvince(seed uint64, cfg provinceConfig) *chainscope.Dataset {
	r := rand.New(rand.NewPCG(seed, 2024))
	ds := &chainscope.Dataset{Region: chainscope.Region{Code: "140000", Name: "山西省"}}
	for c := 0; c < cfg.counties; c++ {
		ds.Counties = append(ds.Counties, chainscope.County{Code: fmt.Sprintf("14%04d", 100+c), Name: fmt.Sprintf("县%d", c), Kind: chainscope.KindCounty})
	}
	for z := 0; z < cfg.zones; z++ {
		ds.Counties = append(ds.Counties, chainscope.County{Code: fmt.Sprintf("Z%03d", z), Name: fmt.Sprintf("园区%d", z), Kind: chainscope.KindZone, Parent: ds.Counties[r.IntN(cfg.counties)].Code})
	}
	for c := 0; c < cfg.chains; c++ {
		ch := chainscope.Chain{ID: fmt.Sprintf("chain%02d", c), Name: fmt.Sprintf("产业链%d", c)}
		for s := 0; s < cfg.segments; s++ {
			ch.Segments = append(ch.Segments, chainscope.Segment{ID: fmt.Sprintf("chain%02d.s%02d", c, s), Name: fmt.Sprintf("环节%d", s), Stage: chainscope.Stages[min(3, s*4/cfg.segments)]})
		}
		for s := 0; s+1 < cfg.segments; s++ {
			ch.Flows = append(ch.Flows, chainscope.Flow{From: ch.Segments[s].ID, To: ch.Segments[s+1].ID})
			if s+3 < cfg.segments && r.IntN(3) == 0 {
				ch.Flows = append(ch.Flows, chainscope.Flow{From: ch.Segments[s].ID, To: ch.Segments[s+3].ID})
			}
		}
		ds.Chains = append(ds.Chains, ch)
	}
	// Skewed picks: a few counties and chains hold most of the nodes.
	skew := func(n int) int { return int(float64(n) * r.Float64() * r.Float64()) }
	place := func() string {
		switch x := r.IntN(100); {
		case x < 1:
			return ds.Region.Code
		case x < 8:
			return ds.Counties[cfg.counties+r.IntN(cfg.zones)].Code
		}
		return ds.Counties[skew(cfg.counties)].Code
	}
	segsOf := func() (int, []string) {
		c := skew(cfg.chains)
		s := r.IntN(cfg.segments)
		segs := []string{ds.Chains[c].Segments[s].ID}
		if r.IntN(4) == 0 && s+1 < cfg.segments {
			segs = append(segs, ds.Chains[c].Segments[s+1].ID)
		}
		if r.IntN(10) == 0 {
			o := r.IntN(cfg.chains)
			segs = append(segs, ds.Chains[o].Segments[r.IntN(cfg.segments)].ID)
		}
		return c, segs
	}
	type nodeRef struct {
		id     string
		chain  int
		county string
	}
	nodes := make([]nodeRef, 0, cfg.enterprises+cfg.projects)
	for i := 0; i < cfg.enterprises; i++ {
		c, segs := segsOf()
		e := chainscope.Enterprise{ID: fmt.Sprintf("E%06d", i), Name: fmt.Sprintf("企业%d", i), County: place(), Segments: segs, LeaderOf: []string{}}
		if r.IntN(1000) == 0 {
			e.LeaderOf = []string{ds.Chains[c].ID}
		}
		ds.Enterprises = append(ds.Enterprises, e)
		nodes = append(nodes, nodeRef{e.ID, c, e.County})
	}
	for i := 0; i < cfg.projects; i++ {
		c, segs := segsOf()
		inv := float64(1000 + r.IntN(500_000))
		p := chainscope.Project{ID: fmt.Sprintf("P%06d", i), Name: fmt.Sprintf("项目%d", i), County: place(), Segments: segs,
			InvestmentWan: &inv, Signed: "2024-01-15", Status: chainscope.Statuses[r.IntN(len(chainscope.Statuses))]}
		ds.Projects = append(ds.Projects, p)
		nodes = append(nodes, nodeRef{p.ID, c, p.County})
	}
	byChain := make([][]int, cfg.chains)
	byChainCounty := map[string][]int{}
	for i, n := range nodes {
		byChain[n.chain] = append(byChain[n.chain], i)
		k := fmt.Sprint(n.chain, "/", n.county)
		byChainCounty[k] = append(byChainCounty[k], i)
	}
	seen := make(map[uint64]struct{}, cfg.links)
	ds.Links = make([]chainscope.Link, 0, cfg.links)
	for len(ds.Links) < cfg.links {
		a := r.IntN(len(nodes))
		var b int
		switch x := r.Float64(); {
		case x < cfg.sameChain*cfg.nearby:
			near := byChainCounty[fmt.Sprint(nodes[a].chain, "/", nodes[a].county)]
			b = near[r.IntN(len(near))]
		case x < cfg.sameChain:
			same := byChain[nodes[a].chain]
			b = same[r.IntN(len(same))]
		default:
			b = r.IntN(len(nodes))
		}
		key := uint64(a)<<32 | uint64(b)
		if _, dup := seen[key]; dup || a == b {
			continue
		}
		seen[key] = struct{}{}
		ds.Links = append(ds.Links, chainscope.Link{From: nodes[a].id, To: nodes[b].id})
	}
	return ds
}

var (
	provinceOnce sync.Once
	province     *chainscope.Dataset
	provinceIx   *Index
)

func provinceIndex(b *testing.B) (*chainscope.Dataset, *Index) {
	provinceOnce.Do(func() {
		province = syntheticProvince(1, provinceScale)
		var err error
		if provinceIx, err = NewIndex(province); err != nil {
			panic(err)
		}
	})
	return province, provinceIx
}

// cpuMeter reports the process CPU time per iteration as "cpu-ms/op";
// with parallel code it is the total over all threads.
type cpuMeter struct {
	b     *testing.B
	start time.Duration
}

func meterCPU(b *testing.B) cpuMeter { return cpuMeter{b, processCPU()} }

func (m cpuMeter) report() {
	if d := processCPU() - m.start; d > 0 && m.b.N > 0 {
		m.b.ReportMetric(float64(d.Microseconds())/1000/float64(m.b.N), "cpu-ms/op")
	}
}

// randomGraph is n nodes and m random edges (no self-loops).
func randomGraph(n, m int, seed uint64) [][2]int32 {
	r := rand.New(rand.NewPCG(seed, 1))
	edges := make([][2]int32, 0, m)
	for len(edges) < m {
		a, b := int32(r.IntN(n)), int32(r.IntN(n))
		if a != b {
			edges = append(edges, [2]int32{a, b})
		}
	}
	return edges
}

// BenchmarkArticulationPointsAndBridges runs both on a random undirected
// graph of 100 000 nodes and 1 000 000 edges.
func BenchmarkArticulationPointsAndBridges(b *testing.B) {
	g := NewUndirectedCSR(100_000, randomGraph(100_000, 1_000_000, 1))
	b.ReportAllocs()
	cpu := meterCPU(b)
	for b.Loop() {
		ArticulationPoints(g)
		Bridges(g)
	}
	cpu.report()
}

// BenchmarkWeakPoints finds cut nodes and bridges with impacts in one search
// on a sparser graph (100 000 nodes, 150 000 edges) where there are many.
func BenchmarkWeakPoints(b *testing.B) {
	for _, m := range []int{150_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=100000/m=%d", m), func(b *testing.B) {
			g := NewUndirectedCSR(100_000, randomGraph(100_000, m, 2))
			b.ReportAllocs()
			cpu := meterCPU(b)
			for b.Loop() {
				WeakPoints(g)
			}
			cpu.report()
		})
	}
}

// BenchmarkDominators computes the dominator tree of a random directed graph
// with 100 000 nodes and 1 000 000 edges.
func BenchmarkDominators(b *testing.B) {
	g := NewCSR(100_000, randomGraph(100_000, 1_000_000, 3))
	b.ReportAllocs()
	cpu := meterCPU(b)
	for b.Loop() {
		Dominators(g, 0)
	}
	cpu.report()
}

// BenchmarkNewIndex compiles the synthetic province and reports the heap the
// index holds.
func BenchmarkNewIndex(b *testing.B) {
	ds, _ := provinceIndex(b)
	b.ReportAllocs()
	var ix *Index
	cpu := meterCPU(b)
	for b.Loop() {
		var err error
		if ix, err = NewIndex(ds); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report()
	b.StopTimer()
	var before, after runtime.MemStats
	ix = nil
	runtime.GC()
	runtime.ReadMemStats(&before)
	ix, _ = NewIndex(ds)
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "index-MiB")
	runtime.KeepAlive(ix)
}

// BenchmarkAnalyzeAll analyses every (area, chain) scope of the synthetic
// province: 118 areas × 24 chains.
func BenchmarkAnalyzeAll(b *testing.B) {
	_, ix := provinceIndex(b)
	b.ReportAllocs()
	var res []*Analysis
	cpu := meterCPU(b)
	for b.Loop() {
		var err error
		if res, err = ix.AnalyzeAll(); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report()
	b.ReportMetric(float64(len(res)), "scopes")
}

// BenchmarkAnalyze analyses the largest scope of the province: the whole
// region on its busiest chain.
func BenchmarkAnalyze(b *testing.B) {
	_, ix := provinceIndex(b)
	b.ReportAllocs()
	cpu := meterCPU(b)
	for b.Loop() {
		if _, err := ix.Analyze("*", "chain00"); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report()
}

// forget drops what ix computed from its graph alone (see structure), so
// that a benchmark measures the computation, not the copy it keeps.
func forget(ix *Index) { ix.shared.Store(nil) }

// BenchmarkLeaderDependency answers the chain-leader question for the whole
// province on its busiest chain: upstream search and dominator tree per leader.
func BenchmarkLeaderDependency(b *testing.B) {
	_, ix := provinceIndex(b)
	b.ReportAllocs()
	var n int
	cpu := meterCPU(b)
	for b.Loop() {
		forget(ix)
		res, err := ix.LeaderDependency("*", "chain00")
		if err != nil {
			b.Fatal(err)
		}
		n = len(res)
	}
	cpu.report()
	b.ReportMetric(float64(n), "leaders")
}

var (
	genProvinceOnce sync.Once
	genProvinceIx   *Index
)

// BenchmarkLeaderDependencyGen answers the chain-leader question on the
// province `chainscope gen --scale province` writes (bench/province.sh's
// data), for chain agri: the whole region (6 leaders) and the largest
// county scope (one leader), from scratch each time.
func BenchmarkLeaderDependencyGen(b *testing.B) {
	genProvinceOnce.Do(func() {
		var err error
		if genProvinceIx, err = NewIndex(synth.Generate(synth.Province())); err != nil {
			panic(err)
		}
	})
	ix := genProvinceIx
	for _, area := range []string{"*", "140929"} {
		b.Run(area, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			cpu := meterCPU(b)
			for b.Loop() {
				forget(ix)
				res, err := ix.LeaderDependency(area, "agri")
				if err != nil {
					b.Fatal(err)
				}
				n = len(res)
			}
			cpu.report()
			if n == 0 {
				b.Fatalf("no leader of agri in %s", area)
			}
			b.ReportMetric(float64(n), "leaders")
		})
	}
}

// BenchmarkRegionWeakPoints finds the cut nodes and bridges of the whole
// province's supply graph.
func BenchmarkRegionWeakPoints(b *testing.B) {
	_, ix := provinceIndex(b)
	b.ReportAllocs()
	cpu := meterCPU(b)
	for b.Loop() {
		ix.RegionCutNodes()
		ix.RegionBridges()
	}
	cpu.report()
}

// BenchmarkReport is everything GET /api/v1/analysis computes for the whole
// province on its busiest chain: from scratch, and (kept) with what an
// earlier Index of the same graph computed, as after an edit that left the
// links alone.
func BenchmarkReport(b *testing.B) {
	_, ix := provinceIndex(b)
	for _, keep := range []bool{false, true} {
		name := "fresh"
		if keep {
			name = "kept"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := meterCPU(b)
			for b.Loop() {
				if !keep {
					forget(ix)
				}
				if _, err := ix.Report("*", "chain00"); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report()
		})
	}
}
