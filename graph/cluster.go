package graph

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"chainscope"
)

// ClusterCell is one county × chain scope in a few figures: how many nodes,
// how complete, how much investment, and how many segments are missing,
// weak, or missing and broken (断链).
type ClusterCell struct {
	Area          string  `json:"area"`
	Chain         string  `json:"chain"`
	Nodes         int     `json:"nodes"`
	Enterprises   int     `json:"enterprises"`
	Projects      int     `json:"projects"`
	Completeness  float64 `json:"completeness"`
	InvestmentWan float64 `json:"investment_wan"`
	Missing       int     `json:"missing"`
	Weak          int     `json:"weak"`
	Broken        int     `json:"broken"`
	// NotPursued: the county develops other chains, not this one (未布局,
	// SPEC §5); set by Portfolio.MarkCluster.
	NotPursued bool `json:"not_pursued"`
}

// CrossFlow is the supply from one county into another along one chain. A
// link counts for a chain when both its ends list a segment of the chain,
// so a link may count for several chains. From and To are county codes,
// zones folded into their county; links with an end in no county (the
// region itself) and links inside one county are left out. InvestmentWan
// sums the investment of the distinct projects at either end of the links.
type CrossFlow struct {
	Chain         string  `json:"chain"`
	From          string  `json:"from"`
	To            string  `json:"to"`
	Links         int     `json:"links"`
	InvestmentWan float64 `json:"investment_wan"`
}

// Cluster is the region as a county × chain matrix (产业集群), with the
// supply flowing between counties. Areas are the counties (not zones, not
// "*") in ascending code order, Chains the chains in dataset order, with
// their names at the same positions. Cells run area by area, each with
// every chain in order; Flows are ordered by chain (dataset order), then
// From, then To.
type Cluster struct {
	Areas      []string      `json:"areas"`
	AreaNames  []string      `json:"area_names"`
	Chains     []string      `json:"chains"`
	ChainNames []string      `json:"chain_names"`
	Cells      []ClusterCell `json:"cells"`
	Flows      []CrossFlow   `json:"flows"`
}

// Cluster computes the county × chain matrix, each cell as Analyze computes
// its scope, and the cross-county flows per chain in one pass over the
// links. The error is reserved for future failure modes; today it is always
// nil.
func (ix *Index) Cluster() (*Cluster, error) {
	cl := &Cluster{
		Areas: make([]string, len(ix.areas)), AreaNames: make([]string, len(ix.areas)),
		Chains: make([]string, len(ix.chains)), ChainNames: make([]string, len(ix.chains)),
	}
	for k, c := range ix.areas {
		cl.Areas[k], cl.AreaNames[k] = ix.counties[c].code, ix.counties[c].name
	}
	for i := range ix.chains {
		cl.Chains[i], cl.ChainNames[i] = ix.chains[i].id, ix.chains[i].name
	}
	all := make([]int32, len(ix.chains))
	for i := range all {
		all[i] = int32(i)
	}
	cl.Cells = ix.clusterCells(all)
	cl.Flows = slices.Clone(ix.allFlows().all)
	return cl, nil
}

// ChainCluster is Cluster for one chain: Chains and ChainNames hold that
// chain, Cells its cell of every county (in Areas order) and Flows its
// cross-county flows, each exactly as Cluster gives it, for a fraction of
// the analyses. An unknown chain is ENOTFOUND.
func (ix *Index) ChainCluster(chain string) (*Cluster, error) {
	c, err := ix.lookupChain(chain)
	if err != nil {
		return nil, err
	}
	cl := &Cluster{
		Areas: make([]string, len(ix.areas)), AreaNames: make([]string, len(ix.areas)),
		Chains: []string{ix.chains[c].id}, ChainNames: []string{ix.chains[c].name},
	}
	for k, a := range ix.areas {
		cl.Areas[k], cl.AreaNames[k] = ix.counties[a].code, ix.counties[a].name
	}
	cl.Cells = ix.clusterCells([]int32{c})
	cl.Flows = ix.crossFlows(c)
	return cl, nil
}

// clusterCells analyses every county × each chain of chains, area by area.
func (ix *Index) clusterCells(chains []int32) []ClusterCell {
	nc := len(chains)
	cells := make([]ClusterCell, len(ix.areas)*nc)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(cells)) {
		wg.Go(func() {
			w := ix.getWork()
			defer ix.pool.Put(w)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(cells) {
					return
				}
				k := i / nc
				sel := areaSel{code: ix.counties[ix.areas[k]].code, bucket: int32(k + 1), zone: -1}
				a := ix.analyze(w, sel, &ix.chains[chains[i%nc]], nil)
				cell := ClusterCell{
					Area: a.Area, Chain: a.Chain,
					Nodes:       a.Totals.Enterprises + a.Totals.Projects,
					Enterprises: a.Totals.Enterprises, Projects: a.Totals.Projects,
					Completeness: a.Completeness, InvestmentWan: a.Totals.InvestmentWan,
				}
				for _, s := range a.Segments {
					switch s.Status {
					case Missing:
						cell.Missing++
						if s.Broken {
							cell.Broken++
						}
					case Weak:
						cell.Weak++
					}
				}
				cells[i] = cell
			}
		})
	}
	wg.Wait()
	return cells
}

// flowKey packs (chain, from bucket, to bucket) so that sorting keys sorts
// flows by chain, then From, then To (buckets follow county code order).
type flowKey uint64

func newFlowKey(c, from, to int32) flowKey {
	return flowKey(uint64(c)<<42 | uint64(from)<<21 | uint64(to))
}

func (k flowKey) parts() (c, from, to int32) {
	return int32(k >> 42), int32(k >> 21 & (1<<21 - 1)), int32(k & (1<<21 - 1))
}

// crossFlows scans every link once, in parallel chunks of suppliers; only
// ≥ 0 keeps to the flows of that chain (the others are never counted).
func (ix *Index) crossFlows(only int32) []CrossFlow {
	n := len(ix.ids)
	segChain := ix.segChains()
	type part struct {
		links []flowKey
		prjs  []flowProject
	}
	var mu sync.Mutex
	var parts []part
	parallelChunks(n, 1<<13, func(lo, hi int) {
		var p part
		var cu, cv []int32
		for v := int32(lo); int(v) < hi; v++ {
			bv := ix.bucket[v]
			if bv == 0 {
				continue
			}
			cv = onlyChain(ix.nodeChains(v, segChain, cv), only)
			if len(cv) == 0 {
				continue
			}
			for _, u := range ix.out.Neighbors(v) {
				bu := ix.bucket[u]
				if bu == 0 || bu == bv {
					continue
				}
				cu = onlyChain(ix.nodeChains(u, segChain, cu), only)
				for i, j := 0, 0; i < len(cv) && j < len(cu); {
					switch {
					case cv[i] < cu[j]:
						i++
					case cv[i] > cu[j]:
						j++
					default:
						k := newFlowKey(cv[i], bv-1, bu-1)
						p.links = append(p.links, k)
						if ix.project[v] {
							p.prjs = append(p.prjs, flowProject{k, v})
						}
						if ix.project[u] {
							p.prjs = append(p.prjs, flowProject{k, u})
						}
						i, j = i+1, j+1
					}
				}
			}
		}
		mu.Lock()
		parts = append(parts, p)
		mu.Unlock()
	})
	var keys []flowKey
	var prjs []flowProject
	for _, p := range parts {
		keys = append(keys, p.links...)
		prjs = append(prjs, p.prjs...)
	}
	slices.Sort(keys)
	slices.SortFunc(prjs, func(a, b flowProject) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.node, b.node)
	})
	prjs = slices.Compact(prjs)

	flows := []CrossFlow{}
	j := 0
	for i := 0; i < len(keys); {
		k := keys[i]
		e := i
		for e < len(keys) && keys[e] == k {
			e++
		}
		c, from, to := k.parts()
		f := CrossFlow{
			Chain: ix.chains[c].id,
			From:  ix.counties[ix.areas[from]].code,
			To:    ix.counties[ix.areas[to]].code,
			Links: e - i,
		}
		for j < len(prjs) && prjs[j].key < k {
			j++
		}
		for ; j < len(prjs) && prjs[j].key == k; j++ {
			f.InvestmentWan += ix.investment[prjs[j].node]
		}
		flows = append(flows, f)
		i = e
	}
	return flows
}

// flowProject is a project at an end of a link counted in a flow.
type flowProject struct {
	key  flowKey
	node int32
}

// onlyChain keeps chain only of the ascending chains cs (all of them when
// only < 0).
func onlyChain(cs []int32, only int32) []int32 {
	if only < 0 {
		return cs
	}
	if _, ok := slices.BinarySearch(cs, only); ok {
		cs[0] = only
		return cs[:1]
	}
	return cs[:0]
}

// nodeChains returns the chains node v lists a segment of, ascending, in buf.
func (ix *Index) nodeChains(v int32, segChain []int32, buf []int32) []int32 {
	buf = buf[:0]
	for _, s := range ix.segs[ix.segOff[v]:ix.segOff[v+1]] {
		if c := segChain[s]; len(buf) == 0 || buf[len(buf)-1] != c {
			buf = append(buf, c)
		}
	}
	return buf
}

// RankFlows orders cross-county flows as a person reads them: the most
// links first, then the most investment; flows equal in both keep their
// order (Cluster's: chain, From, To).
func RankFlows(flows []CrossFlow) {
	slices.SortStableFunc(flows, func(a, b CrossFlow) int {
		if c := cmp.Compare(b.Links, a.Links); c != 0 {
			return c
		}
		return cmp.Compare(b.InvestmentWan, a.InvestmentWan)
	})
}

// FlowPage is one page of the cross-county flows a filter keeps, ranked
// (RankFlows), with the totals of every flow it keeps: a province has tens
// of thousands of flows, which no one reads at once.
type FlowPage struct {
	// Chain and Area are the filter: "" is every chain, every county;
	// Area keeps the flows from or into that county.
	Chain string `json:"chain"`
	Area  string `json:"area"`
	// Total counts the flows kept, Links their links.
	Total  int         `json:"total"`
	Links  int         `json:"links"`
	Offset int         `json:"offset"`
	Limit  int         `json:"limit"`
	Items  []CrossFlow `json:"items"`
}

// CrossFlowPage is the page of the cross-county flows of chain ("" every
// chain) from or into county area ("" every county) that starts at offset
// and holds at most limit flows, ranked by RankFlows; each flow is exactly
// as Cluster gives it. An unknown chain or area is ENOTFOUND; an area that
// is not a county (a zone, "*", the region's own code) is EINVALID, as
// flows fold zones into their county.
func (ix *Index) CrossFlowPage(chain, area string, offset, limit int) (*FlowPage, error) {
	if chain != "" {
		if _, err := ix.lookupChain(chain); err != nil {
			return nil, err
		}
	}
	if area != "" {
		if area == AllAreas || area == ix.region {
			return nil, chainscope.Localizedf(chainscope.EINVALID, "跨县区流向按县区筛选，%q 不是县区", "flows are filtered by a county, not %q", area)
		}
		c, ok := ix.countyIdx[area]
		if !ok {
			return nil, notFoundArea(area)
		}
		if ix.counties[c].zone {
			return nil, chainscope.Localizedf(chainscope.EINVALID, "跨县区流向把开发区计入其县区，%q 是开发区", "flows fold zones into their county: %q is a zone", area)
		}
	}
	p := &FlowPage{Chain: chain, Area: area, Offset: offset, Limit: limit, Items: []CrossFlow{}}
	lo := max(offset, 0)
	for _, f := range ix.rankedFlows() {
		if (chain == "" || f.Chain == chain) && (area == "" || f.From == area || f.To == area) {
			if p.Total >= lo && len(p.Items) < limit {
				p.Items = append(p.Items, f)
			}
			p.Total++
			p.Links += f.Links
		}
	}
	return p, nil
}

// flowsCache holds every cross-county flow of the Index, counted once: in
// Cluster's order and ranked, so that the cluster view and paging through
// a province's flows scan them instead of counting the links again.
type flowsCache struct {
	once        sync.Once
	all, ranked []CrossFlow
}

// allFlows is every cross-county flow of every chain, in crossFlows' order
// and ranked by RankFlows. A flow of one chain is the same whether the
// links are counted for that chain alone or for all (crossFlows counts each
// chain apart).
func (ix *Index) allFlows() *flowsCache {
	ix.flows.once.Do(func() {
		ix.flows.all = ix.crossFlows(-1)
		ix.flows.ranked = slices.Clone(ix.flows.all)
		RankFlows(ix.flows.ranked)
	})
	return &ix.flows
}

// rankedFlows is allFlows ranked.
func (ix *Index) rankedFlows() []CrossFlow { return ix.allFlows().ranked }
