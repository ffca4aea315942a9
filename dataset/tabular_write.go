package dataset

import "chainscope"

// Writers: one row of text per record, in the columns of entitySpec.primary.
// An amount is a *float64 so that the xlsx writer can store a number.

// outCell is one value to write: text, or an amount (nil when unknown).
type outCell struct {
	text   string
	amount *float64
	num    bool
}

func textCell(s string) outCell     { return outCell{text: s} }
func amountCell(v *float64) outCell { return outCell{amount: v, num: true} }

// sheetHeaders are the headers the writers write for entity e of ds: the
// counties' chains column only when a county names its chains.
func sheetHeaders(ds *chainscope.Dataset, e entity) []string {
	cols := specs[e].primary()
	if e == entCounties && !hasCountyChains(ds) {
		cols = cols[:ctChains]
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.zh
	}
	return out
}

// hasCountyChains says whether a county of ds names its chains.
func hasCountyChains(ds *chainscope.Dataset) bool {
	for i := range ds.Counties {
		if len(ds.Counties[i].Chains) > 0 {
			return true
		}
	}
	return false
}

// writesSheet says whether the writers write entity e of ds: every sheet
// of SPEC §3 always, leads and reports only when the dataset has some (a
// dataset without them is written as before they existed).
func writesSheet(ds *chainscope.Dataset, e entity) bool {
	switch e {
	case entLeads:
		return len(ds.Leads) > 0
	case entReports:
		return len(ds.Reports) > 0
	}
	return true
}

func countCell(v *int) outCell {
	if v == nil {
		return amountCell(nil)
	}
	f := float64(*v)
	return amountCell(&f)
}

// rowsOf calls emit with the cells of every record of entity e in ds, in
// dataset order (segments and flows chain by chain, as Flatten lists them).
// The row slice is reused between calls.
func rowsOf(ds *chainscope.Dataset, e entity, emit func([]outCell) error) error {
	var row []outCell
	put := func(cells ...outCell) error {
		row = append(row[:0], cells...)
		return emit(row)
	}
	switch e {
	case entRegion:
		if g := ds.Region; g != (chainscope.Region{}) {
			return put(textCell(g.Code), textCell(g.Name), textCell(g.Source), textCell(g.Note))
		}
	case entCounties:
		chains := hasCountyChains(ds)
		for _, c := range ds.Counties {
			row = append(row[:0], textCell(c.Code), textCell(c.Name), textCell(kindText(c.Kind)), textCell(c.Parent), textCell(c.Source), textCell(c.Note))
			if chains {
				row = append(row, textCell(joinList(c.Chains)))
			}
			if err := emit(row); err != nil {
				return err
			}
		}
	case entChains:
		for _, c := range ds.Chains {
			if err := put(textCell(c.ID), textCell(c.Name), textCell(c.Source), textCell(c.Note)); err != nil {
				return err
			}
		}
	case entSegments:
		for _, c := range ds.Chains {
			for _, s := range c.Segments {
				if err := put(textCell(s.ID), textCell(c.ID), textCell(s.Name), textCell(stageText(s.Stage)), textCell(s.Source), textCell(s.Note)); err != nil {
					return err
				}
			}
		}
	case entFlows:
		for _, c := range ds.Chains {
			for _, f := range c.Flows {
				if err := put(textCell(f.From), textCell(f.To)); err != nil {
					return err
				}
			}
		}
	case entEnterprises:
		for _, x := range ds.Enterprises {
			if err := put(textCell(x.ID), textCell(x.Name), textCell(x.USCC), textCell(x.County), textCell(joinList(x.Segments)),
				textCell(joinList(x.LeaderOf)), amountCell(x.OutputWan), textCell(x.Source), textCell(x.Note)); err != nil {
				return err
			}
		}
	case entProjects:
		for _, p := range ds.Projects {
			if err := put(textCell(p.ID), textCell(p.Name), textCell(p.Investor), textCell(p.County), textCell(joinList(p.Segments)),
				amountCell(p.InvestmentWan), textCell(p.Signed), textCell(p.Started), textCell(statusText(p.Status)),
				textCell(boolText(p.Emerging)), textCell(p.Source), textCell(p.Note)); err != nil {
				return err
			}
		}
	case entLeads:
		for _, l := range ds.Leads {
			row = append(row[:0], textCell(l.ID), textCell(l.Name), textCell(l.USCC), textCell(l.Enterprise), textCell(l.County),
				textCell(joinList(l.Segments)), textCell(leadStageText(l.Stage)))
			for _, st := range chainscope.LeadStages {
				row = append(row, textCell(l.Dates[string(st)]))
			}
			row = append(row, textCell(l.Project), textCell(l.Owner), textCell(l.Reason), textCell(l.Source), textCell(l.Note))
			if err := emit(row); err != nil {
				return err
			}
		}
	case entReports:
		for _, r := range ds.Reports {
			if err := put(textCell(r.Area), textCell(r.From), textCell(r.To), countCell(r.SignedProjects), amountCell(r.InvestmentWan),
				countCell(r.EmergingProjects), countCell(r.StartedProjects), countCell(r.DueProjects), amountCell(r.TargetWan),
				textCell(r.Source), textCell(r.Note)); err != nil {
				return err
			}
		}
	case entLinks:
		for _, l := range ds.Links {
			if err := put(textCell(l.From), textCell(l.To), textCell(l.Product), textCell(l.Source), textCell(l.Note)); err != nil {
				return err
			}
		}
	}
	return nil
}
