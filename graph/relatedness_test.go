package graph

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"

	"chainscope"
	"chainscope/synth"
	"chainscope/yuncheng"
)

// bruteRelated is SPEC §11 read straight from a dataset, with sets per
// county and intersections per pair: no Index involved.
type bruteRelated struct {
	counties []string          // district/county/city codes, ascending
	segs     []string          // every segment of every chain, dataset order
	chainOf  map[string]string // segment → chain
	chainSeg map[string][]string
	has      map[string]map[string]bool // county → segments present
	phi      map[[2]string]float64
	dens     map[string]map[string]float64 // county → segment → d
}

func newBruteRelated(ds *chainscope.Dataset) *bruteRelated {
	b := &bruteRelated{chainOf: map[string]string{}, chainSeg: map[string][]string{}, has: map[string]map[string]bool{},
		phi: map[[2]string]float64{}, dens: map[string]map[string]float64{}}
	byCode := map[string]chainscope.County{}
	for _, c := range ds.Counties {
		byCode[c.Code] = c
		if c.Kind != chainscope.KindZone && c.Code != ds.Region.Code {
			b.counties = append(b.counties, c.Code)
			b.has[c.Code] = map[string]bool{}
		}
	}
	slices.Sort(b.counties)
	for _, ch := range ds.Chains {
		b.chainSeg[ch.ID] = []string{}
		for _, s := range ch.Segments {
			b.segs = append(b.segs, s.ID)
			b.chainOf[s.ID] = ch.ID
			b.chainSeg[ch.ID] = append(b.chainSeg[ch.ID], s.ID)
		}
	}
	// countyOf follows zone parents up to a county; "" for none.
	countyOf := func(code string) string {
		for range len(ds.Counties) + 1 {
			if code == "" || code == ds.Region.Code {
				return ""
			}
			c, ok := byCode[code]
			if !ok {
				return ""
			}
			if c.Kind != chainscope.KindZone {
				return c.Code
			}
			code = c.Parent
		}
		return ""
	}
	put := func(county string, segs []string) {
		if c := countyOf(county); c != "" {
			for _, s := range segs {
				b.has[c][s] = true
			}
		}
	}
	for _, e := range ds.Enterprises {
		put(e.County, e.Segments)
	}
	for _, p := range ds.Projects {
		if p.Status != chainscope.StatusCancelled {
			put(p.County, p.Segments)
		}
	}
	u := map[string]int{}
	for _, c := range b.counties {
		for s := range b.has[c] {
			u[s]++
		}
	}
	for _, s := range b.segs {
		for _, t := range b.segs {
			if s == t || u[s] == 0 || u[t] == 0 {
				continue
			}
			both := 0
			for _, c := range b.counties {
				if b.has[c][s] && b.has[c][t] {
					both++
				}
			}
			b.phi[[2]string{s, t}] = float64(both) / float64(max(u[s], u[t]))
		}
	}
	for _, c := range b.counties {
		b.dens[c] = map[string]float64{}
		for _, s := range b.segs {
			num, den := 0.0, 0.0
			for _, t := range b.segs {
				if t == s {
					continue
				}
				den += b.phi[[2]string{s, t}]
				if b.has[c][t] {
					num += b.phi[[2]string{s, t}]
				}
			}
			if den != 0 {
				b.dens[c][s] = num / den
			}
		}
	}
	return b
}

func r4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func (b *bruteRelated) related(county, chain string) *Relatedness {
	res := &Relatedness{Area: county, Chain: chain, Suggestions: []Suggestion{}}
	for _, s := range b.segs {
		if b.has[county][s] || (chain != "" && b.chainOf[s] != chain) {
			continue
		}
		sg := Suggestion{Segment: s, Chain: b.chainOf[s], Density: r4(b.dens[county][s]), Because: []Because{}}
		for t := range b.has[county] {
			if p := b.phi[[2]string{s, t}]; p > 0 {
				sg.Because = append(sg.Because, Because{Segment: t, Proximity: r4(p)})
			}
		}
		slices.SortFunc(sg.Because, func(x, y Because) int {
			if c := cmp.Compare(y.Proximity, x.Proximity); c != 0 {
				return c
			}
			return cmp.Compare(x.Segment, y.Segment)
		})
		sg.Because = sg.Because[:min(3, len(sg.Because))]
		res.Suggestions = append(res.Suggestions, sg)
	}
	slices.SortFunc(res.Suggestions, func(x, y Suggestion) int {
		if c := cmp.Compare(y.Density, x.Density); c != 0 {
			return c
		}
		return cmp.Compare(x.Segment, y.Segment)
	})
	return res
}

func (b *bruteRelated) closeness(county, chain string) (float64, bool) {
	sum, n := 0.0, 0
	for _, s := range b.chainSeg[chain] {
		if !b.has[county][s] {
			sum += b.dens[county][s]
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return r4(sum / float64(n)), true
}

// checkRelated compares Related and ChainCloseness of ix with the brute
// force for every county and every chain filter; it returns how many
// suggestions had a tie in rounded density with their predecessor.
func checkRelated(t *testing.T, name string, ds *chainscope.Dataset, ix *Index) (suggestions, ties int) {
	t.Helper()
	b := newBruteRelated(ds)
	filters := []string{""}
	for _, ch := range ds.Chains {
		filters = append(filters, ch.ID)
	}
	for _, c := range b.counties {
		for _, ch := range filters {
			want := b.related(c, ch)
			got, err := ix.Related(c, ch, 0)
			if err != nil {
				t.Fatalf("%s: Related(%s, %q): %v", name, c, ch, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: Related(%s, %q)\n got %+v\nwant %+v", name, c, ch, got, want)
			}
			for _, limit := range []int{1, 2, 5} {
				lim, err := ix.Related(c, ch, limit)
				if err != nil {
					t.Fatal(err)
				}
				wantLim := want.Suggestions[:min(limit, len(want.Suggestions))]
				if !reflect.DeepEqual(lim.Suggestions, wantLim) {
					t.Fatalf("%s: Related(%s, %q, %d) = %+v, want %+v", name, c, ch, limit, lim.Suggestions, wantLim)
				}
			}
			if ch == "" {
				suggestions += len(got.Suggestions)
				for i := 1; i < len(got.Suggestions); i++ {
					if got.Suggestions[i].Density == got.Suggestions[i-1].Density {
						ties++
					}
				}
				continue
			}
			wc, wok := b.closeness(c, ch)
			gc, gok := ix.ChainCloseness(c, ch)
			if gc != wc || gok != wok {
				t.Fatalf("%s: ChainCloseness(%s, %s) = %v, %v, want %v, %v", name, c, ch, gc, gok, wc, wok)
			}
		}
	}
	return suggestions, ties
}

// randomRegion is a small random region with ties, segments nobody has,
// chains without segments, zones with and without (a zone) parent, zones
// under the region, records at the region's code and cancelled projects.
func randomRegion(r *rand.Rand) *chainscope.Dataset {
	const code = "900000"
	ds := &chainscope.Dataset{Region: chainscope.Region{Code: code, Name: "测试"}}
	nc := 1 + r.IntN(6)
	kinds := []chainscope.Kind{chainscope.KindDistrict, chainscope.KindCounty, chainscope.KindCity}
	var places []string
	for i := range nc {
		c := strconv.Itoa(900100 + (nc-i)*7) // not in code order
		ds.Counties = append(ds.Counties, chainscope.County{Code: c, Name: "县" + c, Kind: kinds[r.IntN(3)]})
		places = append(places, c)
	}
	if r.IntN(4) == 0 { // the region listed as a county of its own
		ds.Counties = append(ds.Counties, chainscope.County{Code: code, Name: "市本级", Kind: chainscope.KindDistrict})
	}
	for i := range r.IntN(4) {
		z := chainscope.County{Code: fmt.Sprintf("Z%d", i), Name: "园区", Kind: chainscope.KindZone}
		switch x := r.IntN(5); {
		case x == 0: // no parent
		case x == 1:
			z.Parent = code
		case x == 2 && i > 0:
			z.Parent = fmt.Sprintf("Z%d", r.IntN(i))
		default:
			z.Parent = places[r.IntN(nc)]
		}
		ds.Counties = append(ds.Counties, z)
		places = append(places, z.Code)
	}
	places = append(places, code)
	var segs []string
	for ci := range 1 + r.IntN(3) {
		ch := chainscope.Chain{ID: fmt.Sprintf("c%d", ci), Name: "链"}
		n := r.IntN(6)
		if r.IntN(8) == 0 {
			n = 0
		}
		for si := range n {
			id := fmt.Sprintf("s%c%d", 'a'+rune(r.IntN(26)), ci*10+si) // ids not in dataset order
			ch.Segments = append(ch.Segments, chainscope.Segment{ID: id, Name: id, Stage: chainscope.StageMidstream})
			segs = append(segs, id)
		}
		ds.Chains = append(ds.Chains, ch)
	}
	pickSegs := func() []string {
		if len(segs) == 0 {
			return []string{}
		}
		var out []string
		for range r.IntN(4) {
			out = append(out, segs[r.IntN(len(segs))])
		}
		return out
	}
	for i := range r.IntN(20) {
		ds.Enterprises = append(ds.Enterprises, chainscope.Enterprise{ID: fmt.Sprintf("E%02d", i), Name: "企业",
			County: places[r.IntN(len(places))], Segments: pickSegs(), LeaderOf: []string{}})
	}
	statuses := []chainscope.Status{chainscope.StatusSigned, chainscope.StatusStarted, chainscope.StatusOperating,
		chainscope.StatusStalled, chainscope.StatusCancelled}
	for i := range r.IntN(12) {
		ds.Projects = append(ds.Projects, chainscope.Project{ID: fmt.Sprintf("P%02d", i), Name: "项目",
			County: places[r.IntN(len(places))], Segments: pickSegs(), Status: statuses[r.IntN(len(statuses))],
			Signed: "2024-03-15"})
	}
	return ds
}

func TestRelatedMatchesBruteForceRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 14))
	regions, suggestions, ties := 0, 0, 0
	for i := range 400 {
		ds := randomRegion(r)
		ix, err := NewIndex(ds)
		if err != nil {
			t.Fatalf("region %d: %v", i, err)
		}
		n, k := checkRelated(t, fmt.Sprintf("region %d", i), ds, ix)
		regions, suggestions, ties = regions+1, suggestions+n, ties+k
	}
	if ties == 0 || suggestions == 0 {
		t.Fatalf("the random regions never tie (%d suggestions, %d ties)", suggestions, ties)
	}
	t.Logf("%d regions, %d suggestions, %d ties in density", regions, suggestions, ties)
}

func TestRelatedMatchesBruteForceSynth(t *testing.T) {
	for seed := range int64(4) {
		o := synth.Options{Enterprises: 150, Projects: 60, Links: 200, Seed: seed + 1}
		if seed == 0 {
			o = synth.Small()
		}
		ds := synth.Generate(o)
		ix, err := NewIndex(ds)
		if err != nil {
			t.Fatal(err)
		}
		checkRelated(t, fmt.Sprintf("synth %d", seed), ds, ix)
	}
}

func TestRelatedMatchesBruteForceYuncheng(t *testing.T) {
	ds, err := yuncheng.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := checkRelated(t, "yuncheng", ds, ix)
	if n == 0 {
		t.Fatal("no suggestions for 运城市")
	}
}

// TestRelatedByHand works one region out on paper: counties A, B, C; zone
// ZA in A; segments bat.a..e and chem.x..z.
//
//	A (with ZA): a, b, x   B: a, b, c   C: a, c   region: e   cancelled in C: d
//
// u: a 3, b 2, c 2, x 1, others 0. φ(a,b) = 2/3, φ(a,c) = 2/3, φ(a,x) = 1/3,
// φ(b,c) = 1/2, φ(b,x) = 1/2, φ(c,x) = 0.
// For C (has a, c): d(b) = (2/3 + 1/2) / (2/3 + 1/2 + 1/2) = 0.7,
// d(x) = (1/3) / (1/3 + 1/2) = 0.4; d, e, y, z have no proximity: 0.
func TestRelatedByHand(t *testing.T) {
	ds := dataset([]chainscope.Enterprise{
		ent("E1", "140827", "bat.a"), ent("E2", "Z-yq", "bat.b", "chem.x"),
		ent("E3", "140882", "bat.a", "bat.b"), ent("E4", "140882", "bat.c"),
		ent("E5", "140802", "bat.a", "bat.c"), ent("E6", region, "bat.e"), ent("E7", "Z-free", "bat.e"),
	}, []chainscope.Project{proj("P1", "140802", chainscope.StatusCancelled, nil, "bat.d")}, nil)
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ix.Related("140802", "", 3)
	if err != nil {
		t.Fatal(err)
	}
	want := &Relatedness{Area: "140802", Chain: "", Suggestions: []Suggestion{
		{Segment: "bat.b", Chain: "bat", Density: 0.7, Because: []Because{{"bat.a", 0.6667}, {"bat.c", 0.5}}},
		{Segment: "chem.x", Chain: "chem", Density: 0.4, Because: []Because{{"bat.a", 0.3333}}},
		{Segment: "bat.d", Chain: "bat", Density: 0, Because: []Because{}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if c, ok := ix.ChainCloseness("140802", "chem"); !ok || c != r4((0.4+0+0)/3) {
		t.Fatalf("ChainCloseness(C, chem) = %v, %v", c, ok)
	}
	// B has a, b, c: of bat only d and e are missing, both at 0.
	if c, ok := ix.ChainCloseness("140882", "bat"); !ok || c != 0 {
		t.Fatalf("ChainCloseness(B, bat) = %v, %v", c, ok)
	}
	checkRelated(t, "by hand", ds, ix)
}

func TestRelatedErrors(t *testing.T) {
	ds := dataset([]chainscope.Enterprise{ent("E1", "140827", "bat.a")}, nil, nil)
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ area, chain, code string }{
		{"Z-yq", "", chainscope.EINVALID},
		{"Z-free", "bat", chainscope.EINVALID},
		{AllAreas, "", chainscope.EINVALID},
		{region, "", chainscope.EINVALID},
		{"999999", "", chainscope.ENOTFOUND},
		{"140827", "no-such-chain", chainscope.ENOTFOUND},
	} {
		res, err := ix.Related(c.area, c.chain, 0)
		var e *chainscope.Error
		if res != nil || !errors.As(err, &e) || e.Code != c.code {
			t.Errorf("Related(%q, %q) = %v, %v; want a %s error", c.area, c.chain, res, err, c.code)
		}
		if _, ok := ix.ChainCloseness(c.area, cmp.Or(c.chain, "bat")); ok {
			t.Errorf("ChainCloseness(%q, %q) ok", c.area, c.chain)
		}
	}
	// A county without suggestions still answers with [] and a chain
	// without segments has no closeness.
	empty := &chainscope.Dataset{Region: chainscope.Region{Code: region},
		Counties: []chainscope.County{{Code: "140827", Kind: chainscope.KindCounty}},
		Chains:   []chainscope.Chain{{ID: "none"}}}
	if ix, err = NewIndex(empty); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Related("140827", "", 0)
	if err != nil || res.Suggestions == nil || len(res.Suggestions) != 0 {
		t.Fatalf("Related on no segments = %+v, %v", res, err)
	}
	if _, ok := ix.ChainCloseness("140827", "none"); ok {
		t.Fatal("ChainCloseness of a chain without segments is ok")
	}
}

// TestRelatedAfterPatch computes the cache, then patches: the patched
// Index must answer for its own data, not the old cache.
func TestRelatedAfterPatch(t *testing.T) {
	ds := synth.Generate(synth.Options{Enterprises: 80, Projects: 30, Links: 150, Seed: 9})
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	e := &editor{r: rand.New(rand.NewPCG(4, 14))}
	steps := 60
	if testing.Short() {
		steps = 15
	}
	changed := 0
	for step := range steps {
		checkRelated(t, fmt.Sprintf("step %d", step), ds, ix) // fills the cache of ix
		ed := e.valid(ds)
		before := newBruteRelated(ds)
		next, err := ix.Patch(ed.next, ed.delta)
		if err != nil {
			t.Fatalf("step %d (%s): %v", step, ed.kind, err)
		}
		if !reflect.DeepEqual(before.dens, newBruteRelated(ed.next).dens) {
			changed++
		}
		ix, ds = next, ed.next
	}
	checkRelated(t, "last", ds, ix)
	if changed == 0 {
		t.Fatal("no edit changed any density")
	}
}

// BenchmarkRelatedProvince computes every suggestion of every county of
// the synthetic province on an Index whose cache is empty, so the first
// computation is included.
func BenchmarkRelatedProvince(b *testing.B) {
	_, ix := synthProvince(b)
	codes := make([]string, len(ix.areas))
	for k, c := range ix.areas {
		codes[k] = ix.counties[c].code
	}
	for b.Loop() {
		b.StopTimer()
		fresh := ix.shell() // no cache; the node columns relatedness reads
		fresh.ids, fresh.bucket, fresh.segOff, fresh.segs = ix.ids, ix.bucket, ix.segOff, ix.segs
		b.StartTimer()
		for _, c := range codes {
			if _, err := fresh.Related(c, "", 0); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(codes)), "counties")
	b.ReportMetric(float64(len(ix.segID)), "segments")
}

// TestRelatedBecauseRoundedTie needs more counties than the random regions
// have: φ(s, z1) = 50/151 = 0.331126 and φ(s, a2) = 49/148 = 0.331081
// differ but round alike, so a2 comes first by id.
func TestRelatedBecauseRoundedTie(t *testing.T) {
	ds := &chainscope.Dataset{Region: chainscope.Region{Code: "900000"},
		Chains: []chainscope.Chain{{ID: "k", Segments: []chainscope.Segment{
			{ID: "k.s", Stage: chainscope.StageUpstream}, {ID: "k.z1", Stage: chainscope.StageUpstream},
			{ID: "k.a2", Stage: chainscope.StageUpstream}}}}}
	for i := range 200 {
		code := strconv.Itoa(910000 + i)
		ds.Counties = append(ds.Counties, chainscope.County{Code: code, Kind: chainscope.KindCounty})
		var segs []string
		if i < 50 {
			segs = append(segs, "k.s")
		}
		if i <= 150 {
			segs = append(segs, "k.z1")
		}
		if i != 49 && i <= 148 {
			segs = append(segs, "k.a2")
		}
		ds.Enterprises = append(ds.Enterprises, chainscope.Enterprise{ID: "E" + code, County: code, Segments: segs})
	}
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ix.Related("910100", "k", 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []Because{{"k.a2", 0.3311}, {"k.z1", 0.3311}}
	if len(got.Suggestions) != 1 || got.Suggestions[0].Segment != "k.s" || !reflect.DeepEqual(got.Suggestions[0].Because, want) {
		t.Fatalf("got %+v, want k.s because %v", got.Suggestions, want)
	}
	checkRelated(t, "rounded tie", ds, ix)
}

// TestRelatedConcurrent asks a fresh Index from many goroutines at once
// (run with -race): the first computation happens once, for all of them.
func TestRelatedConcurrent(t *testing.T) {
	ds := synth.Generate(synth.Small())
	ix, err := NewIndex(ds)
	if err != nil {
		t.Fatal(err)
	}
	want := newBruteRelated(ds)
	var wg sync.WaitGroup
	errs := make(chan error, len(want.counties))
	for _, c := range want.counties {
		wg.Go(func() {
			got, err := ix.Related(c, "", 0)
			if err == nil && !reflect.DeepEqual(got, want.related(c, "")) {
				err = fmt.Errorf("Related(%s) differs from the brute force", c)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
