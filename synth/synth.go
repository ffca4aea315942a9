package synth

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"
	"unicode/utf8"

	"chainscope"
)

// Options says how large a region Generate makes and from which seed. The
// counts are exact: the dataset has exactly Enterprises enterprises,
// Projects projects and Links links.
type Options struct {
	Enterprises int
	Projects    int
	Links       int
	Seed        int64
	// Counties is the number of county-level divisions (districts, counties
	// and county-level cities; development zones come on top). 0 derives it
	// from the scale: 13 for a city, 11 per city for a province. It is
	// capped at MaxCounties.
	Counties int
}

// Small is a small city: about the size of a real prefecture's investment
// ledger, quick enough for every unit test.
func Small() Options {
	return Options{Enterprises: 300, Projects: 80, Links: 1200, Seed: 1}
}

// Province is a whole province's worth of data, the scale benchmarks and
// load tests use.
func Province() Options {
	return Options{Enterprises: 100_000, Projects: 20_000, Links: 1_000_000, Seed: 1}
}

// Shares and rates that shape the generated data.
const (
	regionLevelShare = 0.02 // records placed at the region itself (市本级)
	zoneShare        = 0.35 // records of a county with zones that lie in a zone
	secondSegment    = 0.15 // nodes on two segments
	sameChainSecond  = 0.65 // of those, the second segment is in the same chain
	usccShare        = 1.0 / 3
	outputKnown      = 0.85
	investmentKnown  = 0.97
	flowLinkShare    = 0.90 // links that follow a chain's flows; the rest are services
	sameAreaLink     = 0.80 // flow links whose ends lie in the same area
)

// The plan for one segment in one area: how many nodes it may get.
const (
	segOpen    uint8 = iota // any number of nodes
	segMissing              // planted gap (缺链): no node at all
	segSingle               // planted weakness: one node, not yet placed
	segTaken                // a segSingle that has its one node
	segPlanned              // planted weakness: projects only, none operating
)

// generator holds the state of one Generate call. Records are placed first
// as plain integers (area, segment indices); strings are made once, at the end.
type generator struct {
	o   Options
	rng *rand.Rand
	ds  *chainscope.Dataset
	cat catalog

	areas      []area
	areaCum    []float64 // cumulative area weights for pickArea
	countyArea []int32   // Dataset.Counties index → area index
	regionArea int32     // the pseudo-area of records placed at the region itself

	// plan[a*S+s] is the segOpen… state of segment s in area a.
	plan      []uint8
	primary   []int16    // per area: its main chain
	secondary [][2]int16 // per area: two further chains it favours

	entPlace []int32    // enterprise → Dataset.Counties index, -1 for the region
	entSegs  [][2]int16 // enterprise → segments; [1] is -1 when it has one
	prjPlace []int32
	prjSegs  [][2]int16
	prjState []chainscope.Status
}

// Generate builds a synthetic region from o. The same Options always give
// the same dataset; it is valid under SPEC §4 and has planted gaps in every
// county, so that the weak-link analysis has something to find at every
// scale. Enterprises and projects come in id order, links sorted by
// (from, to). Generate panics when a count is negative or o asks for more
// links than there are ordered pairs of distinct enterprises and projects.
func Generate(o Options) *chainscope.Dataset {
	if o.Enterprises < 0 || o.Projects < 0 || o.Links < 0 || o.Counties < 0 {
		panic("synth: negative count in Options")
	}
	nodes := uint64(o.Enterprises) + uint64(o.Projects)
	if o.Links > 0 && uint64(o.Links) > nodes*(max(nodes, 1)-1) {
		panic("synth: Options ask for more links than there are pairs of enterprises and projects")
	}
	g := &generator{
		o:   o,
		rng: rand.New(rand.NewPCG(uint64(o.Seed), 0x636861696e73636f)), // "chainsco"
		ds:  &chainscope.Dataset{},
		cat: compileCatalog(),
	}
	g.geography()
	g.ds.Chains = g.cat.datasetChains()
	g.planGaps()
	g.place()
	g.enterprises()
	g.projects()
	g.links()
	return g.ds
}

// planGaps decides, for every area and chain, which segments stay empty and
// which stay thin. In an area's main chain exactly one interior segment is
// missing while its neighbours are kept open, so that the chain is broken
// (断链) there; other chains get a missing segment now and then. Open
// segments become single-node or planned-only weak points at random.
func (g *generator) planGaps() {
	S := len(g.cat.segID)
	K := len(g.cat.chains)
	A := len(g.areas)
	g.plan = make([]uint8, (A+1)*S) // the region pseudo-area stays all open
	g.primary = make([]int16, A)
	g.secondary = make([][2]int16, A)
	mains := g.rng.Perm(K) // every chain is the main chain of some area
	protected := make([]bool, S)
	for a := range A {
		g.primary[a] = int16(mains[a%K])
		if a%K == K-1 {
			mains = g.rng.Perm(K)
		}
		for j := range 2 {
			k := g.rng.IntN(K - 1)
			if k >= int(g.primary[a]) {
				k++
			}
			g.secondary[a][j] = int16(k)
		}
		plan := g.plan[a*S : (a+1)*S]
		for k, ch := range g.cat.chains {
			segs := plan[ch.first:ch.end]
			prot := protected[ch.first:ch.end]
			clear(prot)
			if k == int(g.primary[a]) {
				b := g.pickSeg(ch, true)
				segs[b-ch.first] = segMissing
				for _, e := range g.cat.in[b] {
					prot[e.seg-ch.first] = true
				}
				for _, e := range g.cat.out[b] {
					prot[e.seg-ch.first] = true
				}
			} else {
				if g.rng.Float64() < 0.4 {
					b := g.pickSeg(ch, g.rng.Float64() < 0.6)
					segs[b-ch.first] = segMissing
				}
				if g.rng.Float64() < 0.15 {
					b := g.pickSeg(ch, false)
					segs[b-ch.first] = segMissing
				}
			}
			open := 0
			for i := range segs {
				if segs[i] == segMissing || prot[i] {
					continue
				}
				switch r := g.rng.Float64(); {
				case r < 0.12:
					segs[i] = segSingle
				case r < 0.22:
					segs[i] = segPlanned
				default:
					open++
				}
			}
			for i := range segs {
				if prot[i] {
					open++
				}
			}
			if open == 0 { // keep one segment every enterprise can go to
				for i := range segs {
					if segs[i] != segMissing {
						segs[i] = segOpen
						break
					}
				}
			}
		}
	}
}

// pickSeg draws a segment of ch, an interior one when interior is set.
func (g *generator) pickSeg(ch catalogChain, interior bool) int16 {
	n := int(ch.end - ch.first)
	if interior {
		var buf [16]int16
		m := 0
		for s := ch.first; s < ch.end; s++ {
			if g.cat.interior[s] {
				buf[m] = s
				m++
			}
		}
		if m > 0 {
			return buf[g.rng.IntN(m)]
		}
	}
	return ch.first + int16(g.rng.IntN(n))
}

// eligible reports whether a node may go on segment s in area a; project
// says the node is a project that will not be operating.
func (g *generator) eligible(a int32, s int16, project bool) bool {
	switch g.plan[int(a)*len(g.cat.segID)+int(s)] {
	case segOpen, segSingle:
		return true
	case segPlanned:
		return project
	}
	return false
}

// take records that a counted node went on segment s in area a.
func (g *generator) take(a int32, s int16) {
	i := int(a)*len(g.cat.segID) + int(s)
	if g.plan[i] == segSingle {
		g.plan[i] = segTaken
	}
}

// pickChain draws a chain for a node in area a, favouring the area's own.
func (g *generator) pickChain(a int32) int16 {
	K := len(g.cat.chains)
	if a == g.regionArea {
		return int16(g.rng.IntN(K))
	}
	switch r := g.rng.Float64(); {
	case r < 0.5:
		return g.primary[a]
	case r < 0.8:
		return g.secondary[a][g.rng.IntN(2)]
	}
	return int16(g.rng.IntN(K))
}

// pickSegment draws a segment of chain k that the plan lets the node take
// in area a, trying the other chains when k has none; -1 when none has.
func (g *generator) pickSegment(a int32, k int16, project bool) int16 {
	K := len(g.cat.chains)
	for j := range K {
		ch := g.cat.chains[(int(k)+j)%K]
		var buf [16]int16
		n := 0
		for s := ch.first; s < ch.end; s++ {
			if g.eligible(a, s, project) {
				buf[n] = s
				n++
			}
		}
		if n > 0 {
			return buf[g.rng.IntN(n)]
		}
	}
	return -1
}

// pickSecond draws a second segment for a node on s, or -1: mostly a
// neighbour of s in its chain (an integrated producer), else one of another
// chain.
func (g *generator) pickSecond(a int32, s int16, project bool) int16 {
	if g.rng.Float64() >= secondSegment {
		return -1
	}
	if g.rng.Float64() < sameChainSecond {
		out, in := g.cat.out[s], g.cat.in[s]
		n := len(out) + len(in)
		if n == 0 {
			return -1
		}
		i := g.rng.IntN(n)
		var t int16
		if i < len(out) {
			t = out[i].seg
		} else {
			t = in[i-len(out)].seg
		}
		if g.eligible(a, t, project) {
			return t
		}
		return -1
	}
	K := len(g.cat.chains)
	own := int(g.cat.segChain[s])
	k := g.rng.IntN(K - 1)
	if k >= own {
		k++
	}
	t := g.pickSegment(a, int16(k), project)
	if t == s {
		return -1
	}
	return t
}

// projectStatus draws a project status: mostly signed or under way, a few
// stalled or cancelled.
func (g *generator) projectStatus() chainscope.Status {
	switch r := g.rng.Float64(); {
	case r < 0.30:
		return chainscope.StatusSigned
	case r < 0.65:
		return chainscope.StatusStarted
	case r < 0.85:
		return chainscope.StatusOperating
	case r < 0.96:
		return chainscope.StatusStalled
	}
	return chainscope.StatusCancelled
}

// place decides where every enterprise and project goes and on which
// segments. Each area's main chain is seeded first with one node per
// segment the plan keeps (so its planted break has an upstream and a
// downstream around it); the rest is drawn at random.
func (g *generator) place() {
	E, P := g.o.Enterprises, g.o.Projects
	g.entPlace = make([]int32, 0, E)
	g.entSegs = make([][2]int16, 0, E)
	g.prjPlace = make([]int32, 0, P)
	g.prjSegs = make([][2]int16, 0, P)
	g.prjState = make([]chainscope.Status, 0, P)
	S := len(g.cat.segID)

	entSeeds, prjSeeds := E/2, P/2
	for a := range int32(len(g.areas)) {
		ch := g.cat.chains[g.primary[a]]
		for s := ch.first; s < ch.end; s++ {
			switch g.plan[int(a)*S+int(s)] {
			case segOpen, segSingle:
				if len(g.entPlace) < entSeeds {
					g.take(a, s)
					g.entPlace = append(g.entPlace, g.placeIn(a))
					g.entSegs = append(g.entSegs, [2]int16{s, -1})
				}
			case segPlanned:
				if len(g.prjPlace) < prjSeeds {
					status := chainscope.StatusSigned
					if g.rng.IntN(2) == 0 {
						status = chainscope.StatusStarted
					}
					g.prjPlace = append(g.prjPlace, g.placeIn(a))
					g.prjSegs = append(g.prjSegs, [2]int16{s, -1})
					g.prjState = append(g.prjState, status)
				}
			}
		}
	}

	for len(g.entPlace) < E {
		a := g.pickArea()
		s := g.pickSegment(a, g.pickChain(a), false)
		g.take(a, s)
		t := g.pickSecond(a, s, false)
		if t >= 0 {
			g.take(a, t)
		}
		g.entPlace = append(g.entPlace, g.placeIn(a))
		g.entSegs = append(g.entSegs, [2]int16{s, t})
	}
	for len(g.prjPlace) < P {
		a := g.pickArea()
		status := g.projectStatus()
		s := g.pickSegment(a, g.pickChain(a), true)
		t := g.pickSecond(a, s, true)
		if status == chainscope.StatusOperating && (g.planned(a, s) || (t >= 0 && g.planned(a, t))) {
			status = chainscope.StatusStarted
		}
		if status != chainscope.StatusCancelled {
			g.take(a, s)
			if t >= 0 {
				g.take(a, t)
			}
		}
		g.prjPlace = append(g.prjPlace, g.placeIn(a))
		g.prjSegs = append(g.prjSegs, [2]int16{s, t})
		g.prjState = append(g.prjState, status)
	}

	// Seeds came first; shuffle so that ids do not reveal them.
	g.rng.Shuffle(E, func(i, j int) {
		g.entPlace[i], g.entPlace[j] = g.entPlace[j], g.entPlace[i]
		g.entSegs[i], g.entSegs[j] = g.entSegs[j], g.entSegs[i]
	})
	g.rng.Shuffle(P, func(i, j int) {
		g.prjPlace[i], g.prjPlace[j] = g.prjPlace[j], g.prjPlace[i]
		g.prjSegs[i], g.prjSegs[j] = g.prjSegs[j], g.prjSegs[i]
		g.prjState[i], g.prjState[j] = g.prjState[j], g.prjState[i]
	})
}

func (g *generator) planned(a int32, s int16) bool {
	return g.plan[int(a)*len(g.cat.segID)+int(s)] == segPlanned
}

// areaOf returns the area of a record placed at p.
func (g *generator) areaOf(p int32) int32 {
	if p < 0 {
		return g.regionArea
	}
	return g.countyArea[p]
}

// Trade-name characters: an enterprise's trade name (字号) is its index,
// scrambled, written in base len(tradeChars), so no two names collide.
var tradeChars = []rune("恒达鑫源华晋盛泰隆昌宏远兴瑞丰安德金通信创新联合永中天宇嘉和润诚博正弘顺海龙凯益")

var firmSuffixes = []string{"有限公司", "有限公司", "有限责任公司", "股份有限公司", "集团有限公司"}

// Multipliers of the index scrambles; each is coprime to its modulus
// (a power of len(tradeChars), a power of 10), so the scramble is a bijection.
const (
	tradeScramble = 7919
	codeScramble  = 104729
)

// enterprises turns the placements into enterprise records. All ids, names
// and credit codes are written into one buffer and cut out of one string.
func (g *generator) enterprises() {
	E := g.o.Enterprises
	ents := make([]chainscope.Enterprise, E)
	g.ds.Enterprises = ents
	width := max(len(strconv.Itoa(E)), 4)

	base := uint64(len(tradeChars))
	digits, modulus := 2, base*base
	for modulus < uint64(E) {
		digits++
		modulus *= base
	}
	tradeOffset := g.rng.Uint64N(modulus)
	codeOffset := g.rng.Uint64N(100_000_000)

	nsegs := 0
	for _, s := range g.entSegs {
		nsegs++
		if s[1] >= 0 {
			nsegs++
		}
	}
	segBack := make([]string, 0, nsegs)
	outputs := make([]float64, E)
	ends := make([]int32, 3*E) // ends of id, name and credit code in text
	text := make([]byte, 0, E*(width+2+digits*3+24+18))

	for i := range E {
		p, segs := g.entPlace[i], g.entSegs[i]
		text = append(text, "E-"...)
		text = appendPadded(text, i+1, width)
		ends[3*i] = int32(len(text))

		v := (uint64(i)*tradeScramble + tradeOffset) % modulus
		for range digits {
			text = utf8.AppendRune(text, tradeChars[v%base])
			v /= base
		}
		ch := g.cat.chains[g.cat.segChain[segs[0]]].tmpl
		if g.rng.IntN(2) == 0 {
			text = append(text, g.cat.segName[segs[0]]...)
		} else {
			text = append(text, ch.words[g.rng.IntN(len(ch.words))]...)
		}
		text = append(text, firmSuffixes[g.rng.IntN(len(firmSuffixes))]...)
		ends[3*i+1] = int32(len(text))

		if g.rng.Float64() < usccShare {
			code := (uint64(i)*codeScramble + codeOffset) % 100_000_000
			text = appendUSCC(text, g.divisionCode(p), code)
		}
		ends[3*i+2] = int32(len(text))

		e := &ents[i]
		e.County = g.countyCode(p)
		start := len(segBack)
		segBack = append(segBack, g.cat.segID[segs[0]])
		if segs[1] >= 0 {
			segBack = append(segBack, g.cat.segID[segs[1]])
		}
		e.Segments = segBack[start:len(segBack):len(segBack)]
		e.LeaderOf = []string{}
		if g.rng.Float64() < outputKnown {
			outputs[i] = math.Round(math.Exp(math.Log(5000) + 1.5*g.rng.NormFloat64()))
			e.OutputWan = &outputs[i]
		}
	}

	all := string(text)
	start := int32(0)
	for i := range ents {
		e := &ents[i]
		e.ID = all[start:ends[3*i]]
		e.Name = all[ends[3*i]:ends[3*i+1]]
		e.USCC = all[ends[3*i+1]:ends[3*i+2]]
		start = ends[3*i+2]
	}
	g.leaders()
}

// leaders names a few chain leaders (链主) per chain among the enterprises
// on it, and gives them the output a chain leader has.
func (g *generator) leaders() {
	ents := g.ds.Enterprises
	members := buildIndex(len(g.cat.chains), func(emit func(key int, item int32)) {
		for i, segs := range g.entSegs {
			k0 := g.cat.segChain[segs[0]]
			emit(int(k0), int32(i))
			if segs[1] >= 0 && g.cat.segChain[segs[1]] != k0 {
				emit(int(g.cat.segChain[segs[1]]), int32(i))
			}
		}
	})
	want := 2 + len(ents)/25_000
	for k, ch := range g.cat.chains {
		m := members.of(k)
		chosen := make([]int32, 0, want)
		for len(chosen) < min(want, len(m)) {
			e := m[g.rng.IntN(len(m))]
			dup := false
			for _, c := range chosen {
				dup = dup || c == e
			}
			if dup {
				continue
			}
			chosen = append(chosen, e)
			ent := &ents[e]
			ent.LeaderOf = append(ent.LeaderOf, ch.tmpl.id)
			out := math.Round(500_000 * math.Exp(0.8*g.rng.NormFloat64()))
			if ent.OutputWan == nil || *ent.OutputWan < out {
				ent.OutputWan = &out
			}
		}
	}
}

// projects turns the placements into project records.
func (g *generator) projects() {
	P := g.o.Projects
	prjs := make([]chainscope.Project, P)
	g.ds.Projects = prjs
	width := max(len(strconv.Itoa(P)), 3)
	ents := g.ds.Enterprises
	S := len(g.cat.segID)

	// Enterprises by (area, segment), for investors expanding at home.
	local := buildIndex((len(g.areas)+1)*S, func(emit func(key int, item int32)) {
		for i, segs := range g.entSegs {
			a := int(g.areaOf(g.entPlace[i]))
			emit(a*S+int(segs[0]), int32(i))
			if segs[1] >= 0 {
				emit(a*S+int(segs[1]), int32(i))
			}
		}
	})
	dates := yearDates()

	nsegs := 0
	for _, s := range g.prjSegs {
		nsegs++
		if s[1] >= 0 {
			nsegs++
		}
	}
	segBack := make([]string, 0, nsegs)
	amounts := make([]float64, P)
	ends := make([]int32, 2*P)
	text := make([]byte, 0, P*(width+8+80))
	for i := range P {
		p, segs, status := g.prjPlace[i], g.prjSegs[i], g.prjState[i]
		a := g.areaOf(p)
		text = append(text, "P-2024-"...)
		text = appendPadded(text, i+1, width)
		ends[2*i] = int32(len(text))
		text = g.appendProjectName(text, p, segs[0])
		ends[2*i+1] = int32(len(text))

		pr := &prjs[i]
		pr.County = g.countyCode(p)
		pr.Status = status
		start := len(segBack)
		segBack = append(segBack, g.cat.segID[segs[0]])
		if segs[1] >= 0 {
			segBack = append(segBack, g.cat.segID[segs[1]])
		}
		pr.Segments = segBack[start:len(segBack):len(segBack)]

		switch r := g.rng.Float64(); {
		case r < 0.45: // an enterprise of the same area and segment expands
			if c := local.of(int(a)*S + int(segs[0])); len(c) > 0 {
				pr.Investor = ents[c[g.rng.IntN(len(c))]].ID
			}
		case r < 0.65 && len(ents) > 0: // an enterprise from elsewhere invests
			pr.Investor = ents[g.rng.IntN(len(ents))].ID
		}
		if g.rng.Float64() < investmentKnown {
			amounts[i] = max(100, math.Round(math.Exp(math.Log(30000)+1.3*g.rng.NormFloat64())/100)*100)
			pr.InvestmentWan = &amounts[i]
		}
		day := g.rng.IntN(366)
		pr.Signed = dates[day]
		switch status {
		case chainscope.StatusStarted, chainscope.StatusOperating:
			pr.Started = dates[day+15+g.rng.IntN(225)]
		case chainscope.StatusStalled:
			if g.rng.IntN(2) == 0 {
				pr.Started = dates[day+15+g.rng.IntN(225)]
			}
		}
		ch := g.cat.chains[g.cat.segChain[segs[0]]].tmpl
		if ch.emerging {
			pr.Emerging = g.rng.Float64() < 0.85
		} else {
			pr.Emerging = g.rng.Float64() < 0.1
		}
	}
	all := string(text)
	start := int32(0)
	for i := range prjs {
		prjs[i].ID = all[start:ends[2*i]]
		prjs[i].Name = all[ends[2*i]:ends[2*i+1]]
		start = ends[2*i+1]
	}
}

// appendProjectName appends a project name in the style of an investment
// ledger: 年产30万吨合金生产线项目, 精密铸件扩建项目 and the like.
func (g *generator) appendProjectName(text []byte, p int32, s int16) []byte {
	ch := g.cat.chains[g.cat.segChain[s]].tmpl
	name := g.cat.segName[s]
	n := 5
	if ch.unit != "" {
		n = 6
	}
	switch g.rng.IntN(n) {
	case 0:
		text = append(text, name...)
		text = append(text, "扩建项目"...)
	case 1:
		text = append(text, name...)
		text = append(text, "智能化改造项目"...)
	case 2:
		if p >= 0 {
			text = append(text, g.ds.Counties[p].Name...)
		}
		text = append(text, name...)
		text = append(text, "产业园项目"...)
	case 3:
		text = append(text, name...)
		text = append(text, "生产线建设项目"...)
	case 4:
		text = append(text, ch.name...)
		text = append(text, name...)
		text = append(text, "一体化项目"...)
	default:
		text = append(text, "年产"...)
		text = strconv.AppendInt(text, int64(1+g.rng.IntN(60)), 10)
		text = append(text, "万"...)
		text = append(text, ch.unit...)
		text = append(text, name...)
		text = append(text, "项目"...)
	}
	return text
}

// yearDates lists every date from 2024-01-01 on for two years, so that a
// start date up to 240 days after a 2024 signing can be looked up.
func yearDates() []string {
	first := time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)
	dates := make([]string, 731)
	for i := range dates {
		dates[i] = first.AddDate(0, 0, i).Format(time.DateOnly)
	}
	return dates
}
