package static_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"chainscope"
	"chainscope/server"
	"chainscope/store"
)

// useToken opens the token form, types tok and submits it.
func useToken(tok string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Poll[chromedp.Void](`(() => { const f = document.getElementById('token-form');
			if (f.hidden) { document.getElementById('token-button').click(); } return !f.hidden; })()`),
		chromedp.SetValue(chromedp.CSS("#token-input"), tok),
		click("#token-save"))
}

// saves clicks the button that saves a form (css) and waits until the
// save is confirmed (the toast) and the view (view) has rendered again.
// The toast of an earlier save and the view's ready mark are cleared
// first, so neither can pass for this save's.
func saves(css, view string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		js(`document.getElementById('toast').hidden = true; delete document.body.dataset.ready`),
		click(css), chromedp.WaitVisible(chromedp.CSS("#toast")), waitReady(view))
}

// opens clicks a button (css) of a rendered view that opens a dialog
// (dialog) and waits until it is open.
func opens(view, css, dialog string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(waitReady(view), chromedp.WaitVisible(chromedp.CSS(css)),
		js(fmt.Sprintf(`document.querySelector(%q).click()`, css)),
		until(fmt.Sprintf(`document.querySelector(%q)?.open === true`, dialog)))
}

// setValue sets the value of a form field (chromedp.SetValue refuses "").
func setValue(css, v string) chromedp.Action[chromedp.Void] {
	return js(fmt.Sprintf(`document.querySelector(%q).value = %q`, css, v))
}

// latestRevision is the newest revision of the app's data.
func (a *app) latestRevision() store.Revision {
	a.t.Helper()
	var page server.RevisionPage
	a.getJSON("/api/v1/revisions?limit=1", &page)
	if len(page.Revisions) != 1 {
		a.t.Fatalf("no revision: %+v", page)
	}
	return page.Revisions[0]
}

// projectWith is the first project of the built-in data whose investment
// lies between lo and hi 万元.
func (a *app) projectWith(lo, hi float64) chainscope.Project {
	a.t.Helper()
	for _, p := range a.ds.Projects {
		if p.InvestmentWan != nil && *p.InvestmentWan > lo && *p.InvestmentWan < hi {
			return p
		}
	}
	a.t.Fatalf("no project with an investment between %v and %v 万元", lo, hi)
	return chainscope.Project{}
}

func (a *app) project(id string) chainscope.Project {
	a.t.Helper()
	var v server.ProjectView
	a.getJSON("/api/v1/projects/"+url.PathEscape(id), &v)
	return v.Project
}

// TestTokenCheckedOnEnteringEditMode: a wrong token is refused when it is
// entered — the header says so and stays read-only — a named token shows
// its editor's name in the header and asks for no name, and the shared
// token asks for the editor's name, which the revision then records.
func TestTokenCheckedOnEnteringEditMode(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1280, 720)
	p := a.projectWith(1000, 1e6)
	open(t, ctx, a, "/projects?q="+url.QueryEscape(p.ID), "projects")
	editBtn := fmt.Sprintf(`[data-edit=%q]`, p.ID)

	do(t, ctx, useToken("wrong"), chromedp.WaitVisible(chromedp.CSS("#token-error")))
	if msg := text(t, ctx, "#token-error"); !strings.Contains(msg, "令牌不正确") {
		t.Errorf("a wrong token is refused with %q", msg)
	}
	if b := text(t, ctx, "#token-button"); b != "编辑" {
		t.Errorf("after a wrong token the header says %q, want 编辑 (read-only)", b)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-edit]').length`); n != 0 {
		t.Errorf("%d edit buttons after a wrong token", n)
	}
	con.take() // the 401 answer, logged as a failed load

	// A named token: 编辑中 · 张三, no name asked, edit buttons.
	do(t, ctx, useToken(namedToken), chromedp.WaitVisible(chromedp.CSS(editBtn)),
		until(`document.getElementById('token-form').hidden`))
	if b := text(t, ctx, "#token-button"); b != "编辑中 · "+namedEditor {
		t.Errorf("with a named token the header says %q", b)
	}
	if eval[bool](t, ctx, `!document.getElementById('editor-name-row').hidden`) {
		t.Error("a named token still asks for the editor's name")
	}
	if eval[bool](t, ctx, `!document.getElementById('token-error').hidden`) {
		t.Error("the refusal of the wrong token is still shown")
	}
	do(t, ctx, opens("projects", editBtn, "#project-dialog"),
		chromedp.SetValue(chromedp.CSS("#pf-name"), p.Name+"（张）"),
		saves("#project-save", "projects"))
	if r := a.latestRevision(); r.By != namedEditor {
		t.Errorf("a save with 张三's token is recorded as by %q", r.By)
	}

	// The shared token: edit mode, and the form asks for a name, which
	// the header then shows and the next revision records.
	do(t, ctx, click("#token-button"), click("#token-clear"), until(`document.getElementById('token-button').textContent === '编辑'`),
		useToken(editorToken), chromedp.WaitVisible(chromedp.CSS("#editor-name")),
		chromedp.SetValue(chromedp.CSS("#editor-name"), "李四"), click("#token-save"),
		until(`document.getElementById('token-button').textContent === '编辑中 · 李四'`),
		opens("projects", editBtn, "#project-dialog"),
		chromedp.SetValue(chromedp.CSS("#pf-name"), p.Name+"（李）"),
		saves("#project-save", "projects"))
	if r := a.latestRevision(); r.By != "李四" {
		t.Errorf("a save with the shared token and the name 李四 is recorded as by %q", r.By)
	}

	// The audit log shows who changed what.
	open(t, ctx, a, "/audit", "audit")
	by := eval[[]string](t, ctx, `[...document.querySelectorAll('#audit-table .audit-by')].slice(0, 2).map((td) => td.textContent)`)
	if !slices.Equal(by, []string{"李四", namedEditor}) {
		t.Errorf("the audit log's newest editors are %q, want 李四 and %s", by, namedEditor)
	}
	if s := text(t, ctx, "#audit-table .audit-summary"); !strings.Contains(s, "修改项目 "+p.ID) {
		t.Errorf("the newest revision is summed up as %q", s)
	}
	noErrors(t, con, "token check")
}

// TestAmountsInYi: the project form asks for 亿元: 5 saves 50000 万元 and
// 0.07 saves 700 exactly; an amount ×10 000 from the previous one asks
// for confirmation and saves nothing until confirmed; a refused save
// shows the API's problem at its field, and a save without a token the
// server's refusal.
func TestAmountsInYi(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1280, 720)
	p := a.projectWith(5, 5e8) // 5 亿 = 50000 万 is within ×10 000 of it
	open(t, ctx, a, "/projects?q="+url.QueryEscape(p.ID), "projects")
	do(t, ctx, js(`sessionStorage.setItem('chainscope.editorToken', '`+namedToken+`')`), chromedp.Reload(), waitReady("projects"))
	editBtn := fmt.Sprintf(`[data-edit=%q]`, p.ID)
	openForm := opens("projects", editBtn, "#project-dialog")

	do(t, ctx, openForm)
	if label := text(t, ctx, `[data-field="investment_wan"] label`); !strings.Contains(label, "亿元") {
		t.Errorf("the investment is asked as %q, want 亿元", label)
	}
	if v := eval[string](t, ctx, `document.getElementById('pf-investment_wan').value`); v != strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.8f", *p.InvestmentWan/1e4), "0"), ".") {
		t.Errorf("the form shows the investment %v 万元 as %q 亿元", *p.InvestmentWan, v)
	}

	// A negative amount: the API's problem at the field.
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#pf-investment_wan"), "-5"), click("#project-save"),
		chromedp.WaitVisible(chromedp.CSS(`.field-error[data-for="investment_wan"] div`)))
	con.take() // the 422 answer

	// 5 亿元 → 50000 万元.
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#pf-investment_wan"), "5"), saves("#project-save", "projects"))
	if got := a.project(p.ID).InvestmentWan; got == nil || *got != 50000 {
		t.Fatalf("typing 5 (亿元) saved %v 万元, want 50000", got)
	}

	// 50000 typed as if 万元: ×10 000 → asked, nothing saved.
	do(t, ctx, openForm, chromedp.SetValue(chromedp.CSS("#pf-investment_wan"), "50000"), click("#project-save"),
		chromedp.WaitVisible(chromedp.CSS("#pf-scale")))
	if q := text(t, ctx, "#pf-scale-text"); !strings.Contains(q, "5.00 亿元") || !strings.Contains(q, "50,000.00 亿元") || !strings.Contains(q, "10,000") {
		t.Errorf("the confirmation reads %q", q)
	}
	if got := a.project(p.ID).InvestmentWan; *got != 50000 {
		t.Errorf("an unconfirmed ×10 000 amount was saved: %v", *got)
	}
	// Back to the form, 0.07 亿元: 700 万元 exactly, no question (×71).
	do(t, ctx, click("#pf-scale-cancel"), until(`document.getElementById('pf-scale').hidden`),
		chromedp.SetValue(chromedp.CSS("#pf-investment_wan"), "0.07"), saves("#project-save", "projects"))
	if got := a.project(p.ID).InvestmentWan; *got != 700 {
		t.Errorf("typing 0.07 (亿元) saved %v 万元, want 700 exactly", *got)
	}
	// ×10 000 and confirmed: saved.
	do(t, ctx, openForm, chromedp.SetValue(chromedp.CSS("#pf-investment_wan"), "700"), click("#project-save"),
		chromedp.WaitVisible(chromedp.CSS("#pf-scale")), saves("#pf-scale-confirm", "projects"))
	if got := a.project(p.ID).InvestmentWan; *got != 7e6 {
		t.Errorf("a confirmed 700 亿元 saved %v 万元, want 7000000", *got)
	}
	// The ledger shows it in 亿元.
	if cell := text(t, ctx, fmt.Sprintf(`#ledger-table tr[data-id=%q] td.num`, p.ID)); cell != "700.00" {
		t.Errorf("the ledger shows 700 亿元 as %q", cell)
	}
	noErrors(t, con, "amounts")

	// Operating without a start date: saved, with the warning shown.
	do(t, ctx, openForm, chromedp.SetValue(chromedp.CSS("#pf-status"), "operating"),
		setValue("#pf-started", ""), saves("#project-save", "projects"))
	if msg := text(t, ctx, "#toast"); !strings.Contains(msg, "开工日期") {
		t.Errorf("saving 投产 without 开工日期 says %q, want the warning", msg)
	}

	// In English the form asks for millions of yuan: CNY 70,000 m is
	// 7 000 000 万元, and 148137 typed is 14 813 700 万元.
	do(t, ctx, js(`localStorage.setItem('chainscope.lang', 'en')`), chromedp.Reload(), waitReady("projects"), openForm)
	if label := text(t, ctx, `[data-field="investment_wan"] label`); !strings.Contains(label, "CNY m") {
		t.Errorf("in English the investment is asked as %q, want CNY m", label)
	}
	if v := eval[string](t, ctx, `document.getElementById('pf-investment_wan').value`); v != "70000" {
		t.Errorf("in English 7000000 万元 shows as %q, want 70000 (CNY m)", v)
	}
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#pf-investment_wan"), "148137"), saves("#project-save", "projects"))
	if got := a.project(p.ID).InvestmentWan; *got != 14813700 {
		t.Errorf("typing 148137 (CNY m) saved %v 万元, want 14813700", *got)
	}
	if cell := text(t, ctx, fmt.Sprintf(`#ledger-table tr[data-id=%q] td.num`, p.ID)); cell != "148,137" {
		t.Errorf("the English ledger shows CNY 148,137 m as %q", cell)
	}
	do(t, ctx, js(`localStorage.setItem('chainscope.lang', 'zh')`), chromedp.Reload(), waitReady("projects"))

	// Without a token (removed in another tab) the save is refused.
	do(t, ctx, openForm, js(`sessionStorage.clear()`),
		chromedp.SetValue(chromedp.CSS("#pf-name"), "不应保存"), click("#project-save"),
		chromedp.WaitVisible(chromedp.CSS("#form-alert")))
	if alert := text(t, ctx, "#form-alert"); !strings.Contains(alert, "401") || !strings.Contains(alert, "令牌") {
		t.Errorf("refusal shown as %q, want the status 401 and the server's message", alert)
	}
	if a.project(p.ID).Name == "不应保存" {
		t.Error("a save without a token changed the name")
	}
	con.take() // the 401 answer
}

// TestEnterpriseAndLinkEditing: an enterprise is edited with the same form
// (年产值 in 亿元, the USCC checked by the API at its field, 链主 chains,
// the ×10 000 question), a supply link is created from it with the ends
// picked by searching every enterprise, its product changed, and deleted.
func TestEnterpriseAndLinkEditing(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1280, 720)
	var e chainscope.Enterprise
	for _, x := range a.ds.Enterprises {
		if x.OutputWan != nil && *x.OutputWan > 100 && *x.OutputWan < 1e7 && len(x.LeaderOf) == 0 {
			e = x
			break
		}
	}
	if e.ID == "" {
		t.Fatal("no enterprise with an annual output in the built-in data")
	}
	open(t, ctx, a, "/enterprises?q="+url.QueryEscape(e.ID), "enterprises")
	do(t, ctx, js(`sessionStorage.setItem('chainscope.editorToken', '`+namedToken+`')`), chromedp.Reload(), waitReady("enterprises"))
	editBtn := fmt.Sprintf(`[data-edit=%q]`, e.ID)
	openForm := opens("enterprises", editBtn, "#enterprise-dialog")

	// A USCC of the wrong shape: the API's problem at the field.
	do(t, ctx, openForm, chromedp.SetValue(chromedp.CSS("#ef-uscc"), "123"), click("#enterprise-save"),
		chromedp.WaitVisible(chromedp.CSS(`.field-error[data-for="uscc"] div`)))
	con.take() // the 422 answer

	// 3 亿元 of output, the leader of the first chain.
	chain := a.ds.Chains[0].ID
	do(t, ctx, setValue("#ef-uscc", e.USCC),
		chromedp.SetValue(chromedp.CSS("#ef-output_wan"), "3"),
		click(fmt.Sprintf(`#ef-leader_of input[value=%q]`, chain)),
		saves("#enterprise-save", "enterprises"))
	var v server.EnterpriseView
	a.getJSON("/api/v1/enterprises/"+url.PathEscape(e.ID), &v)
	if v.Enterprise.OutputWan == nil || *v.Enterprise.OutputWan != 30000 || !slices.Equal(v.Enterprise.LeaderOf, []string{chain}) {
		t.Fatalf("after saving 3 亿元 and 链主 %s: output %v, leader of %v", chain, v.Enterprise.OutputWan, v.Enterprise.LeaderOf)
	}
	if r := a.latestRevision(); r.By != namedEditor {
		t.Errorf("the enterprise edit is recorded as by %q", r.By)
	}
	// ×10 000: asked.
	do(t, ctx, openForm, chromedp.SetValue(chromedp.CSS("#ef-output_wan"), "30000"), click("#enterprise-save"),
		chromedp.WaitVisible(chromedp.CSS("#ef-scale")), click("#ef-scale-cancel"))
	a.getJSON("/api/v1/enterprises/"+url.PathEscape(e.ID), &v)
	if *v.Enterprise.OutputWan != 30000 {
		t.Errorf("an unconfirmed ×10 000 output was saved: %v", *v.Enterprise.OutputWan)
	}

	// A new supplier of e: the supplier found by typing part of its name.
	var partner chainscope.Enterprise
	for _, x := range a.ds.Enterprises[len(a.ds.Enterprises)/2:] {
		if x.ID != e.ID && !slices.ContainsFunc(a.ds.Links, func(l chainscope.Link) bool { return l.From == x.ID && l.To == e.ID }) {
			partner = x
			break
		}
	}
	part := string([]rune(partner.Name)[:min(4, len([]rune(partner.Name)))])
	do(t, ctx, click(`[data-link-new="from"]`), chromedp.WaitVisible(chromedp.CSS("#link-dialog")),
		chromedp.SendKeys(chromedp.CSS("#lf-from"), part),
		until(fmt.Sprintf(`[...document.querySelectorAll('#lf-from-options option')].some((o) => o.value === %q)`, partner.ID)))
	if to := eval[string](t, ctx, `document.getElementById('lf-to').value`); to != e.ID {
		t.Errorf("a new supplier's link has the customer %q, want %s", to, e.ID)
	}
	// An end that does not exist: the API's problem at its field.
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#lf-from"), "NO-SUCH-ID"), click("#link-save"),
		chromedp.WaitVisible(chromedp.CSS(`#link-dialog .field-error[data-for="from"] div`)))
	con.take() // the 422 answer
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#lf-from"), partner.ID),
		chromedp.SetValue(chromedp.CSS("#lf-product"), "测试产品"),
		saves("#link-save", "enterprises"))
	linkOf := func() []chainscope.Link {
		var res struct{ Items []chainscope.Link }
		a.getJSON("/api/v1/links?from="+url.QueryEscape(partner.ID)+"&to="+url.QueryEscape(e.ID), &res)
		return res.Items
	}
	if l := linkOf(); len(l) != 1 || l[0].Product != "测试产品" {
		t.Fatalf("after creating the link the API has %+v", l)
	}

	// Its product changed, then deleted, from e's form. The form holds its
	// fields until it has read the link's version (its ETag goes back as
	// If-Match).
	linkBtn := fmt.Sprintf(`[data-link-edit=%q]`, partner.ID+"→"+e.ID)
	linkRead := until(`!document.getElementById('link-save').disabled && !document.getElementById('lf-product').readOnly`)
	do(t, ctx, openForm, opens("enterprises", linkBtn, "#link-dialog"), linkRead,
		chromedp.SetValue(chromedp.CSS("#lf-product"), "改过的产品"),
		saves("#link-save", "enterprises"))
	if l := linkOf(); len(l) != 1 || l[0].Product != "改过的产品" {
		t.Fatalf("after changing the product the API has %+v", l)
	}
	// Someone else changes the link while the form holds it: the save is
	// refused (412) and writes nothing; 载入最新内容 loads their version,
	// and a save on it goes through.
	do(t, ctx, openForm, opens("enterprises", linkBtn, "#link-dialog"), linkRead)
	theirs := linkOf()[0]
	theirs.Product = "他人改的产品"
	a.send(http.MethodPut, "/api/v1/links?from="+url.QueryEscape(partner.ID)+"&to="+url.QueryEscape(e.ID), theirs)
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#lf-product"), "我改的产品"), click("#link-save"),
		until(`!document.getElementById('lf-alert').hidden && document.getElementById('lf-alert').textContent.includes('412')`))
	con.take() // the 412 answer
	if l := linkOf(); len(l) != 1 || l[0].Product != "他人改的产品" {
		t.Fatalf("the refused save wrote %+v", l)
	}
	do(t, ctx, click("#link-reload"), until(`document.getElementById('lf-product').value === '他人改的产品'`),
		chromedp.SetValue(chromedp.CSS("#lf-product"), "我改的产品"), saves("#link-save", "enterprises"))
	if l := linkOf(); len(l) != 1 || l[0].Product != "我改的产品" {
		t.Fatalf("after loading their version and saving, the API has %+v", l)
	}
	do(t, ctx, openForm, opens("enterprises", linkBtn, "#link-dialog"), linkRead,
		click("#link-delete"), saves("#link-delete-confirm", "enterprises"))
	if l := linkOf(); len(l) != 0 {
		t.Errorf("after deleting the link the API has %+v", l)
	}
	// From a record's panel in the panorama, 编辑 opens its form.
	open(t, ctx, a, "/panorama?node=E-zhenghong&kind=enterprise", "panorama")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#panel-edit")), click("#panel-edit"), waitReady("enterprises"),
		until(`document.getElementById('enterprise-dialog').open && document.getElementById('ef-id').value === 'E-zhenghong'`))
	if q := eval[string](t, ctx, `location.search`); strings.Contains(q, "edit=") {
		t.Errorf("the address keeps %q after opening the form", q)
	}
	noErrors(t, con, "enterprise and link editing")
}
