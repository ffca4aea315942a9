package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// sheetNames are the workbook's sheets in each language, in order.
var sheetNames = map[string][]string{
	"zh": {"主要指标", "县区晾晒", "产业链", "补链变化", "招商漏斗", "招商目标"},
	"en": {"Headlines", "Counties", "Chains", "Gaps", "Funnel", "Targets"},
}

// XLSX writes the report's content as an Excel workbook, one sheet per
// section, the same texts as the HTML page. Strings are written as
// strings, never as formulas.
func (c *Content) XLSX(out io.Writer) (err error) {
	w := wordsOf(c.Lang)
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	names := sheetNames[w.Lang]
	if err := f.SetSheetName(f.GetSheetName(0), names[0]); err != nil {
		return err
	}
	for _, n := range names[1:] {
		if _, err := f.NewSheet(n); err != nil {
			return err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	var sheetErr error
	row := map[string]int{}
	put := func(sheet string, head bool, vals ...any) {
		if sheetErr != nil {
			return
		}
		row[sheet]++
		cell, _ := excelize.CoordinatesToCellName(1, row[sheet])
		// SetSheetRow writes a string as a string cell, never a formula.
		if sheetErr = f.SetSheetRow(sheet, cell, &vals); sheetErr == nil && head {
			end, _ := excelize.CoordinatesToCellName(max(len(vals), 1), row[sheet])
			sheetErr = f.SetCellStyle(sheet, cell, end, bold)
		}
	}

	s := names[0]
	put(s, true, c.AreaName+w.Title, c.MonthLabel, w.Ytd+" "+c.YTDLabel)
	put(s, false, w.Region, c.RegionName, w.DataVersion, c.DataVersion)
	head := []any{w.Figure, w.Month, w.MonthChange, w.Ytd, w.YtdChange}
	if c.YTD.Report != nil {
		head = append(head, w.Reported)
	}
	put(s, true, head...)
	for _, h := range c.Headlines {
		vals := []any{h.Label, h.Month, h.MonthChange, h.YTD, h.YTDChange}
		if c.YTD.Report != nil {
			vals = append(vals, h.Report)
		}
		put(s, false, vals...)
	}
	if c.YTD.Report != nil {
		src := c.YTD.Report.Source
		if src == "" {
			src = "—"
		}
		put(s, false, fmt.Sprintf(w.ReportNote, src))
	}
	put(s, false, w.Notes)

	s = names[1]
	put(s, true, w.Rank, w.County, w.Signed, w.Investment, w.Change, w.Started, w.StartRate, w.Portfolio)
	for _, r := range c.Counties {
		p := r.Portfolio
		if p == "" {
			p = w.AllChains
		}
		put(s, false, r.Rank, r.Name, r.Signed, r.Investment, r.Change, r.Started, r.StartRate, p)
	}

	s = names[2]
	put(s, true, w.Chain, w.Signed, w.Investment, w.Completeness, w.Missing, w.Weak, w.Pursuing)
	for _, r := range c.Chains {
		name := r.Name
		if r.NotPursued {
			name += "（" + w.NotPursued + "）"
		}
		put(s, false, name, r.Signed, r.Investment, r.Completeness, r.Missing, r.Weak, r.Pursuing)
	}

	s = names[3]
	if c.History == nil {
		put(s, false, w.NoHistory)
	} else {
		put(s, false, fmt.Sprintf(w.HistoryFrom, c.History.FromRev, c.History.ToRev))
		put(s, true, w.Closed, w.Chain, w.Segment)
		for _, g := range c.Closed {
			put(s, false, w.Closed, g.Chain, g.Segment)
		}
		put(s, true, w.Opened, w.Chain, w.Segment)
		for _, g := range c.Opened {
			put(s, false, w.Opened, g.Chain, g.Segment)
		}
		if c.MoreClosed+c.MoreOpened > 0 {
			put(s, false, fmt.Sprintf(w.More, c.MoreClosed+c.MoreOpened))
		}
	}

	s = names[4]
	put(s, true, w.Stage, w.Leads, w.Rate)
	for _, r := range c.FunnelRows() {
		n, _ := strconv.Atoi(r.Count)
		put(s, false, r.Label, n, r.Rate)
	}
	put(s, false, w.Dropped, c.Funnel.Dropped)

	s = names[5]
	put(s, true, w.Chain, w.Segment, w.Status, w.OpenLds, w.Candidate, w.County, w.Score)
	for _, t := range c.Targets {
		put(s, false, t.Chain, t.Segment, t.Status, t.OpenLeads, t.Candidate, t.County, t.Score)
	}
	if sheetErr != nil {
		return fmt.Errorf("report workbook: %w", sheetErr)
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(out)
	return err
}
