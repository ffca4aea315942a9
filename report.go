package chainscope

// TargetReport returns the report whose annual target the region's
// dashboard measures progress against: of the reports of the region's own
// area (not a county's) that state a target, the latest — the one ending
// last, then starting last. nil when there is none.
func TargetReport(ds *Dataset) *Report {
	var best *Report
	for i := range ds.Reports {
		r := &ds.Reports[i]
		if r.Area != ds.Region.Code || r.TargetWan == nil {
			continue
		}
		if best == nil || r.To > best.To || r.To == best.To && r.From > best.From {
			best = r
		}
	}
	return best
}

// AnnualTargetWan is the annual target in 万元 the region's progress is
// measured against: override when it is positive (serve's and report's
// --annual-target-yi), else the target of TargetReport, else 0 (none: no
// percentage is shown).
func AnnualTargetWan(ds *Dataset, override float64) float64 {
	if override > 0 {
		return override
	}
	if r := TargetReport(ds); r != nil {
		return *r.TargetWan
	}
	return 0
}
