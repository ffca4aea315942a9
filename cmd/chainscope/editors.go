package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"chainscope/server"
)

// editorsFileHelp describes the --editors file, for serve --help and
// the README.
const editorsFileHelp = `编辑者文件 the --editors file: one editor a line, "姓名 name" then the SHA-256 of their token
in hex (64 digits), separated by white space; the name may hold spaces (the last field is the hash);
blank lines and lines starting with # are ignored. A writer's revisions are recorded under their name.
Hash a token with:  printf %s 'TOKEN' | sha256sum
  # 运城市招商局
  张三 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
  Li Si 60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752`

// readEditors reads an --editors file (see editorsFileHelp). Its
// problems name the line, never the content of a hash.
func readEditors(path string) ([]server.Editor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("无法读取编辑者文件 cannot read the editors file: %w", err)
	}
	defer f.Close()
	return parseEditors(f, path)
}

// parseEditors reads the lines of an editors file named path.
func parseEditors(r io.Reader, path string) ([]server.Editor, error) {
	var eds []server.Editor
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) < 2 {
			return nil, fmt.Errorf("%s 第 %d 行 line %d: 应为“姓名 令牌的SHA-256” expected NAME SHA256-OF-TOKEN", path, line, line)
		}
		name := strings.Join(fields[:len(fields)-1], " ")
		sum, err := hex.DecodeString(fields[len(fields)-1])
		if err != nil || len(sum) != 32 {
			return nil, fmt.Errorf("%s 第 %d 行 line %d: 最后一项应为 64 位十六进制 SHA-256 the last field must be a SHA-256 in hex (64 digits)", path, line, line)
		}
		if err := server.CheckEditorName(name); err != nil {
			return nil, fmt.Errorf("%s 第 %d 行 line %d: %w", path, line, line, err)
		}
		ed := server.Editor{Name: name}
		copy(ed.TokenSHA256[:], sum)
		eds = append(eds, ed)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("无法读取编辑者文件 cannot read the editors file %s: %w", path, err)
	}
	if len(eds) == 0 {
		return nil, fmt.Errorf("编辑者文件 %s 中没有编辑者 the editors file names no editor", path)
	}
	return eds, nil
}

// editorFlags collects repeated --editor NAME=TOKEN flags.
type editorFlags []server.Editor

func (f *editorFlags) String() string { return fmt.Sprintf("%d editors", len(*f)) } // never the tokens

func (f *editorFlags) Set(v string) error {
	name, token, ok := strings.Cut(v, "=")
	name, token = strings.TrimSpace(name), strings.TrimSpace(token)
	if !ok || token == "" {
		return fmt.Errorf("--editor 应为 姓名=令牌 must be NAME=TOKEN")
	}
	if err := server.CheckEditorName(name); err != nil {
		return err
	}
	*f = append(*f, server.NewEditor(name, token))
	return nil
}
