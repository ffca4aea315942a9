package dataset

import (
	"slices"

	"chainscope"
)

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
	Leads       []chainscope.Lead   // optional (SPEC §1, §9)
	Reports     []chainscope.Report // optional (SPEC §1)
	// Warnings are things a reader ignored (an unknown extra column, say):
	// never errors, but worth telling the user.
	Warnings []chainscope.Problem
	// Strict makes Build refuse what it otherwise only warns about: an
	// enterprise that looks like another one under a second id (the same
	// exact name and county as a record of the input or of the stored
	// data; `import --strict`).
	Strict bool

	// warnTo, when set, also receives the warnings Build adds: Merge
	// points it at the incoming records' Warnings, which the caller reads.
	warnTo *[]chainscope.Problem

	// partial says that a reader lost records: a sheet or file that could
	// not be read, or not to its end. Build would then report references to
	// the lost records as unknown, so Check does not run it (see Check).
	partial bool
	// linksPending estimates the links still being read (see
	// ReadPathsLinksLater), for a progress total.
	linksPending int
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
	r.Counties = join(r.Counties, o.Counties)
	r.Chains = join(r.Chains, o.Chains)
	r.Segments = join(r.Segments, o.Segments)
	r.Flows = join(r.Flows, o.Flows)
	r.Enterprises = join(r.Enterprises, o.Enterprises)
	r.Projects = join(r.Projects, o.Projects)
	r.Links = join(r.Links, o.Links)
	r.Leads = join(r.Leads, o.Leads)
	r.Reports = join(r.Reports, o.Reports)
	r.Warnings = join(r.Warnings, o.Warnings)
	r.partial = r.partial || o.partial
}

// join appends src to dst. An empty dst takes src's elements as they are,
// without copying them: reading one path of a million links then moves no
// records at all. The two share src's array; appending to the result later
// copies first, as its capacity is clipped to its length.
func join[T any](dst, src []T) []T {
	if len(dst) == 0 {
		return slices.Clip(src)
	}
	return append(dst, src...)
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
		Leads:       append([]chainscope.Lead(nil), ds.Leads...),
		Reports:     append([]chainscope.Report(nil), ds.Reports...),
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
