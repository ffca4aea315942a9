package graph

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"chainscope"
	"chainscope/synth"
	"chainscope/yuncheng"
)

// answers is everything an Index says through its exported methods about
// the dataset it was built from.
type answers struct {
	All      []*Analysis
	Scopes   []scopeAnswers
	Cluster  *Cluster
	Between  *Betweenness
	Cuts     []CutNode
	Bridges  []Bridge
	DOT      []string
	DOTError []error
	Summary  string
}

type scopeAnswers struct {
	Area, Chain string
	Analysis    *Analysis
	Impact      []ProjectImpact
	Gaps        []GapTarget
	Leaders     []LeaderDependency
	WhatIf      *WhatIf
	Report      *Report
	Errors      [6]error
}

// scopes lists every area × chain of ds, "*" included, and one unknown
// area and chain, whose errors must agree too.
func scopes(ds *chainscope.Dataset) (areas, chains []string) {
	areas = []string{AllAreas, ds.Region.Code, "no-such-area"}
	for _, c := range ds.Counties {
		areas = append(areas, c.Code)
	}
	for _, c := range ds.Chains {
		chains = append(chains, c.ID)
	}
	return areas, append(chains, "no-such-chain")
}

// scenario picks a what-if for ds: two projects that are signed or started
// made operating, and two enterprises and a project removed.
func scenario(ds *chainscope.Dataset) Scenario {
	var sc Scenario
	for _, p := range ds.Projects {
		if len(sc.Operate) < 2 && (p.Status == chainscope.StatusSigned || p.Status == chainscope.StatusStarted) {
			sc.Operate = append(sc.Operate, p.ID)
		}
	}
	for _, p := range ds.Projects {
		if p.Status == chainscope.StatusOperating {
			sc.Remove = append(sc.Remove, p.ID)
			break
		}
	}
	if n := len(ds.Enterprises); n > 0 {
		sc.Remove = append(sc.Remove, ds.Enterprises[n/3].ID, ds.Enterprises[2*n/3].ID)
	}
	return sc
}

// ask collects the answers of ix about ds, the dataset it indexes.
func ask(t testing.TB, ix *Index, ds *chainscope.Dataset) *answers {
	t.Helper()
	a := &answers{Summary: ix.String()}
	var err error
	if a.All, err = ix.AnalyzeAll(); err != nil {
		t.Fatal(err)
	}
	if a.Cluster, err = ix.Cluster(); err != nil {
		t.Fatal(err)
	}
	a.Between = ix.Betweenness(len(ds.Enterprises) + len(ds.Projects))
	a.Cuts, a.Bridges = ix.RegionCutNodes(), ix.RegionBridges()
	areas, chains := scopes(ds)
	for _, c := range chains {
		dot, err := ix.ChainDOT(c)
		a.DOT, a.DOTError = append(a.DOT, dot), append(a.DOTError, err)
	}
	sc := scenario(ds)
	for _, area := range areas {
		for _, c := range chains {
			s := scopeAnswers{Area: area, Chain: c}
			s.Analysis, s.Errors[0] = ix.Analyze(area, c)
			s.Impact, s.Errors[1] = ix.ProjectImpact(area, c)
			s.Gaps, s.Errors[2] = ix.GapTargets(area, c, 3)
			s.Leaders, s.Errors[3] = ix.LeaderDependency(area, c)
			s.WhatIf, s.Errors[4] = ix.WhatIf(area, c, sc)
			if area == areas[0] || area == areas[len(areas)-1] {
				// Report is the four above together: two areas suffice.
				s.Report, s.Errors[5] = ix.Report(area, c)
			}
			a.Scopes = append(a.Scopes, s)
		}
	}
	return a
}

// sameAnswers reports the first difference between two sets of answers.
func sameAnswers(got, want *answers) error {
	if reflect.DeepEqual(got, want) {
		return nil
	}
	gv, wv := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	for i := range gv.NumField() {
		name := gv.Type().Field(i).Name
		if name == "Scopes" {
			continue
		}
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			return fmt.Errorf("%s differs:\n got  %+v\n want %+v", name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
	if len(got.Scopes) != len(want.Scopes) {
		return fmt.Errorf("%d scopes, want %d", len(got.Scopes), len(want.Scopes))
	}
	for k := range got.Scopes {
		g, w := reflect.ValueOf(got.Scopes[k]), reflect.ValueOf(want.Scopes[k])
		for i := range g.NumField() {
			if !reflect.DeepEqual(g.Field(i).Interface(), w.Field(i).Interface()) {
				return fmt.Errorf("scope %s × %s: %s differs:\n got  %+v\n want %+v", got.Scopes[k].Area, got.Scopes[k].Chain,
					g.Type().Field(i).Name, g.Field(i).Interface(), w.Field(i).Interface())
			}
		}
	}
	return errors.New("answers differ")
}

// sameIndex compares what two indexes hold, field by field, so that a
// difference shows where it starts even when no answer shows it yet. The
// ignored links are compared as a multiset: Patch keeps them in another
// order.
func sameIndex(got, want *Index) error {
	type field struct {
		name      string
		got, want any
	}
	fields := []field{
		{"region", got.region, want.region},
		{"ids", got.ids, want.ids},
		{"names", got.names, want.names},
		{"project", got.project, want.project},
		{"operating", got.operating, want.operating},
		{"investment", got.investment, want.investment},
		{"status", got.status, want.status},
		{"output", got.output, want.output},
		{"county", got.county, want.county},
		{"bucket", got.bucket, want.bucket},
		{"segOff", got.segOff, want.segOff},
		{"segs", nonNil(got.segs), nonNil(want.segs)},
		{"leadOff", got.leadOff, want.leadOff},
		{"leads", nonNil(got.leads), nonNil(want.leads)},
		{"out", *got.out, *want.out},
		{"in", *got.in, *want.in},
		{"und.Offsets", got.und.Offsets, want.und.Offsets},
		{"und.Targets", nonNil(got.und.Targets), nonNil(want.und.Targets)},
		{"cancelled", nonNil(got.cancelled), nonNil(want.cancelled)},
		{"dormant", sortedPairs(got.dormant), sortedPairs(want.dormant)},
		{"chains", len(got.chains), len(want.chains)},
	}
	for ci := range min(len(got.chains), len(want.chains)) {
		g, w := &got.chains[ci], &want.chains[ci]
		fields = append(fields,
			field{g.id + ".all", nonNil(g.all), nonNil(w.all)},
			field{g.id + ".nodes", nonNil(g.nodes), nonNil(w.nodes)},
			field{g.id + ".bucketOff", g.bucketOff, w.bucketOff},
			field{g.id + ".member", g.member, w.member},
			field{g.id + ".static", [3]any{g.first, g.end, g.topo}, [3]any{w.first, w.end, w.topo}})
	}
	for _, f := range fields {
		if !reflect.DeepEqual(f.got, f.want) {
			return fmt.Errorf("index field %s differs:\n got  %v\n want %v", f.name, f.got, f.want)
		}
	}
	return nil
}

func sortedPairs(ps [][2]string) [][2]string {
	out := slices.Clone(nonNil(ps))
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
	return out
}

// edit is one change to a dataset, as a server makes it: the next dataset
// and the Delta that describes it.
type edit struct {
	kind  string
	next  *chainscope.Dataset
	delta Delta
	fast  bool // a case Patch must patch, not rebuild
	bad   bool // next is invalid: Patch must fail as NewIndex does
}

// editor makes random single-record edits of a dataset that keep it
// valid, and now and then an invalid or a combined one.
type editor struct {
	r      *rand.Rand
	serial int
}

func cloneDataset(ds *chainscope.Dataset) *chainscope.Dataset {
	next := *ds
	next.Enterprises = slices.Clone(ds.Enterprises)
	next.Projects = slices.Clone(ds.Projects)
	next.Links = slices.Clone(ds.Links)
	return &next
}

func (e *editor) pick(n int) int { return e.r.IntN(n) }

func (e *editor) county(ds *chainscope.Dataset) string {
	switch x := e.pick(10); {
	case x == 0:
		return ""
	case x == 1:
		return ds.Region.Code
	}
	return ds.Counties[e.pick(len(ds.Counties))].Code
}

func (e *editor) segments(ds *chainscope.Dataset) []string {
	var segs []string
	for range e.pick(4) {
		c := ds.Chains[e.pick(len(ds.Chains))]
		segs = append(segs, c.Segments[e.pick(len(c.Segments))].ID)
	}
	return segs
}

func (e *editor) leads(ds *chainscope.Dataset) []string {
	var ls []string
	if e.pick(3) == 0 {
		for range 1 + e.pick(2) {
			ls = append(ls, ds.Chains[e.pick(len(ds.Chains))].ID)
		}
	}
	return ls
}

func (e *editor) status() chainscope.Status {
	if e.pick(4) == 0 {
		return chainscope.StatusCancelled // cancelling and un-cancelling often
	}
	return chainscope.Statuses[e.pick(len(chainscope.Statuses))]
}

func (e *editor) amount() *float64 {
	if e.pick(5) == 0 {
		return nil
	}
	x := float64(e.pick(100000)) / 10
	return &x
}

// allIDs lists every enterprise and project id of ds.
func allIDs(ds *chainscope.Dataset) []string {
	ids := make([]string, 0, len(ds.Enterprises)+len(ds.Projects))
	for _, x := range ds.Enterprises {
		ids = append(ids, x.ID)
	}
	for _, x := range ds.Projects {
		ids = append(ids, x.ID)
	}
	return ids
}

func linkSet(ds *chainscope.Dataset) map[[2]string]bool {
	s := make(map[[2]string]bool, len(ds.Links))
	for _, l := range ds.Links {
		s[[2]string{l.From, l.To}] = true
	}
	return s
}

// newID returns an id no record has, sorting anywhere among the others.
func (e *editor) newID(ds *chainscope.Dataset) string {
	ids := allIDs(ds)
	for {
		e.serial++
		var id string
		switch e.pick(4) {
		case 0:
			id = fmt.Sprintf("0new%d", e.serial) // before every id
		case 1:
			id = fmt.Sprintf("~new%d", e.serial) // after every id
		default:
			id = ids[e.pick(len(ids))] + fmt.Sprintf("-%d", e.serial) // right after an existing one
		}
		if !slices.Contains(ids, id) {
			return id
		}
	}
}

// randomLinks returns up to k new links between id and other records.
func (e *editor) randomLinks(ds *chainscope.Dataset, id string, k int) []chainscope.Link {
	ids := allIDs(ds)
	have := linkSet(ds)
	var ls []chainscope.Link
	for range k {
		o := ids[e.pick(len(ids))]
		l := chainscope.Link{From: id, To: o, Product: "新"}
		if e.pick(2) == 0 {
			l.From, l.To = o, id
		}
		if l.From == l.To || have[[2]string{l.From, l.To}] {
			continue
		}
		have[[2]string{l.From, l.To}] = true
		ls = append(ls, l)
	}
	return ls
}

func linkPairs(ls []chainscope.Link) [][2]string {
	var ps [][2]string
	for _, l := range ls {
		ps = append(ps, [2]string{l.From, l.To})
	}
	return ps
}

// valid makes one valid single-record edit of ds.
func (e *editor) valid(ds *chainscope.Dataset) edit {
	next := cloneDataset(ds)
	for {
		switch e.pick(9) {
		case 0, 1: // update an enterprise
			i := e.pick(len(next.Enterprises))
			x := &next.Enterprises[i]
			switch e.pick(6) {
			case 0:
				x.Name += "改"
			case 1:
				x.County = e.county(ds)
			case 2:
				x.Segments = e.segments(ds)
			case 3:
				x.LeaderOf = e.leads(ds)
			case 4:
				x.OutputWan = e.amount()
			default:
				x.County, x.Segments, x.LeaderOf, x.OutputWan = e.county(ds), e.segments(ds), e.leads(ds), e.amount()
			}
			return edit{kind: "update enterprise", next: next, delta: Delta{Nodes: []string{x.ID}}, fast: true}
		case 2, 3: // update a project
			if len(next.Projects) == 0 {
				continue
			}
			x := &next.Projects[e.pick(len(next.Projects))]
			if e.pick(3) == 0 { // bring back a cancelled project now and then
				for _, i := range e.r.Perm(len(next.Projects)) {
					if next.Projects[i].Status == chainscope.StatusCancelled {
						x = &next.Projects[i]
						break
					}
				}
			}
			kind := "update project"
			switch e.pick(6) {
			case 0:
				x.Name += "改"
			case 1:
				x.County = e.county(ds)
			case 2:
				x.Segments = e.segments(ds)
			case 3:
				x.InvestmentWan = e.amount()
			default:
				was := x.Status
				x.Status = e.status()
				kind = fmt.Sprintf("project %s → %s", was, x.Status)
			}
			return edit{kind: kind, next: next, delta: Delta{Nodes: []string{x.ID}}, fast: true}
		case 4: // add a link
			ids := allIDs(ds)
			ls := e.randomLinks(ds, ids[e.pick(len(ids))], 1)
			if len(ls) == 0 {
				continue
			}
			next.Links = append(next.Links, ls...)
			return edit{kind: "add link", next: next, delta: Delta{Links: linkPairs(ls)}, fast: true}
		case 5: // remove a link
			if len(next.Links) == 0 {
				continue
			}
			i := e.pick(len(next.Links))
			l := next.Links[i]
			next.Links = slices.Delete(next.Links, i, i+1)
			return edit{kind: "remove link", next: next, delta: Delta{Links: linkPairs([]chainscope.Link{l})}, fast: true}
		case 6: // add an enterprise or a project, with links
			id := e.newID(ds)
			ls := e.randomLinks(ds, id, e.pick(5))
			kind := "add enterprise"
			if e.pick(2) == 0 {
				next.Enterprises = append(next.Enterprises, chainscope.Enterprise{
					ID: id, Name: "新企业" + id, County: e.county(ds), Segments: e.segments(ds), LeaderOf: e.leads(ds), OutputWan: e.amount()})
			} else {
				kind = "add project"
				next.Projects = append(next.Projects, chainscope.Project{
					ID: id, Name: "新项目" + id, County: e.county(ds), Segments: e.segments(ds), InvestmentWan: e.amount(), Status: e.status()})
			}
			next.Links = append(next.Links, ls...)
			return edit{kind: kind, next: next, delta: Delta{Nodes: []string{id}, Links: linkPairs(ls)}, fast: true}
		default: // remove an enterprise or a project with its links
			ids := allIDs(ds)
			id := ids[e.pick(len(ids))]
			investor := slices.ContainsFunc(next.Projects, func(p chainscope.Project) bool { return p.Investor == id })
			if investor {
				continue
			}
			next.Enterprises = slices.DeleteFunc(next.Enterprises, func(x chainscope.Enterprise) bool { return x.ID == id })
			next.Projects = slices.DeleteFunc(next.Projects, func(x chainscope.Project) bool { return x.ID == id })
			var gone []chainscope.Link
			next.Links = slices.DeleteFunc(next.Links, func(l chainscope.Link) bool {
				if l.From == id || l.To == id {
					gone = append(gone, l)
					return true
				}
				return false
			})
			return edit{kind: "remove node", next: next, delta: Delta{Nodes: []string{id}, Links: linkPairs(gone)}, fast: true}
		}
	}
}

// invalid makes an edit that leaves ds invalid, or a Delta listing a link
// whose product only changed: Patch must then answer as NewIndex does.
func (e *editor) invalid(ds *chainscope.Dataset) edit {
	next := cloneDataset(ds)
	ids := allIDs(ds)
	switch e.pick(7) {
	case 0:
		x := &next.Enterprises[e.pick(len(next.Enterprises))]
		x.County = "no-such-county"
		return edit{kind: "unknown county", next: next, delta: Delta{Nodes: []string{x.ID}}, bad: true}
	case 1:
		x := &next.Enterprises[e.pick(len(next.Enterprises))]
		x.Segments, x.LeaderOf = []string{"no-such-segment"}, []string{"no-such-chain"}
		return edit{kind: "unknown segment and chain", next: next, delta: Delta{Nodes: []string{x.ID}}, bad: true}
	case 2: // (a link of a cancelled project to nowhere would be ignored)
		l := chainscope.Link{From: next.Enterprises[e.pick(len(next.Enterprises))].ID, To: "no-such-node"}
		next.Links = append(next.Links, l)
		return edit{kind: "link to unknown", next: next, delta: Delta{Links: linkPairs([]chainscope.Link{l})}, bad: true}
	case 3:
		id := next.Enterprises[e.pick(len(next.Enterprises))].ID
		l := chainscope.Link{From: id, To: id}
		next.Links = append(next.Links, l)
		return edit{kind: "self-link", next: next, delta: Delta{Links: linkPairs([]chainscope.Link{l})}, bad: true}
	case 4:
		l := next.Links[e.pick(len(next.Links))]
		next.Links = append(next.Links, l)
		// A duplicate is an error unless an end is a cancelled project.
		bad := !slices.ContainsFunc(next.Projects, func(p chainscope.Project) bool {
			return p.Status == chainscope.StatusCancelled && (p.ID == l.From || p.ID == l.To)
		})
		return edit{kind: "duplicate link", next: next, delta: Delta{Links: linkPairs([]chainscope.Link{l})}, bad: bad}
	case 5:
		id := ids[e.pick(len(ids))]
		next.Enterprises = append(next.Enterprises, chainscope.Enterprise{ID: id, Name: "重复"})
		return edit{kind: "duplicate id", next: next, delta: Delta{Nodes: []string{id}}, bad: true}
	default:
		i := e.pick(len(next.Links))
		next.Links[i].Product += "改"
		return edit{kind: "product listed", next: next, delta: Delta{Links: linkPairs(next.Links[i : i+1])}}
	}
}

// combined makes two to four valid edits at once, with one Delta.
func (e *editor) combined(ds *chainscope.Dataset) edit {
	out := edit{kind: "combined", next: ds}
	for range 2 + e.pick(3) {
		x := e.valid(out.next)
		out.next = x.next
		out.kind += " / " + x.kind
		out.delta.Nodes = append(out.delta.Nodes, x.delta.Nodes...)
		out.delta.Links = append(out.delta.Links, x.delta.Links...)
	}
	// A link listed twice, as added and removed again, is neither.
	have := linkSet(ds)
	now := linkSet(out.next)
	out.delta.Links = slices.DeleteFunc(out.delta.Links, func(p [2]string) bool { return have[p] == now[p] })
	return out
}

// checkPatches applies steps random edits to ds, patching an index each
// time, and checks every patched index against NewIndex and every old one
// against its own earlier answers.
func checkPatches(t *testing.T, ds *chainscope.Dataset, steps int, seed uint64) {
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	before := ask(t, ix, ds)
	old := ix // NewIndex of ds, next to the patched ix
	e := &editor{r: rand.New(rand.NewPCG(seed, 7))}
	kinds := map[string]int{}
	for step := range steps {
		var ed edit
		switch x := e.pick(20); {
		case x < 2:
			ed = e.invalid(ds)
		case x < 4:
			ed = e.combined(ds)
		default:
			ed = e.valid(ds)
		}
		kinds[strings.SplitN(ed.kind, " / ", 2)[0]]++
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("step %d (%s, delta %v): %s", step, ed.kind, ed.delta, fmt.Sprintf(format, args...))
		}
		want, wantErr := NewIndex(ed.next)
		got, gotErr := ix.Patch(ed.next, ed.delta)
		if ed.bad != (wantErr != nil) {
			fail("NewIndex error %v", wantErr)
		}
		if !reflect.DeepEqual(gotErr, wantErr) {
			fail("Patch error %v, NewIndex error %v", gotErr, wantErr)
		}
		if wantErr != nil {
			continue
		}
		if ed.fast && patchWork(ix, ed.delta) <= ix.patchLimit() && ix.patch(ed.next, ed.delta) == nil {
			fail("rebuilt instead of patching")
		}
		if err := sameIndex(got, want); err != nil {
			fail("%v", err)
		}
		now := ask(t, got, ed.next)
		if err := sameAnswers(now, ask(t, want, ed.next)); err != nil {
			fail("patched index: %v", err)
		}
		// The old index holds what NewIndex makes of the old dataset, so
		// it answers as before; now and then it is asked again too.
		if err := sameIndex(ix, old); err != nil {
			fail("old index changed: %v", err)
		}
		if step%8 == 0 {
			if err := sameAnswers(ask(t, ix, ds), before); err != nil {
				fail("old index changed: %v", err)
			}
		}
		ix, old, ds, before = got, want, ed.next, now
	}
	t.Logf("%d steps: %v", steps, kinds)
}

func TestPatchMatchesNewIndexSynth(t *testing.T) {
	o := synth.Options{Enterprises: 120, Projects: 50, Links: 500, Seed: 3}
	steps := 200
	if testing.Short() {
		steps = 40
	}
	checkPatches(t, synth.Generate(o), steps, 1)
}

func TestPatchMatchesNewIndexSynthSmall(t *testing.T) {
	steps := 25
	if testing.Short() {
		steps = 5
	}
	checkPatches(t, synth.Generate(synth.Small()), steps, 2)
}

func TestPatchMatchesNewIndexYuncheng(t *testing.T) {
	ds, err := yuncheng.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	steps := 150
	if testing.Short() {
		steps = 30
	}
	checkPatches(t, ds, steps, 3)
}

// patchOf returns ix.Patch(next, d) and whether Patch patched rather than
// rebuilt, checking the result against NewIndex(next).
func patchOf(t *testing.T, ix *Index, next *chainscope.Dataset, d Delta) (*Index, bool) {
	t.Helper()
	got, err := ix.Patch(next, d)
	if err != nil {
		t.Fatal(err)
	}
	want, err := NewIndex(next)
	if err != nil {
		t.Fatal(err)
	}
	if err := sameIndex(got, want); err != nil {
		t.Fatal(err)
	}
	if err := sameAnswers(ask(t, got, next), ask(t, want, next)); err != nil {
		t.Fatal(err)
	}
	return got, ix.patch(next, d) != nil
}

func smallDataset() *chainscope.Dataset {
	return synth.Generate(synth.Options{Enterprises: 40, Projects: 20, Links: 120, Seed: 5})
}

// A Delta that changes nothing the Index holds gives ix itself, with what
// it has computed; one that changes a name shares all but the names.
func TestPatchSharesWhatDidNotChange(t *testing.T) {
	ds := smallDataset()
	ds.Projects[0].Status = chainscope.StatusCancelled
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	next := cloneDataset(ds)
	next.Projects[0].Name += "改"
	if got, _ := patchOf(t, ix, next, Delta{Nodes: []string{next.Projects[0].ID}}); got != ix {
		t.Error("renaming a cancelled project: Patch did not return ix")
	}
	if got, _ := patchOf(t, ix, ds, Delta{Nodes: []string{ds.Enterprises[3].ID}}); got != ix {
		t.Error("a node listed but unchanged: Patch did not return ix")
	}

	// What ix computed from its graph alone goes with it to a patch that
	// leaves the graph be (patchOf compares the patch's answers with
	// NewIndex's), and not to one that changes the links.
	ix.Betweenness(0)
	next = cloneDataset(ds)
	next.Enterprises[3].Name += "改"
	got, patched := patchOf(t, ix, next, Delta{Nodes: []string{next.Enterprises[3].ID}})
	if got.shared.Load() != ix.shared.Load() {
		t.Error("renaming an enterprise: the graph's computed results not kept")
	}
	if !patched || got == ix {
		t.Fatal("renaming an enterprise: not patched")
	}
	if &got.names[0] == &ix.names[0] {
		t.Error("names shared although one changed")
	}
	if &got.ids[0] != &ix.ids[0] || &got.status[0] != &ix.status[0] || &got.segs[0] != &ix.segs[0] ||
		got.out != ix.out || got.und != ix.und || &got.chains[0] != &ix.chains[0] {
		t.Error("renaming an enterprise copied what did not change")
	}

	next = cloneDataset(ds)
	l := chainscope.Link{From: ds.Enterprises[0].ID, To: ds.Enterprises[1].ID}
	if linkSet(ds)[[2]string{l.From, l.To}] {
		t.Fatal("test link exists")
	}
	next.Links = append(next.Links, l)
	got, patched = patchOf(t, ix, next, Delta{Links: [][2]string{{l.From, l.To}}})
	if !patched || got.out == ix.out || &got.names[0] != &ix.names[0] {
		t.Error("adding a link: not patched, or node columns copied")
	}
	if s := got.shared.Load(); s != nil && s == ix.shared.Load() {
		t.Error("adding a link: the old graph's computed results kept")
	}
}

// A listed link that was neither added nor removed (its product changed)
// cannot be told from the Index: the number of links shows it, and Patch
// rebuilds.
func TestPatchListedLinkUnchanged(t *testing.T) {
	ds := smallDataset()
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 7, len(ds.Links) - 1} {
		next := cloneDataset(ds)
		next.Links[i].Product = "改"
		if _, patched := patchOf(t, ix, next, Delta{Links: linkPairs(next.Links[i : i+1])}); patched {
			t.Errorf("link %d: patched a link listed as changed that did not change", i)
		}
		// The same with a real change beside it.
		next.Links = append(next.Links, chainscope.Link{From: ds.Enterprises[2].ID, To: "~new"})
		next.Enterprises = append(next.Enterprises, chainscope.Enterprise{ID: "~new", Name: "新"})
		d := Delta{Nodes: []string{"~new"}, Links: [][2]string{{next.Links[i].From, next.Links[i].To}, {ds.Enterprises[2].ID, "~new"}}}
		if _, patched := patchOf(t, ix, next, d); patched {
			t.Errorf("link %d with a new node: patched a link listed as changed that did not change", i)
		}
	}
}

// A project cancelled and brought back keeps its links, also those to
// other cancelled projects and to ids no record has (which NewIndex ignores
// only while an end is cancelled).
func TestPatchCancelledLinks(t *testing.T) {
	ds := smallDataset()
	p, q := ds.Projects[0].ID, ds.Projects[1].ID
	ds.Projects[1].Status = chainscope.StatusCancelled
	ds.Links = append(ds.Links,
		chainscope.Link{From: p, To: q}, chainscope.Link{From: q, To: "nowhere"}, chainscope.Link{From: q, To: q})
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	set := func(ds *chainscope.Dataset, i int, st chainscope.Status) *chainscope.Dataset {
		next := cloneDataset(ds)
		next.Projects[i].Status = st
		return next
	}
	// Cancelling p too, then bringing it back.
	next := set(ds, 0, chainscope.StatusCancelled)
	ix2, patched := patchOf(t, ix, next, Delta{Nodes: []string{p}})
	if !patched {
		t.Error("cancelling a project: not patched")
	}
	if _, patched = patchOf(t, ix2, ds, Delta{Nodes: []string{p}}); !patched {
		t.Error("bringing a project back: not patched")
	}
	// Bringing q back makes its links to nowhere and to itself problems.
	next = set(ds, 1, chainscope.StatusStarted)
	_, gotErr := ix.Patch(next, Delta{Nodes: []string{q}})
	_, wantErr := NewIndex(next)
	if wantErr == nil || !reflect.DeepEqual(gotErr, wantErr) {
		t.Errorf("bringing back a project with bad links: Patch error %v, NewIndex error %v", gotErr, wantErr)
	}
	// Removing "nowhere" and q's self-link first, it comes back fine.
	fixed := cloneDataset(ds)
	fixed.Links = fixed.Links[:len(fixed.Links)-2]
	ix3, patched := patchOf(t, ix, fixed, Delta{Links: [][2]string{{q, "nowhere"}, {q, q}}})
	if !patched {
		t.Error("removing links of a cancelled project: not patched")
	}
	if _, patched = patchOf(t, ix3, set(fixed, 1, chainscope.StatusSigned), Delta{Nodes: []string{q}}); !patched {
		t.Error("bringing back a project: not patched")
	}
	// Removing q with its links, and adding it again as an enterprise.
	gone := cloneDataset(ds)
	gone.Projects = slices.Delete(gone.Projects, 1, 2)
	d := Delta{Nodes: []string{q}}
	gone.Links = slices.DeleteFunc(gone.Links, func(l chainscope.Link) bool {
		if l.From == q || l.To == q {
			d.Links = append(d.Links, [2]string{l.From, l.To})
			return true
		}
		return false
	})
	ix4, patched := patchOf(t, ix, gone, d)
	if !patched {
		t.Error("removing a cancelled project: not patched")
	}
	back := cloneDataset(gone)
	back.Enterprises = append(back.Enterprises, chainscope.Enterprise{ID: q, Name: "企业", Segments: ds.Projects[1].Segments})
	back.Links = append(back.Links, chainscope.Link{From: p, To: q})
	if _, patched = patchOf(t, ix4, back, Delta{Nodes: []string{q}, Links: [][2]string{{p, q}}}); !patched {
		t.Error("adding an enterprise: not patched")
	}
}

// patchWork is the work Patch counts for d (see patchLimit).
func patchWork(ix *Index, d Delta) int {
	p := &patcher{ix: ix}
	for _, id := range slices.Compact(slices.Sorted(slices.Values(d.Nodes))) {
		_, v := ix.stateOf(id)
		p.oldV = append(p.oldV, v)
	}
	return p.work(len(d.Links))
}

// Many records at once are patched up to the limit, and rebuilt beyond.
func TestPatchManyRecords(t *testing.T) {
	ds := synth.Generate(synth.Options{Enterprises: 400, Projects: 100, Links: 300, Seed: 6})
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	e := &editor{r: rand.New(rand.NewPCG(9, 9))}
	next, d := ds, Delta{}
	have := linkSet(ds)
	most := 0
	for {
		x := e.valid(next)
		next = x.next
		d.Nodes = append(d.Nodes, x.delta.Nodes...)
		d.Links = append(d.Links, x.delta.Links...)
		// A link added and removed again is not listed.
		now := linkSet(next)
		d.Links = slices.DeleteFunc(d.Links, func(p [2]string) bool { return have[p] == now[p] })
		if patchWork(ix, d) > ix.patchLimit() {
			break
		}
		// The index is compared on the way, the answers at the end.
		got := ix.patch(next, d)
		if got == nil {
			t.Fatalf("%d records: not patched", len(d.Nodes)+len(d.Links))
		}
		want, err := NewIndex(next)
		if err != nil {
			t.Fatal(err)
		}
		if err := sameIndex(got, want); err != nil {
			t.Fatalf("%d records: %v", len(d.Nodes)+len(d.Links), err)
		}
		most = max(most, len(slices.Compact(slices.Sorted(slices.Values(d.Nodes)))))
	}
	if most <= 8 {
		t.Errorf("at most %d nodes in a Delta: more than 8 are looked up otherwise", most)
	}
	if _, patched := patchOf(t, ix, next, d); patched {
		t.Errorf("work %d: patched beyond the limit %d", patchWork(ix, d), ix.patchLimit())
	}
}

// TestPatchWhileReading patches an index while other goroutines read it
// (run with -race): Patch only reads ix.
func TestPatchWhileReading(t *testing.T) {
	ds := synth.Generate(synth.Options{Enterprises: 150, Projects: 60, Links: 600, Seed: 4})
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	want := ask(t, ix, ds)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := range 3 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				switch g {
				case 0:
					var all []*Analysis
					if all, err = ix.AnalyzeAll(); err == nil && !reflect.DeepEqual(all, want.All) {
						err = errors.New("AnalyzeAll changed")
					}
				case 1:
					if b := ix.Betweenness(len(ds.Enterprises) + len(ds.Projects)); !reflect.DeepEqual(b, want.Between) {
						err = errors.New("Betweenness changed")
					}
				default:
					var r *Report
					if r, err = ix.Report(AllAreas, ds.Chains[0].ID); err == nil && !reflect.DeepEqual(r, want.Scopes[0].Report) {
						err = errors.New("Report changed")
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	e := &editor{r: rand.New(rand.NewPCG(4, 4))}
	for range 40 {
		x := e.valid(ds)
		nix, err := ix.Patch(x.next, x.delta)
		if err != nil {
			t.Fatal(err)
		}
		nix.AnalyzeAll()
		nix.Betweenness(0)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// benchmarkPatch times ix.Patch for one edit of the province, after
// checking once that it is patched and right.
func benchmarkPatch(b *testing.B, change func(ds, next *chainscope.Dataset) Delta) {
	ds, ix := synthProvince(b)
	next := cloneDataset(ds)
	d := change(ds, next)
	nix := ix.patch(next, d)
	if nix == nil {
		b.Fatal("not patched")
	}
	want, err := NewIndex(next)
	if err != nil {
		b.Fatal(err)
	}
	if err := sameIndex(nix, want); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := meterCPU(b)
	for b.Loop() {
		if _, err := ix.Patch(next, d); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report()
}

// middleProject returns the index of a project that is signed, about
// halfway through ds.Projects.
func middleProject(ds *chainscope.Dataset) int {
	for i := len(ds.Projects) / 2; ; i++ {
		if ds.Projects[i].Status == chainscope.StatusSigned {
			return i
		}
	}
}

func BenchmarkNewIndexProvince(b *testing.B) {
	ds, _ := synthProvince(b)
	b.ReportAllocs()
	cpu := meterCPU(b)
	for b.Loop() {
		if _, err := NewIndex(ds); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report()
}

// BenchmarkPatchUpdateProject moves a signed project into operation, to
// another county and onto other segments.
func BenchmarkPatchUpdateProject(b *testing.B) {
	benchmarkPatch(b, func(ds, next *chainscope.Dataset) Delta {
		p := &next.Projects[middleProject(ds)]
		p.Status, p.County = chainscope.StatusOperating, ds.Counties[3].Code
		p.Segments = []string{ds.Chains[2].Segments[1].ID, ds.Chains[5].Segments[0].ID}
		return Delta{Nodes: []string{p.ID}}
	})
}

// BenchmarkPatchAddLink adds one link between two enterprises.
func BenchmarkPatchAddLink(b *testing.B) {
	benchmarkPatch(b, func(ds, next *chainscope.Dataset) Delta {
		have := linkSet(ds)
		for i := len(ds.Enterprises) / 2; ; i++ {
			l := chainscope.Link{From: ds.Enterprises[i].ID, To: ds.Enterprises[i+7].ID}
			if !have[[2]string{l.From, l.To}] {
				next.Links = append(next.Links, l)
				return Delta{Links: [][2]string{{l.From, l.To}}}
			}
		}
	})
}

// BenchmarkPatchAddProject adds a project whose id sorts in the middle,
// with three links: every node after it is renumbered.
func BenchmarkPatchAddProject(b *testing.B) {
	benchmarkPatch(b, func(ds, next *chainscope.Dataset) Delta {
		id := ds.Enterprises[len(ds.Enterprises)/2].ID + "-new"
		next.Projects = append(next.Projects, chainscope.Project{ID: id, Name: "新项目", County: ds.Counties[1].Code,
			Segments: []string{ds.Chains[0].Segments[2].ID}, Status: chainscope.StatusSigned})
		d := Delta{Nodes: []string{id}}
		for k := range 3 {
			l := chainscope.Link{From: ds.Enterprises[k*1000].ID, To: id}
			next.Links = append(next.Links, l)
			d.Links = append(d.Links, [2]string{l.From, l.To})
		}
		return d
	})
}

// BenchmarkPatchRemoveEnterprise removes an enterprise with its links.
func BenchmarkPatchRemoveEnterprise(b *testing.B) {
	benchmarkPatch(b, func(ds, next *chainscope.Dataset) Delta {
		i := len(ds.Enterprises) / 2
		id := ds.Enterprises[i].ID
		next.Enterprises = slices.Delete(next.Enterprises, i, i+1)
		d := Delta{Nodes: []string{id}}
		next.Links = slices.DeleteFunc(next.Links, func(l chainscope.Link) bool {
			if l.From == id || l.To == id {
				d.Links = append(d.Links, [2]string{l.From, l.To})
				return true
			}
			return false
		})
		return d
	})
}

// BenchmarkPatchCancelProject cancels a signed project: it leaves the
// graph with its links.
func BenchmarkPatchCancelProject(b *testing.B) {
	benchmarkPatch(b, func(ds, next *chainscope.Dataset) Delta {
		p := &next.Projects[middleProject(ds)]
		p.Status = chainscope.StatusCancelled
		return Delta{Nodes: []string{p.ID}}
	})
}

// Bitsets over nodes grow and shrink by a word as the node count crosses a
// multiple of 64.
func TestPatchAcrossBitsetWords(t *testing.T) {
	var es []chainscope.Enterprise
	var ls []chainscope.Link
	for i := range 64 {
		es = append(es, ent(fmt.Sprintf("E%02d", i), "140827", "bat.a", "chem.x"))
		if i > 0 {
			ls = append(ls, link(es[i-1].ID, es[i].ID))
		}
	}
	ds := dataset(es, nil, ls)
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	next := cloneDataset(ds)
	next.Enterprises = append(next.Enterprises, ent("E99", "140882", "bat.b"))
	next.Links = append(next.Links, link("E99", "E00"))
	ix2, patched := patchOf(t, ix, next, Delta{Nodes: []string{"E99"}, Links: [][2]string{{"E99", "E00"}}})
	if !patched {
		t.Fatal("adding the 65th node: not patched")
	}
	if _, patched := patchOf(t, ix2, ds, Delta{Nodes: []string{"E99"}, Links: [][2]string{{"E99", "E00"}}}); !patched {
		t.Fatal("removing the 65th node: not patched")
	}
}

// BenchmarkPatchLimit cancels or brings back as many projects as Patch
// patches (patchLimit): it should take about half of NewIndex.
func BenchmarkPatchLimit(b *testing.B) {
	ds, ix := synthProvince(b)
	next := cloneDataset(ds)
	var d Delta
	for i := 0; patchWork(ix, d) < ix.patchLimit()-64; i += 5 {
		p := &next.Projects[i]
		if p.Status == chainscope.StatusCancelled {
			p.Status = chainscope.StatusSigned
		} else {
			p.Status = chainscope.StatusCancelled
		}
		d.Nodes = append(d.Nodes, p.ID)
	}
	benchmarkPatch(b, func(_, n *chainscope.Dataset) Delta {
		*n = *next
		return d
	})
	b.ReportMetric(float64(len(d.Nodes)), "records")
}
