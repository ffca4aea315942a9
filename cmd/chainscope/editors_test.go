package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"chainscope"
	"chainscope/dataset"
	"chainscope/yuncheng"
)

func sha(token string) string {
	s := sha256.Sum256([]byte(token))
	return hex.EncodeToString(s[:])
}

// TestParseEditors: names (with spaces), comments and blank lines are
// read; a bad line is refused with its number and never its hash.
func TestParseEditors(t *testing.T) {
	good := "\ufeff# 招商局\n\n张三 " + sha("a") + "\n  Li Si   " + strings.ToUpper(sha("b")) + "  \n"
	eds, err := parseEditors(strings.NewReader(good), "eds.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(eds) != 2 || eds[0].Name != "张三" || eds[1].Name != "Li Si" ||
		eds[0].TokenSHA256 != sha256.Sum256([]byte("a")) || eds[1].TokenSHA256 != sha256.Sum256([]byte("b")) {
		t.Fatalf("%+v", eds)
	}
	for _, bad := range []string{"", "# only\n", "张三\n", "张三 " + sha("a")[:60] + "\n", "张三 " + strings.Repeat("zz", 32) + "\n"} {
		_, err := parseEditors(strings.NewReader(bad), "eds.txt")
		if err == nil {
			t.Errorf("accepted %q", bad)
			continue
		}
		if strings.Contains(err.Error(), sha("a")[:60]) {
			t.Errorf("error shows the hash: %v", err)
		}
	}
	var f editorFlags
	if err := f.Set("王五=tok"); err != nil || len(f) != 1 || f[0].Name != "王五" {
		t.Fatalf("%v %+v", err, f)
	}
	for _, bad := range []string{"tok", "=tok", "王五=", " 王五 = "} {
		if err := f.Set(bad); err == nil {
			t.Errorf("--editor %q accepted", bad)
		}
	}
	if strings.Contains(f.String(), "tok") {
		t.Errorf("flag value shows a token: %s", f.String())
	}
}

// TestServeEditors: serve with --editors and --editor records each
// editor's name; the built-in data keeps its report's 3000 亿元 target
// without --annual-target-yi; the log never shows a token, a hash or
// the file; serve --help documents the file.
func TestServeEditors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "editors.txt")
	if err := os.WriteFile(file, []byte("# test\n张三 "+sha("tok-zhang")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startServe(t, dir, []string{editorTokenEnv + "="}, "--editors", file, "--editor", "Li Si=tok-li")
	for tok, want := range map[string]string{"tok-zhang": `{"name":"张三"}`, "tok-li": `{"name":"Li Si"}`} {
		if status, body := p.send(t, "GET", "/api/v1/editor", tok, nil); status != 200 || body != want {
			t.Errorf("/editor: %d %s, want %s", status, body, want)
		}
	}
	if status, body := p.send(t, "GET", "/api/v1/editor", "tok-wrong", nil); status != 401 || !strings.Contains(body, `"code":"unauthorized"`) {
		t.Errorf("/editor wrong token: %d %s", status, body)
	}
	if status, body := p.send(t, "GET", "/api/v1/dashboard", "", nil); status != 200 || !strings.Contains(body, `"target_wan":30000000`) {
		t.Errorf("dashboard: %d %.300s", status, body)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v", err)
	}
	logs := p.stderr.String()
	for _, secret := range []string{"tok-zhang", "tok-li", sha("tok-zhang"), sha("tok-li"), "editors.txt", "# test"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log shows %q", secret)
		}
	}
	code, out, _ := cli(t, "serve", "--help")
	if code != 0 || !strings.Contains(out, "--editors") || !strings.Contains(out, "sha256sum") || !strings.Contains(out, "SHA-256") {
		t.Errorf("serve --help: exit %d\n%s", code, out)
	}
}

// TestValidateWarnsOperatingWithoutStarted: validate and import list a
// project operating without a started date as a warning, and go on.
func TestValidateWarnsOperatingWithoutStarted(t *testing.T) {
	ds, err := yuncheng.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	ds.Projects[0].Status, ds.Projects[0].Started = chainscope.StatusOperating, ""
	var buf bytes.Buffer
	if err := dataset.WriteJSON(&buf, ds); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "warn.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"validate", path}, {"import", "--db", filepath.Join(t.TempDir(), "x.db"), path}} {
		code, _, stderr := cli(t, args...)
		if code != 0 || !strings.Contains(stderr, "开工日期") || !strings.Contains(stderr, ds.Projects[0].ID) {
			t.Errorf("%s: exit %d, stderr:\n%s", args[0], code, stderr)
		}
	}
}
