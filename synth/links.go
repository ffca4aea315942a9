package synth

import (
	"cmp"
	"slices"

	"chainscope"
)

// serviceProducts are what the links that do not follow a chain's flows
// carry: services any firm buys from a neighbour.
var serviceProducts = []string{"物流运输", "设备维修", "技术服务", "包装材料", "检验检测", "劳务外包", ""}

// maxLinkFailures is how many draws in a row may hit an existing pair or an
// empty segment before links stops drawing and fills the remaining links
// systematically. Only a region too small for the requested links gets there.
const maxLinkFailures = 10_000

// flowTries is how many nodes a flow-link draw tries before it fails.
const flowTries = 16

// tailCrossArea is the share of cross-area flow links among the links drawn
// after the first bulk draw, when the pairs within an area may be used up.
const tailCrossArea = 0.4

// links draws the supply links. Most start at a random node x on one of its
// segments s, follow a flow of s's chain to a neighbouring segment t, and
// pick the partner among the nodes on t: mostly in x's area, sometimes in
// another area weighted by size. So links follow the chains, dense areas
// get dense links, and cross-area links supply the gaps of other areas. The
// rest are services from a neighbour in the same area. Cancelled projects
// get no drawn links. No pair (from, to) repeats, no node links to itself,
// and the links come sorted by (from, to).
func (g *generator) links() {
	L := g.o.Links
	E, P := g.o.Enterprises, g.o.Projects
	S := len(g.cat.segID)
	A := len(g.areas) + 1
	// Everything a draw needs about a node, packed and in one place, so
	// that a draw touches few cache lines.
	type nodeInfo struct {
		area    int32
		segs    [2]int16
		counted bool // not a cancelled project
	}
	nodes := make([]nodeInfo, E+P)
	ids := make([]string, E+P)
	for i := range E {
		nodes[i] = nodeInfo{g.areaOf(g.entPlace[i]), g.entSegs[i], true}
		ids[i] = g.ds.Enterprises[i].ID
	}
	for i := range P {
		nodes[E+i] = nodeInfo{g.areaOf(g.prjPlace[i]), g.prjSegs[i], g.prjState[i] != chainscope.StatusCancelled}
		ids[E+i] = g.ds.Projects[i].ID
	}
	bySeg := buildIndex(A*S, func(emit func(int, int32)) {
		for x, n := range nodes {
			if n.counted {
				emit(int(n.area)*S+int(n.segs[0]), int32(x))
				if n.segs[1] >= 0 {
					emit(int(n.area)*S+int(n.segs[1]), int32(x))
				}
			}
		}
	})
	byArea := buildIndex(A, func(emit func(int, int32)) {
		for x, n := range nodes {
			if n.counted {
				emit(int(n.area), int32(x))
			}
		}
	})
	pool := byArea.items // every counted node once; a uniform draw weights areas by size

	// draw makes one candidate link: a service link with a neighbour, or
	// (flowLinkShare of the time) a link along a flow. A flow draw retries
	// with other nodes while it hits a segment that is empty in the area
	// chosen, so that the share of flow links holds; it fails only when
	// all tries do. cross is the chance that a flow link reaches into
	// another area.
	draw := func(cross float64) (candidate, bool) {
		if g.rng.Float64() >= flowLinkShare {
			x := pool[g.rng.IntN(len(pool))]
			c := byArea.of(int(nodes[x].area))
			y := c[g.rng.IntN(len(c))]
			return candidate{from: y, to: x, product: g.cat.services[g.rng.IntN(len(g.cat.services))]}, x != y
		}
		for range flowTries {
			x := pool[g.rng.IntN(len(pool))]
			nx := &nodes[x]
			s := nx.segs[0]
			if nx.segs[1] >= 0 && g.rng.IntN(2) == 0 {
				s = nx.segs[1]
			}
			out, in := g.cat.out[s], g.cat.in[s]
			i := g.rng.IntN(len(out) + len(in))
			var e adjacent
			supplier := i < len(out)
			if supplier {
				e = out[i]
			} else {
				e = in[i-len(out)]
			}
			a := nx.area
			if a == g.regionArea || g.rng.Float64() < cross {
				a = nodes[pool[g.rng.IntN(len(pool))]].area
			}
			c := bySeg.of(int(a)*S + int(e.seg))
			if len(c) == 0 {
				continue
			}
			y := c[g.rng.IntN(len(c))]
			if x == y {
				continue
			}
			if supplier {
				return candidate{from: x, to: y, product: e.product}, true
			}
			return candidate{from: y, to: x, product: e.product}, true
		}
		return candidate{}, false
	}

	// Draw all links at once, sort them and drop repeated pairs: sorting
	// is far kinder to the cache than a hash set of a million pairs. Then
	// draw the few links that went missing one by one, checking each
	// against the sorted links and a small set of the new ones. Pairs
	// near at hand may be used up by then, so these reach further afield.
	have := make([]candidate, 0, L) // sorted by pair, no pair twice
	if len(pool) > 1 {
		for fails := 0; len(have) < L && fails < maxLinkFailures; {
			if c, ok := draw(1 - sameAreaLink); ok {
				have = append(have, c)
				fails = 0
			} else {
				fails++
			}
		}
		slices.SortFunc(have, compareCandidates)
		have = slices.CompactFunc(have, samePair)
	}
	var extra []candidate
	if len(have) < L && len(pool) > 1 {
		extra = make([]candidate, 0, L-len(have))
		added := make(map[uint64]bool, L-len(have))
		for fails := 0; len(have)+len(extra) < L && fails < maxLinkFailures; {
			c, ok := draw(tailCrossArea)
			if ok {
				key := uint64(c.from)<<32 | uint64(c.to)
				_, found := slices.BinarySearchFunc(have, c, comparePairs)
				ok = !found && !added[key]
				if ok {
					added[key] = true
					extra = append(extra, c)
				}
			}
			if ok {
				fails = 0
			} else {
				fails++
			}
		}
	}

	// Take the remaining pairs in order, spread over all nodes (cancelled
	// projects included). Generate has checked that enough pairs exist;
	// each visited pair is either taken or one of the links already made,
	// so this ends after at most 2L steps.
	if len(have)+len(extra) < L {
		slices.SortFunc(extra, compareCandidates)
		have = mergePairs(make([]candidate, 0, L), have, extra)
		extra = extra[:0]
		n := int32(E + P)
		for d := int32(1); d < n && len(have)+len(extra) < L; d++ {
			for i := int32(0); i < n && len(have)+len(extra) < L; i++ {
				c := candidate{from: i, to: (i + d) % n}
				if _, found := slices.BinarySearchFunc(have, c, comparePairs); !found {
					extra = append(extra, c)
				}
			}
		}
	}
	if len(extra) > 0 {
		slices.SortFunc(extra, compareCandidates)
		have = mergePairs(make([]candidate, 0, L), have, extra)
	}

	links := make([]chainscope.Link, len(have))
	for i, c := range have {
		links[i] = chainscope.Link{From: ids[c.from], To: ids[c.to], Product: g.cat.products[c.product]}
	}
	g.ds.Links = links
}

// candidate is a drawn link between node indices (enterprises first, then
// projects) carrying a product of catalog.products.
type candidate struct {
	from, to int32
	product  int32
}

// compareCandidates orders by pair, then product, so that which of two
// draws of one pair survives never depends on the sort algorithm.
func compareCandidates(a, b candidate) int {
	if c := comparePairs(a, b); c != 0 {
		return c
	}
	return cmp.Compare(a.product, b.product)
}

func comparePairs(a, b candidate) int {
	if c := cmp.Compare(a.from, b.from); c != 0 {
		return c
	}
	return cmp.Compare(a.to, b.to)
}

func samePair(a, b candidate) bool { return a.from == b.from && a.to == b.to }

// mergePairs appends to dst the merge of two pair-sorted slices without
// repeated pairs; of a pair in both, the one in a is kept.
func mergePairs(dst, a, b []candidate) []candidate {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch c := comparePairs(a[i], b[j]); {
		case c < 0:
			dst = append(dst, a[i])
			i++
		case c > 0:
			dst = append(dst, b[j])
			j++
		default:
			j++
		}
	}
	dst = append(dst, a[i:]...)
	return append(dst, b[j:]...)
}

// index groups items by a dense integer key in two flat slices (CSR).
type index struct {
	start []int32 // items of key k are items[start[k]:start[k+1]]
	items []int32
}

func (x index) of(k int) []int32 { return x.items[x.start[k]:x.start[k+1]] }

// buildIndex builds an index from an enumeration, which it calls twice:
// once to count, once to fill.
func buildIndex(keys int, each func(emit func(key int, item int32))) index {
	start := make([]int32, keys+1)
	each(func(k int, _ int32) { start[k+1]++ })
	for k := range keys {
		start[k+1] += start[k]
	}
	items := make([]int32, start[keys])
	next := make([]int32, keys)
	copy(next, start[:keys])
	each(func(k int, item int32) {
		items[next[k]] = item
		next[k]++
	})
	return index{start: start, items: items}
}
