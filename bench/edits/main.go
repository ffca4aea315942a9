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
	follower := flag.String("follower", "", "a second server on the same database: measure when each edit shows there")
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

	// 1. Sequential edits, each checked on the next GET of the record and
	// of the analysis of its scope, which must answer from the new data
	// version (its ETag names the version).
	var lat, prop []time.Duration
	visible, fresh, scoped := 0, 0, 0
	for i := range *edits {
		p := page.Items[i%len(page.Items)]
		p["status"] = statuses[i%3]
		body, _ := json.Marshal(p)
		id := p["id"].(string)
		county, _ := p["county"].(string)
		segs, _ := p["segments"].([]any)
		scope := ""
		if county != "" && len(segs) > 0 {
			scope = "/api/v1/analysis?area=" + county + "&chain=" + chainOf(segs[0].(string))
		}
		var before string
		if scope != "" {
			// A project of the region itself (市本级) has no county scope.
			if st, _, h := get(scope); st == 200 {
				before = h.Get("Etag")
			} else {
				scope = ""
			}
		}
		t0 := time.Now()
		st, d := put("/api/v1/projects/"+id, body, "")
		if st != 200 {
			fail(fmt.Errorf("PUT %s = %d", id, st))
		}
		lat = append(lat, d)
		if *follower != "" {
			prop = append(prop, shows(c, *follower+"/api/v1/projects/"+id, `"status":"`+statuses[i%3]+`"`, t0))
		}
		_, v, _ := get("/api/v1/projects/" + id)
		if bytes.Contains(v, []byte(`"status":"`+statuses[i%3]+`"`)) {
			visible++
		}
		if scope != "" {
			scoped++
			if st, _, h := get(scope); st == 200 && h.Get("Etag") != before {
				fresh++
			}
		}
	}
	fmt.Printf("sequential PUT project: n=%d p50=%s p95=%s max=%s; the record shows the edit on the next GET %d/%d, its scope's analysis answers from the new version %d/%d\n",
		len(lat), pct(lat, 50), pct(lat, 95), pct(lat, 100), visible, len(lat), fresh, scoped)
	if *follower != "" {
		fmt.Printf("propagation to the second server (from sending the PUT until it answers the edit): n=%d p50=%s p95=%s max=%s\n",
			len(prop), pct(prop, 50), pct(prop, 95), pct(prop, 100))
	}

	// 2. Concurrent editors, two to a project, each edit made on the
	// version it read (If-Match): a stale one gets 412 and is made again on
	// the fresh version. Meanwhile a reader reads what a county office
	// reads: the analysis of its county in one chain (a scope the edits
	// touch). Every stored edit must be one revision.
	var mu sync.Mutex
	var clat, rlat []time.Duration
	stale, ok := 0, 0
	var revsBefore struct {
		Total int `json:"total"`
	}
	_, b, _ = get("/api/v1/revisions?limit=1")
	json.Unmarshal(b, &revsBefore)
	p0 := page.Items[0]
	scope := "/api/v1/analysis?area=" + p0["county"].(string) + "&chain=" + chainOf(p0["segments"].([]any)[0].(string))
	stop := make(chan struct{})
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
	shared := max(1, *clients/2)
	var wg sync.WaitGroup
	for k := range *clients {
		wg.Go(func() {
			id := page.Items[k%shared]["id"].(string)
			for i := 0; i < *each; {
				_, body, h := get("/api/v1/projects/" + id)
				var view struct {
					Project map[string]any `json:"project"`
				}
				json.Unmarshal(body, &view)
				view.Project["note"] = fmt.Sprintf("client %d edit %d", k, i)
				nb, _ := json.Marshal(view.Project)
				st, d := put("/api/v1/projects/"+id, nb, h.Get("Etag"))
				mu.Lock()
				clat = append(clat, d)
				switch st {
				case 200:
					ok++
					i++
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
	var revsAfter struct {
		Total int `json:"total"`
	}
	_, b, _ = get("/api/v1/revisions?limit=1")
	json.Unmarshal(b, &revsAfter)
	fmt.Printf("concurrent: %d clients x %d edits on %d projects: %d stored = %d new revisions, %d stale edits refused 412 and made again;"+
		" PUT p50=%s p95=%s; reads of %s during it n=%d p99=%s\n",
		*clients, *each, shared, ok, revsAfter.Total-revsBefore.Total, stale, pct(clat, 50), pct(clat, 95), scope, len(rlat), pct(rlat, 99))
	if ok != revsAfter.Total-revsBefore.Total {
		fail(fmt.Errorf("%d edits stored but %d revisions", ok, revsAfter.Total-revsBefore.Total))
	}

	// 3. as_of far back.
	var revs struct {
		Total int `json:"total"`
	}
	_, b, _ = get("/api/v1/revisions?limit=1")
	json.Unmarshal(b, &revs)
	back := max(1, revs.Total-1000)
	t := time.Now()
	st, _, _ := get(fmt.Sprintf("%s&as_of=%d", scope, back))
	first := time.Since(t)
	t = time.Now()
	st2, _, _ := get(fmt.Sprintf("%s&as_of=%d", scope, back))
	fmt.Printf("as_of revision %d (of %d), %s: first answer %d in %s, then %d in %s\n",
		back, revs.Total, scope, st, first.Round(time.Millisecond), st2, time.Since(t).Round(100*time.Microsecond))
}

func chainOf(segment string) string {
	for i := range segment {
		if segment[i] == '.' {
			return segment[:i]
		}
	}
	return segment
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

// shows polls url every 5 ms until its body holds want, and returns the
// time since t0; it gives up after 30 s.
func shows(c *http.Client, url, want string, t0 time.Time) time.Duration {
	for time.Since(t0) < 30*time.Second {
		r, err := c.Get(url)
		if err != nil {
			fail(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if bytes.Contains(b, []byte(want)) {
			return time.Since(t0)
		}
		time.Sleep(5 * time.Millisecond)
	}
	fail(fmt.Errorf("%s did not show %s within 30 s", url, want))
	return 0
}
