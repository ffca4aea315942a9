package dataset

import "chainscope"

// Records is a dataset as read, flat and not yet checked: segments and flows
// stand apart from their chains, as they do in a workbook. Several sources
// are combined with Append and checked and assembled with Build.
type Records struct {
	Region      *chainscope.Region // nil when the source names no region
	RegionAt    chainscope.Origin
	Counties    []chainscope.County
	Chains      []chainscope.Chain // Segments and Flows are empty here
	Segments    []SegmentRecord
	Flows       []chainscope.Flow
	Enterprises []chainscope.Enterprise
	Projects    []chainscope.Project
	Links       []chainscope.Link
	// Warnings are things a reader ignored (an unknown extra column, say):
	// never errors, but worth telling the user.
	Warnings []chainscope.Problem
}

// SegmentRecord is a segment with the id of the chain it belongs to.
type SegmentRecord struct {
	Chain string
	chainscope.Segment
}

// Append adds every record of o to r; a region in o replaces an absent one.
func (r *Records) Append(o *Records) {
	if o == nil {
		return
	}
	if r.Region == nil && o.Region != nil {
		r.Region, r.RegionAt = o.Region, o.RegionAt
	}
	r.Counties = append(r.Counties, o.Counties...)
	r.Chains = append(r.Chains, o.Chains...)
	r.Segments = append(r.Segments, o.Segments...)
	r.Flows = append(r.Flows, o.Flows...)
	r.Enterprises = append(r.Enterprises, o.Enterprises...)
	r.Projects = append(r.Projects, o.Projects...)
	r.Links = append(r.Links, o.Links...)
	r.Warnings = append(r.Warnings, o.Warnings...)
}

// Flatten turns an assembled dataset back into records, keeping order.
func Flatten(ds *chainscope.Dataset) *Records {
	region := ds.Region
	r := &Records{
		Region:      &region,
		Counties:    append([]chainscope.County(nil), ds.Counties...),
		Enterprises: append([]chainscope.Enterprise(nil), ds.Enterprises...),
		Projects:    append([]chainscope.Project(nil), ds.Projects...),
		Links:       append([]chainscope.Link(nil), ds.Links...),
	}
	for _, c := range ds.Chains {
		for _, s := range c.Segments {
			r.Segments = append(r.Segments, SegmentRecord{Chain: c.ID, Segment: s})
		}
		r.Flows = append(r.Flows, c.Flows...)
		c.Segments, c.Flows = nil, nil
		r.Chains = append(r.Chains, c)
	}
	return r
}
