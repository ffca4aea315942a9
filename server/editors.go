package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"chainscope"
)

// Editor is a person allowed to write: a name, recorded as the `by` of
// every revision they make (SPEC §8), and the SHA-256 digest of their
// token. The server never holds the token itself.
type Editor struct {
	Name        string
	TokenSHA256 [sha256.Size]byte
}

// NewEditor is the editor name with token, hashed.
func NewEditor(name, token string) Editor {
	return Editor{Name: name, TokenSHA256: sha256.Sum256([]byte(token))}
}

// maxEditorName is how many characters of a name an audit entry keeps.
const maxEditorName = 40

// CheckEditorName returns a problem with name as an editor's name, nil
// for a good one: one line, valid UTF-8, 1 to 40 characters.
func CheckEditorName(name string) error {
	switch {
	case name == "" || strings.TrimSpace(name) != name:
		return chainscope.Localizedf(chainscope.EINVALID, "编辑者名称不能为空，首尾不能有空格：%q",
			"an editor's name must not be empty or start or end with a space: %q", name)
	case !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return chainscope.Localizedf(chainscope.EINVALID, "编辑者名称含有控制字符：%q",
			"an editor's name holds a control character: %q", name)
	case utf8.RuneCountInString(name) > maxEditorName:
		return chainscope.Localizedf(chainscope.EINVALID, "编辑者名称超过 %[2]d 个字符：%[1]q",
			"an editor's name is over %[2]d characters: %[1]q", name, maxEditorName)
	}
	return nil
}

// editorKey is one token the server accepts. legacy marks the single
// shared token of --editor-token, whose requests may name their author
// in X-Editor-Name.
type editorKey struct {
	sum    [sha256.Size]byte
	name   string
	legacy bool
}

// editorActor is how the audit log names a change made with the shared
// legacy token when the request names nobody.
const editorActor = "editor"

// ctxEditor is the gin context key of the editor a request is by.
const ctxEditor = "chainscope.editor"

// authenticate returns the editor whose token the request presents. The
// digest is compared with every configured one in constant time, so
// neither a token's content, length nor position leaks.
func (s *Server) authenticate(token string) (editorKey, bool) {
	sum := sha256.Sum256([]byte(token))
	var found editorKey
	ok := 0
	for _, k := range s.editors {
		m := subtle.ConstantTimeCompare(sum[:], k.sum[:])
		if m == 1 {
			found = k
		}
		ok |= m
	}
	return found, ok == 1
}

// requireEditor lets a request through only with an editor's token and
// remembers whose it is (editorName). With no token configured the
// server is read-only: 403 read_only. A missing or wrong token is 401
// with a WWW-Authenticate challenge.
func (s *Server) requireEditor(c *gin.Context) {
	if len(s.editors) == 0 {
		s.fail(c, chainscope.Localizedf(eReadOnly,
			"服务器为只读模式（未配置编辑令牌）", "the server is read-only: no editor token is configured"))
		return
	}
	got := editorToken(c.Request)
	if got == "" {
		c.Header("WWW-Authenticate", `Bearer realm="chainscope"`)
		s.fail(c, chainscope.Localizedf(eUnauthorized,
			"需要编辑令牌（Authorization: Bearer 令牌）", "an editor token is required (Authorization: Bearer TOKEN)"))
		return
	}
	k, ok := s.authenticate(got)
	if !ok {
		c.Header("WWW-Authenticate", `Bearer realm="chainscope", error="invalid_token"`)
		s.fail(c, chainscope.Localizedf(eUnauthorized, "编辑令牌错误", "wrong editor token"))
		return
	}
	c.Set(ctxEditor, k)
	c.Next()
}

// editorToken returns the token a request presents, "" for none.
func editorToken(r *http.Request) string {
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, token, ok := strings.Cut(auth, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(token)
		}
		return ""
	}
	return strings.TrimSpace(r.Header.Get("X-Editor-Token"))
}

// editorName is who a write is by (SPEC §8 `by`): the name of the
// editor whose token the request presents. With the shared legacy token
// it is the X-Editor-Name the client sends (percent-encoded UTF-8 or
// plain), trimmed to a short single line, else editorActor; a named
// editor's X-Editor-Name is ignored.
func editorName(c *gin.Context) string {
	v, _ := c.Get(ctxEditor)
	k, _ := v.(editorKey)
	if !k.legacy && k.name != "" {
		return k.name
	}
	raw := c.GetHeader("X-Editor-Name")
	if unescaped, err := url.PathUnescape(raw); err == nil {
		raw = unescaped // the web app percent-encodes (headers are Latin-1)
	}
	name := strings.Join(strings.Fields(raw), " ")
	if r := []rune(name); len(r) > maxEditorName {
		name = string(r[:maxEditorName])
	}
	if name == "" || !utf8.ValidString(name) {
		return editorActor
	}
	return name
}

// EditorInfo is the answer of GET /api/v1/editor: who the token is.
type EditorInfo struct {
	Name string `json:"name"`
}

// editor answers GET /api/v1/editor (behind requireEditor): the name the
// token's writes are recorded under, so a client can check a token
// before it offers editing.
func (s *Server) editor(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	writeJSON(c, http.StatusOK, EditorInfo{Name: editorName(c)})
}
