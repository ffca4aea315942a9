package synth

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"chainscope"
	"chainscope/dataset"
)

// medium is between Small and Province: a few cities' worth.
var medium = Options{Enterprises: 20_000, Projects: 4_000, Links: 150_000, Seed: 7}

var sizes = []struct {
	name string
	o    Options
}{
	{"small", Small()},
	{"small seed 2", Options{Enterprises: 300, Projects: 80, Links: 1200, Seed: 2}},
	{"medium", medium},
	{"explicit counties", Options{Enterprises: 2_000, Projects: 300, Links: 8_000, Seed: 3, Counties: 40}},
	{"many counties", Options{Enterprises: 3_000, Projects: 300, Links: 9_000, Seed: 4, Counties: 250}},
	{"too many counties", Options{Enterprises: 1_000, Projects: 100, Links: 2_000, Seed: 4, Counties: MaxCounties + 5}},
	{"one county", Options{Enterprises: 200, Projects: 40, Links: 600, Seed: 5, Counties: 1}},
	{"no projects", Options{Enterprises: 100, Projects: 0, Links: 300, Seed: 6}},
	{"no enterprises", Options{Enterprises: 0, Projects: 50, Links: 100, Seed: 6}},
	{"every pair", Options{Enterprises: 6, Projects: 2, Links: 56, Seed: 8}},
	{"empty", Options{Seed: 9}},
}

func TestGenerateIsDeterministic(t *testing.T) {
	for _, o := range []Options{Small(), medium} {
		a, b := Generate(o), Generate(o)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%+v: two runs differ", o)
		}
		o.Seed++
		if c := Generate(o); reflect.DeepEqual(a, c) {
			t.Errorf("%+v: seeds %d and %d give the same dataset", o, o.Seed-1, o.Seed)
		}
	}
}

func TestGenerateCountsAndValidity(t *testing.T) {
	for _, tc := range sizes {
		t.Run(tc.name, func(t *testing.T) {
			ds := Generate(tc.o)
			if got := [3]int{len(ds.Enterprises), len(ds.Projects), len(ds.Links)}; got != [3]int{tc.o.Enterprises, tc.o.Projects, tc.o.Links} {
				t.Errorf("counts %v, want %d %d %d", got, tc.o.Enterprises, tc.o.Projects, tc.o.Links)
			}
			if tc.o.Counties > 0 {
				if n, want := countDivisions(ds), min(tc.o.Counties, MaxCounties); n != want {
					t.Errorf("%d county-level divisions, want %d", n, want)
				}
			}
			for _, p := range problems(ds) {
				t.Error(p)
			}
		})
	}
}

func TestGeneratePanicsOnImpossibleOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
	}{
		{"negative", Options{Enterprises: -1}},
		{"too many links", Options{Enterprises: 3, Projects: 1, Links: 13}},
		{"links without nodes", Options{Links: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Generate(%+v) did not panic", tc.o)
				}
			}()
			Generate(tc.o)
		})
	}
}

func TestGenerateProvinceIsValid(t *testing.T) {
	if testing.Short() {
		t.Skip("province scale")
	}
	o := Province()
	ds := Generate(o)
	if len(ds.Enterprises) != o.Enterprises || len(ds.Projects) != o.Projects || len(ds.Links) != o.Links {
		t.Fatalf("counts %d %d %d", len(ds.Enterprises), len(ds.Projects), len(ds.Links))
	}
	if ds.Region.Code != "140000" {
		t.Errorf("region %s, want a province code", ds.Region.Code)
	}
	if n := countDivisions(ds); n < 100 || n > 140 {
		t.Errorf("%d county-level divisions, want about 11 cities' worth", n)
	}
	for _, p := range problems(ds) {
		t.Error(p)
	}
	g := findGaps(ds)
	if g.broken == 0 || g.single == 0 || g.planned == 0 {
		t.Errorf("gaps %+v: want every kind", g)
	}
}

func TestGenerateShape(t *testing.T) {
	ds := Generate(Small())
	if ds.Region.Code != "140800" {
		t.Errorf("region %s, want a city code", ds.Region.Code)
	}
	if n := countDivisions(ds); n != 13 {
		t.Errorf("%d county-level divisions, want 13", n)
	}
	zones := 0
	for _, c := range ds.Counties {
		if c.Kind == chainscope.KindZone {
			zones++
		}
	}
	if zones == 0 {
		t.Error("no development zones")
	}
	if n := len(ds.Chains); n < 8 || n > 12 {
		t.Errorf("%d chains, want 8–12", n)
	}
	for _, c := range ds.Chains {
		if n := len(c.Segments); n < 5 || n > 9 {
			t.Errorf("chain %s has %d segments, want 5–9", c.ID, n)
		}
	}
	withUSCC, leaders, twoChains := 0, 0, 0
	chainOf := segmentChains(ds)
	for _, e := range ds.Enterprises {
		if e.USCC != "" {
			withUSCC++
		}
		leaders += len(e.LeaderOf)
		if len(e.Segments) == 2 && chainOf[e.Segments[0]] != chainOf[e.Segments[1]] {
			twoChains++
		}
	}
	if share := float64(withUSCC) / float64(len(ds.Enterprises)); share < 0.2 || share > 0.5 {
		t.Errorf("%.2f of enterprises have a USCC, want about 1/3", share)
	}
	if leaders < len(ds.Chains) {
		t.Errorf("%d chain leaders for %d chains", leaders, len(ds.Chains))
	}
	if twoChains == 0 {
		t.Error("no enterprise spans two chains")
	}
	statuses := map[chainscope.Status]int{}
	emerging := 0
	for _, p := range ds.Projects {
		statuses[p.Status]++
		if p.Emerging {
			emerging++
		}
	}
	for _, s := range chainscope.Statuses {
		if statuses[s] == 0 && s != chainscope.StatusCancelled {
			t.Errorf("no project is %s", s)
		}
	}
	if emerging == 0 || emerging == len(ds.Projects) {
		t.Errorf("%d of %d projects emerging", emerging, len(ds.Projects))
	}
	withProduct := 0
	for _, l := range ds.Links {
		if l.Product != "" {
			withProduct++
		}
	}
	if withProduct < len(ds.Links)/2 {
		t.Errorf("only %d of %d links name a product", withProduct, len(ds.Links))
	}
}

func TestGeneratePlantsGaps(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
	}{{"small", Small()}, {"medium", medium}, {"one county", Options{Enterprises: 200, Projects: 40, Links: 600, Seed: 5, Counties: 1}}} {
		t.Run(tc.name, func(t *testing.T) {
			g := findGaps(Generate(tc.o))
			if g.broken == 0 {
				t.Error("no county/chain has a missing segment with listed ancestors and descendants")
			}
			if g.single == 0 {
				t.Error("no single-node segment")
			}
			if g.planned == 0 {
				t.Error("no planned-only segment")
			}
			t.Logf("%+v", g)
		})
	}
}

func TestUSCCCheckChar(t *testing.T) {
	for _, code := range []string{
		"914403001922038216", // 华为技术有限公司
		"91330100716105852F", // 阿里巴巴(中国)有限公司
		"9144030071526726XG", // 腾讯科技(深圳)有限公司
	} {
		got, ok := dataset.USCCCheckChar(code[:17])
		if !ok || got != code[17] {
			t.Errorf("dataset.USCCCheckChar(%s) = %c, %v; want %c", code[:17], got, ok, code[17])
		}
	}
	for _, bad := range []string{"", "9144030019220382", "91440300192203821X", "91440300I92203821", "9144030O192203821"} {
		if _, ok := dataset.USCCCheckChar(bad); ok {
			t.Errorf("dataset.USCCCheckChar(%q) accepted it", bad)
		}
	}
}

func TestScramblesAreBijections(t *testing.T) {
	gcd := func(a, b int) int {
		for b != 0 {
			a, b = b, a%b
		}
		return a
	}
	if gcd(tradeScramble, len(tradeChars)) != 1 {
		t.Errorf("tradeScramble shares a factor with %d", len(tradeChars))
	}
	if gcd(codeScramble, 10) != 1 {
		t.Error("codeScramble shares a factor with 10")
	}
	seen := map[rune]bool{}
	for _, r := range tradeChars {
		if seen[r] {
			t.Errorf("trade character %c twice", r)
		}
		seen[r] = true
	}
}

func BenchmarkGenerateProvince(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Generate(Province())
	}
}

func BenchmarkGenerateSmall(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Generate(Small())
	}
}

// countDivisions counts the counties that are not zones.
func countDivisions(ds *chainscope.Dataset) int {
	n := 0
	for _, c := range ds.Counties {
		if c.Kind != chainscope.KindZone {
			n++
		}
	}
	return n
}

func segmentChains(ds *chainscope.Dataset) map[string]string {
	m := map[string]string{}
	for _, c := range ds.Chains {
		for _, s := range c.Segments {
			m[s.ID] = c.ID
		}
	}
	return m
}

// problems checks ds with dataset.Build, the one checker of SPEC §4 (every
// problem and warning is one here), and then what the generator promises
// beyond the rules: no nil top-level slice and no origin (built in code),
// 6-digit division codes, at least one segment a record and unique
// enterprise names, dates as Go writes them, no start before signing and
// none missing on a started project, and links in key order.
func problems(ds *chainscope.Dataset) []string {
	var out []string
	bad := func(format string, args ...any) {
		if len(out) < 20 {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}
	recs := dataset.Flatten(ds)
	_, probs := dataset.Build(recs)
	for _, p := range append(probs, recs.Warnings...) {
		bad("%v", p)
	}
	if ds.Counties == nil || ds.Chains == nil || ds.Enterprises == nil || ds.Projects == nil || ds.Links == nil {
		bad("a nil top-level slice")
	}
	for _, c := range ds.Counties {
		if c.Kind != chainscope.KindZone && (len(c.Code) != 6 || strings.Trim(c.Code, "0123456789") != "") {
			bad("county %+v: not a 6-digit division", c)
		}
		if c.At != (chainscope.Origin{}) {
			bad("county %s has an origin", c.Code)
		}
	}
	for _, c := range ds.Chains {
		if c.Segments == nil || c.Flows == nil {
			bad("chain %s: nil slices", c.ID)
		}
	}
	names := map[string]bool{}
	for _, e := range ds.Enterprises {
		if names[e.Name] {
			bad("enterprise %s: duplicate name %q", e.ID, e.Name)
		}
		names[e.Name] = true
		if len(e.Segments) == 0 {
			bad("enterprise %s: no segments", e.ID)
		}
		if e.LeaderOf == nil {
			bad("enterprise %s: nil LeaderOf", e.ID)
		}
		if e.At != (chainscope.Origin{}) {
			bad("enterprise %s has an origin", e.ID)
		}
	}
	date := func(what, s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil || d.Format(time.DateOnly) != s {
			bad("%s: malformed date %q", what, s)
		}
		return d
	}
	for _, p := range ds.Projects {
		if len(p.Segments) == 0 {
			bad("project %s: no segments", p.ID)
		}
		signed := date(p.ID, p.Signed)
		if p.Started != "" && date(p.ID, p.Started).Before(signed) {
			bad("project %s started %s before it was signed %s", p.ID, p.Started, p.Signed)
		}
		if (p.Status == chainscope.StatusStarted || p.Status == chainscope.StatusOperating) && p.Started == "" {
			bad("project %s is %s without a start date", p.ID, p.Status)
		}
		if p.At != (chainscope.Origin{}) {
			bad("project %s has an origin", p.ID)
		}
	}
	for i, l := range ds.Links {
		if i > 0 {
			if p := ds.Links[i-1]; p.From > l.From || (p.From == l.From && p.To >= l.To) {
				bad("links %s → %s and %s → %s out of order", p.From, p.To, l.From, l.To)
			}
		}
		if l.At != (chainscope.Origin{}) {
			bad("link %s → %s has an origin", l.From, l.To)
		}
	}
	return out
}

// gaps counts the weak points SPEC §5 would report per (county, chain).
type gaps struct {
	broken  int // missing segments with a listed ancestor and a listed descendant
	single  int // segments with exactly one node
	planned int // segments whose nodes are all non-operating projects
}

// findGaps applies SPEC §5's segment rules directly: a county's area takes
// in its zones; cancelled projects are no nodes.
func findGaps(ds *chainscope.Dataset) gaps {
	area := map[string]string{}
	for _, c := range ds.Counties {
		area[c.Code] = c.Code
		if c.Kind == chainscope.KindZone {
			area[c.Code] = c.Parent
		}
	}
	type key struct{ area, seg string }
	nodes := map[key]int{}
	operating := map[key]bool{}
	list := func(county string, segs []string, op bool) {
		a, ok := area[county]
		if !ok {
			return // placed at the region itself
		}
		for _, s := range segs {
			nodes[key{a, s}]++
			operating[key{a, s}] = operating[key{a, s}] || op
		}
	}
	for _, e := range ds.Enterprises {
		list(e.County, e.Segments, true)
	}
	for _, p := range ds.Projects {
		if p.Status != chainscope.StatusCancelled {
			list(p.County, p.Segments, p.Operating())
		}
	}
	var g gaps
	for _, c := range ds.Counties {
		if c.Kind == chainscope.KindZone {
			continue
		}
		for _, ch := range ds.Chains {
			succ, pred := map[string][]string{}, map[string][]string{}
			for _, f := range ch.Flows {
				succ[f.From] = append(succ[f.From], f.To)
				pred[f.To] = append(pred[f.To], f.From)
			}
			listed := func(start string, next map[string][]string) bool {
				stack, seen := []string{start}, map[string]bool{start: true}
				for len(stack) > 0 {
					s := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					for _, t := range next[s] {
						if seen[t] {
							continue
						}
						if nodes[key{c.Code, t}] > 0 {
							return true
						}
						seen[t] = true
						stack = append(stack, t)
					}
				}
				return false
			}
			for _, s := range ch.Segments {
				k := key{c.Code, s.ID}
				if nodes[k] == 0 {
					if listed(s.ID, pred) && listed(s.ID, succ) {
						g.broken++
					}
					continue
				}
				if nodes[k] == 1 {
					g.single++
				}
				if !operating[k] {
					g.planned++
				}
			}
		}
	}
	return g
}
