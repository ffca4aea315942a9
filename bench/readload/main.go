// Command readload loads one route of a running `chainscope serve` with
// concurrent GETs for a while and prints requests/s, latency percentiles
// and the SHA-256 of the answer (every answer must be the same bytes, or it
// fails): bench/postgres.sh runs it against a server on SQLite and one on
// PostgreSQL, both answering from memory.
//
//	go run ./bench/readload -url http://127.0.0.1:8080 -path '/api/v1/analysis?area=*&chain=battery'
package main

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "server")
	path := flag.String("path", "/api/v1/analysis?area=*&chain=battery", "route to read")
	conns := flag.Int("conns", 16, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long to read")
	warm := flag.Int("warm", 50, "requests before measuring (fills the server's cache)")
	flag.Parse()

	tr := &http.Transport{MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns}
	c := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	get := func() ([]byte, error) {
		r, err := c.Get(*base + *path)
		if err != nil {
			return nil, err
		}
		defer r.Body.Close()
		b, err := io.ReadAll(r.Body)
		if err == nil && r.StatusCode != 200 {
			err = fmt.Errorf("GET %s: %d %s", *path, r.StatusCode, b)
		}
		return b, err
	}
	want, err := get()
	if err != nil {
		fail(err)
	}
	for range *warm {
		if _, err := get(); err != nil {
			fail(err)
		}
	}

	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	deadline := time.Now().Add(*duration)
	var wg sync.WaitGroup
	start := time.Now()
	for range *conns {
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(deadline) {
				t := time.Now()
				b, err := get()
				if err == nil && !bytes.Equal(b, want) {
					err = fmt.Errorf("GET %s: the answer changed (%d bytes, first %d)", *path, len(b), len(want))
				}
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		fail(firstErr)
	}
	slices.Sort(lat)
	pct := func(p int) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, len(lat)*p/100)]
	}
	fmt.Printf("%.0f requests/s  n=%d  p50=%s  p99=%s  %d bytes sha256=%x\n",
		float64(len(lat))/elapsed.Seconds(), len(lat), pct(50).Round(time.Microsecond), pct(99).Round(time.Microsecond),
		len(want), sha256.Sum256(want))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "readload:", err)
	os.Exit(1)
}
