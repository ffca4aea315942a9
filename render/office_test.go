package render

import (
	"archive/zip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"chainscope"
)

// TestMapLibreOffice opens the built-in region's map in LibreOffice
// (scripts/test-deps.sh installs it; without it the test is skipped, except
// in CI, where it fails): LibreOffice draws the SVG into a PDF, reads the
// PDF back into Draw as shapes and text, and every county name must be
// there intact.
func TestMapLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("LibreOffice (soffice) is not installed; scripts/test-deps.sh installs it")
		}
		t.Skip("LibreOffice (soffice) is not installed")
	}
	ds, ix := builtin()
	doc := mustMap(t, ds, ix, builtinBounds(), MapOptions{Chain: "battery"})
	dir := t.TempDir()
	svgPath := filepath.Join(dir, "map.svg")
	if err := os.WriteFile(svgPath, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	profile := "-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	run := func(args ...string) {
		cmd := exec.Command(soffice, append(append([]string{profile, "--headless", "--norestore"}, args[:len(args)-1]...), "--outdir", dir, args[len(args)-1])...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice %v: %v\n%s", args, err, out)
		}
	}
	run("--convert-to", "pdf", svgPath)
	run("--infilter=draw_pdf_import", "--convert-to", "odg", filepath.Join(dir, "map.pdf"))
	zr, err := zip.OpenReader(filepath.Join(dir, "map.odg"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var content string
	for _, f := range zr.File {
		if f.Name == "content.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			content = string(b)
		}
	}
	text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(content, "")
	for _, c := range ds.Counties {
		if c.Kind != chainscope.KindZone && !strings.Contains(text, c.Name) {
			t.Errorf("LibreOffice lost the county name %s", c.Name)
		}
	}
	if !strings.Contains(text, "产业集群分布图") {
		t.Error("LibreOffice lost the title")
	}
}
