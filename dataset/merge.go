package dataset

import "chainscope"

// Merge returns base with in upserted by key (SPEC §7 `--mode merge`): a
// record of in replaces the record of base with the same key where it stood,
// and is appended otherwise. Keys: county code, chain id, segment id, flow and
// link (from, to), enterprise, project and lead id, report (area, from,
// to). A region in in replaces base's.
// A flow of in that names a segment by its unique name, or a link that names
// an enterprise by its USCC or unique name (SPEC §3), has the key of the
// ids they stand for, so that it replaces the stored record it means.
//
// Merge never picks one of two records of in with one key (SPEC §4): the
// first takes the stored record's place and every later one is kept too,
// after it, so that Build reports the duplicate key at the later record's
// row, as it does for a replace. Merge does not check anything else; Build
// the result.
func Merge(base, in *Records) *Records {
	out := &Records{Region: base.Region, RegionAt: base.RegionAt, Strict: in.Strict}
	if in.Region != nil {
		out.Region, out.RegionAt = in.Region, in.RegionAt
	}
	same := func(k string) string { return k }
	out.Counties = upsert(base.Counties, in.Counties, func(c chainscope.County) string { return c.Code }, same)
	out.Chains = upsert(base.Chains, in.Chains, func(c chainscope.Chain) string { return c.ID }, same)
	out.Segments = upsert(base.Segments, in.Segments, func(s SegmentRecord) string { return s.ID }, same)
	out.Enterprises = upsert(base.Enterprises, in.Enterprises, func(e chainscope.Enterprise) string { return e.ID }, same)
	out.Projects = upsert(base.Projects, in.Projects, func(p chainscope.Project) string { return p.ID }, same)
	flowKey := func(f chainscope.Flow) string { return f.From + "\x00" + f.To }
	out.Flows = upsert(base.Flows, in.Flows, flowKey, segmentIDs(out.Segments, in.Flows))
	linkKey := func(l chainscope.Link) string { return l.From + "\x00" + l.To }
	out.Links = upsert(base.Links, in.Links, linkKey, nodeIDs(out, in.Links))
	out.Leads = upsert(base.Leads, in.Leads, func(l chainscope.Lead) string { return l.ID }, same)
	out.Reports = upsert(base.Reports, in.Reports, func(r chainscope.Report) string { return r.Area + "\x00" + r.From + "\x00" + r.To }, same)
	out.Warnings = append(append(out.Warnings, base.Warnings...), in.Warnings...)
	// What Build finds worth a warning in the merged records concerns the
	// incoming ones: their reader reports them.
	out.warnTo = &in.Warnings
	return out
}

// upsert returns base with every record of in put in by key: in the place
// of base's record with its key, else appended. canon gives the key of a
// record of in as base's records have it. A key that two records of in
// share is not resolved: the later record is appended, a duplicate key for
// Build to report.
func upsert[T any](base, in []T, key func(T) string, canon func(string) string) []T {
	out := append(make([]T, 0, len(base)+len(in)), base...)
	// at[k] is 1 + the position of base's record with key k while no
	// record of in has taken it, and -1 once one has.
	at := make(map[string]int, len(out))
	for i, r := range out {
		at[key(r)] = i + 1
	}
	for _, r := range in {
		k := canon(key(r))
		if i := at[k]; i > 0 {
			out[i-1] = r
		} else {
			out = append(out, r) // new, or a second record of in with k
		}
		at[k] = -1
	}
	return out
}

// segmentIDs returns the canonical key of a flow of in: each end that is no
// segment id of segs but the unique name of one, that segment's id. It
// looks at nothing when every end of in is an id.
func segmentIDs(segs []SegmentRecord, in []chainscope.Flow) func(string) string {
	if len(in) == 0 {
		return func(k string) string { return k }
	}
	ids := make(map[string]bool, len(segs))
	byName := make(map[string][]string, len(segs))
	for _, s := range segs {
		ids[s.ID] = true
		byName[s.Name] = append(byName[s.Name], s.ID)
	}
	end := func(ref string) string {
		if !ids[ref] && len(byName[ref]) == 1 {
			return byName[ref][0]
		}
		return ref
	}
	return pairKey(end)
}

// nodeIDs returns the canonical key of a link of in: each end that is no
// enterprise or project id of r but the USCC or unique exact name of an
// enterprise, that enterprise's id (as Build resolves it).
func nodeIDs(r *Records, in []chainscope.Link) func(string) string {
	if len(in) == 0 {
		return func(k string) string { return k }
	}
	ids := make(map[string]bool, len(r.Enterprises)+len(r.Projects))
	for i := range r.Projects {
		ids[r.Projects[i].ID] = true
	}
	var other map[string][]string // USCC or name → enterprise ids, made on the first end that is no id
	for i := range r.Enterprises {
		ids[r.Enterprises[i].ID] = true
	}
	end := func(ref string) string {
		if ids[ref] {
			return ref
		}
		if other == nil {
			other = map[string][]string{}
			for i := range r.Enterprises {
				e := &r.Enterprises[i]
				if e.USCC != "" {
					other[e.USCC] = append(other[e.USCC], e.ID)
				}
				if e.Name != "" && e.Name != e.USCC {
					other[e.Name] = append(other[e.Name], e.ID)
				}
			}
		}
		if len(other[ref]) == 1 {
			return other[ref][0]
		}
		return ref
	}
	return pairKey(end)
}

// pairKey applies end to both halves of a "from\x00to" key.
func pairKey(end func(string) string) func(string) string {
	return func(k string) string {
		for i := 0; i < len(k); i++ {
			if k[i] == 0 {
				from, to := end(k[:i]), end(k[i+1:])
				if len(from) == i && from == k[:i] && to == k[i+1:] {
					return k // ids both: the usual case, no new string
				}
				return from + "\x00" + to
			}
		}
		return k
	}
}
