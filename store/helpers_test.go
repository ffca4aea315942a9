package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"chainscope"
	"chainscope/internal/pgtest"
)

// openTemp opens a new database in a fresh temporary directory.
func openTemp(t testing.TB) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "chainscope.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// mustReplace stores ds or fails the test.
func mustReplace(t testing.TB, db *DB, ds *chainscope.Dataset) {
	t.Helper()
	if err := db.Replace(context.Background(), ds); err != nil {
		t.Fatalf("Replace: %v", err)
	}
}

// mustLoad loads the dataset or fails the test.
func mustLoad(t testing.TB, db *DB) *chainscope.Dataset {
	t.Helper()
	ds, err := db.Load(context.Background())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return ds
}

// checkEqual fails the test unless got and want are deeply equal, naming
// the first record that differs (a DeepEqual failure on a million links
// says nothing useful by itself).
// sameRecords reports whether got holds exactly the records of want, each
// kind's records possibly in another order: what a Replace over stored
// data gives, since records kept keep their place (see replaceByDiff).
func sameRecords(got, want *chainscope.Dataset) bool {
	changes, err := chainscope.DiffDatasets(got, want)
	return err == nil && len(changes) == 0
}

// checkSameRecords fails t unless sameRecords(got, want).
func checkSameRecords(t testing.TB, got, want *chainscope.Dataset) {
	t.Helper()
	changes, err := chainscope.DiffDatasets(got, want)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range changes {
		if i == 5 {
			t.Errorf("… %d changes in all", len(changes))
			break
		}
		t.Errorf("%s %s %q", c.Change(), c.Kind, c.Key)
	}
}

func checkEqual(t testing.TB, got, want *chainscope.Dataset) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	t.Fatalf("datasets differ: %s", diffDataset(got, want))
}

// diffDataset describes the first difference between two datasets.
func diffDataset(got, want *chainscope.Dataset) string {
	if got == nil || want == nil {
		return fmt.Sprintf("got %v, want %v", got, want)
	}
	if got.Region != want.Region {
		return fmt.Sprintf("region: got %+v, want %+v", got.Region, want.Region)
	}
	for _, d := range []string{
		diffSlice("counties", got.Counties, want.Counties),
		diffSlice("chains", got.Chains, want.Chains),
		diffSlice("enterprises", got.Enterprises, want.Enterprises),
		diffSlice("projects", got.Projects, want.Projects),
		diffSlice("links", got.Links, want.Links),
	} {
		if d != "" {
			return d
		}
	}
	return "a difference DeepEqual sees and diffDataset does not"
}

func diffSlice[T any](name string, got, want []T) string {
	if (got == nil) != (want == nil) {
		return fmt.Sprintf("%s: got nil=%v, want nil=%v", name, got == nil, want == nil)
	}
	if len(got) != len(want) {
		return fmt.Sprintf("%s: got %d, want %d", name, len(got), len(want))
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], want[i]) {
			return fmt.Sprintf("%s[%d]:\n got  %#v\n want %#v", name, i, got[i], want[i])
		}
	}
	return ""
}

func ptr(f float64) *float64 { return &f }

// hostile strings end up in every free-text field of richDataset. No zero
// byte: PostgreSQL text cannot hold one (TestZeroByte covers it).
const (
	hostileSQL   = `'); DROP TABLE links;--`
	hostileMixed = "引号\"'`\\ 100% _x_ \t换行\n\r NULL 零字节 🏭 ␀ $1 ?1 ?"
)

// richDataset sets every field of every record, with the awkward values:
// nil and zero amounts, a zone listed before the county it lies in, records
// in the region's own code, CJK and hostile text, empty lists.
func richDataset() *chainscope.Dataset {
	return &chainscope.Dataset{
		Region: chainscope.Region{Code: "140800", Name: "运城市", Source: "运城日报 2024-05-06", Note: hostileMixed},
		Counties: []chainscope.County{
			{Code: "Z-yuanqu", Name: "垣曲经济技术开发区", Kind: chainscope.KindZone, Parent: "140827", Source: hostileSQL, Note: "园区"},
			{Code: "140827", Name: "垣曲县", Kind: chainscope.KindCounty},
			{Code: "140882", Name: "河津市", Kind: chainscope.KindCity, Source: "GB/T 2260"},
			{Code: "140802", Name: "盐湖区", Kind: chainscope.KindDistrict, Note: hostileSQL},
			{Code: "Z-hejin", Name: "河津经济技术开发区", Kind: chainscope.KindZone, Parent: "140882"},
		},
		Chains: []chainscope.Chain{
			{
				ID: "battery", Name: "新能源电池", Source: "市工信局", Note: hostileMixed,
				Segments: []chainscope.Segment{
					{ID: "battery.coke", Name: "锻后焦", Stage: chainscope.StageUpstream, Source: "s", Note: "n"},
					{ID: "battery.anode", Name: "负极材料", Stage: chainscope.StageMidstream},
					{ID: "battery.cell", Name: "电芯", Stage: chainscope.StageDownstream, Note: hostileSQL},
					{ID: "battery.equip", Name: "设备", Stage: chainscope.StageSupport},
				},
				Flows: []chainscope.Flow{
					{From: "battery.coke", To: "battery.anode"},
					{From: "battery.anode", To: "battery.cell"},
				},
			},
			{
				ID: "alu", Name: "铝镁合金",
				Segments: []chainscope.Segment{
					{ID: "alu.ore", Name: "铝土矿", Stage: chainscope.StageUpstream},
				},
				Flows: []chainscope.Flow{},
			},
			{ID: "empty", Name: "空链", Segments: []chainscope.Segment{}, Flows: []chainscope.Flow{}},
		},
		Enterprises: []chainscope.Enterprise{
			{
				ID: "E-zhenghong", Name: "山西正弘新能源材料有限公司", USCC: "91140827MA0KXXXX1X", County: "140827",
				Segments: []string{"battery.coke", "alu.ore"}, LeaderOf: []string{"battery", "alu"},
				OutputWan: ptr(123456.789), Source: "年报", Note: hostileMixed,
			},
			{
				ID: "E-anode", Name: hostileSQL, County: "Z-yuanqu",
				Segments: []string{"battery.anode"}, LeaderOf: []string{}, OutputWan: ptr(0),
			},
			{
				ID: "E-city", Name: "市本级企业", County: "140800", // the region itself
				Segments: []string{}, LeaderOf: []string{}, OutputWan: nil,
			},
			{
				ID: "00123", Name: "数字编号企业", County: "140882", USCC: "00000000000000000X",
				Segments: []string{"battery.cell", "battery.cell"}, LeaderOf: []string{}, OutputWan: ptr(-0.5),
			},
		},
		Projects: []chainscope.Project{
			{
				ID: "P-2024-017", Name: "年产7万吨锂电池材料(锻后焦)项目", Investor: "E-zhenghong", County: "140827",
				Segments: []string{"battery.coke"}, InvestmentWan: ptr(10000), Signed: "2024-03-15", Started: "2024-04-01",
				Status: chainscope.StatusStarted, Emerging: true, Source: "运城日报", Note: hostileSQL,
			},
			{
				ID: "P-nil", Name: "未知投资项目", County: "140800",
				Segments: []string{}, InvestmentWan: nil, Status: chainscope.StatusSigned,
			},
			{
				ID: "P-zero", Name: "零投资", County: "Z-hejin", Investor: "00123",
				Segments: []string{"battery.equip", "alu.ore"}, InvestmentWan: ptr(0), Signed: "2023-12-31",
				Status: chainscope.StatusOperating, Emerging: false,
			},
			{ID: "P-stalled", Name: "停滞", County: "140802", Segments: []string{}, InvestmentWan: ptr(1e-9), Status: chainscope.StatusStalled},
			{ID: "P-cancelled", Name: "终止", County: "140802", Segments: []string{"alu.ore"}, InvestmentWan: ptr(1.5e12), Status: chainscope.StatusCancelled, Emerging: true},
		},
		Links: []chainscope.Link{
			{From: "E-zhenghong", To: "E-anode", Product: "锻后焦", Source: "调研", Note: hostileMixed},
			{From: "E-anode", To: "E-zhenghong", Product: hostileSQL},
			{From: "E-anode", To: "P-2024-017"},
			{From: "P-zero", To: "00123", Product: "设备", Note: "n"},
		},
	}
}

// genConfig sizes a generated dataset.
type genConfig struct {
	enterprises, projects, links int
	seed                         uint64
}

// provinceScale is the import target of the performance requirement:
// 100 000 enterprises, 20 000 projects, 1 000 000 links.
var provinceScale = genConfig{enterprises: 100_000, projects: 20_000, links: 1_000_000, seed: 1}

// benchScale is a fifth of it: 200 000 links.
var benchScale = genConfig{enterprises: 20_000, projects: 4_000, links: 200_000, seed: 1}

// genDataset builds a valid, province-like dataset: 13 counties and 5
// zones, 8 chains of 12 segments, enterprises and projects on 1–2
// segments, and distinct random links between them.
func genDataset(cfg genConfig) *chainscope.Dataset {
	rng := rand.New(rand.NewPCG(cfg.seed, 0x5eed))
	ds := &chainscope.Dataset{Region: chainscope.Region{Code: "140000", Name: "山西省", Source: "generated"}}

	var counties []string
	for i := range 13 {
		code := fmt.Sprintf("1408%02d", 21+i)
		counties = append(counties, code)
		ds.Counties = append(ds.Counties, chainscope.County{Code: code, Name: fmt.Sprintf("第%d县", i+1), Kind: chainscope.KindCounty})
	}
	for i := range 5 {
		code := fmt.Sprintf("Z%02d", i)
		ds.Counties = append(ds.Counties, chainscope.County{
			Code: code, Name: fmt.Sprintf("第%d开发区", i+1), Kind: chainscope.KindZone, Parent: counties[i]})
		counties = append(counties, code)
	}
	counties = append(counties, ds.Region.Code)

	var segments []string
	for c := range 8 {
		ch := chainscope.Chain{ID: fmt.Sprintf("chain%d", c), Name: fmt.Sprintf("产业链%d", c), Flows: []chainscope.Flow{}}
		for s := range 12 {
			id := fmt.Sprintf("%s.s%02d", ch.ID, s)
			ch.Segments = append(ch.Segments, chainscope.Segment{ID: id, Name: fmt.Sprintf("环节%d", s), Stage: chainscope.Stages[s%4]})
			segments = append(segments, id)
			if s > 0 {
				ch.Flows = append(ch.Flows, chainscope.Flow{From: ch.Segments[s-1].ID, To: id})
			}
		}
		ds.Chains = append(ds.Chains, ch)
	}

	segs := func() []string {
		out := []string{segments[rng.IntN(len(segments))]}
		if rng.IntN(3) == 0 {
			if s := segments[rng.IntN(len(segments))]; s != out[0] {
				out = append(out, s)
			}
		}
		return out
	}
	amount := func(p int) *float64 {
		if rng.IntN(100) < p {
			return ptr(float64(rng.IntN(1_000_000)) / 10)
		}
		return nil
	}
	date := func() string {
		return fmt.Sprintf("202%d-%02d-%02d", 3+rng.IntN(2), 1+rng.IntN(12), 1+rng.IntN(28))
	}

	nodes := make([]string, 0, cfg.enterprises+cfg.projects)
	ds.Enterprises = make([]chainscope.Enterprise, 0, cfg.enterprises)
	for i := range cfg.enterprises {
		e := chainscope.Enterprise{
			ID: fmt.Sprintf("E%06d", i), Name: fmt.Sprintf("山西第%d号新材料科技有限公司", i),
			County: counties[rng.IntN(len(counties))], Segments: segs(), LeaderOf: []string{},
			OutputWan: amount(70),
		}
		if rng.IntN(2) == 0 {
			e.USCC = fmt.Sprintf("91140%013d", i)
		}
		if rng.IntN(50) == 0 {
			e.LeaderOf = append(e.LeaderOf, ds.Chains[rng.IntN(len(ds.Chains))].ID)
		}
		if rng.IntN(10) == 0 {
			e.Source = "2024年统计年报"
		}
		ds.Enterprises = append(ds.Enterprises, e)
		nodes = append(nodes, e.ID)
	}
	ds.Projects = make([]chainscope.Project, 0, cfg.projects)
	for i := range cfg.projects {
		p := chainscope.Project{
			ID: fmt.Sprintf("P%05d", i), Name: fmt.Sprintf("年产%d万吨新材料项目", 1+rng.IntN(100)),
			County: counties[rng.IntN(len(counties))], Segments: segs(), InvestmentWan: amount(90),
			Signed: date(), Status: chainscope.Statuses[rng.IntN(len(chainscope.Statuses))], Emerging: rng.IntN(2) == 0,
		}
		if cfg.enterprises > 0 && rng.IntN(2) == 0 {
			p.Investor = ds.Enterprises[rng.IntN(cfg.enterprises)].ID
		}
		if p.Status != chainscope.StatusSigned {
			p.Started = date()
		}
		ds.Projects = append(ds.Projects, p)
		nodes = append(nodes, p.ID)
	}

	products := []string{"", "", "锻后焦", "负极材料", "铝锭", "电解液"}
	ds.Links = make([]chainscope.Link, 0, cfg.links)
	seen := make(map[[2]int32]bool, cfg.links)
	for len(ds.Links) < cfg.links && len(nodes) > 1 {
		a, b := rng.IntN(len(nodes)), rng.IntN(len(nodes))
		key := [2]int32{int32(a), int32(b)}
		if a == b || seen[key] {
			continue
		}
		seen[key] = true
		ds.Links = append(ds.Links, chainscope.Link{From: nodes[a], To: nodes[b], Product: products[rng.IntN(len(products))]})
	}
	return ds
}

// rows is how many rows ds has: records plus the entries of their lists
// (what a tabular import holds; what rows/s figures count).
func rows(ds *chainscope.Dataset) int { return countRows(ds) }

// TestMain stops the PostgreSQL cluster the tests of this binary shared
// (see pgCluster) once they are done.
func TestMain(m *testing.M) {
	code := m.Run()
	stopSharedCluster()
	os.Exit(code)
}

// testEngines are the engines a behaviour test runs on: each opens a new,
// empty database and returns it with its target (a file path, or a URL),
// which Open takes again.
var testEngines = []struct {
	name string
	open func(t testing.TB) (*DB, string)
}{
	{"sqlite", openTemp},
	{"postgres", openTempPG},
}

// eachEngine runs test as a subtest on every engine; open gives it a new
// empty database of that engine (several calls: several databases).
func eachEngine(t *testing.T, test func(t *testing.T, open func(testing.TB) (*DB, string))) {
	t.Helper()
	for _, e := range testEngines {
		t.Run(e.name, func(t *testing.T) { test(t, e.open) })
	}
}

// openTempPG opens a new chainscope database on the shared PostgreSQL
// cluster, dropped when the test ends. It skips the test when PostgreSQL is
// not installed (fails it under CI=true, see pgtest.Unavailable).
func openTempPG(t testing.TB) (*DB, string) {
	t.Helper()
	u := newPGDatabase(t)
	db, err := Open(context.Background(), u)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, u
}

// sharedCluster is the one PostgreSQL cluster of this test binary: started
// on first need (about 2 s), stopped by TestMain.
var sharedCluster struct {
	once    sync.Once
	c       *pgtest.Cluster
	tb      *mainTB
	dbs     atomic.Int64
	missing string // why there is none
	fatal   bool   // CI=true: a missing cluster fails the test
}

// pgCluster returns the shared cluster, skipping (or under CI=true
// failing) t when PostgreSQL cannot be started.
func pgCluster(t testing.TB) *pgtest.Cluster {
	t.Helper()
	s := &sharedCluster
	s.once.Do(func() {
		s.tb = &mainTB{}
		defer func() {
			if r := recover(); r != nil {
				if r != s.tb {
					panic(r)
				}
				s.missing, s.fatal = s.tb.msg, s.tb.failed
			}
		}()
		s.c = pgtest.Start(s.tb)
	})
	if s.c == nil {
		if s.fatal {
			t.Fatal(s.missing)
		}
		t.Skip(s.missing)
	}
	return s.c
}

// stopSharedCluster stops the shared cluster, if one was started.
func stopSharedCluster() {
	if tb := sharedCluster.tb; tb != nil {
		for i := len(tb.cleanups) - 1; i >= 0; i-- {
			tb.cleanups[i]()
		}
	}
}

// newPGDatabase creates an empty database on the shared cluster, dropped
// when the test ends, and returns its URL (password included: never log it).
func newPGDatabase(t testing.TB) string {
	t.Helper()
	c := pgCluster(t)
	name := fmt.Sprintf("test_%d_%d", os.Getpid(), sharedCluster.dbs.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		t.Fatalf("connect to %s: %v", c, err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if admin, err := pgx.Connect(ctx, c.URL()); err == nil {
			admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			admin.Close(ctx)
		}
	})
	u, err := url.Parse(c.URL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// mainTB is the testing.TB pgtest.Start gets outside any test: it keeps the
// cleanups for TestMain, and a skip or a failure unwinds (panics with the
// mainTB itself) with the reason in msg.
type mainTB struct {
	testing.TB // nil: pgtest.Start calls only the methods below
	cleanups   []func()
	msg        string
	failed     bool
}

func (m *mainTB) Helper()                         {}
func (m *mainTB) Cleanup(f func())                { m.cleanups = append(m.cleanups, f) }
func (m *mainTB) Logf(format string, args ...any) {}
func (m *mainTB) Skipf(format string, args ...any) {
	m.msg = fmt.Sprintf(format, args...)
	panic(m)
}
func (m *mainTB) Fatalf(format string, args ...any) {
	m.msg, m.failed = fmt.Sprintf(format, args...), true
	panic(m)
}
