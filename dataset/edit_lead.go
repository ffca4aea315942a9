package dataset

import (
	"reflect"
	"slices"

	"chainscope"
)

// lead makes an edit of a lead: the checks to make again are the edited
// lead's own (no other record names a lead).
func (x *editor) lead(e Edit) (*EditResult, error) {
	cur, b := x.cur, x.b
	i := indexOf(cur.Leads, func(l *chainscope.Lead) bool { return l.ID == e.ID })
	switch {
	case e.Action == EditCreate && i >= 0:
		return nil, chainscope.Errorf(chainscope.ECONFLICT, "线索编号已存在 / lead %q already exists", e.ID)
	case e.Action != EditCreate && i < 0:
		return nil, chainscope.Errorf(chainscope.ENOTFOUND, "未知的招商线索 unknown lead %q", e.ID)
	}
	ds := x.with()
	b.ix = newScanIndex(cur.Enterprises, cur.Projects, len(cur.Enterprises))
	switch e.Action {
	case EditCreate:
		out, _ := b.lead(e.Record.Leads[0], false)
		ds.Leads = appended(cur.Leads, out)
		return &EditResult{Dataset: ds, After: &out}, nil
	case EditUpdate:
		out, _ := b.lead(e.Record.Leads[0], false)
		before := cur.Leads[i]
		if !reflect.DeepEqual(out, before) {
			ds.Leads = slices.Clone(cur.Leads)
			ds.Leads[i] = out
		}
		return &EditResult{Dataset: ds, Before: &before, After: &out}, nil
	}
	ds.Leads = append(cur.Leads[:i:i], cur.Leads[i+1:]...)
	if len(ds.Leads) == 0 {
		ds.Leads = nil
	}
	before := cur.Leads[i]
	return &EditResult{Dataset: ds, Before: &before}, nil
}

// recheckLeads checks again the leads that name the deleted enterprise or
// project id: they now name an unknown record (b.ix is the index after the
// delete).
func (x *editor) recheckLeads(id string) {
	for k := range x.cur.Leads {
		if l := &x.cur.Leads[k]; l.Project == id || l.Enterprise == id {
			x.b.lead(*l, false)
		}
	}
}
