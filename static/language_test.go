package static_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// recordNames are the texts the data itself holds, which a screen shows
// in whatever language they were written: the names of the region, its
// counties, chains, segments, enterprises and projects, and the products,
// sources and notes of records — read from the API as the app reads them.
func (a *app) recordNames() []string {
	a.t.Helper()
	set := map[string]bool{}
	addAll := func(v any) {
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, y := range x {
					switch k {
					case "name", "product", "source", "note", "owner", "reason":
						if s, ok := y.(string); ok && s != "" {
							set[s] = true
						}
					default:
						walk(y)
					}
				}
			case []any:
				for _, y := range x {
					walk(y)
				}
			}
		}
		walk(v)
	}
	for _, path := range []string{"/api/v1/region", "/api/v1/counties", "/api/v1/chains",
		"/api/v1/enterprises?per_page=500", "/api/v1/projects?per_page=500", "/api/v1/links?per_page=500", "/api/v1/leads?limit=500"} {
		var v any
		a.getJSON(path, &v)
		if m, ok := v.(map[string]any); ok && path != "/api/v1/region" && path != "/api/v1/counties" && path != "/api/v1/chains" {
			items, _ := m["items"].([]any)
			if leads, ok := m["leads"].([]any); ok {
				items = leads
			}
			if total, _ := m["total"].(float64); int(total) > len(items) {
				a.t.Fatalf("%s holds %v records, more than one page", path, total)
			}
		}
		addAll(v)
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	return out
}

// wrongScript lists the visible texts of the page in the other language
// than lang, once the record names are taken out of them: any Chinese
// character or CJK punctuation on an English screen, an English phrase
// (three words or more) on a Chinese one. The briefing picture of the
// panorama (the Go SVG renderer's) is left out, and so is an element
// marked as another language (lang="…"), the language switch.
const wrongScript = `((lang, names) => {
	const sorted = [...names].sort((a, b) => b.length - a.length);
	const han = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;
	const english = /[A-Za-z]{2,}(?:[\s,;:'’()\-]+[A-Za-z]{2,}){2,}/;
	const out = [];
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const el = n.parentElement;
		if (!el || el.closest('script, style, noscript, #pano-canvas, title')) continue;
		// An element marked as another language (the switch's 中文 / English).
		const marked = el.closest('[lang]');
		if (marked && marked !== document.documentElement && marked.lang.slice(0, 2) !== lang) continue;
		if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
		let s = n.textContent;
		if (!s.trim()) continue;
		for (const name of sorted) {
			if (s.includes(name)) s = s.split(name).join(' ');
		}
		if (lang === 'en' ? han.test(s) : english.test(s)) {
			out.push((el.id ? '#' + el.id : el.className ? '.' + String(el.className).split(' ')[0] : el.tagName) + ': ' + n.textContent.trim().slice(0, 120));
		}
	}
	return [...new Set(out)];
})`

// TestOneLanguagePerScreen walks the main views in Chinese and in English
// — the dashboard, the panorama with a segment's panel open, the gap
// report with its 延链 suggestions, the project ledger with a project's
// history, the enterprise directory, the audit log, the dashboard's
// periods, the leads with the lead form, the funnel and what changed — and fails on any
// visible text in the other language that is not a name from the data.
func TestOneLanguagePerScreen(t *testing.T) {
	a := newApp(t)
	// The editor's name (the header shows it in edit mode) is a name too.
	names, err := json.Marshal(append(a.recordNames(), namedEditor))
	if err != nil {
		t.Fatal(err)
	}
	// One edit, so the history and the audit log have a revision by an
	// editor to show.
	p := a.ds.Projects[0]
	a.renameProject(p.ID, p.Name, 1234)

	ctx, con := browserCtx(t, 1280, 720)
	screens := []struct {
		name, path, view string
		then             func()
	}{
		{name: "dashboard", path: "/dashboard", view: "dashboard"},
		{name: "panorama + segment panel", path: "/panorama?area=140827&chain=battery", view: "panorama", then: func() {
			do(t, ctx, click(`#seg-list .seg-row[data-status="missing"]`),
				until(`document.querySelector('#detail-panel .panel-body[data-kind="segment"]') !== null && document.querySelector('#candidates, #detail-panel .muted') !== null`))
		}},
		{name: "panorama + node panel", path: "/panorama?area=140827&chain=battery&node=E-zhenghong", view: "panorama", then: func() {
			do(t, ctx, until(`document.querySelector('#detail-panel .hist[data-state="done"]') !== null`))
		}},
		{name: "gaps + related", path: "/gaps?area=140827", view: "gaps"},
		{name: "projects + history", path: "/projects?q=" + p.ID, view: "projects", then: func() {
			do(t, ctx, click(fmt.Sprintf(`[data-history=%q]`, p.ID)),
				until(`document.querySelector('#record-dialog .hist[data-state="done"]') !== null`))
		}},
		{name: "enterprises", path: "/enterprises", view: "enterprises"},
		{name: "audit", path: "/audit", view: "audit"},
		{name: "dashboard periods", path: "/dashboard?pkind=quarter&period=2024-04", view: "dashboard"},
		{name: "leads + form", path: "/leads", view: "leads", then: func() {
			do(t, ctx, useToken(namedToken), until(`document.getElementById('token-form').hidden`), waitReady("leads"),
				opens("leads", "#lead-new", "#lead-dialog"))
		}},
		{name: "funnel", path: "/funnel", view: "funnel"},
		{name: "changes", path: "/changes?from=1", view: "changes"},
	}
	for _, lang := range []string{"zh", "en"} {
		open(t, ctx, a, "/dashboard", "dashboard")
		do(t, ctx, js(`localStorage.setItem('chainscope.lang', '`+lang+`')`))
		for _, s := range screens {
			open(t, ctx, a, s.path, s.view)
			if s.then != nil {
				s.then()
			}
			bad := eval[[]string](t, ctx, wrongScript+`('`+lang+`', `+string(names)+`)`)
			if len(bad) > 0 {
				t.Errorf("%s, %s: %d texts in the other language:\n  %s", lang, s.name, len(bad), strings.Join(bad, "\n  "))
			}
		}
	}
	do(t, ctx, js(`localStorage.setItem('chainscope.lang', 'zh')`))
	noErrors(t, con, "one language per screen")
}
