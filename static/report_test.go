package static_test

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"chainscope"
	"chainscope/graph"
)

// pdfPage matches a page object of a PDF (not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// TestReportPrints: the monthly report of the region and of a county of
// the built-in dataset prints to at most 4 A4 pages, and its headline
// table shows the period figures GET /api/v1/periods gives, written as an
// officer reads them.
func TestReportPrints(t *testing.T) {
	a := newApp(t)
	ctx, _ := browserCtx(t, 1000, 1400)
	for _, area := range []string{"*", "140882", "140802"} {
		do(t, ctx, chromedp.Navigate(a.url("/report?period=2024-04&area="+area)), chromedp.WaitReady(chromedp.CSS("#targets")))
		yes := true
		res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes, PrintBackground: &yes})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(res.Data, []byte("%PDF")) {
			t.Fatalf("%s: no PDF", area)
		}
		pages := len(pdfPage.FindAll(res.Data, -1))
		if pages < 1 || pages > 4 {
			t.Errorf("%s: %d pages, want 1–4", area, pages)
		}
		t.Logf("report of %s: %d A4 pages, %d bytes of PDF", area, pages, len(res.Data))

		var ytd, month graph.PeriodFigures
		a.getJSON("/api/v1/periods?kind=ytd&period=2024-04&area="+area, &ytd)
		a.getJSON("/api/v1/periods?kind=month&period=2024-04&area="+area, &month)
		head := text(t, ctx, "#headlines")
		pct := func(x float64) string { return strconv.FormatFloat(x*100, 'f', 2, 64) + "%" }
		for _, f := range []graph.Figures{ytd.Figures, month.Figures} {
			for _, want := range []string{chainscope.FormatCount(f.Signed), chainscope.FormatAmount(f.InvestmentWan, "zh"),
				chainscope.FormatCount(f.Started), pct(f.StartRate), chainscope.FormatCount(f.Emerging)} {
				if !strings.Contains(head, want) {
					t.Errorf("%s: the headline table lacks %q:\n%s", area, want, head)
				}
			}
		}
		if r := ytd.Report; r != nil && r.InvestmentWan != nil && !strings.Contains(head, chainscope.FormatAmount(*r.InvestmentWan, "zh")) {
			t.Errorf("%s: the reported investment is missing:\n%s", area, head)
		}
		if area != "*" && !strings.Contains(text(t, ctx, "h1"), ytd.Name) {
			t.Errorf("%s: the title does not name %s", area, ytd.Name)
		}
	}
}
