package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"chainscope"
)

// Environment of the child process of TestKill9.
const (
	childDB    = "CHAINSCOPE_STORE_KILL_DB"    // the database the child imports into
	childCache = "CHAINSCOPE_STORE_KILL_CACHE" // its import page cache, KiB
	childPause = "CHAINSCOPE_STORE_KILL_PAUSE" // "true": stop once all rows are written
	childSlow  = "CHAINSCOPE_STORE_KILL_SLOW"  // "true": dawdle in each progress call
)

// crashScale is the dataset the child imports: big enough that the import
// runs for a good while, and spills to the WAL with a small cache.
var crashScale = genConfig{enterprises: 20_000, projects: 4_000, links: 200_000, seed: 9}

// TestKill9 kills a process in the middle of a Replace with SIGKILL, which
// no code of the process can intercept, and checks that the database then
// holds exactly the dataset stored before, intact.
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process importing 200 000 links")
	}
	tests := []struct {
		name    string
		cacheKB int   // the child's import page cache
		walSize int64 // kill once the WAL is this big...
		pause   bool  // ...or once every row is written, before the commit
		atRows  int   // ...or once this many rows are written
		empty   bool  // the database is new: the child's import is its first (the bulk path)
	}{
		// A small cache makes SQLite spill pages of the open transaction
		// to the WAL: recovery must ignore them.
		{name: "uncommitted pages in the WAL", cacheKB: 1024, walSize: 3 << 20, empty: true},
		{name: "all rows written, commit pending", cacheKB: 1024, pause: true, empty: true},
		{name: "mid-import, default cache", atRows: rows(genDataset(crashScale)) / 2, empty: true},
		// Over stored data, a Replace writes the records that differ as
		// one more revision.
		{name: "revision over history, mid-write", atRows: 50_000},
		{name: "revision over history, commit pending", pause: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db, path := openTemp(t)
			before := &chainscope.Dataset{Counties: []chainscope.County{}, Chains: []chainscope.Chain{},
				Enterprises: []chainscope.Enterprise{}, Projects: []chainscope.Project{}, Links: []chainscope.Link{}}
			var asOf []*chainscope.Dataset // the data as of each revision before the kill
			if !tc.empty {
				first := richDataset()
				mustReplace(t, db, first)
				before = richDataset()
				before.Region.Name = "运城市（改）"
				before.Projects[0].Status = chainscope.StatusOperating
				mustReplace(t, db, before)
				asOf = []*chainscope.Dataset{mustLoadAsOf(t, db, 1), mustLoadAsOf(t, db, 2)}
				checkSameRecords(t, asOf[0], first)
			}
			revs, _, _ := db.Revisions(context.Background(), 0, 0)
			v0, _ := db.DataVersion(context.Background())
			db.Close()

			cmd := exec.Command(os.Args[0], "-test.run=^TestKill9Child$", "-test.count=1")
			cmd.Env = append(os.Environ(),
				childDB+"="+path, childCache+"="+strconv.Itoa(tc.cacheKB), childPause+"="+strconv.FormatBool(tc.pause),
				// Slowed down, the import is still far from its commit
				// when the kill arrives, however busy the machine.
				childSlow+"="+strconv.FormatBool(!tc.pause))
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			lines := make(chan string, 100)
			go func() {
				sc := bufio.NewScanner(stdout)
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
				exited <- cmd.Wait()
			}()

			// Wait until the import is where this case wants it.
			deadline := time.After(2 * time.Minute)
			var last string
		wait:
			for {
				select {
				case line, ok := <-lines:
					if !ok {
						t.Fatalf("the child ended before the kill (last line %q): %v\n%s", last, <-exited, stderr.String())
					}
					last = line
					var done, total int
					if _, err := fmt.Sscanf(line, "progress %d %d", &done, &total); err == nil {
						if tc.atRows > 0 && done >= tc.atRows {
							break wait
						}
						if tc.walSize > 0 && done < total && walSize(path) >= tc.walSize {
							break wait
						}
					}
					if line == "paused" {
						break wait
					}
				case <-deadline:
					cmd.Process.Kill()
					t.Fatalf("the import did not get there in time (last line %q)\n%s", last, stderr.String())
				}
			}
			wal := walSize(path)
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			for range lines {
			}
			if err := <-exited; err == nil || !strings.Contains(err.Error(), "killed") {
				t.Fatalf("child exit: %v, want killed", err)
			}
			t.Logf("killed after %q with a %d-byte WAL", last, wal)

			db, err = Open(context.Background(), path)
			if err != nil {
				t.Fatalf("reopen after kill: %v", err)
			}
			defer db.Close()
			if err := db.Check(context.Background()); err != nil {
				t.Fatal(err)
			}
			checkEqual(t, mustLoad(t, db), before)
			if v, _ := db.DataVersion(context.Background()); v != v0 {
				t.Errorf("data version %d, want %d", v, v0)
			}
			if got, _, _ := db.Revisions(context.Background(), 0, 0); !reflect.DeepEqual(got, revs) {
				t.Errorf("revisions %+v, want %+v", got, revs)
			}
			for i, want := range asOf {
				checkEqual(t, mustLoadAsOf(t, db, int64(i+1)), want)
			}
			// And the database takes the next import.
			after := genDataset(genConfig{enterprises: 200, projects: 40, links: 1000, seed: 2})
			mustReplace(t, db, after)
			checkSameRecords(t, mustLoad(t, db), after)
		})
	}
}

// TestKill9Child is the process TestKill9 kills: it imports crashScale and
// reports its progress on stdout. It does nothing unless started by
// TestKill9.
func TestKill9Child(t *testing.T) {
	path := os.Getenv(childDB)
	if path == "" {
		t.Skip("run by TestKill9")
	}
	ds := genDataset(crashScale)
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if kb, _ := strconv.Atoi(os.Getenv(childCache)); kb > 0 {
		db.importCacheKiB = kb
	}
	pause := os.Getenv(childPause) == "true"
	slow := os.Getenv(childSlow) == "true"
	err = db.ReplaceWith(context.Background(), ds, ReplaceOptions{Progress: func(done, total int) {
		fmt.Printf("progress %d %d\n", done, total)
		if slow {
			time.Sleep(20 * time.Millisecond)
		}
		if pause && done == total {
			fmt.Println("paused")
			time.Sleep(time.Hour) // until killed
		}
	}})
	// Reaching here means the kill came too late: the parent fails.
	fmt.Printf("finished: %v\n", err)
}

func mustLoadAsOf(t testing.TB, db *DB, rev int64) *chainscope.Dataset {
	t.Helper()
	ds, err := db.LoadAsOf(context.Background(), rev)
	if err != nil {
		t.Fatalf("as of %d: %v", rev, err)
	}
	return ds
}

// walSize is the size of the database's WAL file, 0 if there is none.
func walSize(path string) int64 {
	st, err := os.Stat(path + "-wal")
	if err != nil {
		return 0
	}
	return st.Size()
}
