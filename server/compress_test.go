package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestAcceptedEncoding(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "",
		"identity":              "",
		"gzip":                  "gzip",
		"gzip, deflate, br":     "br",
		"br;q=0, gzip":          "gzip",
		"gzip;q=0":              "",
		"GZIP;Q=0.5":            "gzip",
		"*":                     "gzip",
		"br;q=0.1":              "br",
		"deflate, gzip;q=0.0":   "",
		"x-gzip":                "gzip",
		"br;q=nonsense, gzip":   "gzip",
		" gzip ; q=1 , br;q=0 ": "gzip",
	} {
		if got := acceptedEncoding(in); got != want {
			t.Errorf("acceptedEncoding(%q) = %q, want %q", in, got, want)
		}
	}
}

// rawGet is a GET whose body is not decompressed by the client.
func rawGet(t *testing.T, ts *testServer, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, ts.http.URL+path, nil)
	for k, v := range pairs(header) {
		req.Header.Set(k, v)
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	res, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

func TestCompressedAnswers(t *testing.T) {
	ts := start(t, nil)
	const path = "/api/v1/analysis?area=*&chain=battery"
	res, plain := rawGet(t, ts, path)
	if res.Header.Get("Content-Encoding") != "" || len(plain) <= compressMin || res.Header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("plain: encoding %q, %d bytes, Vary %q", res.Header.Get("Content-Encoding"), len(plain), res.Header.Get("Vary"))
	}
	tag := res.Header.Get("ETag")
	before := compressions.Load()
	decoders := map[string]func(io.Reader) (io.Reader, error){
		"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
		"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
	}
	for round := 0; round < 3; round++ {
		for enc, accept := range map[string]string{"gzip": "gzip", "br": "gzip, deflate, br"} {
			res, body := rawGet(t, ts, path, "Accept-Encoding", accept)
			if got := res.Header.Get("Content-Encoding"); got != enc {
				t.Fatalf("Accept-Encoding %q: Content-Encoding %q", accept, got)
			}
			if res.Header.Get("ETag") != tag || res.ContentLength != int64(len(body)) || len(body) >= len(plain)/2 {
				t.Fatalf("%s: ETag %q (plain %q), Content-Length %d for %d bytes (plain %d)", enc, res.Header.Get("ETag"), tag,
					res.ContentLength, len(body), len(plain))
			}
			r, err := decoders[enc](bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, plain) {
				t.Fatalf("%s body does not decode to the plain body (%v)", enc, err)
			}
			// Revalidation answers 304 whatever the encoding.
			if res, _ := rawGet(t, ts, path, "Accept-Encoding", accept, "If-None-Match", tag); res.StatusCode != http.StatusNotModified {
				t.Fatalf("%s revalidation: %d", enc, res.StatusCode)
			}
		}
	}
	// Three rounds of each encoding, one compression each: the variants are kept with the cached body.
	if n := compressions.Load() - before; n != 2 {
		t.Errorf("%d compressions for 3 rounds of gzip and br, want 2", n)
	}
	// A body of 1 KB or less goes out as it is.
	res, body := rawGet(t, ts, "/api/v1/region", "Accept-Encoding", "gzip, br")
	if res.StatusCode != http.StatusOK || len(body) > compressMin || res.Header.Get("Content-Encoding") != "" {
		t.Errorf("small answer: %d, %d bytes, encoding %q", res.StatusCode, len(body), res.Header.Get("Content-Encoding"))
	}
	// A refused coding is not used.
	if res, _ := rawGet(t, ts, path, "Accept-Encoding", "br;q=0, gzip;q=0"); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("q=0: Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
}
