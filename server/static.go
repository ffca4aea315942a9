package server

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// placeholderPage is served at / while the web app is not built into the
// binary (Config.Static is nil). It has no inline style or script, so the
// Content-Security-Policy holds for it too.
const placeholderPage = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>chainscope 产业链图谱</title>
</head>
<body>
<h1>chainscope 产业链图谱</h1>
<p>网页应用尚未构建。API 已可用：<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>。</p>
<p lang="en">The web app is not built yet. The API is available: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body>
</html>
`

// serveStatic serves the web app for a GET or HEAD of a path outside the
// API: the file of that name from Config.Static, or index.html for any
// path that names no file, so that the single-page app's deep links load
// the app, which then routes in the browser.
func (s *Server) serveStatic(c *gin.Context) {
	if s.static == nil {
		c.Header("Cache-Control", "no-cache")
		writeBody(c, http.StatusOK, "text/html; charset=utf-8", []byte(placeholderPage))
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+c.Request.URL.Path), "/")
	if name == "" {
		name = "index.html"
	}
	if st, err := fs.Stat(s.static, name); err != nil || st.IsDir() {
		name = "index.html"
	}
	if _, err := fs.Stat(s.static, name); err != nil {
		s.fail(c, notFoundErr("网页应用缺少 index.html", "the web app has no index.html"))
		return
	}
	f, err := s.static.Open(name)
	if err != nil {
		s.fail(c, err)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		s.fail(c, err)
		return
	}
	content, ok := f.(io.ReadSeeker)
	if !ok {
		b, err := io.ReadAll(f)
		if err != nil {
			s.fail(c, err)
			return
		}
		content = bytes.NewReader(b)
	}
	// ServeContent answers conditional and range requests and sets the
	// Content-Type from the name; unlike http.FileServerFS it neither
	// redirects /index.html nor looks at the request path again.
	c.Header("Cache-Control", "no-cache")
	http.ServeContent(c.Writer, c.Request, name, st.ModTime(), content)
}
