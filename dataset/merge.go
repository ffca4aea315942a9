package dataset

import "chainscope"

// Merge returns base with in upserted by key (SPEC §7 `--mode merge`): a
// record of in replaces the record of base with the same key where it stood,
// and is appended otherwise. Keys: county code, chain id, segment id, flow and
// link (from, to), enterprise project and lead id, report (area, from, to). A region in in replaces base's.
// Merge does not check anything; Build the result.
func Merge(base, in *Records) *Records {
	out := &Records{Region: base.Region, RegionAt: base.RegionAt}
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
	out.Leads = upsert(base.Leads, in.Leads, func(l chainscope.Lead) string { return l.ID })
	out.Reports = upsert(base.Reports, in.Reports, func(r chainscope.Report) string { return r.Area + "\x00" + r.From + "\x00" + r.To })
	out.Warnings = append(append(out.Warnings, base.Warnings...), in.Warnings...)
	return out
}

func upsert[T any](base, in []T, key func(T) string) []T {
	out := append(make([]T, 0, len(base)+len(in)), base...)
	at := make(map[string]int, len(out))
	for i, r := range out {
		at[key(r)] = i
	}
	for _, r := range in {
		k := key(r)
		if i, ok := at[k]; ok {
			out[i] = r
			continue
		}
		at[k] = len(out)
		out = append(out, r)
	}
	return out
}
