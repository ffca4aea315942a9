package server

import (
	"encoding/json"
	"hash/fnv"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

const jsonContentType = "application/json; charset=utf-8"

// writeJSON encodes v as the response body. Encoding our own response
// types cannot fail; if it does, that is a bug, and the client gets the
// internal-error body rather than half a document.
func writeJSON(c *gin.Context, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = json.Marshal(internalBody(requestLang(c.Request)))
	}
	writeBody(c, status, jsonContentType, body)
}

// writeBody writes a whole response body with its Content-Length, so
// net/http never sends it chunked. It is what gin's Data does, without its
// header allocations: every answer, the cached ones first, goes through
// here. (Keep a response at eight header fields or fewer: Go's map holds
// eight inline, and an update of a ninth-size map reallocates it on every
// request.)
func writeBody(c *gin.Context, status int, contentType string, body []byte) {
	h := c.Writer.Header()
	if contentType == jsonContentType {
		h["Content-Type"] = jsonContentTypeValue
	} else {
		h["Content-Type"] = []string{contentType}
	}
	if len(body) > 0 {
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
	}
	c.Status(status)
	c.Writer.Write(body) // a client that went away: nothing more to say
}

// jsonContentTypeValue is the Content-Type header of JSON answers, shared.
var jsonContentTypeValue = []string{jsonContentType}

// routeKey names a GET response by path and canonical query (parameters
// sorted, so ?a=1&b=2 and ?b=2&a=1 share a cache entry and an ETag). The
// path is the one requested, not the route's pattern, so /x/:id keeps one
// entry per id.
func routeKey(c *gin.Context, q url.Values) string {
	return cacheKey(c.Request.URL.EscapedPath(), q)
}

// cacheKey is the key of the answer to path with query q: the one format
// routeKey and the warming pass (warm.go) both name answers by.
func cacheKey(path string, q url.Values) string {
	return path + "?" + q.Encode()
}

// etag is the validator of the response key at a data version: the
// version changes on every write, the hash tells routes and queries apart.
func etag(version int64, key string) string {
	h := fnv.New64a()
	h.Write([]byte(key))
	var b strings.Builder
	b.Grow(40)
	b.WriteByte('"')
	b.WriteString(strconv.FormatInt(version, 10))
	b.WriteByte('-')
	b.WriteString(strconv.FormatUint(h.Sum64(), 16))
	b.WriteByte('"')
	return b.String()
}

// notModified reports whether the request's If-None-Match names tag
// (weak comparison, as RFC 9110 asks for If-None-Match). "*" is not
// honoured: the tag is known before the answer is computed, and an
// unknown area must still be a 404.
func notModified(r *http.Request, tag string) bool {
	inm := r.Header.Get("If-None-Match")
	if inm == "" {
		return false
	}
	for part := range strings.SplitSeq(inm, ",") {
		part = strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if part == tag {
			return true
		}
	}
	return false
}

// cachedResponse is an encoded answer with its ETag.
type cachedResponse struct {
	body []byte
	etag string
	enc  encoded // compressed variants, made on demand (see compress.go)
}

// serveCached answers a GET of a cached route from the snapshot's cache
// if the request's exact route and query are there, and reports whether
// it did. It is the hot path of the analysis routes: no parsing, no
// computing, no encoding.
func (s *Server) serveCached(c *gin.Context, snap *snapshot) bool {
	hit, ok := snap.cache.response(rawKey(c))
	if !ok {
		return false
	}
	s.writeCached(c, hit)
	return true
}

// rawKey names a request by path and query exactly as sent.
func rawKey(c *gin.Context) string {
	return "raw:" + c.Request.URL.EscapedPath() + "?" + c.Request.URL.RawQuery
}

func (s *Server) writeCached(c *gin.Context, r *cachedResponse) {
	h := c.Writer.Header()
	h["Etag"] = []string{r.etag}
	h["Cache-Control"] = cacheControl
	if notModified(c.Request, r.etag) {
		c.Status(http.StatusNotModified)
		return
	}
	writeEncoded(c, r)
}

// serveData answers a GET whose response depends only on the data
// version and key: 304 when If-None-Match names the current ETag,
// otherwise the JSON body. With cached set the body is taken from the
// snapshot's cache, or computed — once for every request of the snapshot
// that asks meanwhile, warming included (see cachedAnswer) — and stored
// there under key and under the request's exact query (see serveCached).
// Errors of compute are answered as errors and never cached.
func (s *Server) serveData(c *gin.Context, snap *snapshot, key string, cached bool, compute func() (any, error)) {
	tag := etag(snap.version, key)
	if notModified(c.Request, tag) {
		s.writeCached(c, &cachedResponse{etag: tag})
		return
	}
	var hit *cachedResponse
	if cached {
		s.asked(key)
		var err error
		if hit, err = s.cachedAnswer(snap, key, compute); err != nil {
			s.fail(c, err)
			return
		}
	}
	if hit == nil {
		v, err := compute()
		if err != nil {
			s.fail(c, err)
			return
		}
		body, err := json.Marshal(v)
		if err != nil {
			s.fail(c, err)
			return
		}
		hit = &cachedResponse{body: body, etag: tag}
	}
	if cached {
		snap.cache.keep(rawKey(c), hit)
	}
	s.writeCached(c, hit)
}

// serveBody answers a GET whose body is not JSON (a picture, a workbook)
// and depends only on the data version and key, as serveData does for
// JSON: 304 when If-None-Match names the current ETag, otherwise the body
// from the snapshot's cache, or built and kept there. Errors of build are
// answered as JSON errors and never cached; header adds the success
// answer's own fields (a Content-Disposition), so an error never carries them.
func (s *Server) serveBody(c *gin.Context, snap *snapshot, key, contentType string, build func() ([]byte, error), header func(http.Header)) {
	tag := etag(snap.version, key)
	h := c.Writer.Header()
	if notModified(c.Request, tag) {
		h["Etag"] = []string{tag}
		h["Cache-Control"] = cacheControl
		c.Status(http.StatusNotModified)
		return
	}
	body, ok := snap.cache.get(key)
	if !ok {
		var err error
		if body, err = build(); err != nil {
			s.fail(c, err)
			return
		}
		snap.cache.put(key, body)
	}
	h["Etag"] = []string{tag}
	h["Cache-Control"] = cacheControl
	if header != nil {
		header(h)
	}
	writeBody(c, http.StatusOK, contentType, body)
}

// cacheControl lets clients keep responses but makes them revalidate with
// the ETag, which is cheap: a 304 costs no computation.
var cacheControl = []string{"no-cache"}

// asciiName keeps letters, digits, dot, dash and underscore and replaces
// every other byte with an underscore.
func asciiName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !isAlnum(c) && c != '.' && c != '-' && c != '_' {
			b[i] = '_'
		}
	}
	return string(b)
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// attachment is the Content-Disposition of a download: a quoted ASCII
// name for old clients and the real name in UTF-8 (RFC 6266, RFC 5987),
// which browsers prefer.
func attachment(ascii, name string) string {
	var b strings.Builder
	b.WriteString(`attachment; filename="`)
	b.WriteString(ascii)
	b.WriteString(`"; filename*=UTF-8''`)
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(name); i++ {
		c := name[i]
		if isAlnum(c) || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
