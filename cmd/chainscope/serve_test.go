package main

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"chainscope/dataset"
	"chainscope/synth"
)

// freeAddr returns a 127.0.0.1 address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serveProcess is a `chainscope serve` child process.
type serveProcess struct {
	cmd    *exec.Cmd
	url    string
	stderr *bytes.Buffer
}

// startServe runs the binary's serve command in dir and waits until it
// answers /healthz.
func startServe(t *testing.T, dir string, env []string, args ...string) *serveProcess {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd, url: "http://" + addr, stderr: &stderr}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(p.url + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve never answered /healthz; stderr:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// send makes one request to the child and returns status and body.
func (p *serveProcess) send(t *testing.T, method, path, token string, body io.Reader) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, p.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestServeCommand: without --db serve creates ./chainscope.db from the
// built-in dataset, takes the editor token from the environment, and on
// SIGTERM finishes and closes the database cleanly (exit 0, no WAL left).
func TestServeCommand(t *testing.T) {
	dir := t.TempDir()
	p := startServe(t, dir, []string{editorTokenEnv + "=tok-123"}, "--annual-target-yi", "1500")
	db := filepath.Join(dir, "chainscope.db")
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("no ./chainscope.db: %v", err)
	}
	if status, body := p.send(t, "GET", "/api/v1/region", "", nil); status != 200 || !strings.Contains(body, "运城市") {
		t.Fatalf("region: %d %s", status, body)
	}
	if status, body := p.send(t, "GET", "/api/v1/dashboard", "", nil); status != 200 || !strings.Contains(body, `"target_wan":15000000`) {
		t.Fatalf("dashboard: %d %.300s", status, body)
	}
	if status, _ := p.send(t, "DELETE", "/api/v1/links?from=a&to=b", "wrong", nil); status != 401 {
		t.Fatalf("wrong token: %d", status)
	}
	ds := loadDB(t, db)
	l := ds.Links[0]
	path := "/api/v1/links?from=" + l.From + "&to=" + l.To
	if status, body := p.send(t, "DELETE", path, "tok-123", nil); status != 204 {
		t.Fatalf("delete link: %d %s", status, body)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v\n%s", err, p.stderr.String())
	}
	if _, err := os.Stat(db + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("WAL left behind: %v", err)
	}
	if got := loadDB(t, db); len(got.Links) != len(ds.Links)-1 {
		t.Fatalf("%d links after the delete, want %d", len(got.Links), len(ds.Links)-1)
	}
	for _, want := range []string{`"msg":"request"`, `"status":204`, `"msg":"stopped"`} {
		if !strings.Contains(p.stderr.String(), want) {
			t.Errorf("log lacks %s:\n%.2000s", want, p.stderr.String())
		}
	}
	if strings.Contains(p.stderr.String(), "tok-123") {
		t.Error("the log shows the editor token")
	}
}

// TestServeReadOnly: with no token anywhere every write is 403.
func TestServeReadOnly(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	mustCLI(t, "init", "--db", db)
	p := startServe(t, dir, []string{editorTokenEnv + "="}, "--db", db)
	if status, body := p.send(t, "POST", "/api/v1/links", "anything", strings.NewReader(`{"from":"a","to":"b"}`)); status != 403 || !strings.Contains(body, `"error"`) {
		t.Fatalf("write on a read-only server: %d %s", status, body)
	}
	p.cmd.Process.Signal(syscall.SIGINT)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGINT: %v", err)
	}
}

func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	mustCLI(t, "init", "--db", db)
	out := filepath.Join(dir, "backup.db")
	mustCLI(t, "backup", "--db", db, "-o", out)
	if !bytes.Equal(exportJSON(t, out), exportJSON(t, db)) {
		t.Fatal("the backup holds other data")
	}
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"existing output", []string{"backup", "--db", db, "-o", out}, 1},
		{"missing database", []string{"backup", "--db", filepath.Join(dir, "none.db"), "-o", filepath.Join(dir, "b2.db")}, 1},
		{"no -o", []string{"backup", "--db", db}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if code, _, errOut := cli(t, tc.args...); code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, errOut)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Fatal("backup created the database it was to copy")
	}
}

// TestKillDuringUpload SIGKILLs the server while it stores a
// province-scale upload (a zip of CSV files: the same data as JSON would
// pass the 50 MiB upload limit) and checks that the database opens with
// exactly its earlier data.
func TestKillDuringUpload(t *testing.T) {
	if testing.Short() {
		t.Skip("province-scale kill test skipped in -short mode")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	mustCLI(t, "init", "--db", db)
	want := exportJSON(t, db)

	csvDir := filepath.Join(dir, "province")
	if err := dataset.WriteCSV(csvDir, synth.Generate(synth.Province())); err != nil {
		t.Fatal(err)
	}
	var upload bytes.Buffer
	zw := zip.NewWriter(&upload)
	err := filepath.WalkDir(csvDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		w, err := zw.Create(d.Name())
		if err == nil {
			var b []byte
			if b, err = os.ReadFile(path); err == nil {
				_, err = w.Write(b)
			}
		}
		return err
	})
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(csvDir)

	p := startServe(t, dir, []string{editorTokenEnv + "=tok"}, "--db", db)
	uploaded := make(chan string, 1)
	go func() {
		req, _ := http.NewRequest("POST", p.url+"/api/v1/dataset?mode=replace", bytes.NewReader(upload.Bytes()))
		req.Header.Set("Authorization", "Bearer tok")
		req.Header.Set("Content-Type", "application/zip")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			uploaded <- err.Error()
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		uploaded <- fmt.Sprintf("%d %.300s", res.StatusCode, b)
	}()
	// Wait until the write transaction has spilled into the WAL file.
	wal := db + "-wal"
	deadline := time.Now().Add(3 * time.Minute)
	for {
		if st, err := os.Stat(wal); err == nil && st.Size() > 8<<20 {
			break
		}
		select {
		case res := <-uploaded:
			t.Fatalf("upload finished before the kill (%s); make it larger\n%s", res, p.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the upload never reached the write phase; stderr:\n%s", p.stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("serve was not killed: %v", p.cmd.ProcessState)
	}
	if res := <-uploaded; strings.HasPrefix(res, "200") {
		t.Fatalf("the upload succeeded before the kill: %s", res)
	}
	if got := exportJSON(t, db); !bytes.Equal(got, want) {
		t.Fatal("database after kill -9 differs from its earlier data")
	}
}
