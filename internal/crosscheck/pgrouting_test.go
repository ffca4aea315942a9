package crosscheck

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"chainscope"
	"chainscope/graph"
	"chainscope/internal/pgtest"
	"chainscope/synth"
	"chainscope/yuncheng"
)

// TestPgRoutingAgreesOnCutNodesAndBridges is the independent check of the
// structural answers (issue #15): for every scope (area × chain, "*" and
// every county and zone) of the built-in 运城市 dataset and of a generated
// city, it builds the undirected simple graph U of SPEC §5 straight from the
// dataset — nodes located in the area with a segment of the chain,
// cancelled projects left out; links with both ends in N, direction
// dropped, duplicate and opposite links merged — loads every scope's U into
// PostgreSQL, runs pgRouting's pgr_articulationPoints and pgr_bridges, and
// compares the sets with graph.Analyze's cut nodes and bridges. Nothing of
// chainscope's analysis is reused to build U: N is only checked against
// the union of the analysis's L(s) lists.
func TestPgRoutingAgreesOnCutNodesAndBridges(t *testing.T) {
	yc, err := yuncheng.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	datasets := []struct {
		name string
		ds   *chainscope.Dataset
	}{
		{"yuncheng", yc},
		{"synth.Small", synth.Generate(synth.Small())},
		// A generated city at the scale of bench/province.sh's city step.
		{"synth city", synth.Generate(synth.Options{Enterprises: 4000, Projects: 800, Links: 40000, Seed: 2})},
	}

	c := pgtest.Start(t)
	conn := c.Connect(t)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pgrouting CASCADE"); err != nil {
		pgtest.Unavailable(t, "pgRouting is not installed (Debian: postgresql-15-pgrouting): %v", err)
	}

	for _, d := range datasets {
		ix, err := graph.NewIndex(d.ds)
		if err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		scopes := scopesOf(t, d.ds, ix)
		pgCuts, pgBridges := runPgRouting(t, ctx, conn, scopes)
		var nCuts, nBridges, withEdges int
		for i, s := range scopes {
			if len(s.edges) > 0 {
				withEdges++
			}
			var want []string
			for _, cn := range s.analysis.CutNodes {
				want = append(want, cn.ID)
			}
			compareSets(t, fmt.Sprintf("%s %s×%s cut nodes", d.name, s.area, s.chain), want, pgCuts[i])
			want = want[:0]
			for _, b := range s.analysis.Bridges {
				want = append(want, b.A+" — "+b.B)
			}
			compareSets(t, fmt.Sprintf("%s %s×%s bridges", d.name, s.area, s.chain), want, pgBridges[i])
			nCuts += len(pgCuts[i])
			nBridges += len(pgBridges[i])
		}
		t.Logf("%s: %d scopes (%d with edges) agree: %d cut nodes, %d bridges", d.name, len(scopes), withEdges, nCuts, nBridges)
		// A check that compares empty sets checks nothing.
		if nCuts == 0 || nBridges == 0 {
			t.Errorf("%s: pgRouting found %d cut nodes and %d bridges in all scopes: the check compared nothing", d.name, nCuts, nBridges)
		}
	}
}

// scope is one (area, chain) with its U: nodes as ids, edges as pairs of
// positions in nodes (i < j, each once), and chainscope's analysis.
type scope struct {
	area, chain string
	nodes       []string
	edges       [][2]int
	analysis    *graph.Analysis
}

// scopesOf builds U for every scope straight from the dataset (SPEC §5).
func scopesOf(t *testing.T, ds *chainscope.Dataset, ix *graph.Index) []scope {
	t.Helper()
	parent := map[string]string{}
	for _, c := range ds.Counties {
		parent[c.Code] = c.Parent
	}
	// inArea: "*" holds everything; a county or zone holds the records
	// located in it or in a zone under it.
	inArea := func(area, county string) bool {
		if area == graph.AllAreas {
			return true
		}
		for seen := 0; county != "" && seen <= len(ds.Counties); seen++ {
			if county == area {
				return true
			}
			county = parent[county]
		}
		return false
	}
	type rec struct {
		id, county string
		segs       []string
	}
	var recs []rec
	for _, e := range ds.Enterprises {
		recs = append(recs, rec{e.ID, e.County, e.Segments})
	}
	for _, p := range ds.Projects {
		if p.Status != chainscope.StatusCancelled {
			recs = append(recs, rec{p.ID, p.County, p.Segments})
		}
	}
	areas := []string{graph.AllAreas}
	for _, c := range ds.Counties {
		areas = append(areas, c.Code)
	}
	var out []scope
	for _, area := range areas {
		for _, ch := range ds.Chains {
			segs := map[string]bool{}
			for _, s := range ch.Segments {
				segs[s.ID] = true
			}
			pos := map[string]int{}
			var nodes []string
			for _, r := range recs {
				if !inArea(area, r.county) {
					continue
				}
				for _, s := range r.segs {
					if segs[s] {
						pos[r.id] = len(nodes)
						nodes = append(nodes, r.id)
						break
					}
				}
			}
			seen := map[[2]int]bool{}
			var edges [][2]int
			for _, l := range ds.Links {
				a, okA := pos[l.From]
				b, okB := pos[l.To]
				if !okA || !okB || a == b {
					continue
				}
				e := [2]int{min(a, b), max(a, b)}
				if !seen[e] {
					seen[e] = true
					edges = append(edges, e)
				}
			}
			an, err := ix.Analyze(area, ch.ID)
			if err != nil {
				t.Fatalf("Analyze(%s, %s): %v", area, ch.ID, err)
			}
			var listed []string
			for _, s := range an.Segments {
				listed = append(listed, s.Nodes...)
			}
			compareSets(t, fmt.Sprintf("%s×%s nodes N (dataset vs union of L(s))", area, ch.ID), nodes, listed)
			out = append(out, scope{area: area, chain: ch.ID, nodes: nodes, edges: edges, analysis: an})
		}
	}
	return out
}

// runPgRouting loads every scope's U into one table (vertex ids are
// positions in the scope's nodes, plus one) and asks pgRouting for the
// articulation points and bridges of all scopes, one query each. It
// returns, per scope, the cut node ids and the bridges as "a — b" with
// a < b in byte order.
func runPgRouting(t *testing.T, ctx context.Context, conn *pgx.Conn, scopes []scope) (cuts, bridges [][]string) {
	t.Helper()
	if _, err := conn.Exec(ctx, `DROP TABLE IF EXISTS u_edges;
		CREATE TABLE u_edges(scope int NOT NULL, id bigint PRIMARY KEY, source bigint NOT NULL, target bigint NOT NULL,
			cost float8 NOT NULL, reverse_cost float8 NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	type edgeRef struct{ scope, a, b int }
	var refs []edgeRef
	var rows [][]any
	for i, s := range scopes {
		for _, e := range s.edges {
			id := int64(len(refs) + 1)
			refs = append(refs, edgeRef{i, e[0], e[1]})
			rows = append(rows, []any{int32(i), id, int64(e[0] + 1), int64(e[1] + 1), 1.0, 1.0})
		}
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"u_edges"},
		[]string{"scope", "id", "source", "target", "cost", "reverse_cost"}, pgx.CopyFromRows(rows)); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "CREATE INDEX ON u_edges(scope); ANALYZE u_edges"); err != nil {
		t.Fatal(err)
	}
	const edgesSQL = `'SELECT id, source, target, cost, reverse_cost FROM u_edges WHERE scope = ' || s.scope`
	const scopesSQL = `(SELECT DISTINCT scope FROM u_edges) s`

	cuts = make([][]string, len(scopes))
	r, err := conn.Query(ctx, `SELECT s.scope, p.node FROM `+scopesSQL+`, LATERAL pgr_articulationPoints(`+edgesSQL+`) p`)
	if err != nil {
		t.Fatal(err)
	}
	var sc int32
	var v int64
	_, err = pgx.ForEachRow(r, []any{&sc, &v}, func() error {
		cuts[sc] = append(cuts[sc], scopes[sc].nodes[v-1])
		return nil
	})
	if err != nil {
		t.Fatalf("pgr_articulationPoints: %v", err)
	}

	bridges = make([][]string, len(scopes))
	r, err = conn.Query(ctx, `SELECT s.scope, b.edge FROM `+scopesSQL+`, LATERAL pgr_bridges(`+edgesSQL+`) b`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = pgx.ForEachRow(r, []any{&sc, &v}, func() error {
		ref := refs[v-1]
		if int(sc) != ref.scope {
			return fmt.Errorf("pgr_bridges of scope %d returned edge %d of scope %d", sc, v, ref.scope)
		}
		a, b := scopes[sc].nodes[ref.a], scopes[sc].nodes[ref.b]
		if b < a {
			a, b = b, a
		}
		bridges[sc] = append(bridges[sc], a+" — "+b)
		return nil
	})
	if err != nil {
		t.Fatalf("pgr_bridges: %v", err)
	}
	return cuts, bridges
}

// compareSets reports the elements only one side has.
func compareSets(t *testing.T, what string, chainscopeSide, otherSide []string) {
	t.Helper()
	a := map[string]int{}
	for _, x := range chainscopeSide {
		a[x]++
	}
	b := map[string]int{}
	for _, x := range otherSide {
		b[x]++
	}
	var onlyA, onlyB, dup []string
	for x, n := range a {
		if b[x] == 0 {
			onlyA = append(onlyA, x)
		}
		if n > 1 {
			dup = append(dup, x)
		}
	}
	for x := range b {
		if a[x] == 0 {
			onlyB = append(onlyB, x)
		}
	}
	if len(onlyA)+len(onlyB)+len(dup) == 0 {
		return
	}
	sort.Strings(onlyA)
	sort.Strings(onlyB)
	sort.Strings(dup)
	t.Errorf("%s differ: only chainscope [%s], only the independent side [%s], listed twice by chainscope [%s]",
		what, strings.Join(onlyA, ", "), strings.Join(onlyB, ", "), strings.Join(dup, ", "))
}
