package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"chainscope"
)

// contentSecurityPolicy allows exactly what a static web app served from
// this origin needs: its own scripts, styles and images (plus data: and
// blob: images for exported pictures), nothing inline, no plugins, no
// framing by other sites.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; " +
	"connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// apiContentSecurityPolicy is for everything under /api and /healthz: JSON,
// the briefing SVG (presentation attributes only) and downloads need no
// resource at all when a browser shows them as a page, so they get none.
const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// The security headers. CORS stays off: no Access-Control-* header is
// ever sent, so browsers keep other origins out. The value slices are
// shared by every response, which is safe because nothing changes a
// header value in place (Header.Set and Add replace the slice).
var (
	headerCSPApp      = []string{contentSecurityPolicy}
	headerCSPAPI      = []string{apiContentSecurityPolicy}
	headerNoSniff     = []string{"nosniff"}
	headerNoReferrer  = []string{"no-referrer"}
	headerFrameDenied = []string{"DENY"}
)

// securityHeaders sets the security headers before anything else runs, so
// that error responses and panics carry them too. The web app's pages get
// its policy and X-Frame-Options (frame-ancestors for browsers that predate
// CSP 2); API answers get the empty policy, which says the same about
// framing, and one header fewer on the hot path.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h["X-Content-Type-Options"] = headerNoSniff
	h["Referrer-Policy"] = headerNoReferrer
	if p := c.Request.URL.Path; strings.HasPrefix(p, "/api/") || p == "/healthz" {
		h["Content-Security-Policy"] = headerCSPAPI
	} else {
		h["Content-Security-Policy"] = headerCSPApp
		h["X-Frame-Options"] = headerFrameDenied
	}
	c.Next()
}

// logRequests writes one structured log line per request and counts the
// requests in flight for a graceful shutdown.
func (s *Server) logRequests(c *gin.Context) {
	s.inflight.Add(1)
	defer s.inflight.Done()
	start := time.Now()
	c.Next()
	status := c.Writer.Status()
	level := slog.LevelInfo
	if status >= http.StatusInternalServerError {
		level = slog.LevelError
	}
	ctx := c.Request.Context()
	h := s.log.Handler()
	if !h.Enabled(ctx, level) {
		return
	}
	// The record goes to the handler directly: Logger.LogAttrs would also
	// walk the stack for the caller's program counter, which no handler
	// here prints and which cost more than the rest of the line. Five
	// attributes: slog keeps up to five in the record itself, so a request
	// line costs no extra allocation on the hot path.
	end := time.Now()
	r := slog.NewRecord(end, level, "request", 0)
	r.AddAttrs(
		slog.String("method", c.Request.Method),
		slog.String("uri", requestURI(c.Request)),
		slog.Int("status", status),
		slog.Int64("us", end.Sub(start).Microseconds()),
		slog.String("remote", c.Request.RemoteAddr),
	)
	_ = h.Handle(ctx, r) // a log that cannot be written must not fail the request
}

// recoverJSON turns a panic in a handler into a 500 with the JSON body
// {"error":"内部错误 internal error"}: the stack goes to the log, never to
// the client. http.ErrAbortHandler is passed on, as net/http expects.
func (s *Server) recoverJSON(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(v)
		}
		s.log.LogAttrs(c.Request.Context(), slog.LevelError, "panic serving request",
			slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path),
			slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
		if c.Writer.Written() {
			// Too late for a status: cut the response short instead.
			c.Abort()
			panic(http.ErrAbortHandler)
		}
		writeJSON(c, http.StatusInternalServerError, internalBody(requestLang(c.Request)))
		c.Abort()
	}()
	c.Next()
}

// notFound answers unknown paths: JSON under /api/, the web app otherwise
// (a deep link of the single-page app), and JSON for anything but GET and
// HEAD.
func (s *Server) notFound(c *gin.Context) {
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/api/") || p == "/api" || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
		s.fail(c, notFoundErr("没有这个地址：%s %s", "no such route: %s %s", c.Request.Method, p))
		return
	}
	s.serveStatic(c)
}

// methodNotAllowed answers a known path asked with another method.
func (s *Server) methodNotAllowed(c *gin.Context) {
	s.fail(c, chainscope.Localizedf(eMethod, "不支持的请求方法：%s %s", "method %s not allowed on %s", c.Request.Method, c.Request.URL.Path))
}

// requestURI is the request's target as the client sent it (a server
// request carries it; building it again from URL costs an allocation per
// request), or as URL gives it for a request made otherwise.
func requestURI(r *http.Request) string {
	if r.RequestURI != "" {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}
