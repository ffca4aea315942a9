package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
)

// page is what the HTML template reads: the content and its words.
type page struct {
	*Content
	W          *words
	ReportNote string
	Style      template.CSS
}

// pageStyle is the page's only style sheet, inline so that the file is
// self-contained: A4 with margins, the system CJK fonts.
const pageStyle = `
@page { size: A4; margin: 14mm 13mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
  font-size: 9.5pt; line-height: 1.35; color: #111; }
@media screen { body { max-width: 190mm; margin: 10mm auto; } }
h1 { font-size: 16pt; text-align: center; margin: 0 0 2mm; }
.sub { text-align: center; color: #444; margin-bottom: 4mm; }
h2 { font-size: 11.5pt; margin: 4mm 0 1.5mm; border-bottom: 1px solid #999; break-after: avoid; }
table { width: 100%; border-collapse: collapse; margin-bottom: 1.5mm; }
th, td { border: 1px solid #bbb; padding: 0.8mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; }
.note { color: #444; font-size: 8.5pt; margin: 1mm 0; }
.np { color: #888; }
.cols { display: flex; gap: 4mm; }
.cols > div { flex: 1; }
`

// StyleHash is the Content-Security-Policy source that allows the page's
// inline style sheet and nothing else: 'sha256-…'.
func StyleHash() string {
	sum := sha256.Sum256([]byte(pageStyle))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// HTML writes the report as one self-contained, print-ready A4 page of
// HTML (no script, no external resource; the browser's CJK system fonts).
// Every text from the data is escaped by html/template.
func (c *Content) HTML(out io.Writer) error {
	w := wordsOf(c.Lang)
	p := page{Content: c, W: w, Style: template.CSS(pageStyle)}
	if c.YTD.Report != nil {
		src := c.YTD.Report.Source
		if src == "" {
			src = "—"
		}
		p.ReportNote = fmt.Sprintf(w.ReportNote, src)
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, p); err != nil {
		return fmt.Errorf("report page: %w", err)
	}
	_, err := out.Write(b.Bytes())
	return err
}

var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"more": func(format string, n int) string { return fmt.Sprintf(format, n) },
	"rate": func(r *float64) string {
		if r == nil {
			return "—"
		}
		return percent(*r)
	},
	"stage": func(w *words, st any) string { return fmt.Sprint(st) },
}).Parse(`<!DOCTYPE html>
<html lang="{{.W.HtmlLang}}">
<head>
<meta charset="utf-8">
<title>{{.AreaName}} {{.YTDLabel}} {{.W.Title}}</title>
<style>{{.Style}}</style>
</head>
<body>
<h1>{{.AreaName}}{{.W.Title}}</h1>
<div class="sub">{{.MonthLabel}} · {{.W.Ytd}} {{.YTDLabel}} · {{.W.Region}} {{.RegionName}} · {{.W.DataVersion}} {{.DataVersion}}</div>

<h2>{{.W.Headlines}}</h2>
<table id="headlines">
<tr><th>{{.W.Figure}}</th><th class="n">{{.W.Month}}</th><th class="n">{{.W.MonthChange}}</th><th class="n">{{.W.Ytd}}</th><th class="n">{{.W.YtdChange}}</th>{{if .YTD.Report}}<th class="n">{{.W.Reported}}</th>{{end}}</tr>
{{range .Headlines}}<tr><td>{{.Label}}</td><td class="n">{{.Month}}</td><td class="n">{{.MonthChange}}</td><td class="n">{{.YTD}}</td><td class="n">{{.YTDChange}}</td>{{if $.YTD.Report}}<td class="n">{{or .Report "—"}}</td>{{end}}</tr>
{{end}}</table>
{{if .ReportNote}}<p class="note">{{.ReportNote}}</p>{{end}}
<p class="note">{{.W.Notes}}</p>

{{if .Counties}}<h2>{{.W.Counties}}</h2>
<table id="counties">
<tr><th class="n">{{.W.Rank}}</th><th>{{.W.County}}</th><th class="n">{{.W.Signed}}</th><th class="n">{{.W.Investment}}</th><th class="n">{{.W.Change}}</th><th class="n">{{.W.Started}}</th><th class="n">{{.W.StartRate}}</th><th>{{.W.Portfolio}}</th></tr>
{{range .Counties}}<tr><td class="n">{{.Rank}}</td><td>{{.Name}}</td><td class="n">{{.Signed}}</td><td class="n">{{.Investment}}</td><td class="n">{{.Change}}</td><td class="n">{{.Started}}</td><td class="n">{{.StartRate}}</td><td>{{or .Portfolio $.W.AllChains}}</td></tr>
{{end}}</table>{{end}}

<h2>{{.W.Chains}}</h2>
<table id="chains">
<tr><th>{{.W.Chain}}</th><th class="n">{{.W.Signed}}</th><th class="n">{{.W.Investment}}</th><th class="n">{{.W.Completeness}}</th><th class="n">{{.W.Missing}}</th><th class="n">{{.W.Weak}}</th><th class="n">{{.W.Pursuing}}</th></tr>
{{range .Chains}}<tr{{if .NotPursued}} class="np"{{end}}><td>{{.Name}}{{if .NotPursued}}（{{$.W.NotPursued}}）{{end}}</td><td class="n">{{.Signed}}</td><td class="n">{{.Investment}}</td><td class="n">{{.Completeness}}</td><td class="n">{{.Missing}}</td><td class="n">{{.Weak}}</td><td class="n">{{.Pursuing}}</td></tr>
{{end}}</table>

<h2>{{.W.Gaps}}</h2>
{{if not .History}}<p class="note" id="nohistory">{{.W.NoHistory}}</p>{{else}}
<p class="note">{{printf .W.HistoryFrom .History.FromRev .History.ToRev}}</p>
<div class="cols">
<div><table id="closed"><tr><th>{{.W.Closed}}</th></tr>
{{range .Closed}}<tr><td>{{.Chain}} · {{.Segment}}</td></tr>{{else}}<tr><td>{{.W.NoChange}}</td></tr>{{end}}
{{if .MoreClosed}}<tr><td>{{more .W.More .MoreClosed}}</td></tr>{{end}}</table></div>
<div><table id="opened"><tr><th>{{.W.Opened}}</th></tr>
{{range .Opened}}<tr><td>{{.Chain}} · {{.Segment}}</td></tr>{{else}}<tr><td>{{.W.NoChange}}</td></tr>{{end}}
{{if .MoreOpened}}<tr><td>{{more .W.More .MoreOpened}}</td></tr>{{end}}</table></div>
</div>{{end}}

<h2>{{.W.Funnel}}</h2>
<table id="funnel">
<tr><th>{{.W.Stage}}</th>{{range .FunnelRows}}<th class="n">{{.Label}}</th>{{end}}<th class="n">{{.W.Dropped}}</th></tr>
<tr><td>{{.W.Leads}}</td>{{range .FunnelRows}}<td class="n">{{.Count}}</td>{{end}}<td class="n">{{.Funnel.Dropped}}</td></tr>
<tr><td>{{.W.Rate}}</td>{{range .FunnelRows}}<td class="n">{{.Rate}}</td>{{end}}<td class="n"></td></tr>
</table>

<h2>{{.W.Targets}}</h2>
<table id="targets">
<tr><th>{{.W.Chain}}</th><th>{{.W.Segment}}</th><th>{{.W.Status}}</th><th class="n">{{.W.OpenLds}}</th><th>{{.W.Candidate}}</th><th>{{.W.County}}</th><th class="n">{{.W.Score}}</th></tr>
{{range .Targets}}<tr><td>{{.Chain}}</td><td>{{.Segment}}</td><td>{{.Status}}</td><td class="n">{{.OpenLeads}}</td><td>{{.Candidate}}</td><td>{{.County}}</td><td class="n">{{.Score}}</td></tr>
{{else}}<tr><td colspan="7">{{.W.NoChange}}</td></tr>{{end}}
</table>
</body>
</html>
`))

// FunnelRow is one stage of the funnel as the report writes it.
type FunnelRow struct{ Label, Count, Rate string }

// FunnelRows writes the funnel's stages for the reader.
func (c *Content) FunnelRows() []FunnelRow {
	w := wordsOf(c.Lang)
	var out []FunnelRow
	for _, s := range c.Funnel.Stages {
		r := FunnelRow{Label: w.stageLabel(s.Stage), Count: fmt.Sprint(s.Count), Rate: "—"}
		if s.Rate != nil {
			r.Rate = percent(*s.Rate)
		}
		out = append(out, r)
	}
	return out
}
