package server

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/andybalholm/brotli"
	"github.com/gin-gonic/gin"
)

// Compression of JSON answers. A body over compressMin bytes goes out
// compressed when the client accepts it: brotli (br) first, then gzip. The
// compressed variants of a cached answer are made once, on the first
// request that asks for each, and kept beside the plain body in the
// snapshot's cache entry; the ETag is the plain body's, so revalidation and
// 304s are as before.
const (
	compressMin = 1024
	brQuality   = 5 // brotli's quality: near gzip -9's size at gzip -6's speed
)

var (
	varyAccept = []string{"Accept-Encoding"}
	encGzip    = []string{"gzip"}
	encBr      = []string{"br"}
	// compressions counts bodies compressed, for the tests.
	compressions atomic.Int64
)

// encoded holds the compressed variants of one body.
type encoded struct {
	gzOnce, brOnce sync.Once
	gz, br         []byte
}

// acceptedEncoding is the encoding the request's Accept-Encoding allows
// that chainscope prefers: "br", "gzip" or "" (identity). A coding with
// q=0 is refused; "*" stands for gzip.
func acceptedEncoding(header string) string {
	if header == "" {
		return ""
	}
	br, gz := false, false
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		ok := true
		for p := range strings.SplitSeq(params, ";") {
			k, v, found := strings.Cut(strings.TrimSpace(p), "=")
			if found && strings.EqualFold(strings.TrimSpace(k), "q") {
				q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				ok = err == nil && q > 0
			}
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "br":
			br = ok
		case "gzip", "x-gzip", "*":
			gz = gz || ok
		}
	}
	switch {
	case br:
		return "br"
	case gz:
		return "gzip"
	}
	return ""
}

// writeEncoded writes r's body as the client accepts it: compressed (made
// once per cached body) when it is over compressMin bytes, else plain.
func writeEncoded(c *gin.Context, r *cachedResponse) {
	h := c.Writer.Header()
	body := r.body
	if len(body) > compressMin {
		h["Vary"] = varyAccept
		switch acceptedEncoding(c.Request.Header.Get("Accept-Encoding")) {
		case "br":
			r.enc.brOnce.Do(func() { r.enc.br = compressBr(r.body) })
			body = r.enc.br
			h["Content-Encoding"] = encBr
		case "gzip":
			r.enc.gzOnce.Do(func() { r.enc.gz = compressGzip(r.body) })
			body = r.enc.gz
			h["Content-Encoding"] = encGzip
		}
	}
	writeBody(c, http.StatusOK, jsonContentType, body)
}

func compressGzip(b []byte) []byte {
	compressions.Add(1)
	var out bytes.Buffer
	out.Grow(len(b) / 4)
	zw, _ := gzip.NewWriterLevel(&out, gzip.DefaultCompression) // a valid level cannot fail
	zw.Write(b)                                                 // a bytes.Buffer cannot fail
	zw.Close()
	return out.Bytes()
}

func compressBr(b []byte) []byte {
	compressions.Add(1)
	var out bytes.Buffer
	out.Grow(len(b) / 4)
	bw := brotli.NewWriterLevel(&out, brQuality)
	bw.Write(b)
	bw.Close()
	return out.Bytes()
}
