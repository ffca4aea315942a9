// Command edits measures single-record edits through the HTTP API of a
// running `chainscope serve` (see bench/edits.sh): PUT of one project, its
// latency from request to 200, whether the next GET of the affected
// /analysis shows it, concurrent editors with If-Match, and an as_of read
// of a revision far back.
package main

import (
	"bytes"
	"encoding/json"
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
	token := flag.String("token", "bench", "editor token")
	edits := flag.Int("edits", 200, "sequential edits")
	clients := flag.Int("clients", 8, "concurrent editors")
	each := flag.Int("each", 50, "edits per concurrent editor")
	flag.Parse()
	c := &http.Client{Timeout: 60 * time.Second}

	get := func(path string, header ...string) (int, []byte, http.Header) {
		req, _ := http.NewRequest("GET", *base+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		r, err := c.Do(req)
		if err != nil {
			fail(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, b, r.Header
	}
	put := func(path string, body []byte, ifMatch string) (int, time.Duration) {
		req, _ := http.NewRequest("PUT", *base+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+*token)
		req.Header.Set("Content-Type", "application/json")
		if ifMatch != "" {
			req.Header.Set("If-Match", ifMatch)
		}
		t := time.Now()
		r, err := c.Do(req)
		if err != nil {
			fail(err)
		}
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		return r.StatusCode, time.Since(t)
	}

	// Projects to edit: the first page of the ledger.
	var page struct {
		Items []map[string]any `json:"items"`
	}
	_, b, _ := get("/api/v1/projects?per_page=100")
	if err := json.Unmarshal(b, &page); err != nil || len(page.Items) < *clients {
		fail(fmt.Errorf("projects: %v (%d)", err, len(page.Items)))
	}
	statuses := []string{"signed", "started", "operating"}

	// 1. Sequential edits, each checked on the next GET of its scope.
	var lat []time.Duration
	visible := 0
	for i := range *edits {
		p := page.Items[i%len(page.Items)]
		p["status"] = statuses[i%3]
		body, _ := json.Marshal(p)
		id := p["id"].(string)
		st, d := put("/api/v1/projects/"+id, body, "")
		if st != 200 {
			fail(fmt.Errorf("PUT %s = %d", id, st))
		}
		lat = append(lat, d)
		_, v, _ := get("/api/v1/projects/" + id)
		if bytes.Contains(v, []byte(`"status":"`+statuses[i%3]+`"`)) {
			visible++
		}
		county, _ := p["county"].(string)
		segs, _ := p["segments"].([]any)
		if county != "" && len(segs) > 0 && i%10 == 0 {
			// The affected analysis must answer from the new data.
			if st, _, _ := get("/api/v1/analysis?area=" + county + "&chain=" + chainOf(segs[0].(string))); st != 200 {
				fail(fmt.Errorf("analysis after edit = %d", st))
			}
		}
	}
	fmt.Printf("sequential PUT project: n=%d p50=%s p95=%s max=%s, visible on next GET %d/%d\n",
		len(lat), pct(lat, 50), pct(lat, 95), pct(lat, 100), visible, len(lat))

	// 2. Concurrent editors, each on its own project with If-Match, while
	// a reader keeps reading a cached route.
	var mu sync.Mutex
	var clat, rlat []time.Duration
	stale, ok := 0, 0
	stop := make(chan struct{})
	// The reader reads what a county office reads: the analysis of its
	// county in one chain (a scope the concurrent edits may touch).
	p0 := page.Items[0]
	scope := "/api/v1/analysis?area=" + p0["county"].(string) + "&chain=" + chainOf(p0["segments"].([]any)[0].(string))
	var rd sync.WaitGroup
	rd.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			t := time.Now()
			get(scope)
			mu.Lock()
			rlat = append(rlat, time.Since(t))
			mu.Unlock()
		}
	})
	var wg sync.WaitGroup
	for k := range *clients {
		wg.Go(func() {
			p := clone(page.Items[k])
			id := p["id"].(string)
			for i := range *each {
				_, _, h := get("/api/v1/projects/" + id)
				p["note"] = fmt.Sprintf("client %d edit %d", k, i)
				body, _ := json.Marshal(p)
				st, d := put("/api/v1/projects/"+id, body, h.Get("Etag"))
				mu.Lock()
				clat = append(clat, d)
				switch st {
				case 200:
					ok++
				case 412:
					stale++
				default:
					fail(fmt.Errorf("concurrent PUT = %d", st))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(stop)
	rd.Wait()
	fmt.Printf("concurrent: %d clients x %d edits: %d stored, %d refused 412; PUT p50=%s p95=%s; reads of %s during it n=%d p99=%s\n",
		*clients, *each, ok, stale, pct(clat, 50), pct(clat, 95), scope, len(rlat), pct(rlat, 99))

	// 3. as_of far back.
	var revs struct {
		Total int `json:"total"`
	}
	_, b, _ = get("/api/v1/revisions?limit=1")
	json.Unmarshal(b, &revs)
	back := max(1, revs.Total-1000)
	t := time.Now()
	st, _, _ := get(fmt.Sprintf("/api/v1/analysis/all?as_of=%d", back))
	fmt.Printf("as_of revision %d (of %d): first answer %d in %s\n", back, revs.Total, st, time.Since(t))
}

func chainOf(segment string) string {
	for i := range segment {
		if segment[i] == '.' {
			return segment[:i]
		}
	}
	return segment
}

func clone(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[min(max(i-1, 0), len(s)-1)].Round(100 * time.Microsecond)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "edits:", err)
	os.Exit(1)
}
