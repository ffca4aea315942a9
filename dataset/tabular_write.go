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
func sheetHeaders(e entity) []string {
	cols := specs[e].primary()
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.zh
	}
	return out
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
		for _, c := range ds.Counties {
			if err := put(textCell(c.Code), textCell(c.Name), textCell(kindText(c.Kind)), textCell(c.Parent), textCell(c.Source), textCell(c.Note)); err != nil {
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
	case entLinks:
		for _, l := range ds.Links {
			if err := put(textCell(l.From), textCell(l.To), textCell(l.Product), textCell(l.Source), textCell(l.Note)); err != nil {
				return err
			}
		}
	}
	return nil
}
