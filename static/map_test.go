package static_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"chainscope/yuncheng"
)

// withBoundaries stores the built-in region's county boundaries behind
// the running server and waits until it serves the map (it notices the
// write within a second, as it does any other process's).
func withBoundaries(t *testing.T, a *app) {
	t.Helper()
	bs, err := yuncheng.Boundaries(a.ds)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.SetBoundaries(context.Background(), bs); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, _ := a.get("/api/v1/map.svg?chain=battery")
		if res.StatusCode == 200 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("map.svg still %d after storing boundaries", res.StatusCode)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// labelCentre is the middle of the map's label reading name, in page
// coordinates.
func labelCentre(t *testing.T, ctx context.Context, name string) (float64, float64) {
	t.Helper()
	p := eval[[]float64](t, ctx, fmt.Sprintf(`(() => {
		const el = [...document.querySelectorAll('#cluster-map-svg #labels text')].find((x) => x.textContent === %q);
		if (!el) { return []; }
		const r = el.getBoundingClientRect();
		return [r.left + r.width / 2, r.top + r.height / 2];
	})()`, name))
	if len(p) != 2 {
		t.Fatalf("no label %s on the map", name)
	}
	return p[0], p[1]
}

// TestClusterMap: a region without boundaries shows the matrix alone and
// how to add them; with boundaries the map stands above the matrix,
// hovering a county shows its figures, clicking it opens its panorama,
// and the downloads are the served SVG and a PNG of it.
func TestClusterMap(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)

	open(t, ctx, a, "/cluster", "cluster")
	if !eval[bool](t, ctx, `document.getElementById('map-none') !== null && document.querySelector('#cluster-matrix td.matrix-cell') !== null`) {
		t.Fatal("without boundaries the page should say how to add them and keep the matrix")
	}
	if txt := text(t, ctx, "#map-none"); !strings.Contains(txt, "尚未导入县区边界") || !strings.Contains(txt, "chainscope import-boundaries") {
		t.Errorf("the note says %q", txt)
	}

	withBoundaries(t, a)
	open(t, ctx, a, "/cluster?chain=battery", "cluster")
	if n := eval[int](t, ctx, `document.querySelectorAll('#cluster-map-svg path[id^="county-"]').length`); n != 13 {
		t.Fatalf("%d counties on the map", n)
	}
	if !eval[bool](t, ctx, `!!(document.getElementById('map-card').compareDocumentPosition(document.getElementById('cluster-matrix')) & Node.DOCUMENT_POSITION_FOLLOWING)`) {
		t.Error("the map is not above the matrix")
	}

	// Downloads: the exact bytes served, and a PNG of them.
	dir := t.TempDir()
	allowDownloads(t, ctx, dir)
	res, want := a.get("/api/v1/map.svg?chain=battery")
	if res.StatusCode != 200 {
		t.Fatalf("map.svg: %d", res.StatusCode)
	}
	do(t, ctx, click("#map-download-svg"))
	if got := waitFile(t, dir, "chainscope-map-battery-completeness-zh.svg"); !bytes.Equal(got, want) {
		t.Errorf("downloaded SVG (%d bytes) differs from the API's (%d bytes)", len(got), len(want))
	}
	do(t, ctx, click("#map-download-png"))
	img, err := png.Decode(bytes.NewReader(waitFile(t, dir, "chainscope-map-battery-completeness-zh.png")))
	if err != nil {
		t.Fatalf("the PNG does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 1000 {
		t.Errorf("PNG is %dx%d", b.Dx(), b.Dy())
	}

	// Another metric redraws the map from the server.
	do(t, ctx, click(`#map-metric [data-metric="investment"]`))
	for deadline := time.Now().Add(20 * time.Second); !eval[bool](t, ctx,
		`document.getElementById('map-card').dataset.state === 'done' && [...document.querySelectorAll('#cluster-map-svg text')].some((x) => x.textContent.startsWith('项目投资'))`); {
		if time.Now().After(deadline) {
			t.Fatal("the investment map did not come")
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Hover, then click 垣曲县 where its name is written.
	x, y := labelCentre(t, ctx, "垣曲县")
	do(t, ctx, chromedp.MouseEvent(chromedp.MouseMoved, x, y))
	if info := text(t, ctx, "#map-info"); !strings.Contains(info, "垣曲县 140827") {
		t.Errorf("hovering 垣曲县 shows %q", info)
	}
	do(t, ctx, chromedp.MouseClickXY(x, y), waitReady("panorama"))
	if loc := get(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/panorama?area=140827&chain=battery") {
		t.Errorf("clicking 垣曲县 led to %s", loc)
	}
	noErrors(t, con, "cluster map")
}

// TestMapScreenshot writes docs/screenshots/map.png, the cluster view with
// its map, when screenshots are asked for (see TestScreenshots).
func TestMapScreenshot(t *testing.T) {
	if !*screenshots && os.Getenv("CHAINSCOPE_SCREENSHOTS") == "" {
		t.Skip("run with -screenshots (or CHAINSCOPE_SCREENSHOTS=1) to write docs/screenshots")
	}
	a := newApp(t)
	withBoundaries(t, a)
	ctx, con := browserCtx(t, 1440, 1120)
	open(t, ctx, a, "/cluster?chain=battery", "cluster")
	png := get(t, ctx, chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join("..", "docs", "screenshots", "map.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	noErrors(t, con, "map screenshot")
}

// TestClusterMapUpload: an editor on a region without boundaries uploads a
// GeoJSON file from the note, a file missing a county is refused naming
// it, and the right one brings the map.
func TestClusterMapUpload(t *testing.T) {
	a := newApp(t)
	ctx, con := browserCtx(t, 1440, 900)
	dir := t.TempDir()
	good := filepath.Join(dir, "yuncheng.geojson")
	if err := os.WriteFile(good, yuncheng.BoundariesGeoJSON(), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.geojson")
	if err := os.WriteFile(bad, []byte(`{"type":"FeatureCollection","features":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, a, "/cluster", "cluster")
	if eval[bool](t, ctx, `document.getElementById('boundaries-file') !== null`) {
		t.Error("the upload is offered without the editor token")
	}
	do(t, ctx, js(`sessionStorage.setItem('chainscope.editorToken', 't')`), chromedp.Reload(), waitReady("cluster"),
		chromedp.SetUploadFiles(chromedp.CSS(`#boundaries-file`), []string{bad}),
		until(`document.querySelector('#boundaries-msg .problems li') !== null`))
	if msg := text(t, ctx, "#boundaries-msg"); !strings.Contains(msg, "县区 140827 垣曲县 在边界文件中没有对应的要素") {
		t.Errorf("the refused upload says %q", msg)
	}
	con.take() // the refused upload's 422 is logged by the browser
	do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS(`#boundaries-file`), []string{good}),
		until(`document.querySelectorAll('#cluster-map-svg path[id^="county-"]').length === 13`))
	noErrors(t, con, "boundaries upload")
}
