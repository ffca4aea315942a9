package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"chainscope"
	"chainscope/graph"
	"chainscope/store"
)

// TestReadersSeeWholeDatasets uploads two distinguishable datasets in
// turn while readers and backups run: every answer must belong wholly to
// one of them, never mix the two.
func TestReadersSeeWholeDatasets(t *testing.T) {
	a, b := variant(t, "甲市", 300), variant(t, "乙市", 40)
	b.Enterprises = b.Enterprises[:len(b.Enterprises)-5] // no link of the first 40 names them
	for _, l := range b.Links {
		for _, e := range a.Enterprises[len(b.Enterprises):] {
			if l.From == e.ID || l.To == e.ID {
				t.Fatal("variant b links a dropped enterprise; choose other cuts")
			}
		}
	}
	for _, p := range b.Projects {
		for _, e := range a.Enterprises[len(b.Enterprises):] {
			if p.Investor == e.ID {
				p.Investor = ""
			}
		}
	}
	ts := start(t, a)
	type expect struct {
		counts   Counts
		analysis []byte
		links    int
	}
	want := map[string]expect{}
	for _, ds := range []*chainscope.Dataset{a, b} {
		ix, err := graph.NewIndex(ds)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := ix.Report("*", "battery")
		if err != nil {
			t.Fatal(err)
		}
		want[ds.Region.Name] = expect{counts: countsOf(ds), analysis: mustJSON(t, rep), links: len(ds.Links)}
	}
	docs := [][]byte{jsonDoc(t, a), jsonDoc(t, b)}

	var done atomic.Bool
	var reads atomic.Int64
	errs := make(chan error, 100)
	report := func(err error) {
		select {
		case errs <- err:
		default:
		}
	}
	client := ts.http.Client()
	get := func(path string) ([]byte, error) {
		res, err := client.Get(ts.http.URL + path)
		if err != nil {
			return nil, err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err == nil && res.StatusCode != 200 {
			err = fmt.Errorf("GET %s = %d %s", path, res.StatusCode, body)
		}
		return body, err
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for !done.Load() {
				body, err := get("/api/v1/region")
				if err != nil {
					report(err)
					return
				}
				var r RegionInfo
				if err := json.Unmarshal(body, &r); err != nil {
					report(err)
					return
				}
				w, ok := want[r.Name]
				if !ok || r.Counts != w.counts {
					report(fmt.Errorf("region %q with counts %+v matches neither dataset", r.Name, r.Counts))
					return
				}
				body, err = get("/api/v1/analysis?area=*&chain=battery")
				if err != nil {
					report(err)
					return
				}
				if !bytes.Equal(body, want["甲市"].analysis) && !bytes.Equal(body, want["乙市"].analysis) {
					report(fmt.Errorf("analysis matches neither dataset: %.200s", body))
					return
				}
				var page Page[chainscope.Link]
				body, err = get("/api/v1/links?per_page=500")
				if err == nil {
					err = json.Unmarshal(body, &page)
				}
				if err != nil || (page.Total != want["甲市"].links && page.Total != want["乙市"].links) || len(page.Items) != page.Total {
					report(fmt.Errorf("links page: total %d, %d items (%v)", page.Total, len(page.Items), err))
					return
				}
				reads.Add(3)
			}
		})
	}
	// Backups meanwhile: each must hold one whole dataset.
	wg.Go(func() {
		for i := 0; !done.Load(); i++ {
			r := ts.edit("GET", "/api/v1/backup", nil)
			if r.status != 200 {
				report(fmt.Errorf("backup = %d", r.status))
				return
			}
			path := filepath.Join(t.TempDir(), fmt.Sprintf("b%d.db", i))
			os.WriteFile(path, r.body, 0o600)
			db, err := store.Open(context.Background(), path)
			if err != nil {
				report(err)
				return
			}
			ds, err := db.Load(context.Background())
			db.Close()
			if err != nil {
				report(err)
				return
			}
			if w, ok := want[ds.Region.Name]; !ok || countsOf(ds) != w.counts {
				report(fmt.Errorf("backup holds %q %+v", ds.Region.Name, countsOf(ds)))
				return
			}
		}
	})
	const uploads = 12
	for i := range uploads {
		r := ts.edit("POST", "/api/v1/dataset", docs[(i+1)%2], "Content-Type", "application/json")
		if r.status != 200 {
			t.Errorf("upload %d = %d %s", i, r.status, r.body)
		}
	}
	done.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if reads.Load() < uploads {
		t.Errorf("only %d reads during %d uploads", reads.Load(), uploads)
	}
	t.Logf("%d reads during %d uploads", reads.Load(), uploads)
}

// TestConcurrentWritersLoseNothing: writes from many clients at once are
// serialised, so each is applied to the result of the previous one.
func TestConcurrentWritersLoseNothing(t *testing.T) {
	ts := start(t, nil)
	before := ts.stored()
	const writers, each = 8, 4
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				body := fmt.Sprintf(`{"id": "E-w%d-%d", "name": "并发企业 %d-%d", "county": "140827", "segments": [], "leader_of": []}`, w, i, w, i)
				if r := ts.edit("POST", "/api/v1/enterprises", []byte(body)); r.status != 201 {
					t.Errorf("writer %d: %d %s", w, r.status, r.body)
				}
			}
		})
	}
	// and one that renames an existing enterprise meanwhile
	wg.Go(func() {
		e := before.Enterprises[0]
		e.Name = "并发改名"
		if r := ts.edit("PUT", "/api/v1/enterprises/"+e.ID, mustJSON(t, e)); r.status != 200 {
			t.Errorf("rename: %d %s", r.status, r.body)
		}
	})
	wg.Wait()
	after := ts.stored()
	if len(after.Enterprises) != len(before.Enterprises)+writers*each || after.Enterprises[0].Name != "并发改名" {
		t.Fatalf("%d enterprises (want %d), first named %q", len(after.Enterprises), len(before.Enterprises)+writers*each, after.Enterprises[0].Name)
	}
	if rev, _ := ts.db.LatestRevision(context.Background()); rev != int64(writers*each+2) {
		t.Fatalf("latest revision %d, want %d (the data, then one a write)", rev, writers*each+2)
	}
}

// TestWritesOfOtherProcessesShow: a write to the file by someone else
// (chainscope import while serving) is served after the next version
// check.
func TestWritesOfOtherProcessesShow(t *testing.T) {
	ts := start(t, nil)
	ts.refreshEvery = 10 * time.Millisecond
	other, err := store.Open(context.Background(), ts.path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Replace(context.Background(), variant(t, "外部导入市", 5)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		var r RegionInfo
		ts.get("/api/v1/region").decode(t, &r)
		if r.Name == "外部导入市" && r.Counts.Links == 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still serving %q", r.Name)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A write now applies to the other process's data, not to the old copy.
	if r := ts.edit("DELETE", "/api/v1/links?from="+ts.stored().Links[0].From+"&to="+ts.stored().Links[0].To, nil); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if got := ts.stored(); got.Region.Name != "外部导入市" || len(got.Links) != 4 {
		t.Fatalf("after the write: %q with %d links", got.Region.Name, len(got.Links))
	}
}

// TestGracefulShutdown cancels the server's context while a slow request
// is in flight: the request completes, Serve returns, and the database
// then closes cleanly (its WAL checkpointed away).
func TestGracefulShutdown(t *testing.T) {
	db, path := newDB(t, builtin(t))
	s, err := New(Config{DB: db, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	entered := make(chan struct{})
	s.engine.GET("/test/slow", func(c *gin.Context) {
		close(entered)
		time.Sleep(700 * time.Millisecond)
		if err := c.Request.Context().Err(); err != nil {
			c.String(500, "cancelled: %v", err)
			return
		}
		// The slow request still reads the data.
		s.region(c)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	type result struct {
		status int
		body   string
		err    error
	}
	got := make(chan result, 1)
	go func() {
		res, err := http.Get("http://" + ln.Addr().String() + "/test/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		got <- result{status: res.StatusCode, body: string(b)}
	}()
	<-entered
	cancel()
	select {
	case err := <-served:
		t.Fatalf("Serve returned %v while a request was in flight", err)
	case <-time.After(200 * time.Millisecond):
	}
	r := <-got
	if r.err != nil || r.status != 200 || !bytes.Contains([]byte(r.body), []byte("运城市")) {
		t.Fatalf("slow request: %+v", r)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the request finished")
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Fatal("the server still accepts connections")
	}
	if err := db.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("WAL left behind after a clean close: %v", err)
	}
}
