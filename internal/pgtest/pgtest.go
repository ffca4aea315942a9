// Package pgtest starts a throwaway PostgreSQL cluster for a test: its own
// data directory under the system temp directory, its own loopback port, a
// random password, stopped and removed when the test ends — on failure and
// on a panic too (t.Cleanup), and on SIGINT/SIGTERM of the test binary.
// Clusters that a killed test binary left behind (kill -9, a test timeout)
// are stopped and removed by the next Start.
//
// When PostgreSQL is not installed or cannot start, the test is skipped —
// except when CI=true, where it fails: PostgreSQL tests must never pass by
// not running in CI (scripts/test-deps.sh installs the server).
//
// The server binaries are found in $PG_BINDIR, else in the newest
// /usr/lib/postgresql/*/bin (Debian), else on $PATH. The server refuses to
// run as root, so a root test binary runs initdb and pg_ctl through
// `runuser -u postgres` on a data directory owned by postgres.
package pgtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// dirPrefix names the temp directories of clusters, so that Start can find
// the ones a killed test binary left behind.
const dirPrefix = "chainscope-pgtest-"

// superuser is the cluster's superuser role.
const superuser = "chainscope"

// Cluster is a running throwaway PostgreSQL cluster.
type Cluster struct {
	// Port is the loopback TCP port the server listens on.
	Port int
	// Dir is the cluster's temp directory (the data directory is Dir/data).
	Dir string

	url  string
	bin  string
	as   []string // the command prefix that runs a server binary as its owner
	once sync.Once
}

// URL is the connection URL of the cluster's "postgres" database, password
// included: never log it (String hides the password).
func (c *Cluster) URL() string { return c.url }

// String describes the cluster without its password.
func (c *Cluster) String() string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres (data %s)", superuser, c.Port, c.Dir)
}

// Unavailable skips the test with the reason — or fails it when CI=true,
// where every PostgreSQL test must run. Tests call it too when something
// they need on top of the server (an extension) is missing.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s; PostgreSQL tests must run in CI (scripts/test-deps.sh installs postgresql and postgresql-15-pgrouting)", msg)
	}
	t.Skipf("%s; skipping PostgreSQL test (scripts/test-deps.sh installs the server)", msg)
}

// Start starts a fresh cluster for the test and stops and removes it when
// the test ends. It skips the test (fails it under CI=true) when PostgreSQL
// cannot be started.
func Start(t testing.TB) *Cluster {
	t.Helper()
	bin, err := binDir()
	if err != nil {
		Unavailable(t, "PostgreSQL is not installed: %v", err)
	}
	as, owner, err := runAs()
	if err != nil {
		Unavailable(t, "cannot run the PostgreSQL server: %v", err)
	}
	sweepOnce.Do(func() { sweep(bin, as) })
	watchSignals()

	var lastErr error
	for range 3 { // a free port may be taken between probe and start: retry
		c, err := start(bin, as, owner)
		if err == nil {
			t.Cleanup(c.Stop)
			return c
		}
		lastErr = err
	}
	Unavailable(t, "PostgreSQL did not start: %v", lastErr)
	return nil
}

// Connect opens one connection to the cluster, closed when the test ends.
func (c *Cluster) Connect(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.url)
	if err != nil {
		// pgx errors do not carry the password, but say only where.
		t.Fatalf("connect to %s: %v", c, redact(err.Error(), c.url))
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// Stop stops the server (immediate shutdown: the data is thrown away) and
// removes the cluster's directory. It is safe to call more than once.
func (c *Cluster) Stop() {
	c.once.Do(func() {
		stopDir(c.bin, c.as, c.Dir)
		unregister(c)
	})
}

// start runs initdb and pg_ctl start for one cluster.
func start(bin string, as []string, owner *user.User) (*Cluster, error) {
	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir, bin: bin, as: as}
	ok := false
	defer func() {
		if !ok {
			stopDir(bin, as, dir)
		}
	}()
	if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		return nil, err
	}
	pw := make([]byte, 16)
	if _, err := rand.Read(pw); err != nil {
		return nil, err
	}
	password := hex.EncodeToString(pw)
	pwfile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwfile, []byte(password+"\n"), 0o600); err != nil {
		return nil, err
	}
	if owner != nil {
		if err := chownTree(dir, owner); err != nil {
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := run(as, filepath.Join(bin, "initdb"), "-D", data, "-U", superuser,
		"--pwfile="+pwfile, "--auth-host=scram-sha-256", "--auth-local=peer",
		"-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, lastLines(out))
	}
	os.Remove(pwfile)
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	c.Port = port
	register(c)
	if err := c.pgctlStart(); err != nil {
		unregister(c)
		return nil, err
	}
	c.url = (&url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(superuser, password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Path:     "/postgres",
		RawQuery: "sslmode=disable",
	}).String()
	ok = true
	return c, nil
}

// pgctlStart starts the server of the cluster's data directory on its
// port and waits until it accepts connections.
func (c *Cluster) pgctlStart() error {
	opts := strings.Join([]string{
		"-p", strconv.Itoa(c.Port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=" + c.Dir,
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=50", "-c", "shared_buffers=64MB",
	}, " ")
	if out, err := run(c.as, filepath.Join(c.bin, "pg_ctl"), "start", "-w", "-t", "60", "-D", filepath.Join(c.Dir, "data"),
		"-l", filepath.Join(c.Dir, "server.log"), "-o", opts); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.Dir, "server.log"))
		return fmt.Errorf("pg_ctl start: %v: %s %s", err, lastLines(out), lastLines(log))
	}
	return nil
}

// Halt stops the server as an operator would (pg_ctl stop, fast mode:
// sessions are disconnected, committed data kept) and leaves the cluster
// in place, for Resume: a test of what clients do while the database is
// away.
func (c *Cluster) Halt(t testing.TB) {
	t.Helper()
	if out, err := run(c.as, filepath.Join(c.bin, "pg_ctl"), "stop", "-w", "-t", "60", "-m", "fast", "-D", filepath.Join(c.Dir, "data")); err != nil {
		t.Fatalf("pg_ctl stop: %v: %s", err, lastLines(out))
	}
}

// Resume starts the server Halt stopped, on the same port with the same
// data.
func (c *Cluster) Resume(t testing.TB) {
	t.Helper()
	if err := c.pgctlStart(); err != nil {
		t.Fatal(err)
	}
}

// stopDir stops the cluster of dir if it runs and removes dir.
func stopDir(bin string, as []string, dir string) {
	data := filepath.Join(dir, "data")
	if _, err := os.Stat(filepath.Join(data, "postmaster.pid")); err == nil {
		run(as, filepath.Join(bin, "pg_ctl"), "stop", "-w", "-t", "30", "-m", "immediate", "-D", data)
	}
	os.RemoveAll(dir)
}

// run runs a server binary as the cluster's owner and returns its output.
func run(as []string, name string, args ...string) ([]byte, error) {
	argv := append(append(append([]string{}, as...), name), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = os.TempDir() // the postgres user may not enter the test's directory
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.Bytes(), err
}

// binDir finds the directory holding initdb and pg_ctl.
func binDir() (string, error) {
	has := func(d string) bool {
		for _, b := range []string{"initdb", "pg_ctl", "postgres"} {
			if fi, err := os.Stat(filepath.Join(d, b)); err != nil || fi.IsDir() {
				return false
			}
		}
		return true
	}
	if d := os.Getenv("PG_BINDIR"); d != "" {
		if has(d) {
			return d, nil
		}
		return "", fmt.Errorf("PG_BINDIR=%s holds no initdb, pg_ctl and postgres", d)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if has(d) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil && has(filepath.Dir(p)) {
		return filepath.Dir(p), nil
	}
	return "", errors.New("no initdb in $PG_BINDIR, /usr/lib/postgresql/*/bin or $PATH")
}

// version is the major version in a Debian bin path, 0 when there is none.
func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// runAs returns the command prefix that runs the server binaries and the
// user that must own the data directory: as root, `runuser -u postgres --`
// and the postgres user; otherwise nothing and the current user.
func runAs() ([]string, *user.User, error) {
	if os.Geteuid() != 0 {
		return nil, nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, nil, fmt.Errorf("running as root and there is no postgres user: %v", err)
	}
	ru, err := exec.LookPath("runuser")
	if err != nil {
		return nil, nil, fmt.Errorf("running as root and there is no runuser: %v", err)
	}
	return []string{ru, "-u", "postgres", "--"}, u, nil
}

// chownTree gives dir and everything in it to u.
func chownTree(dir string, u *user.User) error {
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return err
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return err
	}
	return filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// lastLines keeps the end of a tool's output for an error message.
func lastLines(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 600 {
		s = "…" + s[len(s)-600:]
	}
	return s
}

// redact removes the URL and its password from a message.
func redact(msg, u string) string {
	if p, err := url.Parse(u); err == nil {
		if pw, ok := p.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}

// The clusters of this process, stopped on SIGINT/SIGTERM.
var (
	liveMu    sync.Mutex
	live      = map[*Cluster]bool{}
	sigOnce   sync.Once
	sweepOnce sync.Once
)

func register(c *Cluster)   { liveMu.Lock(); live[c] = true; liveMu.Unlock() }
func unregister(c *Cluster) { liveMu.Lock(); delete(live, c); liveMu.Unlock() }

// watchSignals stops every live cluster when the test binary is
// interrupted, then exits as the signal would have.
func watchSignals() {
	sigOnce.Do(func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
		go func() {
			sig := <-ch
			liveMu.Lock()
			cs := make([]*Cluster, 0, len(live))
			for c := range live {
				cs = append(cs, c)
			}
			liveMu.Unlock()
			for _, c := range cs {
				stopDir(c.bin, c.as, c.Dir)
			}
			code := 130
			if sig == syscall.SIGTERM {
				code = 143
			}
			os.Exit(code)
		}()
	})
}

// sweep stops and removes the clusters whose test binary is gone (killed
// with -9 or by a test timeout, where no cleanup runs).
func sweep(bin string, as []string) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "owner.pid"))
		if err != nil {
			continue // being created, or not ours
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid == os.Getpid() || alive(pid) {
			continue
		}
		stopDir(bin, as, d)
	}
}

// alive reports whether process pid exists.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
