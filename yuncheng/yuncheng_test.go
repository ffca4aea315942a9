package yuncheng

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"chainscope"
	"chainscope/dataset"
)

const (
	regionCode   = "140800"
	reportSource = "运城日报 2024-05 招商引资报道"
	illustrative = "illustrative"
	fenglingdu   = "风陵渡经济开发区"
)

// load decodes the embedded dataset the way SPEC §2 demands: an unknown field
// is an error, and nothing may follow the object.
func load(t *testing.T) *chainscope.Dataset {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(JSON()))
	dec.DisallowUnknownFields()
	var ds chainscope.Dataset
	if err := dec.Decode(&ds); err != nil {
		t.Fatalf("decode yuncheng.json: %v", err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		t.Fatalf("yuncheng.json: data after the dataset object (%v)", err)
	}
	return &ds
}

func TestJSONReturnsACopy(t *testing.T) {
	b := JSON()
	if !json.Valid(b) {
		t.Fatal("JSON() is not valid JSON")
	}
	b[0] = 'x'
	if JSON()[0] != '{' {
		t.Fatal("changing the result of JSON() changed the embedded dataset")
	}
}

func TestCounties(t *testing.T) {
	ds := load(t)
	if ds.Region.Code != regionCode || ds.Region.Name != "运城市" {
		t.Errorf("region = %s %s, want 140800 运城市", ds.Region.Code, ds.Region.Name)
	}
	want := []struct {
		code, name string
		kind       chainscope.Kind
	}{
		{"140802", "盐湖区", chainscope.KindDistrict},
		{"140821", "临猗县", chainscope.KindCounty},
		{"140822", "万荣县", chainscope.KindCounty},
		{"140823", "闻喜县", chainscope.KindCounty},
		{"140824", "稷山县", chainscope.KindCounty},
		{"140825", "新绛县", chainscope.KindCounty},
		{"140826", "绛县", chainscope.KindCounty},
		{"140827", "垣曲县", chainscope.KindCounty},
		{"140828", "夏县", chainscope.KindCounty},
		{"140829", "平陆县", chainscope.KindCounty},
		{"140830", "芮城县", chainscope.KindCounty},
		{"140881", "永济市", chainscope.KindCity},
		{"140882", "河津市", chainscope.KindCity},
	}
	var got []chainscope.County
	for _, c := range ds.Counties {
		if c.Kind != chainscope.KindZone {
			got = append(got, c)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d county-level divisions, want %d", len(got), len(want))
	}
	for _, w := range want {
		i := slices.IndexFunc(got, func(c chainscope.County) bool { return c.Code == w.code })
		if i < 0 {
			t.Errorf("county %s %s missing", w.code, w.name)
			continue
		}
		if got[i].Name != w.name || got[i].Kind != w.kind {
			t.Errorf("county %s = %s (%s), want %s (%s)", w.code, got[i].Name, got[i].Kind, w.name, w.kind)
		}
	}
}

// TestValid checks the embedded file with dataset.Build, the one checker
// of SPEC §4 (no problem and no warning), and then the conventions of the
// built-in dataset that are not rules: ASCII ids, GB/T 2260 codes of 运城市,
// 5–9 segments a chain, every record sourced, 2024 signing dates within
// the report's Jan–Apr.
func TestValid(t *testing.T) {
	recs, probs := dataset.ReadJSON(bytes.NewReader(JSON()), "yuncheng.json")
	if len(probs) == 0 {
		_, probs = dataset.Build(recs)
	}
	for _, p := range probs {
		t.Error(p)
	}
	for _, w := range recs.Warnings {
		t.Errorf("warning: %v", w)
	}
	ds := load(t)

	gbCode := regexp.MustCompile(`^1408\d\d$`)
	for _, c := range ds.Counties {
		if c.Kind != chainscope.KindZone && !gbCode.MatchString(c.Code) {
			t.Errorf("county %s %s: want a GB/T 2260 code of 运城市", c.Code, c.Name)
		}
	}
	ascii := regexp.MustCompile(`^[a-z]+$`)
	for _, ch := range ds.Chains {
		if !ascii.MatchString(ch.ID) {
			t.Errorf("chain %q %q: non-ASCII id", ch.ID, ch.Name)
		}
		if n := len(ch.Segments); n < 5 || n > 9 {
			t.Errorf("chain %s: %d segments, want 5–9", ch.ID, n)
		}
		for _, s := range ch.Segments {
			if suffix, ok := strings.CutPrefix(s.ID, ch.ID+"."); !ok || !ascii.MatchString(suffix) {
				t.Errorf("segment %q %q: want id %s.<ascii>", s.ID, s.Name, ch.ID)
			}
		}
	}
	sourced := func(kind, id, source string) {
		if source != reportSource && source != illustrative {
			t.Errorf("%s %s: source %q, want the report or %q", kind, id, source, illustrative)
		}
	}
	entID := regexp.MustCompile(`^E-[a-z0-9]+(-[a-z0-9]+)*$`)
	for _, e := range ds.Enterprises {
		sourced("enterprise", e.ID, e.Source)
		if !entID.MatchString(e.ID) {
			t.Errorf("enterprise %q %q: want an id like E-yabao", e.ID, e.Name)
		}
	}
	projID := regexp.MustCompile(`^P-(\d{4})-\d{3}$`)
	for _, p := range ds.Projects {
		sourced("project", p.ID, p.Source)
		m := projID.FindStringSubmatch(p.ID)
		if m == nil {
			t.Errorf("project %q %q: want an id like P-2024-001", p.ID, p.Name)
			continue
		}
		signed, _ := date(p.Signed)
		started, _ := date(p.Started)
		if p.Signed != "" && p.Signed[:4] != m[1] {
			t.Errorf("project %s: signed %s, not in the year of its id", p.ID, p.Signed)
		}
		if m[1] == "2024" && p.Signed != "" && p.Signed > "2024-04-30" {
			t.Errorf("project %s: signed %s, after the report's Jan–Apr", p.ID, p.Signed)
		}
		if p.Started != "" {
			if p.Status != chainscope.StatusStarted && p.Status != chainscope.StatusOperating {
				t.Errorf("project %s: started date on a %s project", p.ID, p.Status)
			}
			if started.Before(signed) || started.After(time.Date(2024, 4, 30, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("project %s: started %s before signing or after 2024-04-30", p.ID, p.Started)
			}
		}
	}
	for _, l := range ds.Links {
		sourced("link", l.From+" → "+l.To, l.Source)
	}
}

// TestSize keeps the dataset the size and shape the demo relies on.
func TestSize(t *testing.T) {
	ds := load(t)
	in := func(what string, n, lo, hi int) {
		if n < lo || n > hi {
			t.Errorf("%d %s, want %d–%d", n, what, lo, hi)
		}
	}
	in("enterprises", len(ds.Enterprises), 150, 300)
	in("projects", len(ds.Projects), 80, 160)
	in("links", len(ds.Links), 300, 600)
	count := func(st chainscope.Status) int {
		n := 0
		for _, p := range ds.Projects {
			if p.Status == st {
				n++
			}
		}
		return n
	}
	in("stalled projects", count(chainscope.StatusStalled), 2, 10)
	in("cancelled projects", count(chainscope.StatusCancelled), 1, 2)
	leaders, withUSCC := 0, 0
	for _, e := range ds.Enterprises {
		if len(e.LeaderOf) > 0 && e.ID != "E-yabao" {
			leaders++
		}
		if e.USCC != "" {
			withUSCC++
		}
	}
	in("chain leaders besides 亚宝", leaders, 5, 30)
	in("enterprises with a USCC", withUSCC, 30, len(ds.Enterprises))
}

func wan(yi float64) *float64 { w := yi * 10000; return &w }

// TestReportRecords checks that every project and enterprise of
// REPORT-FACTS.md is present as the report states it: county (140800 when the
// report names none), investment converted from 亿元 to 万元, investor.
func TestReportRecords(t *testing.T) {
	ds := load(t)
	entName := map[string]string{}
	for _, e := range ds.Enterprises {
		entName[e.ID] = e.Name
	}
	tests := []struct {
		name     string
		county   string
		wan      *float64 // nil: the report states no amount
		investor string   // enterprise name, "" when the report names none
		status   chainscope.Status
	}{
		{"纯电动重卡配套充换电站建设项目", "140882", wan(10), "浙物聚能绿电(浙江)科技有限公司", chainscope.StatusSigned},
		{"年产30万吨合金生产线及余热综合利用扩建项目", regionCode, wan(12), "山西华晋新材料科技有限公司", chainscope.StatusSigned},
		{"新材料产业园项目", "140881", wan(6), "", chainscope.StatusSigned},
		{"年产智能机器人5万套、高清晰度显示模组300万片项目", regionCode, wan(10), "", chainscope.StatusSigned},
		{"年产7万吨锂电池材料(锻后焦)项目", "140827", wan(1), "山西正弘新能源材料有限公司", chainscope.StatusSigned},
		{"新能源配套专用设备制造项目", "140827", nil, "", chainscope.StatusStarted},
		{"锂电池负极材料项目", "140827", nil, "", chainscope.StatusStarted},
		{"1500mm热轧卷板新建平整分卷机组建设项目", regionCode, wan(5.9), "山西建龙实业有限公司", chainscope.StatusSigned},
		{"精品钢园区3500m²/d原水预处理绿色项目", regionCode, wan(2), "山西建龙实业有限公司", chainscope.StatusSigned},
		{"年产32万吨热镀锌板(卷)生产线项目", regionCode, nil, "山西建龙实业有限公司", chainscope.StatusStarted},
		{"年产62万吨精品镀锌板带钢项目", regionCode, nil, "新隆天和金属制品有限公司", chainscope.StatusOperating},
		{"1×135MW超超临界煤气综合利用分布式发电项目", "140824", nil, "", chainscope.StatusSigned},
		{"生活垃圾焚烧发电项目", "140823", nil, "", chainscope.StatusSigned},
		{"高端智能新能源乘用车配套件模具开发项目", regionCode, nil, "大运", chainscope.StatusSigned},
		{"黄河流域(夏县段)泗交国家级康养度假区", "140828", nil, "", chainscope.StatusSigned},
		{"五老峰景区创建国家5A级旅游景区", regionCode, nil, "", chainscope.StatusSigned},
		{"万荣通用机场", "140822", nil, "", chainscope.StatusSigned},
		{"永济至芮城太安高速公路二期", regionCode, nil, "", chainscope.StatusSigned},
		{"万荣博仁骨科医院新建(医养结合)项目", "140822", nil, "", chainscope.StatusSigned},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			i := slices.IndexFunc(ds.Projects, func(p chainscope.Project) bool { return p.Name == tc.name })
			if i < 0 {
				t.Fatal("missing")
			}
			p := ds.Projects[i]
			if p.County != tc.county {
				t.Errorf("county %s, want %s", p.County, tc.county)
			}
			switch {
			case tc.wan == nil && p.InvestmentWan != nil:
				t.Errorf("investment %v 万元, but the report states none", *p.InvestmentWan)
			case tc.wan != nil && (p.InvestmentWan == nil || *p.InvestmentWan != *tc.wan):
				t.Errorf("investment %v, want %v 万元", p.InvestmentWan, *tc.wan)
			}
			if got := entName[p.Investor]; got != tc.investor {
				t.Errorf("investor %q, want %q", got, tc.investor)
			}
			if p.Status != tc.status || p.Source != reportSource || p.Signed != "" || p.Started != "" {
				t.Errorf("status %s, source %q, dates %q/%q: want %s from the report, no dates",
					p.Status, p.Source, p.Signed, p.Started, tc.status)
			}
			if len(p.Segments) == 0 {
				t.Error("on no segment")
			}
		})
	}
	for _, name := range []string{"浙物聚能绿电(浙江)科技有限公司", "山西华晋新材料科技有限公司",
		"山西正弘新能源材料有限公司", "山西建龙实业有限公司", "新隆天和金属制品有限公司", "亚宝药业集团股份有限公司",
		"大运", "中电投融和融资租赁有限公司", "运城发展投资集团有限公司"} {
		i := slices.IndexFunc(ds.Enterprises, func(e chainscope.Enterprise) bool { return e.Name == name })
		if i < 0 || ds.Enterprises[i].Source != reportSource {
			t.Errorf("enterprise %s: missing or not sourced from the report", name)
		}
	}
	// 华晋's 硅锰合金 project must sit on a 硅锰合金 segment.
	for _, p := range ds.Projects {
		if p.Investor == "E-huajin" && !slices.Contains(p.Segments, "alloy.simn") {
			t.Errorf("project %s of 华晋 is not on alloy.simn", p.ID)
		}
	}
}

func TestYabaoLeadsPharmaInFenglingdu(t *testing.T) {
	ds := load(t)
	i := slices.IndexFunc(ds.Enterprises, func(e chainscope.Enterprise) bool { return e.Name == "亚宝药业集团股份有限公司" })
	if i < 0 {
		t.Fatal("亚宝 missing")
	}
	yabao := ds.Enterprises[i]
	if !slices.Contains(yabao.LeaderOf, "pharma") {
		t.Errorf("亚宝 leads %v, want pharma", yabao.LeaderOf)
	}
	j := slices.IndexFunc(ds.Counties, func(c chainscope.County) bool { return c.Code == yabao.County })
	if j < 0 {
		t.Fatalf("亚宝's county %s unknown", yabao.County)
	}
	zone := ds.Counties[j]
	if zone.Name != fenglingdu || zone.Kind != chainscope.KindZone || zone.Parent != "140830" {
		t.Errorf("亚宝 sits in %s %s (%s, parent %s), want %s (zone in 芮城县 140830)",
			zone.Code, zone.Name, zone.Kind, zone.Parent, fenglingdu)
	}
}

// TestStatusCoverage asserts that every county shows each kind of weak point:
// a broken missing segment, a missing one that is not broken, a weak one and an
// ok one, across its chains; and that some missing segments are supplied from
// outside the county.
func TestStatusCoverage(t *testing.T) {
	ds := load(t)
	external := 0
	for _, c := range ds.Counties {
		if c.Kind == chainscope.KindZone {
			continue
		}
		seen := map[string][]string{}
		for i := range ds.Chains {
			for seg, st := range segmentStatuses(ds, c.Code, &ds.Chains[i]) {
				kind := st.status
				if st.status == "missing" && st.broken {
					kind = "missing+broken"
				}
				seen[kind] = append(seen[kind], seg)
				if st.external {
					external++
				}
			}
		}
		for _, kind := range []string{"missing+broken", "missing", "weak", "ok"} {
			if len(seen[kind]) == 0 {
				t.Errorf("%s %s: no %s segment in any chain", c.Code, c.Name, kind)
			}
		}
	}
	if external < 5 {
		t.Errorf("%d missing segments supplied from outside their county, want ≥ 5", external)
	}
}

// segStatus is the SPEC §5 status of one segment in one scope.
type segStatus struct {
	status   string // "missing", "weak" or "ok"
	broken   bool   // missing, with a non-empty ancestor and a non-empty descendant
	external bool   // missing, and a node outside the area listing it supplies a node inside
}

// segmentStatuses is a deliberately small implementation of SPEC §5 segment
// status for the scope (area, chain), used only to check the dataset's
// coverage; the analysis package is the real one.
//
// Nodes are the enterprises and the non-cancelled projects located in the area
// (the county itself or a zone whose parent it is) that list a segment of the
// chain. L(s) is the nodes listing s. A segment is missing when L(s) is empty
// (broken when some ancestor and some descendant along the flows are not
// empty), weak when L(s) has one node or no operating node (an enterprise, or
// an operating project), and ok otherwise.
func segmentStatuses(ds *chainscope.Dataset, area string, ch *chainscope.Chain) map[string]segStatus {
	parent := map[string]string{}
	for _, c := range ds.Counties {
		parent[c.Code] = c.Parent
	}
	inArea := func(county string) bool { return county == area || parent[county] == area }

	type record struct {
		id, county string
		segments   []string
		operating  bool
	}
	var all []record // every record that can be a node somewhere
	for _, e := range ds.Enterprises {
		all = append(all, record{e.ID, e.County, e.Segments, true})
	}
	for _, p := range ds.Projects {
		if p.Status != chainscope.StatusCancelled {
			all = append(all, record{p.ID, p.County, p.Segments, p.Operating()})
		}
	}

	inChain := map[string]bool{}
	for _, s := range ch.Segments {
		inChain[s.ID] = true
	}
	nodes := map[string]bool{}
	L := map[string][]record{}
	for _, r := range all {
		if !inArea(r.county) || !slices.ContainsFunc(r.segments, func(s string) bool { return inChain[s] }) {
			continue
		}
		nodes[r.id] = true
		for _, s := range r.segments {
			L[s] = append(L[s], r)
		}
	}

	// reach returns the segments reachable from s along the flows, downstream
	// or (up) upstream.
	reach := func(s string, up bool) []string {
		var out []string
		seen := map[string]bool{s: true}
		for queue := []string{s}; len(queue) > 0; queue = queue[1:] {
			for _, f := range ch.Flows {
				from, to := f.From, f.To
				if up {
					from, to = to, from
				}
				if from == queue[0] && !seen[to] {
					seen[to] = true
					out = append(out, to)
					queue = append(queue, to)
				}
			}
		}
		return out
	}
	nonEmpty := func(s string) bool { return len(L[s]) > 0 }

	out := map[string]segStatus{}
	for _, seg := range ch.Segments {
		s := seg.ID
		nodesOf := L[s]
		switch {
		case len(nodesOf) == 0:
			st := segStatus{status: "missing"}
			st.broken = slices.ContainsFunc(reach(s, true), nonEmpty) && slices.ContainsFunc(reach(s, false), nonEmpty)
			outside := map[string]bool{}
			for _, r := range all {
				if !inArea(r.county) && slices.Contains(r.segments, s) {
					outside[r.id] = true
				}
			}
			st.external = slices.ContainsFunc(ds.Links, func(l chainscope.Link) bool { return outside[l.From] && nodes[l.To] })
			out[s] = st
		case len(nodesOf) == 1 || !slices.ContainsFunc(nodesOf, func(r record) bool { return r.operating }):
			out[s] = segStatus{status: "weak"}
		default:
			out[s] = segStatus{status: "ok"}
		}
	}
	return out
}

func TestSegmentStatusesHelper(t *testing.T) {
	// A three-segment chain a → b → c in county X, to keep the helper honest.
	flow := func(a, b string) chainscope.Flow { return chainscope.Flow{From: a, To: b} }
	ds := &chainscope.Dataset{
		Counties: []chainscope.County{{Code: "X", Kind: chainscope.KindCounty}, {Code: "Z", Kind: chainscope.KindZone, Parent: "X"}, {Code: "Y", Kind: chainscope.KindCounty}},
		Chains: []chainscope.Chain{{ID: "k",
			Segments: []chainscope.Segment{{ID: "k.a"}, {ID: "k.b"}, {ID: "k.c"}, {ID: "k.d"}},
			Flows:    []chainscope.Flow{flow("k.a", "k.b"), flow("k.b", "k.c"), flow("k.c", "k.d")}}},
		Enterprises: []chainscope.Enterprise{
			{ID: "E-1", County: "X", Segments: []string{"k.a"}},
			{ID: "E-2", County: "Z", Segments: []string{"k.a"}},
			{ID: "E-3", County: "Y", Segments: []string{"k.b"}},
		},
		Projects: []chainscope.Project{
			{ID: "P-1", County: "X", Segments: []string{"k.c"}, Status: chainscope.StatusSigned},
			{ID: "P-2", County: "X", Segments: []string{"k.c"}, Status: chainscope.StatusStarted},
			{ID: "P-3", County: "X", Segments: []string{"k.d"}, Status: chainscope.StatusCancelled},
		},
		Links: []chainscope.Link{{From: "E-3", To: "P-1"}},
	}
	got := segmentStatuses(ds, "X", &ds.Chains[0])
	want := map[string]segStatus{
		"k.a": {status: "ok"},
		"k.b": {status: "missing", broken: true, external: true},
		"k.c": {status: "weak"},
		"k.d": {status: "missing"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("segmentStatuses = %v, want %v", got, want)
	}
}

// date parses an optional YYYY-MM-DD date; "" is valid and the zero time.
func date(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	d, err := time.Parse(time.DateOnly, s)
	return d, err == nil
}
