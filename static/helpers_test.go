package static_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"chainscope"
	"chainscope/server"
	"chainscope/static"
	"chainscope/store"
	"chainscope/yuncheng"
)

// editorToken is the shared token (--editor-token) the test server
// accepts for writes: its editor is named "editor" and types a name.
const editorToken = "t"

// namedEditor and namedToken are a named editor (--editor NAME=TOKEN):
// the server records that name for the token's writes.
const (
	namedEditor = "张三"
	namedToken  = "zs-token"
)

// app is the web app served by a real server, on a real SQLite file
// holding the built-in 运城市 dataset, behind a listener on 127.0.0.1.
type app struct {
	t   testing.TB
	ds  *chainscope.Dataset
	db  *store.DB
	srv *httptest.Server
}

func newApp(t testing.TB) *app {
	t.Helper()
	ds, err := yuncheng.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	return newAppWith(t, ds)
}

// newAppWith is the web app served on a real SQLite file holding ds.
func newAppWith(t testing.TB, ds *chainscope.Dataset) *app {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "chainscope.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Replace(ctx, ds); err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Config{
		DB:          db,
		Static:      static.FS,
		EditorToken: editorToken,
		Editors:     []server.Editor{server.NewEditor(namedEditor, namedToken)},
		// The built-in 运城市 data has its annual target in its report record.
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	// httptest.NewServer listens on 127.0.0.1 only.
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &app{t: t, ds: ds, db: db, srv: srv}
}

// url is an address of the app.
func (a *app) url(path string) string { return a.srv.URL + path }

// get fetches an API path and returns the status and body.
func (a *app) get(path string, header ...string) (*http.Response, []byte) {
	a.t.Helper()
	req, err := http.NewRequest(http.MethodGet, a.url(path), nil)
	if err != nil {
		a.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := a.srv.Client().Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return res, body
}

// getJSON fetches an API path that must answer 200 and decodes it into v.
func (a *app) getJSON(path string, v any) {
	a.t.Helper()
	res, body := a.get(path)
	if res.StatusCode != http.StatusOK {
		a.t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		a.t.Fatalf("GET %s: %v", path, err)
	}
}

// chromiumPath finds the browser, or skips the test — except under CI
// (CI=true), where a missing browser fails it: browser tests must never
// pass by not running.
func chromiumPath(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (run scripts/test-deps.sh); browser tests must run in CI")
	}
	t.Skip("chromium is not installed; skipping browser tests (scripts/test-deps.sh installs it)")
	return ""
}

// console collects what the page reports as an error: console.error and
// console.assert calls, uncaught exceptions, and the browser's own error
// log entries (CSP violations, failed loads).
type console struct {
	mu     sync.Mutex
	errors []string
}

func (c *console) add(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errors = append(c.errors, s)
}

// take returns the errors collected so far and forgets them.
func (c *console) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.errors
	c.errors = nil
	return out
}

// listen is the console's event handler. chromedp calls it on the loop
// that reads the browser's messages, before the reply of the command that
// caused the event, so an error is recorded by the time the action that
// caused it returns.
func (c *console) listen(ev any) {
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range e.Args {
				if a.Description != "" {
					parts = append(parts, a.Description)
				} else {
					parts = append(parts, string(a.Value))
				}
			}
			c.add(fmt.Sprintf("console.%s: %s", e.Type, strings.Join(parts, " ")))
		}
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		c.add(fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
	case *cdplog.EventEntryAdded:
		if e.Entry.Level == cdplog.EntryLevelError {
			c.add(fmt.Sprintf("log %s: %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL))
		}
	}
}

// browserCtx starts a headless chromium for one test, isolated (a fresh
// profile, background networking off) and listening to the page's
// console.
func browserCtx(t testing.TB, width, height int) (context.Context, *console) {
	t.Helper()
	exe := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// Start the browser now (without a deadline: it lives as long as the
	// context of the first call), so its start-up counts in no step.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	con := &console{}
	if err := chromedp.Listen(ctx, con.listen); err != nil {
		t.Fatal(err)
	}
	return ctx, con
}

// do runs browser steps and fails the test on an error. Every step has a
// generous deadline, so a page that never becomes ready fails the test
// instead of hanging it.
func do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(c, steps...); err != nil {
		t.Fatal(err)
	}
}

// get runs one browser action that returns a value.
func get[T any](t testing.TB, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	return get(t, ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// text is the text of the first element matching a CSS selector.
func text(t testing.TB, ctx context.Context, css string) string {
	t.Helper()
	return get(t, ctx, chromedp.Text(chromedp.CSS(css)))
}

// js runs a statement for its effect.
func js(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](expr)
}

// until waits until a JavaScript expression is true.
func until(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(30*time.Second))
}

// open loads an address of the app and waits until the view has
// rendered (the app sets data-ready on <body>), failing on a view that
// shows an error.
func open(t testing.TB, ctx context.Context, a *app, path, view string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(a.url(path)), waitReady(view))
	if eval[bool](t, ctx, `document.body.dataset.error === 'true'`) {
		t.Fatalf("%s: the view shows an error: %s", path, text(t, ctx, "#view"))
	}
}

// waitReady waits for the view to be rendered.
func waitReady(view string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`body[data-ready=%q]`, view)))
}

// click clicks the first element matching a CSS selector.
func click(css string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(css))
}

// clickID clicks the middle of the element with the given id with the
// mouse, as a user would (ids of the panorama hold dots and dashes, so no
// CSS selector is built from them).
func clickID(t testing.TB, ctx context.Context, id string) {
	t.Helper()
	box := eval[[]float64](t, ctx, fmt.Sprintf(`(() => {
		const el = document.getElementById(%q);
		if (!el) { return []; }
		const target = el.querySelector('rect') || el;
		const r = target.getBoundingClientRect();
		return [r.left + r.width / 2, r.top + r.height / 2];
	})()`, id))
	if len(box) != 2 {
		t.Fatalf("no element #%s on the page", id)
	}
	do(t, ctx, chromedp.MouseClickXY(box[0], box[1]))
}

// drag presses the left mouse button at one point, moves in steps to
// another and releases it there.
func drag(x0, y0, x1, y1 float64) chromedp.Action[chromedp.Void] {
	steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, x0, y0, chromedp.ButtonLeft, chromedp.ClickCount(1))}
	for i := 1; i <= 8; i++ {
		f := float64(i) / 8
		steps = append(steps, chromedp.MouseEvent(chromedp.MouseMoved, x0+(x1-x0)*f, y0+(y1-y0)*f, chromedp.ButtonLeft))
	}
	steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, x1, y1, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	return chromedp.Steps(steps...)
}

// allowDownloads makes the browser save downloads into dir.
func allowDownloads(t testing.TB, ctx context.Context, dir string) {
	t.Helper()
	_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: new(true),
	})
	if err != nil {
		t.Fatal(err)
	}
}

// waitFile waits until the browser has finished writing dir/name.
func waitFile(t testing.TB, dir, name string) []byte {
	t.Helper()
	path := filepath.Join(dir, name)
	deadline := time.Now().Add(30 * time.Second)
	for {
		b, err := os.ReadFile(path)
		if err == nil && len(b) > 0 {
			if _, err := os.Stat(path + ".crdownload"); errors.Is(err, os.ErrNotExist) {
				return b
			}
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Fatalf("download %s did not arrive; the folder holds %v", name, names)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// noErrors fails the test with every console error collected.
func noErrors(t testing.TB, con *console, where string) {
	t.Helper()
	for _, e := range con.take() {
		t.Errorf("%s: %s", where, e)
	}
}
