package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"chainscope"
	"chainscope/dataset"
	"chainscope/store"
	"chainscope/yuncheng"
)

// bin is the chainscope binary built once for the tests that need a real
// process (kill -9); most tests call run() in-process.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "chainscope-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "chainscope")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		panic(fmt.Sprintf("go build: %v\n%s", err, out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs one command line in-process and returns its exit status and output.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, false)
	return code, stdout.String(), stderr.String()
}

func mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := cli(t, args...)
	if code != 0 {
		t.Fatalf("chainscope %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// loadDB returns the whole dataset stored at path.
func loadDB(t *testing.T, path string) *chainscope.Dataset {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ds, err := db.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// exportJSON returns the JSON export of the database at path.
func exportJSON(t *testing.T, path string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "export.json")
	mustCLI(t, "export", "--db", path, "--format", "json", "-o", out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func builtinJSON(t *testing.T) []byte {
	t.Helper()
	ds, err := yuncheng.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := dataset.WriteJSON(&buf, ds); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestInitImportExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	mustCLI(t, "init", "--db", db)
	want := builtinJSON(t)
	if got := exportJSON(t, db); !bytes.Equal(got, want) {
		t.Fatal("export of the built-in database differs from the built-in dataset")
	}
	// every format re-imports to identical data
	for _, format := range []string{"json", "xlsx", "csv"} {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "export."+format)
			mustCLI(t, "export", "--db", db, "--format", format, "-o", out)
			db2 := filepath.Join(t.TempDir(), "b.db")
			mustCLI(t, "import", "--db", db2, out)
			if got := exportJSON(t, db2); !bytes.Equal(got, want) {
				t.Fatalf("%s round trip changed the data", format)
			}
		})
	}
	// init refuses to clobber data
	if code, _, errOut := cli(t, "init", "--db", db); code == 0 || !strings.Contains(errOut, "--force") {
		t.Fatalf("init over data: exit %d %s", code, errOut)
	}
}

func TestGraphMLExport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	mustCLI(t, "init", "--db", db)
	out := mustCLI(t, "export", "--db", db, "--format", "graphml", "-o", "-")
	ds := loadDB(t, db)
	for _, want := range []string{`attr.name="kind"`, `attr.name="investment" attr.type="double"`, `attr.name="product"`, ds.Enterprises[0].Name, `edgedefault="directed"`} {
		if !strings.Contains(out, want) {
			t.Errorf("GraphML lacks %q", want)
		}
	}
	if got := strings.Count(out, "<node "); got != len(ds.Enterprises)+len(ds.Projects) {
		t.Errorf("nodes = %d, want %d", got, len(ds.Enterprises)+len(ds.Projects))
	}
	if got := strings.Count(out, "<edge "); got != len(ds.Links) {
		t.Errorf("edges = %d, want %d", got, len(ds.Links))
	}
}

func TestFailedImportChangesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	mustCLI(t, "init", "--db", db)
	before := fileHash(t, db)

	// a 10 000-link file with one bad row in the middle
	ds, err := yuncheng.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	ds.Links = ds.Links[:0]
	for _, a := range ds.Enterprises {
		for _, b := range ds.Enterprises {
			if a.ID != b.ID && len(ds.Links) < 10000 {
				ds.Links = append(ds.Links, chainscope.Link{From: a.ID, To: b.ID, Product: "产品"})
			}
		}
	}
	if len(ds.Links) < 10000 {
		t.Fatalf("built-in dataset too small for a 10 000-row file: %d links", len(ds.Links))
	}
	ds.Links[len(ds.Links)/2].To = "E-does-not-exist"
	var buf bytes.Buffer
	if err := dataset.WriteJSON(&buf, ds); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, buf.Bytes(), 0o644)
	wantRow := bytes.Count(buf.Bytes()[:bytes.Index(buf.Bytes(), []byte(`"E-does-not-exist"`))], []byte("\n")) + 1

	cases := []struct {
		name, file, content string
		mode                string
		want                []string
	}{
		{"bad row in the middle", bad, "", "replace", []string{bad, fmt.Sprintf("(row %d)", wantRow), "E-does-not-exist", "unknown enterprise or project"}},
		{"merge with bad row", bad, "", "merge", []string{bad, fmt.Sprintf("(row %d)", wantRow)}},
		{"malformed JSON", filepath.Join(dir, "m.json"), `{"region": {"code": "140800",`, "replace", []string{"m.json", "malformed JSON"}},
		{"unknown field", filepath.Join(dir, "u.json"), `{"region": {"code": "140800", "name": "x", "nmae": "y"}}`, "replace", []string{"u.json", "nmae", "unknown field"}},
		{"truncated xlsx", filepath.Join(dir, "t.xlsx"), "PK\x03\x04truncated", "replace", []string{"t.xlsx"}},
		{"unsupported file", filepath.Join(dir, "x.txt"), "hello", "replace", []string{"x.txt", "unsupported"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.content != "" {
				os.WriteFile(tc.file, []byte(tc.content), 0o644)
			}
			importFails(t, db, before, tc.want, "--mode", tc.mode, tc.file)
		})
	}
	if !bytes.Equal(exportJSON(t, db), builtinJSON(t)) {
		t.Fatal("data changed after failed imports")
	}
}

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, builtinJSON(t), 0o644)
	if code, out, errOut := cli(t, "validate", good); code != 0 || !strings.Contains(out, "valid") {
		t.Fatalf("validate good: %d %s %s", code, out, errOut)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, bytes.Replace(builtinJSON(t), []byte(`"stage":"upstream"`), []byte(`"stage":"upstreem"`), 1), 0o644)
	code, _, errOut := cli(t, "validate", bad)
	if code != 1 || !strings.Contains(errOut, "upstreem") || !strings.Contains(errOut, "stage") {
		t.Fatalf("validate bad: exit %d\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "chainscope.db")); err == nil {
		t.Fatal("validate created a database")
	}
	if code, _, _ := cli(t, "validate"); code != 2 {
		t.Fatalf("validate with no path: exit %d, want 2", code)
	}
	if code, _, _ := cli(t, "frobnicate"); code != 2 {
		t.Fatalf("unknown command: exit %d, want 2", code)
	}
}

func TestMergeImport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	mustCLI(t, "init", "--db", db)
	ds := loadDB(t, db)
	e := ds.Enterprises[0]
	patch := fmt.Sprintf(`{"enterprises": [{"id": %q, "name": "改名企业", "county": %q, "segments": [], "leader_of": []}]}`, e.ID, e.County)
	p := filepath.Join(dir, "patch.json")
	os.WriteFile(p, []byte(patch), 0o644)
	mustCLI(t, "import", "--db", db, "--mode", "merge", p)
	after := loadDB(t, db)
	if after.Enterprises[0].Name != "改名企业" || len(after.Enterprises) != len(ds.Enterprises) || len(after.Links) != len(ds.Links) {
		t.Fatalf("merge did not upsert: %+v", after.Enterprises[0])
	}
}

func TestGenDeterministic(t *testing.T) {
	a := mustCLI(t, "gen", "--seed", "7", "-o", "-")
	b := mustCLI(t, "gen", "--seed", "7", "-o", "-")
	c := mustCLI(t, "gen", "--seed", "8", "-o", "-")
	if a != b || a == c {
		t.Fatal("gen is not deterministic per seed")
	}
	var ds map[string]json.RawMessage
	if err := json.Unmarshal([]byte(a), &ds); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "g.json")
	os.WriteFile(f, []byte(a), 0o644)
	mustCLI(t, "validate", f)
}

// TestKillDuringImport kills an import of a province-scale file with SIGKILL
// halfway through and checks that the database opens with exactly its
// earlier data.
func TestKillDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("province-scale kill test skipped in -short mode")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	mustCLI(t, "init", "--db", db)
	want := exportJSON(t, db)
	big := filepath.Join(dir, "province")
	mustCLI(t, "gen", "--scale", "province", "--format", "csv", "-o", big)

	cmd := exec.Command(bin, "import", "--db", db, big)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// wait until the write transaction has spilled into the WAL file
	wal := db + "-wal"
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if st, err := os.Stat(wal); err == nil && st.Size() > 8<<20 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("import never reached the write phase; stderr:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("import finished before the kill (%v); make the file larger", err)
	}
	if got := exportJSON(t, db); !bytes.Equal(got, want) {
		t.Fatal("database after kill -9 differs from its earlier data")
	}
}

// importFails runs `import --db db args...` and checks that it exits 1,
// that stderr holds every want, and that the database file still hashes
// to before.
func importFails(t *testing.T, db string, before [32]byte, want []string, args ...string) {
	t.Helper()
	code, _, errOut := cli(t, append([]string{"import", "--db", db}, args...)...)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, errOut)
	}
	for _, w := range want {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	if fileHash(t, db) != before {
		t.Fatal("database file changed")
	}
}

// TestFailedCSVImportChangesNothing: importing a CSV folder, the links are
// read and checked while the other tables are already being written; a bad
// links row, whether the reader or the check finds it, still fails the
// import with the row named and leaves the database as it was.
func TestFailedCSVImportChangesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	mustCLI(t, "init", "--db", db)
	before := fileHash(t, db)
	csvDir := filepath.Join(dir, "csv")
	mustCLI(t, "export", "--db", db, "--format", "csv", "-o", csvDir)
	links, err := os.ReadFile(filepath.Join(csvDir, "links.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(links), "\n")
	mid := len(lines) / 2
	for _, tc := range []struct {
		name, row string
		want      []string
	}{
		{"unknown end", "E-nobody,E-nobody-2,产品,,\n", []string{"links.csv", fmt.Sprintf("(row %d)", mid+1), "E-nobody", "unknown enterprise or project"}},
		{"broken quoting", "E-a,\"E-b\"x,产品,,\n", []string{"links.csv", "malformed quoting"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := append(append(append([]string(nil), lines[:mid]...), tc.row), lines[mid:]...)
			if err := os.WriteFile(filepath.Join(csvDir, "links.csv"), []byte(strings.Join(bad, "")), 0o644); err != nil {
				t.Fatal(err)
			}
			importFails(t, db, before, tc.want, csvDir)
		})
	}
	// and the sound folder imports, to the same data
	os.WriteFile(filepath.Join(csvDir, "links.csv"), links, 0o644)
	mustCLI(t, "import", "--db", db, csvDir)
	if !bytes.Equal(exportJSON(t, db), builtinJSON(t)) {
		t.Fatal("re-import of the exported CSV changed the data")
	}
}
