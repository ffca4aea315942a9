package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// discardWriter is a ResponseWriter that keeps nothing, so a benchmark
// measures the server's own work per request.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

// BenchmarkCachedAnalysis is one GET /api/v1/analysis answered from the
// cache, through every middleware (the request log encoded to io.Discard),
// without the network.
func BenchmarkCachedAnalysis(b *testing.B) {
	ts := start(b, nil, func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil)) })
	h := ts.Handler()
	req := httptest.NewRequest("GET", "/api/v1/analysis?area=*&chain=battery", nil)
	req.RemoteAddr = "127.0.0.1:1234"
	h.ServeHTTP(&discardWriter{h: http.Header{}}, req) // fill the cache
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(&discardWriter{h: http.Header{}}, req)
	}
}
