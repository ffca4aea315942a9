package store

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"chainscope"
)

// childMigrate names the database TestKill9Migration's child opens.
const childMigrate = "CHAINSCOPE_STORE_KILL_MIGRATION"

// schema2DB writes a database as chainscope wrote it before history was
// kept (schema version 2), holding a small dataset and an audit log, and
// returns its path and the dataset.
func schema2DB(t *testing.T) (string, *chainscope.Dataset) {
	return schema2DBOn(t, "sqlite")
}

// schema2DBOn is schema2DB on an engine: "sqlite" (a file) or "postgres"
// (a new database on the shared cluster, its URL returned).
func schema2DBOn(t *testing.T, engine string) (string, *chainscope.Dataset) {
	t.Helper()
	var path, dir, version string
	var db *sql.DB
	var err error
	if engine == "postgres" {
		path, dir = newPGDatabase(t), postgresMigrations
		version = `UPDATE chainscope_schema SET version = 2`
		db, err = sql.Open("pgx", path)
	} else {
		path, dir = filepath.Join(t.TempDir(), "old.db"), sqliteMigrations
		version = `PRAGMA user_version = 2`
		db, err = sql.Open("sqlite", "file:"+path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, err := migrationsIn(dir)
	if err != nil {
		t.Fatal(err)
	}
	if engine == "postgres" {
		ms = append([]migration{{name: "chainscope_schema", sql: pgSchemaTable}}, ms...)
		ms = ms[:3]
	} else {
		ms = ms[:2]
	}
	for _, m := range ms {
		if _, err := db.Exec(m.sql); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
	}
	for _, q := range []string{
		version,
		`UPDATE state SET data_version = 7`,
		`INSERT INTO region (id, code, name) VALUES (1, '140800', '运城市')`,
		`INSERT INTO counties (code, name, kind) VALUES ('140827', '垣曲县', 'county')`,
		`INSERT INTO chains (id, name) VALUES ('battery', '新能源电池')`,
		`INSERT INTO segments (id, chain_id, name, stage) VALUES ('battery.coke', 'battery', '锻后焦', 'upstream'), ('battery.anode', 'battery', '负极材料', 'midstream')`,
		`INSERT INTO flows (chain_id, from_id, to_id) VALUES ('battery', 'battery.coke', 'battery.anode')`,
		`INSERT INTO enterprises (seq, id, name, county, output_wan) VALUES (1, 'E-1', '正弘', '140827', 5000), (2, 'E-2', '负极厂', NULL, NULL)`,
		`INSERT INTO enterprise_segments (enterprise_id, segment_id) VALUES ('E-1', 'battery.coke'), ('E-2', 'battery.anode')`,
		`INSERT INTO enterprise_leaders (enterprise_id, chain_id) VALUES ('E-1', 'battery')`,
		`INSERT INTO projects (seq, id, name, investor, county, investment_wan, signed, status, emerging) VALUES (3, 'P-1', '锻后焦项目', 'E-1', '140827', 10000, '2024-03-15', 'started', 1)`,
		`INSERT INTO project_segments (project_id, segment_id) VALUES ('P-1', 'battery.coke')`,
		`INSERT INTO links (from_node, to_node, seq, product) VALUES (1, 2, 1, '锻后焦'), (3, 2, 2, NULL)`,
		`INSERT INTO audit (at, actor, action, entity, key) VALUES ('2024-05-01T00:00:00Z', 'editor', 'update', 'project', 'P-1')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	out, inv := 5000.0, 10000.0
	ds := &chainscope.Dataset{
		Region:   chainscope.Region{Code: "140800", Name: "运城市"},
		Counties: []chainscope.County{{Code: "140827", Name: "垣曲县", Kind: chainscope.KindCounty}},
		Chains: []chainscope.Chain{{ID: "battery", Name: "新能源电池",
			Segments: []chainscope.Segment{{ID: "battery.coke", Name: "锻后焦", Stage: chainscope.StageUpstream},
				{ID: "battery.anode", Name: "负极材料", Stage: chainscope.StageMidstream}},
			Flows: []chainscope.Flow{{From: "battery.coke", To: "battery.anode"}}}},
		Enterprises: []chainscope.Enterprise{
			{ID: "E-1", Name: "正弘", County: "140827", Segments: []string{"battery.coke"}, LeaderOf: []string{"battery"}, OutputWan: &out},
			{ID: "E-2", Name: "负极厂", County: "140800", Segments: []string{"battery.anode"}, LeaderOf: []string{}}},
		Projects: []chainscope.Project{{ID: "P-1", Name: "锻后焦项目", Investor: "E-1", County: "140827",
			Segments: []string{"battery.coke"}, InvestmentWan: &inv, Signed: "2024-03-15", Status: chainscope.StatusStarted, Emerging: true}},
		Links: []chainscope.Link{{From: "E-1", To: "E-2", Product: "锻后焦"}, {From: "P-1", To: "E-2"}},
	}
	return path, ds
}

// TestMigrationToHistory: a database of schema 2 opens with its data as
// revision 1, readable as of it, its old audit log kept, and takes new
// records with node numbers of their own.
func TestMigrationToHistory(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) { testMigrationToHistory(t, engine) })
	}
}

func testMigrationToHistory(t *testing.T, engine string) {
	path, want := schema2DBOn(t, engine)
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkEqual(t, mustLoad(t, db), want)
	old, err := db.LoadAsOf(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, old, want)
	revs, total, err := db.Revisions(ctx, 0, 0)
	if err != nil || total != 1 || revs[0].Rev != 1 || revs[0].By != "migration" {
		t.Fatalf("revisions after the migration: %+v %d %v", revs, total, err)
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM audit_before_history`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("old audit log: %d rows, %v", n, err)
	}
	// A new enterprise gets a node number of its own, and links to it.
	next := *want
	next.Enterprises = append(append([]chainscope.Enterprise{}, want.Enterprises...),
		chainscope.Enterprise{ID: "E-3", Name: "新厂", County: "140827", Segments: []string{}, LeaderOf: []string{}})
	next.Links = append(append([]chainscope.Link{}, want.Links...), chainscope.Link{From: "E-3", To: "P-1"})
	mustReplace(t, db, &next)
	checkEqual(t, mustLoad(t, db), &next)
	if err := db.Check(ctx); err != nil {
		t.Fatal(err)
	}
	again, _ := db.LoadAsOf(ctx, 1)
	checkEqual(t, again, want)
}

// TestKill9Migration kills a process in the middle of migrating a schema-2
// database, its migration written but not committed: the file then still
// holds schema 2 with its data, and the next Open migrates it.
func TestKill9Migration(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	path, want := schema2DB(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9MigrationChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childMigrate+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	paused := make(chan bool, 1)
	go func() {
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "paused") {
				paused <- true
				return
			}
		}
		paused <- false
	}()
	select {
	case ok := <-paused:
		if !ok {
			t.Fatal("the child ended before pausing in the migration")
		}
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatal("the child did not reach the migration")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	var version int
	raw.QueryRow(`PRAGMA user_version`).Scan(&version)
	raw.Close()
	if version != 2 {
		t.Fatalf("schema version %d after a killed migration, want 2", version)
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkEqual(t, mustLoad(t, db), want)
	if rev, _ := db.LatestRevision(context.Background()); rev != 1 {
		t.Fatalf("latest revision %d, want 1", rev)
	}
}

// TestKill9MigrationChild is the process TestKill9Migration kills.
func TestKill9MigrationChild(t *testing.T) {
	path := os.Getenv(childMigrate)
	if path == "" {
		t.Skip("run by TestKill9Migration")
	}
	migrationWritten = func(version int) {
		if version == 3 {
			fmt.Println("paused in migration", version)
			time.Sleep(time.Hour) // until killed
		}
	}
	_, err := Open(context.Background(), path)
	fmt.Printf("finished: %v\n", err)
}
