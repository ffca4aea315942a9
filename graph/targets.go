package graph

import (
	"cmp"
	"fmt"
	"math"
	"slices"

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
// output term is full at 100 亿元. Reasons name the terms that count as
// codes with their figures; CandidateReason.Text writes one in a language.
type Candidate struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	County    string            `json:"county"` // its own county or zone code; the region's code for none
	Project   bool              `json:"project"`
	Operating bool              `json:"operating"`
	OutputWan float64           `json:"output_wan"` // 0 when unknown, and for projects
	Score     float64           `json:"score"`
	Reasons   []CandidateReason `json:"reasons"`
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
	// OpenLeads counts the open leads (在谈) of the area that would bring
	// a missing segment; set by MarkTargets (0 until then).
	OpenLeads int `json:"open_leads"`
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
		Reasons: []CandidateReason{},
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

// CandidateCode names one term of a Candidate's score.
type CandidateCode string

// The terms of a candidate's score, in the order Reasons lists them.
const (
	CandidateSuppliesArea        CandidateCode = "supplies_area"         // already supplies into the area
	CandidateLeader              CandidateCode = "leader"                // 链主 of this chain
	CandidateProjectOperating    CandidateCode = "project_operating"     // a project already operating
	CandidateProjectNotOperating CandidateCode = "project_not_operating" // a project not yet operating; Status says how far
	CandidateOperating           CandidateCode = "operating"             // an operating enterprise
	CandidateChainPartners       CandidateCode = "chain_partners"        // N supply partners in the chain
	CandidateOutput              CandidateCode = "output"                // annual output of Wan 万元
)

// CandidateCodes lists every CandidateCode.
var CandidateCodes = []CandidateCode{CandidateSuppliesArea, CandidateLeader, CandidateProjectOperating,
	CandidateProjectNotOperating, CandidateOperating, CandidateChainPartners, CandidateOutput}

// CandidateReason is one term of a candidate's score: a code and, for
// some codes, its figure (contract of issue #12: {"code":"chain_partners","n":3}).
type CandidateReason struct {
	Code   CandidateCode     `json:"code"`
	Status chainscope.Status `json:"status,omitempty"` // project_not_operating: the project's status
	N      int               `json:"n,omitempty"`      // chain_partners: how many
	Wan    float64           `json:"wan,omitempty"`    // output: annual output in 万元
}

// Text writes the reason in lang ("en" English, otherwise Chinese), the
// one label of a candidate reason every Go caller uses (the gaps
// workbook); amounts by chainscope.FormatAmount.
func (r CandidateReason) Text(lang string) string {
	en := lang == "en"
	switch r.Code {
	case CandidateSuppliesArea:
		if en {
			return "already supplies into the area"
		}
		return "已向本县区供货"
	case CandidateLeader:
		if en {
			return "leader of this chain"
		}
		return "本产业链链主"
	case CandidateProjectOperating:
		if en {
			return "project operating"
		}
		return "项目已投产"
	case CandidateProjectNotOperating:
		if en {
			return fmt.Sprintf("project %s, not yet operating", r.Status)
		}
		return fmt.Sprintf("项目%s，尚未投产", r.Status.Label())
	case CandidateOperating:
		if en {
			return "operating enterprise"
		}
		return "在产企业"
	case CandidateChainPartners:
		if en {
			if r.N == 1 {
				return "1 supply partner in the chain"
			}
			return fmt.Sprintf("%d supply partners in the chain", r.N)
		}
		return fmt.Sprintf("本产业链供需伙伴 %d 个", r.N)
	case CandidateOutput:
		if en {
			return "annual output " + chainscope.FormatAmount(r.Wan, lang)
		}
		return "年产值 " + chainscope.FormatAmount(r.Wan, lang)
	}
	return string(r.Code)
}

// reasons lists the terms of the candidate's score that count.
func (cd *Candidate) reasons(status chainscope.Status) []CandidateReason {
	r := []CandidateReason{}
	if cd.SuppliesArea {
		r = append(r, CandidateReason{Code: CandidateSuppliesArea})
	}
	if cd.Leader {
		r = append(r, CandidateReason{Code: CandidateLeader})
	}
	switch {
	case cd.Project && cd.Operating:
		r = append(r, CandidateReason{Code: CandidateProjectOperating})
	case cd.Project:
		r = append(r, CandidateReason{Code: CandidateProjectNotOperating, Status: status})
	default:
		r = append(r, CandidateReason{Code: CandidateOperating})
	}
	if cd.LinksIntoChain > 0 {
		r = append(r, CandidateReason{Code: CandidateChainPartners, N: cd.LinksIntoChain})
	}
	if cd.OutputWan > 0 {
		r = append(r, CandidateReason{Code: CandidateOutput, Wan: cd.OutputWan})
	}
	return r
}
