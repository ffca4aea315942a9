package store

import (
	"fmt"
	"strings"

	"chainscope"
)

// references checks, before Replace writes anything, what the schema's
// foreign keys would check at COMMIT: every reference in ds names a record
// of ds. Replace writes with foreign-key enforcement off and relies on this
// check instead, which costs a few map lookups per row where SQLite probes
// a B-tree per reference (a third of the time spent on the non-link tables
// of a province-scale import). Whoever else writes to the file still meets
// the declared foreign keys.
//
// It is the database's integrity, not a rule of SPEC §4: those are
// dataset.Build's, which every dataset handed to Replace has passed (an
// import, an upload, an edit, the built-in data). A dangling reference
// here is therefore a bug of the caller, an internal error
// (chainscope.EINTERNAL): nothing is written, and users are not shown a
// second wording of Build's problems.
//
// The references a Dataset holds by nesting (a segment's chain, a list
// entry's owner) cannot dangle; links are checked where they are numbered
// (sortLinks).
func references(ds *chainscope.Dataset) error {
	region := ds.Region.Code
	counties := make(map[string]bool, len(ds.Counties))
	for i := range ds.Counties {
		counties[ds.Counties[i].Code] = true
	}
	chains := make(map[string]bool, len(ds.Chains))
	segments := map[string]bool{}
	for i := range ds.Chains {
		chains[ds.Chains[i].ID] = true
		for j := range ds.Chains[i].Segments {
			segments[ds.Chains[i].Segments[j].ID] = true
		}
	}
	enterprises := make(map[string]bool, len(ds.Enterprises))
	for i := range ds.Enterprises {
		enterprises[ds.Enterprises[i].ID] = true
	}

	var d dangling
	// A record in the region's own code is stored with no county (NULL).
	area := func(table, record, code string) {
		if code != region && !counties[code] {
			d.add(table, record, "county", code, "counties")
		}
	}
	for i := range ds.Counties {
		c := &ds.Counties[i]
		if c.Parent != "" && !counties[c.Parent] {
			d.add("counties", c.Code, "parent", c.Parent, "counties")
		}
	}
	for i := range ds.Chains {
		for _, f := range ds.Chains[i].Flows {
			if !segments[f.From] {
				d.add("flows", f.From, "from_id", f.From, "segments")
			}
			if !segments[f.To] {
				d.add("flows", f.From, "to_id", f.To, "segments")
			}
		}
	}
	for i := range ds.Enterprises {
		e := &ds.Enterprises[i]
		area("enterprises", e.ID, e.County)
		for _, s := range e.Segments {
			if !segments[s] {
				d.add("enterprise_segments", e.ID, "segment_id", s, "segments")
			}
		}
		for _, c := range e.LeaderOf {
			if !chains[c] {
				d.add("enterprise_leaders", e.ID, "chain_id", c, "chains")
			}
		}
	}
	for i := range ds.Projects {
		p := &ds.Projects[i]
		if enterprises[p.ID] {
			// No constraint sees this one: the two kinds are two tables.
			return chainscope.Errorf(chainscope.EINTERNAL,
				"store: id %s is both an enterprise and a project (not checked by dataset.Build?); nothing was stored", p.ID)
		}
		if p.Investor != "" && !enterprises[p.Investor] {
			d.add("projects", p.ID, "investor", p.Investor, "enterprises")
		}
		area("projects", p.ID, p.County)
		for _, s := range p.Segments {
			if !segments[s] {
				d.add("project_segments", p.ID, "segment_id", s, "segments")
			}
		}
	}
	return d.err()
}

// dangling collects the first few dangling references for the message.
type dangling struct {
	en []string
	n  int
}

// add notes that column of the row of table that belongs to record holds
// value, which is not a key of parent.
func (d *dangling) add(table, record, column, value, parent string) {
	d.n++
	if len(d.en) == 5 {
		return
	}
	d.en = append(d.en, fmt.Sprintf("%s %s: %s %q is not in %s", table, record, column, value, parent))
}

func (d *dangling) err() error {
	if d.n == 0 {
		return nil
	}
	more := ""
	if d.n > len(d.en) {
		more = fmt.Sprintf(" (+%d)", d.n-len(d.en))
	}
	return &chainscope.Error{Code: chainscope.EINTERNAL, Message: fmt.Sprintf(
		"store: the dataset has dangling references (not checked by dataset.Build?); nothing was stored: %s%s",
		strings.Join(d.en, "; "), more)}
}
