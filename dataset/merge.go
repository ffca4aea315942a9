package dataset

import "chainscope"

// Merge returns base with in upserted by key (SPEC §7 `--mode merge`): a
// record of in replaces the record of base with the same key where it stood,
// and is appended otherwise. Keys: county code, chain id, segment id, flow and
// link (from, to), enterprise and project id. A region in in replaces base's.
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
	out.Counties = upsert(base.Counties, in.Counties, func(c chainscope.County) string { return c.Code })
	out.Chains = upsert(base.Chains, in.Chains, func(c chainscope.Chain) string { return c.ID })
	out.Segments = upsert(base.Segments, in.Segments, func(s SegmentRecord) string { return s.ID })
	out.Flows = upsert(base.Flows, in.Flows, func(f chainscope.Flow) string { return f.From + "\x00" + f.To })
	out.Enterprises = upsert(base.Enterprises, in.Enterprises, func(e chainscope.Enterprise) string { return e.ID })
	out.Projects = upsert(base.Projects, in.Projects, func(p chainscope.Project) string { return p.ID })
	out.Links = upsert(base.Links, in.Links, func(l chainscope.Link) string { return l.From + "\x00" + l.To })
	out.Warnings = append(append(out.Warnings, base.Warnings...), in.Warnings...)
	// What Build finds worth a warning in the merged records concerns the
	// incoming ones: their reader reports them.
	out.warnTo = &in.Warnings
	return out
}

// upsert returns base with every record of in put in by key: in the place
// of base's record with its key, else appended. A key that two records of
// in share is not resolved: the later record is appended, a duplicate
// key for Build to report.
func upsert[T any](base, in []T, key func(T) string) []T {
	out := append(make([]T, 0, len(base)+len(in)), base...)
	// at[k] is 1 + the position of base's record with key k while no
	// record of in has taken it, and -1 once one has.
	at := make(map[string]int, len(out))
	for i, r := range out {
		at[key(r)] = i + 1
	}
	for _, r := range in {
		k := key(r)
		if i := at[k]; i > 0 {
			out[i-1] = r
		} else {
			out = append(out, r) // new, or a second record of in with k
		}
		at[k] = -1
	}
	return out
}
