package graph

// Report is everything chainscope says about one scope: the SPEC §6
// analysis, whose fields stay at the top level of the JSON (the embedded
// *Analysis is flattened), followed by the project impact ranking, the 招商
// gap targets and the chain-leader dependency. Every slice is non-nil.
type Report struct {
	*Analysis
	ProjectImpact    []ProjectImpact    `json:"project_impact"`
	GapTargets       []GapTarget        `json:"gap_targets"`
	LeaderDependency []LeaderDependency `json:"leader_dependency"`
	// Pursuing lists the missing segments with open leads (在谈), set by
	// AddLeads; NotPursued: the area's county develops other chains (未布局).
	Pursuing   []SegmentLeads `json:"pursuing"`
	NotPursued bool           `json:"not_pursued"`
}

// Report analyses the scope and adds the analyses beyond SPEC: ProjectImpact,
// GapTargets (DefaultTargets candidates per segment) and LeaderDependency.
// Area and chain are resolved as in Analyze; an unknown one is ENOTFOUND.
func (ix *Index) Report(area, chainID string) (*Report, error) {
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
	r := &Report{Analysis: a, GapTargets: ix.gapTargets(sel, ci, a, DefaultTargets), Pursuing: []SegmentLeads{}}
	if r.ProjectImpact, err = ix.ProjectImpact(area, chainID); err != nil {
		return nil, err
	}
	if r.LeaderDependency, err = ix.LeaderDependency(area, chainID); err != nil {
		return nil, err
	}
	return r, nil
}
