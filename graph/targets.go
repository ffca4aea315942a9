package graph

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"chainscope"
)

// DefaultTargets is how many candidates GapTargets lists per segment when
// asked for none or fewer.
const DefaultTargets = 10

// Weights of a Candidate's score (0–100).
const (
	scoreSupplies = 35 // already supplies into the area
	scoreOperates = 20 // operating: an enterprise, or an operating project
	scoreLeads    = 15 // leads (链主) the chain
	scoreLinks    = 15 // links into the chain, full at linksFull
	scoreOutput   = 15 // annual output, log scale, full at outputFull 万元
	linksFull     = 10
	outputFull    = 1e6 // 万元 = 100 亿元
)

// Candidate is an enterprise (or a live project) elsewhere in the region
// that lists a segment the area lacks: someone to approach (招商).
//
// Score, in [0, 100] and rounded to 4 decimals, adds 35 when it already
// supplies into the area (a link from it to any node located in the area,
// any chain), 20 when it is operating (every enterprise; a project only with
// status operating), 15 when it leads the chain (链主), 15 × min(links into
// the chain, 10) / 10, and 15 × min(1, log10(1 + output_wan) / 6) — the
// output term is full at 100 亿元. Reasons spell out the terms that count,
// Chinese first with English.
type Candidate struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	County    string   `json:"county"` // its own county or zone code; the region's code for none
	Project   bool     `json:"project"`
	Operating bool     `json:"operating"`
	OutputWan float64  `json:"output_wan"` // 0 when unknown, and for projects
	Score     float64  `json:"score"`
	Reasons   []string `json:"reasons"`
	// LinksIntoChain counts its supply partners (either direction, anywhere
	// in the region) that list a segment of the chain.
	LinksIntoChain int  `json:"links_into_chain"`
	Leader         bool `json:"leader"`
	SuppliesArea   bool `json:"supplies_area"`
}

// GapTarget is a missing or weak segment of a scope with the candidates
// that could fill or strengthen it.
type GapTarget struct {
	Segment string           `json:"segment"`
	Name    string           `json:"name"`
	Stage   chainscope.Stage `json:"stage"`
	Status  Status           `json:"status"`
	Reasons []Reason         `json:"reasons"`
	Broken  bool             `json:"broken"`
	// CandidatesTotal counts every candidate found; Candidates holds the
	// best of them, at most the limit asked for.
	CandidatesTotal int         `json:"candidates_total"`
	Candidates      []Candidate `json:"candidates"`
}

// GapTargets is the 招商 recommendation of a scope: for every missing or weak
// segment, the enterprises and live projects located outside the area that
// list the segment, best first (score descending, then output descending,
// then id), at most limit per segment (limit ≤ 0: DefaultTargets).
// Cancelled projects are never candidates. Segments come missing-and-broken
// first, then missing, then weak, each group in the chain's order.
//
// For area "*" nothing lies elsewhere in the region: the segments are listed
// with no candidates. Area and chain are resolved as in Analyze.
func (ix *Index) GapTargets(area, chainID string, limit int) ([]GapTarget, error) {
	ci, err := ix.lookupChain(chainID)
	if err != nil {
		return nil, err
	}
	sel, err := ix.resolveArea(area)
	if err != nil {
		return nil, err
	}
	w := ix.getWork()
	a := ix.analyze(w, sel, &ix.chains[ci], nil)
	ix.pool.Put(w)
	return ix.gapTargets(sel, ci, a, limit), nil
}

func (ix *Index) gapTargets(sel areaSel, ci int32, a *Analysis, limit int) []GapTarget {
	c := &ix.chains[ci]
	if limit <= 0 {
		limit = DefaultTargets
	}
	out := []GapTarget{}
	slot := fill(make([]int32, len(a.Segments)), -1) // chain-local segment → index in out, -1 for none
	for group := 0; group < 3; group++ {
		for s := range a.Segments {
			r := &a.Segments[s]
			if gapGroup(r) != group {
				continue
			}
			slot[s] = int32(len(out))
			out = append(out, GapTarget{
				Segment: r.ID, Name: r.Name, Stage: r.Stage, Status: r.Status,
				Reasons: slices.Clone(r.Reasons), Broken: r.Broken, Candidates: []Candidate{},
			})
		}
	}
	if sel.all || len(out) == 0 {
		return out
	}

	// Candidates: the chain's nodes outside the area, one pass.
	type cand struct {
		v     int32
		score float64
	}
	found := make([][]cand, len(out))
	for _, v := range c.all {
		if ix.inArea(sel, v) {
			continue
		}
		var score float64
		scored := false
		for _, s := range ix.chainSegs(v, c) {
			k := slot[s-c.first]
			if k < 0 {
				continue
			}
			if !scored {
				score, scored = ix.candidate(sel, ci, v).Score, true
			}
			found[k] = append(found[k], cand{v, score})
		}
	}
	for k := range out {
		f := found[k]
		slices.SortFunc(f, func(x, y cand) int {
			if c := cmp.Compare(y.score, x.score); c != 0 {
				return c
			}
			if c := cmp.Compare(ix.output[y.v], ix.output[x.v]); c != 0 {
				return c
			}
			return cmp.Compare(x.v, y.v) // node numbers follow id order
		})
		out[k].CandidatesTotal = len(f)
		for _, x := range f[:min(limit, len(f))] {
			cd := ix.candidate(sel, ci, x.v)
			cd.Reasons = cd.reasons(ix.status[x.v])
			out[k].Candidates = append(out[k].Candidates, cd)
		}
	}
	return out
}

// gapGroup is a segment's place in the list of gap targets: 0 missing and
// broken, 1 missing, 2 weak, -1 not a gap.
func gapGroup(r *SegmentResult) int {
	switch {
	case r.Status == Missing && r.Broken:
		return 0
	case r.Status == Missing:
		return 1
	case r.Status == Weak:
		return 2
	}
	return -1
}

// candidate measures node v (outside the area) as a candidate for chain ci.
func (ix *Index) candidate(sel areaSel, ci int32, v int32) Candidate {
	c := &ix.chains[ci]
	cd := Candidate{
		ID: ix.ids[v], Name: ix.names[v], County: ix.countyCode(v),
		Project: ix.project[v], Operating: ix.operating[v], OutputWan: ix.output[v],
		Reasons: []string{},
	}
	cd.Leader = slices.Contains(ix.leads[ix.leadOff[v]:ix.leadOff[v+1]], ci)
	for _, u := range ix.out.Neighbors(v) {
		if ix.inArea(sel, u) {
			cd.SuppliesArea = true
			break
		}
	}
	for _, u := range ix.und.Neighbors(v) {
		if c.member[u>>6]&(1<<(u&63)) != 0 {
			cd.LinksIntoChain++
		}
	}
	var score float64
	if cd.SuppliesArea {
		score += scoreSupplies
	}
	if cd.Operating {
		score += scoreOperates
	}
	if cd.Leader {
		score += scoreLeads
	}
	score += scoreLinks * float64(min(cd.LinksIntoChain, linksFull)) / linksFull
	if cd.OutputWan > 0 {
		score += scoreOutput * min(1, math.Log10(1+cd.OutputWan)/math.Log10(outputFull))
	}
	cd.Score = round4(score)
	return cd
}

// reasons spells out the terms of the candidate's score, Chinese first.
func (cd *Candidate) reasons(status chainscope.Status) []string {
	r := []string{}
	if cd.SuppliesArea {
		r = append(r, "已向本县区供货 already supplies into the area")
	}
	if cd.Leader {
		r = append(r, "本产业链链主 leader of this chain")
	}
	switch {
	case cd.Project && cd.Operating:
		r = append(r, "项目已投产 project operating")
	case cd.Project:
		r = append(r, fmt.Sprintf("项目%s，尚未投产 project %s, not yet operating", status.Label(), status))
	default:
		r = append(r, "在产企业 operating enterprise")
	}
	if cd.LinksIntoChain > 0 {
		r = append(r, fmt.Sprintf("本产业链供需伙伴 %d 个 supply partners in the chain: %d", cd.LinksIntoChain, cd.LinksIntoChain))
	}
	if cd.OutputWan > 0 {
		r = append(r, fmt.Sprintf("年产值 %s 万元 annual output %s 万元", formatWan(cd.OutputWan), formatWan(cd.OutputWan)))
	}
	return r
}

// formatWan writes an amount of 万元 without needless decimals.
func formatWan(x float64) string {
	return strconv.FormatFloat(x, 'f', -1, 64)
}
