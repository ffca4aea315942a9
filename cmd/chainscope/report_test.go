package main

import (
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReportCommand: `chainscope report -o FILE.html` writes the very page
// GET /report serves for the same database, -o FILE.xlsx a workbook of the
// same content, and bad flags fail.
func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	mustCLI(t, "init", "--db", db)
	html := filepath.Join(dir, "r.html")
	mustCLI(t, "report", "--db", db, "--area", "140882", "--period", "2024-04", "-o", html)
	got, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}

	srv := apiServer(t, db).Config.Handler
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/report?area=140882&period=2024-04", nil))
	want, _ := io.ReadAll(rec.Result().Body)
	if rec.Code != 200 || string(got) != string(want) {
		t.Errorf("report file (%d bytes) differs from GET /report (%d, %d bytes)", len(got), rec.Code, len(want))
	}

	xlsx := filepath.Join(dir, "r.xlsx")
	mustCLI(t, "report", "--db", db, "--period", "2024-04", "-o", xlsx, "--lang", "en")
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Headlines", "A4"); v != "Projects signed" {
		t.Errorf("Headlines!A4 = %q", v)
	}

	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"report", "--db", db, "--period", "2024-04", "-o", filepath.Join(dir, "r.pdf")}, 2},
		{[]string{"report", "--db", db, "--period", "2024/04", "-o", html}, 2},
		{[]string{"report", "--db", db, "-o", html}, 2},
		{[]string{"report", "--db", db, "--period", "2024-04", "--area", "000000", "-o", html}, 1},
	} {
		if code, _, _ := cli(t, c.args...); code != c.code {
			t.Errorf("chainscope %v: exit %d, want %d", c.args, code, c.code)
		}
	}
}
