package graph

import (
	"slices"
	"strings"

	"chainscope"
)

// Scenario is a what-if change to the data: projects made operating and
// enterprises or projects removed with their links (a failing supplier, a
// project that falls through). Ids are looked up region-wide; an id listed in
// both lists is removed.
type Scenario struct {
	Operate []string `json:"operate"` // project ids that become operating
	Remove  []string `json:"remove"`  // enterprise or project ids removed, with their links
}

// WhatIf is a scope analysed before and after a Scenario, with the
// differences spelled out. Every slice is non-nil.
type WhatIf struct {
	Area     string    `json:"area"`
	Chain    string    `json:"chain"`
	Scenario Scenario  `json:"scenario"`
	Before   *Analysis `json:"before"`
	After    *Analysis `json:"after"`
	// Changes lists, in the chain's segment order, every segment whose
	// status, weak reasons or 断链 flag differ — better or worse.
	Changes            []SegmentChange `json:"changes"`
	CompletenessBefore float64         `json:"completeness_before"`
	CompletenessAfter  float64         `json:"completeness_after"`
	// CutNodesAdded are the cut nodes of After that are not cut nodes of
	// Before (with their impact after); CutNodesRemoved the cut nodes of
	// Before that are not cut nodes of After (with their impact before),
	// removed nodes included. Both in SPEC §5 order.
	CutNodesAdded   []CutNode `json:"cut_nodes_added"`
	CutNodesRemoved []CutNode `json:"cut_nodes_removed"`
}

// WhatIf analyses the scope as it is and as the scenario would leave it.
// Removed nodes drop out of N and of E wherever they are, so removing an
// outside supplier can also clear supplied_externally. An id the index does
// not know (cancelled projects included) is a *chainscope.Error ENOTFOUND
// naming every such id; an Operate id that is an enterprise is EINVALID.
// Area and chain are resolved as in Analyze. Nothing is rebuilt: the
// scenario is applied as an override while the scope is analysed.
func (ix *Index) WhatIf(area, chainID string, sc Scenario) (*WhatIf, error) {
	ci, err := ix.lookupChain(chainID)
	if err != nil {
		return nil, err
	}
	sel, err := ix.resolveArea(area)
	if err != nil {
		return nil, err
	}
	ov, err := ix.scenarioOverride(sc)
	if err != nil {
		return nil, err
	}
	c := &ix.chains[ci]
	w := ix.getWork()
	defer ix.pool.Put(w)
	before := ix.analyze(w, sel, c, nil)
	after := ix.analyze(w, sel, c, ov)
	wi := &WhatIf{
		Area: area, Chain: chainID,
		Scenario:           Scenario{Operate: nonNilStrings(sc.Operate), Remove: nonNilStrings(sc.Remove)},
		Before:             before,
		After:              after,
		Changes:            diffSegments(before, after),
		CompletenessBefore: before.Completeness,
		CompletenessAfter:  after.Completeness,
		CutNodesAdded:      cutsOnlyIn(after.CutNodes, before.CutNodes),
		CutNodesRemoved:    cutsOnlyIn(before.CutNodes, after.CutNodes),
	}
	return wi, nil
}

// scenarioOverride resolves the scenario's ids into an override.
func (ix *Index) scenarioOverride(sc Scenario) (*override, error) {
	var unknown, notProject []string
	look := func(id string) int32 {
		v, ok := slices.BinarySearch(ix.ids, id)
		if !ok {
			if !slices.Contains(unknown, id) {
				unknown = append(unknown, id)
			}
			return -1
		}
		return int32(v)
	}
	ov := newOverride(len(ix.ids))
	for _, id := range sc.Operate {
		v := look(id)
		switch {
		case v < 0:
		case !ix.project[v]:
			if !slices.Contains(notProject, id) {
				notProject = append(notProject, id)
			}
		default:
			ov.operate[v>>6] |= 1 << (v & 63)
		}
	}
	for _, id := range sc.Remove {
		if v := look(id); v >= 0 {
			ov.removed[v>>6] |= 1 << (v & 63)
		}
	}
	switch {
	case len(unknown) > 0:
		return nil, chainscope.Localizedf(chainscope.ENOTFOUND, "未知或已取消的企业或项目：%s", "unknown or cancelled enterprises or projects: %s", strings.Join(unknown, ", "))
	case len(notProject) > 0:
		return nil, chainscope.Localizedf(chainscope.EINVALID, "只有项目可以设为投产，以下是企业：%s", "only projects can become operating, these are enterprises: %s", strings.Join(notProject, ", "))
	}
	return ov, nil
}

// diffSegments lists the segments whose status, reasons or broken flag
// differ between two analyses of the same chain.
func diffSegments(before, after *Analysis) []SegmentChange {
	out := []SegmentChange{}
	for i := range before.Segments {
		b, a := &before.Segments[i], &after.Segments[i]
		if b.Status == a.Status && b.Broken == a.Broken && slices.Equal(b.Reasons, a.Reasons) {
			continue
		}
		out = append(out, SegmentChange{
			ID: b.ID, Name: b.Name, Stage: b.Stage,
			From: b.Status, To: a.Status,
			FromReasons: slices.Clone(b.Reasons), ToReasons: slices.Clone(a.Reasons),
			FromBroken: b.Broken, ToBroken: a.Broken,
		})
	}
	return out
}

// cutsOnlyIn returns the cut nodes of a whose id is not in b, in a's order.
func cutsOnlyIn(a, b []CutNode) []CutNode {
	in := make(map[string]bool, len(b))
	for _, x := range b {
		in[x.ID] = true
	}
	out := []CutNode{}
	for _, x := range a {
		if !in[x.ID] {
			out = append(out, x)
		}
	}
	return out
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}
