package render

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"chainscope"
	"chainscope/graph"
)

// restartBudget bounds the shuffled restarts of node ordering: a scope
// whose lines weigh w (see orderProblem.work) gets restartBudget/w − 1 of
// them, at most 40, so a briefing-sized scope gets many and a large one
// none, and no scope of up to 500 nodes takes much over 100 ms.
const restartBudget = 3000

// largeScope is the number of links above which node ordering does less:
// no restarts, fewer passes and no column shifts, so that a 500-node
// scope still renders in well under 100 ms.
const largeScope = 1000

// Geometry of the picture, in px.
const (
	margin      = 32.0
	minWidth    = 1000.0
	nodeFont    = 12.0
	tagFont     = 10.5
	segFont     = 14.0
	subFont     = 11.0
	badgeFont   = 10.5
	nodeH       = 24.0 // a node box of one line
	nodeLineH   = 15.0 // each further line of a node's name
	segLineH    = 17.0 // each further line of a segment's name
	nodeGap     = 6.0
	segPad      = 10.0  // segment box border → node boxes
	headerH     = 46.0  // segment header: name and stage lines
	bodyTop     = 6.0   // header → first node box
	bodyBottom  = 10.0  // last node box → segment bottom
	emptyBody   = 38.0  // body of a segment with no node boxes
	compactBody = 52.0  // body of a segment in a compact diagram
	minColW     = 156.0 // narrowest column
	maxColW     = 290.0 // widest column
	maxLabelW   = 168.0 // a node name wider than this wraps: 14 CJK runes at 12 px
	tagW        = 16.0  // the 企/项 tag of a node box
	labelX      = 4 + tagW + 5
	boxGap      = 22.0 // between segment boxes stacked in a column
	bandGap     = 60.0 // main band → support band
	corridorMin = 72.0 // gap between columns, where links run
	corridorMax = 160.0
	arrowLen    = 7.0
	arrowHalf   = 3.5
	linkTrack   = 4.0 // spacing of links through one gap between boxes
	flowTrack   = 8.0 // spacing of flows through one gap
	trackMargin = 8.0 // boxes → nearest track
	nodePort    = 7.0 // links spread ± this around a node box's centre
	portStep    = 5.0
	sideBandTop = 30.0 // a support band beside the main band: room for its title
)

// aspectGood is how near (|ln(ratio/target)|) a layout's own shape must come
// to the asked aspect for Layout to stop trying other arrangements.
const aspectGood = 0.05

// variant is one arrangement Layout may try to come near the asked aspect.
type variant struct {
	labelCap float64 // node names wider than this wrap
	split    float64 // a layer whose main-band stack is estimated taller spreads over more columns (up to maxSplit); 0: none
	side     bool    // the support band sits left of the main band, not below it
	gridRows int     // a segment with more node rows lays them out in up to maxGrid columns inside its box; 0: none
}

// maxGrid is the most columns of node boxes inside one segment box, and
// gridGap the space between them.
const (
	maxGrid = 4
	gridGap = 10.0
)

// maxSplit is the most columns one layer spreads over.
const maxSplit = 3

// Layout places the chain panorama of one scope: the analysis a (as
// graph.Index.Analyze returns it) of the chain a.Chain in area a.Area, with
// names, kinds and links taken from ds, the dataset the analysis was made
// from. It fails when the analysis names a chain, segment or node that ds
// does not hold.
func Layout(ds *chainscope.Dataset, a *graph.Analysis, o Options) (*Diagram, error) {
	if ds == nil {
		return nil, errors.New("render: no dataset")
	}
	if a == nil {
		return nil, errors.New("render: no analysis")
	}
	base, err := newBuilder(ds, a, o)
	if err != nil {
		return nil, err
	}
	// Probe the arrangements (laid out without ordering the nodes, which
	// barely changes a picture's shape), lay out the one nearest the aspect
	// in full, and pad it to the aspect.
	target := o.Aspect.ratio()
	probe := func(v variant) *builder {
		c := base.clone(v)
		c.probe = true
		return c.run()
	}
	bestV := variant{labelCap: maxLabelW}
	plain := probe(bestV)
	bestErr := plain.aspectErr(target)
	if bestErr > aspectGood {
		for _, v := range plain.candidates(target) {
			if e := probe(v).aspectErr(target); e < bestErr-1e-9 {
				bestV, bestErr = v, e
			}
			if bestErr <= aspectGood {
				break
			}
		}
	}
	b := base.clone(bestV).run()
	b.d.natural = [2]float64{b.d.Width, b.d.Height}
	b.fitAspect(target)
	return b.d, nil
}

// run lays out the scope in the builder's variant, up to a picture of its
// own natural size; a probe leaves the nodes in id order.
func (b *builder) run() *builder {
	b.layer()
	b.orderSegments()
	b.measure()
	b.placeY(nil)
	b.placeX(nil)
	if !b.d.Compact && !b.probe {
		b.orderNodes()
	}
	b.planRoutes()
	b.placeY(b.gapNeeds())
	b.placeX(b.corridorNeeds())
	b.buildGeometry()
	b.decorate(0, 0)
	return b
}

// aspectErr is how far the natural shape of the laid-out picture is from
// the ratio target: |ln(W/H / target)|.
func (b *builder) aspectErr(target float64) float64 {
	return math.Abs(math.Log(b.d.Width / b.d.Height / target))
}

// candidates are the arrangements worth trying after the plain one, given
// which way its shape misses target: a picture too tall spreads stacked
// segments over more columns, puts the support band beside the main band
// and lets names run longer before they wrap; one too wide wraps names
// sooner, which makes columns narrower and boxes taller.
func (b *builder) candidates(target float64) []variant {
	if b.d.Width/b.d.Height > target {
		return []variant{{labelCap: 120}, {labelCap: 96}}
	}
	tallest, tallestBox := 0.0, 0.0 // main-band stack, and any one box
	for _, segs := range b.cols {
		h := 0.0
		for _, s := range segs {
			tallestBox = max(tallestBox, b.estHeight(s))
			if !b.segs[s].support {
				h += b.estHeight(s)
			}
		}
		tallest = max(tallest, h)
	}
	out := []variant{{labelCap: maxLabelW, side: true}}
	for _, f := range []float64{0.75, 0.55, 0.4} {
		out = append(out, variant{labelCap: maxLabelW, split: tallest * f}, variant{labelCap: maxLabelW, split: tallest * f, side: true})
	}
	// Segments with very many nodes: node boxes side by side in the box.
	for _, rows := range []int{32, 24, 16, 12} {
		if tallestBox > headerH+float64(rows)*(nodeH+nodeGap)*1.5 {
			out = append(out, variant{labelCap: maxLabelW, split: tallest * 0.4, side: true, gridRows: rows})
		}
	}
	return out
}

// clone is a fresh builder for variant v over the scope b read: what
// newBuilder set up, copied where a layout changes it.
func (b *builder) clone(v variant) *builder {
	c := &builder{ds: b.ds, a: b.a, o: b.o, m: b.m, chain: b.chain, flows: b.flows, links: b.links, v: v, memo: b.memo}
	d := *b.d
	c.d = &d
	c.segs = slices.Clone(b.segs)
	for s := range c.segs {
		c.segs[s].nodes = slices.Clone(c.segs[s].nodes)
		c.segs[s].aliases = slices.Clone(c.segs[s].aliases)
	}
	c.nodes = slices.Clone(b.nodes)
	return c
}

// nodeInfo is a node of the scope while it is laid out.
type nodeInfo struct {
	id, name  string
	project   bool
	leader    bool
	operating bool
	status    chainscope.Status
	invest    float64
	signed    string
	segs      []int // segments of the chain it lists, chain order
	seg       int   // the segment whose box holds it: segs[0]
	cut       bool
	impact    int
	y         float64  // centre, once placed
	sub       int      // the column of node boxes it sits in, inside its segment box
	box       int      // index into Diagram.Nodes
	lines     []string // the name as wrapped in its own box
}

type linkInfo struct {
	u, v    int // node indices, supplier → customer
	product string
	bridge  bool
	impact  int
}

// segInfo is a segment while it is laid out.
type segInfo struct {
	res        *graph.SegmentResult
	col        int
	support    bool
	nodes      []int      // primary nodes, top to bottom
	aliases    []int      // nodes drawn elsewhere, listed here too
	aliasLines [][]string // the aliases' names as wrapped here
	head       float64    // header height: grows with the name's lines
	grid       int        // columns of node boxes inside the box (at least 1)
	perCol     int        // node rows in each of them
	nodeW      float64    // width of its node boxes
	h          float64
	box        Rect
}

type builder struct {
	ds    *chainscope.Dataset
	a     *graph.Analysis
	o     Options
	m     *messages
	d     *Diagram
	chain *chainscope.Chain
	v     variant
	side  bool  // the support band is beside the main band (v.side, where the flows allow it)
	probe bool  // a trial of the variant's shape: nodes are not ordered
	memo  *memo // shared by the builders of one Layout

	segs  []segInfo
	flows [][2]int // segment indices
	nodes []nodeInfo
	links []linkInfo

	cols  [][]int // per column: segments top to bottom, main band first
	nMain []int   // per column: how many of cols[k] are in the main band
	colW  []float64
	colX  []float64 // left edge
	corrW []float64 // corridor right of each column

	frac   [][2]float64 // per column and band: where its stack sits in the band's slack (0 top, 1 bottom)
	routes []route
}

func newBuilder(ds *chainscope.Dataset, a *graph.Analysis, o Options) (*builder, error) {
	b := &builder{ds: ds, a: a, o: o, m: messagesFor(o.Lang),
		memo: &memo{natural: map[naturalKey]float64{}, lines: map[wrapKey][]string{}}}
	for i := range ds.Chains {
		if ds.Chains[i].ID == a.Chain {
			b.chain = &ds.Chains[i]
		}
	}
	if b.chain == nil {
		return nil, fmt.Errorf("render: chain %q is not in the dataset", a.Chain)
	}
	d := &Diagram{
		Area: a.Area, Chain: a.Chain, ChainName: cleanText(b.chain.Name),
		Totals: a.Totals, Complete: a.Completeness, msg: b.m,
	}
	b.d = d
	d.AreaName = areaName(ds, a.Area)
	if d.ChainName == "" {
		d.ChainName = cleanText(a.Chain)
	}
	d.Title = cleanText(o.Title)
	if d.Title == "" {
		area := d.AreaName
		if a.Area == graph.AllAreas || a.Area == ds.Region.Code {
			area = b.m.whole(ds.Region, area)
		}
		d.Title = fmt.Sprintf(b.m.title, area, d.ChainName)
	}

	// Segments, and the scope's nodes: the union of L(s).
	segIdx := make(map[string]int, len(a.Segments))
	b.segs = make([]segInfo, len(a.Segments))
	nodeIdx := map[string]int{}
	var ids []string
	for s := range a.Segments {
		r := &a.Segments[s]
		b.segs[s] = segInfo{res: r, support: r.Stage == chainscope.StageSupport}
		segIdx[r.ID] = s
		for _, id := range r.Nodes {
			if _, ok := nodeIdx[id]; !ok {
				nodeIdx[id] = -1
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	for i, id := range ids {
		nodeIdx[id] = i
	}
	b.nodes = make([]nodeInfo, len(ids))
	for i, id := range ids {
		b.nodes[i] = nodeInfo{id: id, seg: -1}
	}
	for s := range a.Segments {
		for _, id := range a.Segments[s].Nodes {
			n := &b.nodes[nodeIdx[id]]
			n.segs = append(n.segs, s)
			if n.seg < 0 {
				n.seg = s
				b.segs[s].nodes = append(b.segs[s].nodes, nodeIdx[id])
			} else {
				b.segs[s].aliases = append(b.segs[s].aliases, nodeIdx[id])
			}
		}
	}
	known := make([]bool, len(ids))
	for i := range ds.Enterprises {
		e := &ds.Enterprises[i]
		if k, ok := nodeIdx[e.ID]; ok {
			n := &b.nodes[k]
			n.name, n.operating = cleanText(e.Name), true
			n.leader = slices.Contains(e.LeaderOf, a.Chain)
			known[k] = true
		}
	}
	for i := range ds.Projects {
		p := &ds.Projects[i]
		if k, ok := nodeIdx[p.ID]; ok {
			n := &b.nodes[k]
			n.name, n.project, n.operating = cleanText(p.Name), true, p.Operating()
			n.status, n.invest, n.signed = p.Status, p.Investment(), p.Signed
			known[k] = true
		}
	}
	for i := range b.nodes {
		if !known[i] {
			return nil, fmt.Errorf("render: node %q of the analysis is not in the dataset", b.nodes[i].id)
		}
		if b.nodes[i].name == "" {
			b.nodes[i].name = cleanText(b.nodes[i].id)
		}
	}
	for _, c := range a.CutNodes {
		if k, ok := nodeIdx[c.ID]; ok {
			b.nodes[k].cut, b.nodes[k].impact = true, c.Impact
		}
	}
	maxNodes := o.MaxNodes
	if maxNodes == 0 {
		maxNodes = DefaultMaxNodes
	}
	d.Compact = len(b.nodes) > maxNodes
	type pair struct{ a, b string }
	bridges := make(map[pair]int, len(a.Bridges))
	for _, br := range a.Bridges {
		bridges[pair{br.A, br.B}] = br.Impact
	}

	// Links E: both ends in the scope, sorted by (from, to). A compact
	// picture draws segments with counts and no links, so it reads none
	// (a province's scope has a million to look at).
	for i := range ds.Links {
		if d.Compact {
			break
		}
		l := &ds.Links[i]
		u, ok1 := nodeIdx[l.From]
		v, ok2 := nodeIdx[l.To]
		if !ok1 || !ok2 || u == v {
			continue
		}
		li := linkInfo{u: u, v: v, product: cleanText(l.Product)}
		key := pair{l.From, l.To}
		if l.To < l.From {
			key = pair{l.To, l.From}
		}
		li.impact, li.bridge = bridges[key]
		b.links = append(b.links, li)
	}
	slices.SortFunc(b.links, func(x, y linkInfo) int {
		if c := cmp.Compare(x.u, y.u); c != 0 {
			return c
		}
		return cmp.Compare(x.v, y.v)
	})

	// Flows between known segments, in the chain's order.
	for _, f := range b.chain.Flows {
		s, ok1 := segIdx[f.From]
		t, ok2 := segIdx[f.To]
		if ok1 && ok2 && s != t {
			b.flows = append(b.flows, [2]int{s, t})
		}
	}

	return b, nil
}

// areaName names an area: the region for "*", else the county or zone.
func areaName(ds *chainscope.Dataset, area string) string {
	name := ""
	if area == graph.AllAreas || area == ds.Region.Code {
		name = ds.Region.Name
	}
	for _, c := range ds.Counties {
		if c.Code == area {
			name = c.Name
		}
	}
	if name = cleanText(name); name == "" {
		name = cleanText(area)
	}
	return name
}

// layer assigns every segment a column: the longest path from a source of
// the flow DAG, with each source then pulled right next to its nearest
// successor (so a raw material sits beside what it feeds, not far left).
// Segments without flows go by stage: upstream and support first,
// midstream in the middle, downstream last. Empty columns are dropped.
func (b *builder) layer() {
	n := len(b.segs)
	preds := make([][]int, n)
	succs := make([][]int, n)
	indeg := make([]int, n)
	for _, f := range b.flows {
		succs[f[0]] = append(succs[f[0]], f[1])
		preds[f[1]] = append(preds[f[1]], f[0])
		indeg[f[1]]++
	}
	layer := make([]int, n)
	done := make([]bool, n)
	for range n { // Kahn's algorithm, lowest chain position first
		s := -1
		for i := range n {
			if !done[i] && indeg[i] == 0 {
				s = i
				break
			}
		}
		if s < 0 { // a cycle (validation forbids it): take the first left
			for i := range n {
				if !done[i] {
					s = i
					break
				}
			}
		}
		done[s] = true
		for _, t := range succs[s] {
			indeg[t]--
			if !done[t] {
				layer[t] = max(layer[t], layer[s]+1)
			}
		}
	}
	last := -1
	for s := range n {
		if len(preds[s]) == 0 && len(succs[s]) > 0 {
			m := layer[succs[s][0]]
			for _, t := range succs[s] {
				m = min(m, layer[t])
			}
			layer[s] = max(0, m-1)
		}
		if len(preds[s])+len(succs[s]) > 0 {
			last = max(last, layer[s])
		}
	}
	for s := range n {
		if len(preds[s])+len(succs[s]) > 0 {
			continue
		}
		switch b.segs[s].res.Stage {
		case chainscope.StageMidstream:
			if last < 0 {
				layer[s] = 1
			} else {
				layer[s] = last / 2
			}
		case chainscope.StageDownstream:
			if last < 0 {
				layer[s] = 2
			} else {
				layer[s] = last
			}
		default:
			layer[s] = 0
		}
	}
	// Spread stacked segments over more columns, move the support band
	// beside the main band: a layer's columns keep flows left to right.
	const split = maxSplit
	key := make([]int, n)
	for s := range n {
		key[s] = layer[s] * split
	}
	b.side = b.v.side && b.sideAllowed()
	if b.side {
		for s := range n {
			if b.segs[s].support {
				key[s] = -1
			}
		}
	}
	if b.v.split > 0 {
		byLayer := map[int][]int{}
		for s := range n {
			if !b.segs[s].support {
				byLayer[layer[s]] = append(byLayer[layer[s]], s)
			}
		}
		for l, segs := range byLayer {
			h := 0.0
			for _, s := range segs {
				h += b.estHeight(s)
			}
			k := min(split, int(math.Ceil(h/b.v.split-1e-9)))
			if k < 2 {
				continue
			}
			for s, g := range b.spread(segs, k) {
				key[s] = l*split + g
			}
		}
	}
	// Drop empty columns.
	used := slices.Clone(key)
	slices.Sort(used)
	used = slices.Compact(used)
	for s := range n {
		b.segs[s].col, _ = slices.BinarySearch(used, key[s])
	}
	b.d.Columns = len(used)
}

// estHeight estimates the height a segment box takes in its column before
// it is measured: a one-line header and one line per node.
func (b *builder) estHeight(s int) float64 {
	si := &b.segs[s]
	if b.d.Compact {
		return headerH + compactBody + boxGap
	}
	rows := len(si.nodes) + len(si.aliases)
	if rows == 0 {
		return headerH + emptyBody + boxGap
	}
	_, per := b.gridOf(rows)
	return headerH + bodyTop + float64(per)*(nodeH+nodeGap) + bodyBottom + boxGap
}

// gridOf is how a segment box with rows node rows lays them out: in g
// columns of per rows each.
func (b *builder) gridOf(rows int) (g, per int) {
	g = 1
	if b.v.gridRows > 0 && rows > b.v.gridRows {
		g = min(maxGrid, (rows+b.v.gridRows-1)/b.v.gridRows)
	}
	return g, (rows + g - 1) / g
}

// sideAllowed reports whether the support band may sit left of the main
// band: there are both, and no flow enters a support segment, so every flow
// still runs left to right.
func (b *builder) sideAllowed() bool {
	sup, main := false, false
	for s := range b.segs {
		sup = sup || b.segs[s].support
		main = main || !b.segs[s].support
	}
	for _, f := range b.flows {
		if b.segs[f[1]].support {
			return false
		}
	}
	return sup && main
}

// spread parts the segments of one layer (chain order) into up to k runs
// of about equal estimated height: segment → run.
func (b *builder) spread(segs []int, k int) map[int]int {
	out := make(map[int]int, len(segs))
	k = min(k, len(segs))
	est := b.estHeight
	total := 0.0
	for _, s := range segs {
		total += est(s)
	}
	acc, g := 0.0, 0
	for i, s := range segs {
		// Start the next run once this one holds its share, keeping one
		// segment at least for each run still to come.
		if g < k-1 && i > 0 && (acc >= total*float64(g+1)/float64(k) || len(segs)-i <= k-1-g) {
			g++
		}
		out[s] = g
		acc += est(s)
	}
	return out
}

// orderSegments orders the segment boxes of each column: main band above
// support band, each in the chain's order unless barycenter sweeps over
// the flows find an order with fewer flow crossings. orderNodes may still
// move boxes inside a band where that saves link crossings.
func (b *builder) orderSegments() {
	ncol := b.d.Columns
	p := &orderProblem{colX: make([]float64, ncol), colGroups: make([][]int, ncol), bandTop: make([][2]float64, ncol), swapRounds: 3}
	for k := range ncol {
		p.colX[k] = float64(k)
		p.bandTop[k] = [2]float64{0, 1000}
	}
	groupOf := map[[2]int]int{}
	p.item = make([]itemInfo, len(b.segs))
	for s := range b.segs {
		key := [2]int{b.segs[s].col, 0}
		if b.segs[s].support {
			key[1] = 1
		}
		g, ok := groupOf[key]
		if !ok {
			g = len(p.members)
			groupOf[key] = g
			p.members = append(p.members, nil)
			p.groupCol = append(p.groupCol, key[0])
			p.groupBand = append(p.groupBand, key[1])
			p.groupH = append(p.groupH, 0)
		}
		p.members[g] = append(p.members[g], s)
		p.item[s].group = g
	}
	for k := range ncol {
		for band := range 2 {
			if g, ok := groupOf[[2]int{k, band}]; ok {
				p.colGroups[k] = append(p.colGroups[k], g)
			}
		}
	}
	for g := range p.members {
		n := len(p.members[g])
		off := make([]float64, n)
		for k := range off {
			off[k] = float64(k) - float64(n-1)/2
		}
		p.slotOff = append(p.slotOff, off)
	}
	for _, f := range b.flows {
		p.edges = append(p.edges, f)
		p.item[f[0]].adj = append(p.item[f[0]].adj, f[1])
		p.item[f[1]].adj = append(p.item[f[1]].adj, f[0])
	}
	p.solve(8, 0)
	b.cols = make([][]int, ncol)
	b.nMain = make([]int, ncol)
	for k := range ncol {
		for _, g := range p.colGroups[k] {
			b.cols[k] = append(b.cols[k], p.members[g]...)
			if p.groupBand[g] == 0 {
				b.nMain[k] = len(p.members[g])
			}
		}
	}
}

// measure sizes every column from its names and every segment box from
// its rows, and wraps every name over up to three lines: a column is as
// wide as its widest segment header or node box needs, a name wraps where
// it is wider than the column's label width (or a segment header's room),
// and a name that would still need more than three lines widens the column.
// No name is cut.
func (b *builder) measure() {
	d := b.d
	ncol := d.Columns
	b.colW = make([]float64, ncol)
	d.Segments = make([]SegmentBox, len(b.segs))
	for s := range b.segs {
		si := &b.segs[s]
		r := si.res
		sb := &d.Segments[s]
		sb.ID, sb.Name, sb.Stage, sb.Result = r.ID, cleanText(r.Name), r.Stage, *r
		sb.Column, sb.Support = si.col, si.support
		for _, i := range append(slices.Clone(si.nodes), si.aliases...) {
			n := &b.nodes[i]
			if n.project {
				sb.Projects++
			} else {
				sb.Ents++
			}
			if n.leader {
				sb.Leaders++
			}
			if n.cut {
				sb.Cuts++
			}
		}
		// Natural widths: node boxes, then the header.
		si.grid, si.perCol = 1, len(si.nodes)+len(si.aliases)
		if !d.Compact {
			si.grid, si.perCol = b.gridOf(si.perCol)
			need := 0.0
			for _, i := range append(slices.Clone(si.nodes), si.aliases...) {
				need = max(need, b.nodeNatural(i))
			}
			g := float64(si.grid)
			b.colW[si.col] = max(b.colW[si.col], g*need+(g-1)*gridGap+2*segPad)
		}
		bw := b.badgesWidth(r)
		nameW := textWidth(sb.Name, segFont) * boldFactor
		name := max(min(nameW, maxColW-28-bw), wrapWidth(sb.Name, segFont, boldFactor, 0))
		head := 10 + name + 10 + bw + 8
		sub := 10 + textWidth(b.subLine(sb), subFont) + 10
		body := 0.0
		if d.Compact {
			body = 20 + max(textWidth(fmt.Sprintf(b.m.counts, count(sb.Ents), count(sb.Projects)), 12),
				textWidth(fmt.Sprintf(b.m.counts2, count(sb.Leaders), count(sb.Cuts)), 11))
		} else if len(si.nodes)+len(si.aliases) == 0 {
			body = 20 + textWidth(b.m.extBody, 11)
		}
		b.colW[si.col] = max(b.colW[si.col], head, sub, body)
	}
	for k := range ncol {
		b.colW[k] = math.Ceil(max(minColW, b.colW[k]))
	}
	for s := range b.segs {
		si := &b.segs[s]
		sb := &d.Segments[s]
		room := b.colW[si.col] - 10 - 10 - b.badgesWidth(si.res) - 8
		sb.Lines = wrapEven(sb.Name, segFont, boldFactor, room)
		si.head = headerH + float64(len(sb.Lines)-1)*segLineH
		sb.Head = si.head
		sb.Sub = b.subLine(sb)
		si.aliasLines = si.aliasLines[:0]
		g := float64(si.grid)
		si.nodeW = (b.colW[si.col] - 2*segPad - (g-1)*gridGap) / g
		if !d.Compact {
			for _, i := range si.nodes {
				b.nodes[i].lines = b.nodeLines(&b.nodes[i], si.nodeW, false)
			}
			for _, i := range si.aliases {
				si.aliasLines = append(si.aliasLines, b.nodeLines(&b.nodes[i], si.nodeW, true))
			}
		}
		switch {
		case d.Compact:
			si.h = si.head + compactBody
		case len(si.nodes)+len(si.aliases) == 0:
			si.h = si.head + emptyBody
		default:
			offs := b.rowCentres(si)
			bottom := 0.0
			for r, y := range offs {
				bottom = max(bottom, y+b.rowHeight(si, r)/2)
			}
			si.h = bottom + bodyBottom
		}
	}
}

// nodeNatural is the width a node box needs: its name on one line up to
// the label width, wrapped beyond it, and as wide as three lines need.
func (b *builder) nodeNatural(i int) float64 {
	key := naturalKey{i, b.v.labelCap}
	if w, ok := b.memo.natural[key]; ok {
		return w
	}
	w := b.measureNatural(&b.nodes[i])
	b.memo.natural[key] = w
	return w
}

func (b *builder) measureNatural(n *nodeInfo) float64 {
	nameW := textWidth(n.name, nodeFont)
	lw := min(b.v.labelCap, nameW)
	if lw < nameW {
		lw = wrapWidth(n.name, nodeFont, 1, lw)
	}
	w := labelX + lw + 6
	if n.leader {
		w += 3 + nodeFont
	}
	if n.cut {
		w += 6 + impactWidth(n.impact)
	}
	return w
}

// nodeLines wraps a node's name in a node box of width w (an alias box
// shows no cut badge).
func (b *builder) nodeLines(n *nodeInfo, w float64, alias bool) []string {
	room := w - labelX - 6
	if n.leader {
		room -= 3 + nodeFont
	}
	if n.cut && !alias {
		room -= 6 + impactWidth(n.impact)
	}
	key := wrapKey{n.name, room, b.probe}
	if l, ok := b.memo.lines[key]; ok {
		return l
	}
	var l []string
	if b.probe { // as many lines, found faster
		l = wrap(n.name, nodeFont, 1, room)
	} else {
		l = wrapEven(n.name, nodeFont, 1, room)
	}
	b.memo.lines[key] = l
	return l
}

// memo keeps what the arrangements Layout tries measure alike: node
// widths and wrapped names.
type memo struct {
	natural map[naturalKey]float64
	lines   map[wrapKey][]string
}

type naturalKey struct {
	node     int
	labelCap float64
}

type wrapKey struct {
	name  string
	room  float64
	quick bool
}

// boxHeight is the height of a node box of lines lines.
func boxHeight(lines int) float64 {
	return nodeH + float64(max(lines, 1)-1)*nodeLineH
}

// rowHeight is the height of row r of a segment box: its primary nodes in
// their current order, then its aliases.
func (b *builder) rowHeight(si *segInfo, r int) float64 {
	if r < len(si.nodes) {
		return boxHeight(len(b.nodes[si.nodes[r]].lines))
	}
	if a := r - len(si.nodes); a < len(si.aliasLines) {
		return boxHeight(len(si.aliasLines[a]))
	}
	return nodeH
}

// rowCentres are the centres of the rows of a segment box, from its top:
// down its first column of node boxes, then down the next.
func (b *builder) rowCentres(si *segInfo) []float64 {
	n := len(si.nodes) + len(si.aliases)
	out := make([]float64, n)
	y := si.head + bodyTop
	for r := range n {
		if si.perCol > 0 && r > 0 && r%si.perCol == 0 {
			y = si.head + bodyTop
		}
		h := b.rowHeight(si, r)
		out[r] = y + h/2
		y += h + nodeGap
	}
	return out
}

// subOf is the column of node boxes row r of a segment box sits in.
func subOf(si *segInfo, r int) int {
	if si.perCol <= 0 {
		return 0
	}
	return r / si.perCol
}

// nodeX is the left edge of the node boxes of column sub of a segment box.
func (b *builder) nodeX(si *segInfo, sub int) float64 {
	return b.colX[si.col] + segPad + float64(sub)*(si.nodeW+gridGap)
}

func impactWidth(impact int) float64 {
	return textWidth(strconv.Itoa(impact), 10) + 8
}

// subLine is the second header line: stage and counts.
func (b *builder) subLine(sb *SegmentBox) string {
	s := sb.Stage.Text(b.m.lang)
	if sb.Ents+sb.Projects > 0 && !b.d.Compact {
		s += " · " + b.m.nodeCounts(sb.Ents, sb.Projects)
	}
	return s
}

// badges lists the status badges of a segment, left to right: key and colour.
func badges(r *graph.SegmentResult) []string {
	var out []string
	switch r.Status {
	case graph.Missing:
		out = append(out, "missing")
		if r.Broken {
			out = append(out, "broken")
		}
		if r.SuppliedExternally {
			out = append(out, "external")
		}
	case graph.Weak:
		if hasReason(r, graph.ReasonSingle) {
			out = append(out, "single")
		}
		if hasReason(r, graph.ReasonPlannedOnly) {
			out = append(out, "planned")
		}
	}
	return out
}

func (b *builder) badgeWidth(key string) float64 {
	return max(16, textWidth(b.m.badge[key], badgeFont)*boldFactor+8)
}

func (b *builder) badgesWidth(r *graph.SegmentResult) float64 {
	w := 0.0
	for _, k := range badges(r) {
		w += b.badgeWidth(k) + 3
	}
	return w
}

// placeY stacks the segment boxes of each column: the main band centred on
// the tallest column, the support band below it. need[k][j], when given, is
// the least height of gap j of column k (j = 0 above the first box), so
// that the links routed through it fit.
func (b *builder) placeY(need [][]float64) {
	gap := func(k, j int) float64 {
		if need == nil || j >= len(need[k]) {
			return boxGap
		}
		return max(boxGap, need[k][j])
	}
	ncol := len(b.cols)
	stack := make([][2]float64, ncol)
	var bandH [2]float64
	for k, segs := range b.cols {
		for j := range segs {
			band := 0
			if j >= b.nMain[k] {
				band = 1
			}
			if j > 0 && j != b.nMain[k] {
				stack[k][band] += gap(k, j)
			}
			stack[k][band] += b.segs[segs[j]].h
		}
		bandH[0], bandH[1] = max(bandH[0], stack[k][0]), max(bandH[1], stack[k][1])
	}
	supTop := bandH[0] + bandGap
	if b.side {
		supTop = sideBandTop
	}
	offset := func(k, band int) float64 { return (bandH[band] - stack[k][band]) * b.colFrac(k, band) }
	for k := range b.cols {
		if b.nMain[k] > 0 && b.nMain[k] < len(b.cols[k]) && need != nil {
			mainBottom := offset(k, 0) + stack[k][0]
			supTop = max(supTop, mainBottom+need[k][b.nMain[k]]-offset(k, 1))
		}
	}
	for k, segs := range b.cols {
		y := offset(k, 0)
		for j, s := range segs {
			switch {
			case j == b.nMain[k]:
				y = supTop + offset(k, 1)
			case j > 0:
				y += gap(k, j)
			}
			si := &b.segs[s]
			si.box.Y, si.box.H = y, si.h
			y += si.h
			if len(si.nodes) > 0 {
				offs := b.rowCentres(si)
				for r, i := range si.nodes {
					b.nodes[i].y = y - si.h + offs[r]
					b.nodes[i].sub = subOf(si, r)
				}
			}
		}
	}
}

// slack is, per column and band, how far its stack may move down inside
// its band (each band is as tall as its tallest stack), and base the
// highest place of each stack.
func (b *builder) slack() (base, slack [][2]float64) {
	ncol := len(b.cols)
	base, slack = make([][2]float64, ncol), make([][2]float64, ncol)
	var top, bottom [2]float64
	top[0], top[1] = math.Inf(1), math.Inf(1)
	bottom[0], bottom[1] = math.Inf(-1), math.Inf(-1)
	stack := func(k, band int) (float64, float64, bool) {
		segs := b.cols[k]
		lo, hi := 0, b.nMain[k]
		if band == 1 {
			lo, hi = b.nMain[k], len(segs)
		}
		if lo == hi {
			return 0, 0, false
		}
		return b.segs[segs[lo]].box.Y, b.segs[segs[hi-1]].box.Bottom(), true
	}
	for k := range ncol {
		for band := range 2 {
			if t, bt, ok := stack(k, band); ok {
				top[band], bottom[band] = min(top[band], t), max(bottom[band], bt)
			}
		}
	}
	for k := range ncol {
		for band := range 2 {
			if t, bt, ok := stack(k, band); ok {
				base[k][band] = top[band]
				slack[k][band] = max(0, (bottom[band]-top[band])-(bt-t))
			}
		}
	}
	return base, slack
}

// colFrac is where the stack of column k in band sits in the slack of the
// band: the main band centred, the support band at its top, unless
// orderNodes found better places.
func (b *builder) colFrac(k, band int) float64 {
	if b.frac == nil {
		return [2]float64{0.5, 0}[band]
	}
	return b.frac[k][band]
}

// placeX sets the columns' left edges; width[k], when given, is the least
// width of the corridor right of column k.
func (b *builder) placeX(width []float64) {
	ncol := len(b.cols)
	b.colX = make([]float64, ncol)
	b.corrW = make([]float64, ncol)
	x := 0.0
	for k := range ncol {
		b.colX[k] = x
		b.corrW[k] = corridorMin
		if width != nil {
			b.corrW[k] = max(corridorMin, width[k])
		}
		x += b.colW[k] + b.corrW[k]
		for _, s := range b.cols[k] {
			b.segs[s].box.X, b.segs[s].box.W = b.colX[k], b.colW[k]
		}
	}
}

// orderNodes orders the node boxes inside each segment box, and the
// segment boxes inside each band of a column, to reduce the crossings of
// the straight lines between linked nodes: barycenter sweeps (the best of
// several passes), then swaps of neighbouring boxes and nodes. The start
// is the segment order and id order, which ties keep.
func (b *builder) orderNodes() {
	ncol := len(b.cols)
	p := &orderProblem{
		colX: make([]float64, ncol), colGroups: make([][]int, ncol), bandTop: make([][2]float64, ncol),
		gap: boxGap, moveGroup: true, swapRounds: 3,
	}
	for k := range b.cols {
		p.colX[k] = b.colX[k] + b.colW[k]/2
		for j, s := range b.cols[k] {
			p.colGroups[k] = append(p.colGroups[k], s)
			switch j {
			case 0:
				p.bandTop[k] = [2]float64{b.segs[s].box.Y, b.segs[s].box.Y}
			case b.nMain[k]:
				p.bandTop[k][1] = b.segs[s].box.Y
			}
		}
	}
	p.item = make([]itemInfo, len(b.nodes))
	for s := range b.segs {
		si := &b.segs[s]
		off := b.rowCentres(si)[:len(si.nodes)]
		for _, i := range si.nodes {
			p.item[i].group = s
		}
		p.groupCol = append(p.groupCol, si.col)
		band := 0
		if si.support {
			band = 1
		}
		p.groupBand = append(p.groupBand, band)
		p.groupH = append(p.groupH, si.h)
		p.slotOff = append(p.slotOff, off)
		p.members = append(p.members, si.nodes)
	}
	seen := map[[2]int]bool{}
	for _, l := range b.links {
		p.edges = append(p.edges, [2]int{l.u, l.v})
		key := [2]int{min(l.u, l.v), max(l.u, l.v)}
		if !seen[key] {
			seen[key] = true
			p.item[l.u].adj = append(p.item[l.u].adj, l.v)
			p.item[l.v].adj = append(p.item[l.v].adj, l.u)
		}
	}
	// A large scope, or one whose segments hold grids of node boxes (where
	// the ordering's picture of the crossings is rougher), gets the
	// shorter search.
	large := len(p.edges) > largeScope || b.v.gridRows > 0
	work := p.work()
	passes, restarts := 12, max(0, min(40, restartBudget/max(work, 1)-1))
	switch {
	case large:
		passes, restarts, p.swapRounds = 8, 0, 1
	case work > restartBudget/4:
		p.swapRounds = 1
	}
	p.solve(passes, restarts)
	if base, slack := b.slack(); !large && p.shiftColumns(base, slack) {
		p.solve(6, 0)
		p.shiftColumns(base, slack)
		b.frac = make([][2]float64, ncol)
		for k := range ncol {
			for band := range 2 {
				b.frac[k][band] = [2]float64{0.5, 0}[band]
				if slack[k][band] > 0 {
					b.frac[k][band] = (p.bandTop[k][band] - base[k][band]) / slack[k][band]
				}
			}
		}
	}
	for s := range b.segs {
		b.segs[s].nodes = p.members[s]
	}
	for k := range b.cols {
		b.cols[k] = p.colGroups[k]
	}
	b.placeY(nil)
}
