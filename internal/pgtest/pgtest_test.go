package pgtest

import (
	"context"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestClusterStartsAndIsRemoved starts a cluster in a subtest, writes to it,
// and checks that when the subtest ends the server no longer accepts
// connections and its directory is gone.
func TestClusterStartsAndIsRemoved(t *testing.T) {
	var c *Cluster
	t.Run("cluster", func(t *testing.T) {
		c = Start(t)
		conn := c.Connect(t)
		ctx := context.Background()
		var v int
		if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v < 130000 {
			t.Errorf("server version %d, SPEC §10 needs PostgreSQL 13 or later", v)
		}
		if _, err := conn.Exec(ctx, "CREATE TABLE t(id text COLLATE \"C\" PRIMARY KEY); INSERT INTO t VALUES ('b'), ('B'), ('a')"); err != nil {
			t.Fatal(err)
		}
		rows, err := conn.Query(ctx, "SELECT id FROM t ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			got = append(got, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, ",") != "B,a,b" { // byte order, SPEC §10
			t.Errorf("ids in %v, want byte order B,a,b", got)
		}
		if strings.Contains(c.String(), passwordOf(t, c)) {
			t.Errorf("String() shows the password")
		}
		if fi, err := os.Stat(c.Dir + "/data/postmaster.pid"); err != nil || fi.Size() == 0 {
			t.Errorf("no postmaster.pid in the data directory: %v", err)
		}
	})
	if c == nil {
		return // skipped
	}
	if _, err := os.Stat(c.Dir); !os.IsNotExist(err) {
		t.Errorf("cluster directory %s still there after the test: %v", c.Dir, err)
	}
	conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(c.Port)), time.Second)
	if err == nil {
		conn.Close()
		t.Errorf("port %d still accepts connections after the test", c.Port)
	}
}

// TestSweepRemovesOrphans plants the directory of a cluster whose test
// binary is gone (a dead pid) and checks that the sweep removes it.
func TestSweepRemovesOrphans(t *testing.T) {
	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	// pid 2^22+1 is above the kernel's pid_max default, so no process has it
	if err := os.WriteFile(dir+"/owner.pid", []byte("4194305"), 0o600); err != nil {
		t.Fatal(err)
	}
	mine, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(mine)
	if err := os.WriteFile(mine+"/owner.pid", []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		t.Fatal(err)
	}
	sweep("/nonexistent", nil)
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("orphan directory %s not removed: %v", dir, err)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("the live process's directory was removed: %v", err)
	}
}

func passwordOf(t *testing.T, c *Cluster) string {
	t.Helper()
	u, err := url.Parse(c.URL())
	if err != nil {
		t.Fatal(err)
	}
	pw, ok := u.User.Password()
	if !ok || len(pw) < 16 {
		t.Fatalf("the URL has no random password")
	}
	return pw
}

// TestHaltResume: while halted the server refuses connections; resumed,
// it answers on the same port with the data committed before.
func TestHaltResume(t *testing.T) {
	c := Start(t)
	ctx := context.Background()
	conn := c.Connect(t)
	if _, err := conn.Exec(ctx, "CREATE TABLE kept(v int); INSERT INTO kept VALUES (7)"); err != nil {
		t.Fatal(err)
	}
	c.Halt(t)
	if _, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(c.Port)), time.Second); err == nil {
		t.Fatal("the halted server still accepts connections")
	}
	c.Resume(t)
	var v int
	if err := c.Connect(t).QueryRow(ctx, "SELECT v FROM kept").Scan(&v); err != nil || v != 7 {
		t.Fatalf("after Resume: %d, %v", v, err)
	}
}
