package graph

import "sync"

// Report is everything chainscope says about one scope: the SPEC §6
// analysis, whose fields stay at the top level of the JSON (the embedded
// *Analysis is flattened), followed by the project impact ranking, the 招商
// gap targets and the chain-leader dependency. Every slice is non-nil.
//
// It is sized for a person: ProjectImpact holds the first ReportImpactTop
// of the ranking (ProjectImpactTotal counts them all; the whole ranking is
// Index.ProjectImpact, GET /api/v1/impact), and LeaderDependency names at
// most LeaderTop suppliers and dominators per leader (the rest are paged by
// Scope.LeaderSuppliers).
type Report struct {
	*Analysis
	ProjectImpact      []ProjectImpact    `json:"project_impact"`
	ProjectImpactTotal int                `json:"project_impact_total"`
	GapTargets         []GapTarget        `json:"gap_targets"`
	LeaderDependency   []LeaderDependency `json:"leader_dependency"`
	// Pursuing lists the missing segments with open leads (在谈), set by
	// AddLeads; NotPursued: the area's county develops other chains (未布局).
	Pursuing   []SegmentLeads `json:"pursuing"`
	NotPursued bool           `json:"not_pursued"`
}

// ReportImpactTop is how many ranked projects a Report lists.
const ReportImpactTop = 100

// Report analyses the scope and adds the analyses beyond SPEC: ProjectImpact,
// GapTargets (DefaultTargets candidates per segment) and LeaderDependency.
// Area and chain are resolved once, as in Analyze; an unknown one is
// ENOTFOUND.
func (ix *Index) Report(area, chainID string) (*Report, error) {
	sc, err := ix.Scope(area, chainID)
	if err != nil {
		return nil, err
	}
	return sc.Report(), nil
}

// Report is Index.Report of the scope. Its parts are independent and run
// side by side — the analysis with the gap targets, project impact, and
// leader dependency — so that one part's serial stretches and the ends of
// another's parallel loops share the cores; each part is deterministic, so
// the report is the same as computed one part after another.
func (sc *Scope) Report() *Report {
	var (
		a      *Analysis
		gaps   []GapTarget
		impact []ProjectImpact
		leads  []LeaderDependency
		wg     sync.WaitGroup
	)
	wg.Go(func() { impact = sc.ProjectImpact() })
	wg.Go(func() { leads = sc.LeaderDependency() })
	a = sc.Analysis()
	gaps = sc.ix.gapTargets(sc.sel, sc.ci, a, DefaultTargets)
	wg.Wait()
	return &Report{
		Analysis:           a,
		ProjectImpact:      impact[:min(len(impact), ReportImpactTop)],
		ProjectImpactTotal: len(impact),
		GapTargets:         gaps,
		LeaderDependency:   leads,
		Pursuing:           []SegmentLeads{},
	}
}
