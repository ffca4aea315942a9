package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"chainscope"
	"chainscope/internal/pgtest"
	"chainscope/store"
)

// The reliability of several servers on one PostgreSQL database (SPEC §10,
// issue #15): propagation of writes, a server killed in the middle of
// writes, the database going away and coming back, and credentials.

// pgDatabase creates a database of its own on c for the test, holding ds
// when not nil, and returns its URL (with the password).
func pgDatabase(t testing.TB, c *pgtest.Cluster, ds *chainscope.Dataset) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	if _, err := c.Connect(t).Exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(c.URL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	if ds != nil {
		db := pgOpen(t, u.String())
		if err := db.Replace(context.Background(), ds); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	return u.String()
}

// pgOpen opens the database at URL u, closed when the test ends.
func pgOpen(t testing.TB, u string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// pgServer serves the database at u in this process. It catches up with
// other servers' writes only through the database's announcements
// (store.DB.Watch): its requests do not poll.
func pgServer(t testing.TB, u string) *testServer {
	t.Helper()
	ts := serveDB(t, pgOpen(t, u), "")
	ts.refreshEvery = time.Hour
	return ts
}

// password is the password in URL u.
func password(t testing.TB, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	pw, ok := p.User.Password()
	if !ok || pw == "" {
		t.Fatal("the URL has no password")
	}
	return pw
}

// enterpriseBody is the body of a new enterprise with id.
func enterpriseBody(id, county string) []byte {
	return []byte(`{"id": "` + id + `", "name": "企业 ` + id + `", "county": "` + county + `", "segments": [], "leader_of": []}`)
}

// TestPGWritesReachTheOtherServer: two servers on one database; each of
// ~50 writes through A is answered by B within 2 s (SPEC §10), B taking in
// just the records written. It logs the propagation times (from sending
// the write to A until B answers with it).
func TestPGWritesReachTheOtherServer(t *testing.T) {
	c := pgtest.Start(t)
	u := pgDatabase(t, c, builtin(t))
	a, b := pgServer(t, u), pgServer(t, u)
	county := a.stored().Counties[0].Code
	const writes = 50
	var took []time.Duration
	for i := range writes {
		id := fmt.Sprintf("E-pg-%02d", i)
		start := time.Now()
		if r := a.edit("POST", "/api/v1/enterprises", enterpriseBody(id, county), "Content-Type", "application/json"); r.status != 201 {
			t.Fatalf("write %d: %d %s", i, r.status, r.body)
		}
		waitFor(t, b, "/api/v1/enterprises/"+id, 5*time.Second, func(r *response) bool { return r.status == 200 })
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	p50, p95 := took[len(took)/2], took[len(took)*95/100-1]
	t.Logf("propagation A → B over %d writes: p50 %v, p95 %v, max %v", writes, p50, p95, took[len(took)-1])
	if p95 > 2*time.Second {
		t.Errorf("p95 %v: SPEC §10 wants every write seen by the other servers within 2 s", p95)
	}
	if n := b.stats.reloaded.Load(); n != 0 {
		t.Errorf("B loaded everything %d times", n)
	}
	if n := b.stats.followed.Load(); n == 0 {
		t.Error("B never followed a write")
	}
	if got := b.snap.Load().ds; !reflect.DeepEqual(got, a.stored()) {
		t.Error("B's dataset differs from the stored one")
	}

	// Closed, B follows no more: its goroutine has stopped.
	b.Close()
	v := b.snap.Load().version
	if r := a.edit("POST", "/api/v1/enterprises", enterpriseBody("E-after-close", county), "Content-Type", "application/json"); r.status != 201 {
		t.Fatalf("write after B closed: %d %s", r.status, r.body)
	}
	time.Sleep(500 * time.Millisecond)
	if b.snap.Load().version != v {
		t.Error("B still follows the database after Close")
	}
}

// TestPGDatabaseAway: the cluster stops under two servers. Reads keep
// answering from memory, writes fail with 503 and a message in the
// request's language, /healthz says the database is unreachable; once the
// cluster is back both servers recover without a restart, and a write
// through one reaches the other. The password shows in no log line, no
// answer and not in the OpenAPI document.
func TestPGDatabaseAway(t *testing.T) {
	c := pgtest.Start(t)
	u := pgDatabase(t, c, builtin(t))
	a, b := pgServer(t, u), pgServer(t, u)
	a.refreshEvery = 10 * time.Millisecond // A's reads ask the database too (see current)
	county := a.stored().Counties[0].Code
	var bodies bytes.Buffer
	keep := func(r *response) *response { bodies.Write(r.body); return r }

	c.Halt(t)
	for _, ts := range []*testServer{a, b} {
		time.Sleep(20 * time.Millisecond)
		for _, p := range []string{"/api/v1/region", "/api/v1/enterprises?per_page=5", "/api/v1/links?per_page=5", "/api/v1/dashboard"} {
			if r := keep(ts.get(p)); r.status != 200 {
				t.Errorf("%s while the database is away: %d %s", p, r.status, r.body)
			}
		}
	}
	r := keep(a.edit("POST", "/api/v1/enterprises", enterpriseBody("E-away", county), "Content-Type", "application/json"))
	if r.status != 503 || r.errorBody(t).Code != eUnavailable || !strings.Contains(r.errorBody(t).Error, "无法连接数据库") {
		t.Errorf("a write while the database is away: %d %s", r.status, r.body)
	}
	r = keep(a.edit("POST", "/api/v1/enterprises", enterpriseBody("E-away", county), "Content-Type", "application/json", "Accept-Language", "en"))
	if r.status != 503 || !strings.Contains(r.errorBody(t).Error, "database cannot be reached") || strings.ContainsFunc(r.errorBody(t).Error, func(c rune) bool { return c > 0x2e80 }) {
		t.Errorf("a write while the database is away, in English: %d %s", r.status, r.body)
	}
	if r := keep(b.get("/healthz", "Accept-Language", "en")); r.status != 503 || !strings.Contains(r.errorBody(t).Error, "unreachable") {
		t.Errorf("/healthz while the database is away: %d %s", r.status, r.body)
	}

	c.Resume(t)
	deadline := time.Now().Add(15 * time.Second)
	for {
		r := keep(a.edit("POST", "/api/v1/enterprises", enterpriseBody("E-back", county), "Content-Type", "application/json"))
		if r.status == 201 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no write succeeds after the database came back: %d %s", r.status, r.body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	waitFor(t, b, "/api/v1/enterprises/E-back", 2*time.Second+time.Second, func(r *response) bool { return r.status == 200 })
	if r := keep(b.get("/healthz")); r.status != 200 {
		t.Errorf("/healthz after the database came back: %d %s", r.status, r.body)
	}
	pw := password(t, u)
	for name, text := range map[string]string{"A's log": a.logs.String(), "B's log": b.logs.String(), "the answers": bodies.String(),
		"the OpenAPI document": string(a.openapi), "the database's path": a.db.Path()} {
		if strings.Contains(text, pw) {
			t.Errorf("%s holds the password", name)
		}
	}
	if !strings.Contains(a.logs.String(), "E-away") && !strings.Contains(a.logs.String(), "request failed") {
		t.Error("the failed write was not logged")
	}
}

// chainscopeBinary builds the chainscope command for the test.
func chainscopeBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "chainscope")
	out, err := exec.Command("go", "build", "-o", bin, "chainscope/cmd/chainscope").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// child is `chainscope serve` running as a process of its own.
type child struct {
	cmd    *exec.Cmd
	base   string
	stderr *syncBuffer
}

// serveChild starts `chainscope serve --db dbURL` with env added to the
// environment and waits until it answers /healthz.
func serveChild(t testing.TB, bin, dbURL string, env ...string) *child {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ch := &child{base: "http://" + addr, stderr: &syncBuffer{}}
	ch.cmd = exec.Command(bin, "serve", "--db", dbURL, "--addr", addr, "--editor-token", testToken)
	ch.cmd.Env = append(os.Environ(), env...)
	ch.cmd.Stdout, ch.cmd.Stderr = io.Discard, ch.stderr
	if err := ch.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ch.cmd.Process.Kill(); ch.cmd.Wait() })
	deadline := time.Now().Add(60 * time.Second)
	for {
		r, err := http.Get(ch.base + "/healthz")
		if err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return ch
			}
		}
		if time.Now().After(deadline) || ch.cmd.ProcessState != nil {
			t.Fatalf("chainscope serve did not come up: %v\n%s", err, ch.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// post sends a new enterprise to the child; ok when it answered 201.
func (ch *child) post(id, county string) (bool, error) {
	req, _ := http.NewRequest("POST", ch.base+"/api/v1/enterprises", bytes.NewReader(enterpriseBody(id, county)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+testToken)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		return false, err
	}
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	return r.StatusCode == 201, nil
}

// TestPGServerKilledMidWrites: a `chainscope serve` process is killed
// (SIGKILL) while four clients write through it. The database then holds
// exactly the committed revisions: every write answered 201 is there,
// whole, each as one revision, and nothing else; the database checks
// clean. A server in another process keeps answering and catches up; the
// killed server, started again, rejoins and its writes reach the other.
func TestPGServerKilledMidWrites(t *testing.T) {
	c := pgtest.Start(t)
	u := pgDatabase(t, c, builtin(t))
	bin := chainscopeBinary(t)
	killed := serveChild(t, bin, u)
	b := pgServer(t, u)
	ctx := context.Background()
	county := b.stored().Counties[0].Code
	rev0, err := b.db.LatestRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}

	var (
		mu       sync.Mutex
		answered []string
		wg       sync.WaitGroup
		stop     = make(chan struct{})
		readsBad = make(chan int, 1)
	)
	// Meanwhile the other server is read all the time.
	go func() {
		bad := 0
		defer func() { readsBad <- bad }()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if r := b.get("/api/v1/enterprises?per_page=5"); r.status != 200 {
				bad++
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; ; k++ {
				id := fmt.Sprintf("E-kill-%d-%03d", w, k)
				ok, err := killed.post(id, county)
				if err != nil {
					return // the server is gone
				}
				if ok {
					mu.Lock()
					answered = append(answered, id)
					mu.Unlock()
				}
			}
		}()
	}
	for {
		mu.Lock()
		n := len(answered)
		mu.Unlock()
		if n >= 40 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := killed.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed.cmd.Wait()
	wg.Wait()
	close(stop)
	if bad := <-readsBad; bad > 0 {
		t.Errorf("the other server failed %d reads during the writes and the kill", bad)
	}

	// The other server answered throughout and catches up with every
	// committed write.
	if r := b.get("/api/v1/region"); r.status != 200 {
		t.Fatalf("the other server after the kill: %d", r.status)
	}
	db := pgOpen(t, u)
	if err := db.Check(ctx); err != nil {
		t.Fatalf("the database after the kill: %v", err)
	}
	stored, err := db.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, e := range stored.Enterprises {
		if strings.HasPrefix(e.ID, "E-kill-") {
			if e.Name != "企业 "+e.ID || e.County != county {
				t.Errorf("%s stored as %+v", e.ID, e)
			}
			have[e.ID] = true
		}
	}
	for _, id := range answered {
		if !have[id] {
			t.Errorf("%s was answered 201 but is not stored", id)
		}
	}
	latest, err := db.LatestRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if latest != rev0+int64(len(have)) {
		t.Errorf("%d revisions after the writes, want %d: one per stored write", latest-rev0, len(have))
	}
	t.Logf("%d writes answered before the kill, %d stored (a write may commit without its answer)", len(answered), len(have))
	deadline := time.Now().Add(2*time.Second + time.Second)
	for !reflect.DeepEqual(b.snap.Load().ds, stored) {
		if time.Now().After(deadline) {
			t.Fatal("the other server did not catch up with the committed writes")
		}
		time.Sleep(20 * time.Millisecond)
	}

	// Started again, the killed server serves the stored data, and its
	// writes reach the other server.
	again := serveChild(t, bin, u)
	r, err := http.Get(again.base + "/api/v1/enterprises/" + answered[len(answered)-1])
	if err != nil || r.StatusCode != 200 {
		t.Fatalf("the restarted server: %v %v", r, err)
	}
	r.Body.Close()
	if ok, err := again.post("E-rejoined", county); !ok || err != nil {
		t.Fatalf("a write through the restarted server: %v %v", ok, err)
	}
	waitFor(t, b, "/api/v1/enterprises/E-rejoined", 2*time.Second+time.Second, func(r *response) bool { return r.status == 200 })
	pw := password(t, u)
	for _, ch := range []*child{killed, again} {
		if strings.Contains(ch.stderr.String(), pw) {
			t.Error("the server's log holds the password")
		}
	}
}

// TestPGPasswordFromEnvironment: `chainscope serve --db` takes a URL
// without a password when PGPASSWORD or a PGPASSFILE supplies it, and its
// log never holds the password.
func TestPGPasswordFromEnvironment(t *testing.T) {
	c := pgtest.Start(t)
	u := pgDatabase(t, c, builtin(t))
	pw := password(t, u)
	p, _ := url.Parse(u)
	user := p.User.Username()
	p.User = url.User(user)
	bare := p.String()
	bin := chainscopeBinary(t)

	passfile := filepath.Join(t.TempDir(), "pgpass")
	line := strings.Join([]string{p.Hostname(), p.Port(), strings.TrimPrefix(p.Path, "/"), user, pw}, ":") + "\n"
	if err := os.WriteFile(passfile, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	// A database that cannot be reached, or refuses the password: the
	// command fails, and says so without the password.
	for name, target := range map[string]string{
		"unreachable":    strings.Replace(u, ":"+strconv.Itoa(c.Port), ":1", 1),
		"wrong password": strings.Replace(u, pw, "wrong-"+pw[:8]+"-secret", 1),
	} {
		out, err := exec.Command(bin, "serve", "--db", target, "--addr", "127.0.0.1:0").CombinedOutput()
		if err == nil {
			t.Errorf("%s: serve started", name)
		}
		if p, _ := url.Parse(target); strings.Contains(string(out), func() string { s, _ := p.User.Password(); return s }()) {
			t.Errorf("%s: the error holds the password: %s", name, out)
		}
		t.Logf("%s: %s", name, bytes.TrimSpace(out))
	}
	for name, env := range map[string][]string{
		"PGPASSWORD": {"PGPASSWORD=" + pw},
		"PGPASSFILE": {"PGPASSFILE=" + passfile, "PGPASSWORD="},
	} {
		t.Run(name, func(t *testing.T) {
			ch := serveChild(t, bin, bare, env...)
			r, err := http.Get(ch.base + "/api/v1/region")
			if err != nil || r.StatusCode != 200 {
				t.Fatalf("region: %v %v", r, err)
			}
			r.Body.Close()
			deadline := time.Now().Add(5 * time.Second) // the log is written out in batches
			for !strings.Contains(ch.stderr.String(), `"serving"`) && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if strings.Contains(ch.stderr.String(), pw) {
				t.Error("the log holds the password")
			}
			if !strings.Contains(ch.stderr.String(), strconv.Itoa(c.Port)) {
				t.Errorf("the log does not say which database it serves:\n%s", ch.stderr.String())
			}
		})
	}
}

// TestPGWritesFromBothServers: two servers written at once, ten writers
// each. The database serialises the writes, none is lost, and both servers
// end up holding exactly the stored data.
func TestPGWritesFromBothServers(t *testing.T) {
	c := pgtest.Start(t)
	u := pgDatabase(t, c, builtin(t))
	a, b := pgServer(t, u), pgServer(t, u)
	county := a.stored().Counties[0].Code
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for i, ts := range []*testServer{a, b} {
		for w := range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range 3 {
					id := fmt.Sprintf("E-both-%d-%d-%d", i, w, k)
					if r := ts.edit("POST", "/api/v1/enterprises", enterpriseBody(id, county), "Content-Type", "application/json"); r.status != 201 {
						errs <- fmt.Sprintf("%s: %d %s", id, r.status, r.body)
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	stored := a.stored()
	n := 0
	for _, e := range stored.Enterprises {
		if strings.HasPrefix(e.ID, "E-both-") {
			n++
		}
	}
	if n != 60 {
		t.Errorf("%d of 60 writes stored", n)
	}
	// (a server's own writes keep where in the request each record was
	// read: compare the data as exported)
	want := jsonOf(t, stored)
	deadline := time.Now().Add(3 * time.Second)
	for _, ts := range []*testServer{a, b} {
		for jsonOf(t, ts.snap.Load().ds) != want {
			if time.Now().After(deadline) {
				t.Fatal("a server does not hold the stored data")
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
