package static_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"chainscope"
	"chainscope/server"
)

// screenshots asks TestScreenshots to write docs/screenshots/*.png:
//
//	go test ./static -run TestScreenshots -screenshots
//
// CHAINSCOPE_SCREENSHOTS=1 does the same without the flag.
var screenshots = flag.Bool("screenshots", false, "write screenshots of every view into docs/screenshots")

// TestScreenshots writes a screenshot of each view, at a small laptop's
// window size (1280×720), into docs/screenshots. It runs only when asked.
func TestScreenshots(t *testing.T) {
	if !*screenshots && os.Getenv("CHAINSCOPE_SCREENSHOTS") == "" {
		t.Skip("run with -screenshots (or CHAINSCOPE_SCREENSHOTS=1) to write docs/screenshots")
	}
	dir := filepath.Join("..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	a := newApp(t)
	// The county boundaries `chainscope serve` stores with the built-in
	// data, so the cluster view shows its map.
	withBoundaries(t, a)
	ctx, con := browserCtx(t, 1280, 720)
	shots := []struct {
		name, path, view string
		full             bool
		then             func()
	}{
		{name: "dashboard", path: "/dashboard", view: "dashboard", full: true},
		{name: "panorama", path: "/panorama?area=140827&chain=battery", view: "panorama"},
		{name: "panorama-node", path: "/panorama?area=140827&chain=battery&node=E-zhenghong", view: "panorama"},
		{name: "panorama-segment", path: "/panorama?area=140827&chain=battery", view: "panorama", then: func() {
			do(t, ctx, click(`#seg-list .seg-row[data-status="missing"]`), until(`document.querySelector('#detail-panel .panel-body') !== null`))
		}},
		{name: "cluster", path: "/cluster", view: "cluster", full: true},
		{name: "gaps", path: "/gaps?area=140827", view: "gaps"},
		// 延链建议 of a county, scrolled to the top of the section.
		{name: "related", path: "/gaps?area=140827", view: "gaps", then: func() {
			do(t, ctx, js(`window.scrollTo(0, document.getElementById('related').getBoundingClientRect().top + window.scrollY - 72)`))
		}},
		{name: "gaps-chain", path: "/gaps?area=140827&chain=battery", view: "gaps", full: true},
		{name: "projects", path: "/projects", view: "projects", full: true},
		// The county table with the 市本级 row (the projects of no county).
		{name: "dashboard-region-level", path: "/dashboard", view: "dashboard", then: func() {
			do(t, ctx, js(`window.scrollTo(0, (document.querySelector('.dash-region-row') || document.getElementById('dash-county-table')).getBoundingClientRect().top + window.scrollY - 420)`))
		}},
		// Edit mode with a named editor's token: the header names the
		// editor; the form asks for the investment in 亿元.
		{name: "projects-edit", path: "/projects?q=P-2024", view: "projects", then: func() {
			do(t, ctx, useToken(namedToken), until(`document.getElementById('token-form').hidden`),
				chromedp.WaitVisible(chromedp.CSS(`[data-edit]`)),
				click(`[data-edit]`), chromedp.WaitVisible(chromedp.CSS("#project-dialog")))
		}},
		// An amount ×10 000 off the previous one: the form asks first.
		{name: "projects-edit-scale", path: "/projects?q=P-2024", view: "projects", then: func() {
			do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-edit]`)),
				click(`[data-edit]`), chromedp.WaitVisible(chromedp.CSS("#project-dialog")),
				js(`(() => { const f = document.getElementById('pf-investment_wan'); f.value = String(Number(f.value) * 10000); })()`),
				click("#project-save"), chromedp.WaitVisible(chromedp.CSS("#pf-scale")))
		}},
		{name: "enterprise-edit", path: "/enterprises?q=E-zhenghong", view: "enterprises", then: func() {
			do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-edit]`)),
				click(`[data-edit]`), chromedp.WaitVisible(chromedp.CSS("#enterprise-dialog")))
		}},
		{name: "enterprises", path: "/enterprises", view: "enterprises"},
		{name: "dashboard-en", path: "/dashboard", view: "dashboard", then: func() {
			do(t, ctx, click("#lang-switch"), chromedp.WaitReady(chromedp.CSS(`html[lang="en"]`)), waitReady("dashboard"))
		}},
		{name: "panorama-en", path: "/panorama?area=140827&chain=battery&node=E-zhenghong", view: "panorama"},
		// The segment list beside the picture in English: stage labels
		// beside the names, never over them.
		{name: "panorama-segment-en", path: "/panorama?area=140827&chain=battery", view: "panorama", then: func() {
			do(t, ctx, click(`#seg-list .seg-row[data-status="missing"]`), until(`document.querySelector('#detail-panel .panel-body') !== null`),
				js(`document.getElementById('seg-list').scrollIntoView()`))
		}},
		// Last, as it edits the data: a signed project gets its signing
		// date and a larger investment (revision 2), then starts (3); the
		// ledger as of revision 2 shows its history, the start marked as
		// later than the time on screen.
		{name: "history", path: "/dashboard", view: "dashboard", then: func() {
			do(t, ctx, click("#lang-switch"), chromedp.WaitReady(chromedp.CSS(`html[lang="zh-CN"]`)), waitReady("dashboard"))
			id := ""
			for _, p := range a.ds.Projects {
				if p.Status == chainscope.StatusSigned && p.Signed == "" && p.InvestmentWan != nil {
					id = p.ID
					break
				}
			}
			if id == "" {
				t.Fatal("no signed project without a signing date in the built-in data")
			}
			var v server.ProjectView
			a.getJSON("/api/v1/projects/"+id, &v)
			v.Project.Signed = "2024-04-18"
			*v.Project.InvestmentWan *= 1.2
			a.putWith(namedToken, "/api/v1/projects/"+id, v.Project)
			v.Project.Status = chainscope.StatusStarted
			v.Project.Started = "2024-04-26"
			a.putWith(namedToken, "/api/v1/projects/"+id, v.Project)
			open(t, ctx, a, "/projects?q="+id+"&as_of=2", "projects")
			do(t, ctx, click(`[data-history="`+id+`"]`),
				until(`document.querySelector('#record-dialog .hist[data-state="done"]') !== null`),
				until(`document.getElementById('asof-banner-text').textContent.includes('修订 2')`))
		}},
		{name: "audit", path: "/audit", view: "audit"},
	}
	for _, s := range shots {
		open(t, ctx, a, s.path, s.view)
		if s.then != nil {
			s.then()
		}
		var png []byte
		if s.full {
			png = get(t, ctx, chromedp.FullScreenshot(100))
		} else {
			png = get(t, ctx, chromedp.CaptureScreenshot())
		}
		if err := os.WriteFile(filepath.Join(dir, s.name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s.png (%d bytes)", s.name, len(png))
	}
	noErrors(t, con, "screenshots")
}
