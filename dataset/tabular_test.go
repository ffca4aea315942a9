package dataset

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"chainscope"
)

func fp(v float64) *float64 { return &v }

// hostile is text that must come back exactly from every format: formulas,
// quoting, markup, line breaks, emoji and right-to-left text.
var hostile = []string{
	`=HYPERLINK("http://evil","x")`,
	`-1+1`,
	`+1`,
	`@SUM(A1:A2)`,
	`'quoted`,
	`'=already guarded`,
	`''`,
	`'`,
	`a,b;"c"`,
	"line one\nline two",
	`<script>alert(1)</script>`,
	"电池🔋⚡",
	"שלום مرحبا",
	"\u202Eevil.exe",
	"_x0041_ stays",
	"\ttab first",
	"trailing space ",
}

// tabularDataset is a small valid-looking dataset that exercises every field
// of every entity, with hostile text in the free-text fields.
func tabularDataset() *chainscope.Dataset {
	h := func(i int) string { return hostile[i%len(hostile)] }
	ds := &chainscope.Dataset{
		Region: chainscope.Region{Code: "140800", Name: "运城市", Source: h(0), Note: h(1)},
		Counties: []chainscope.County{
			{Code: "140802", Name: "盐湖区", Kind: chainscope.KindDistrict},
			{Code: "140827", Name: "垣曲县", Kind: chainscope.KindCounty, Source: "运城日报 2024-05", Note: h(2)},
			{Code: "140830", Name: "芮城县", Kind: chainscope.KindCounty},
			{Code: "140882", Name: "河津市", Kind: chainscope.KindCity},
			{Code: "Z-FLD", Name: "风陵渡经济开发区", Kind: chainscope.KindZone, Parent: "140830"},
		},
		Chains: []chainscope.Chain{
			{
				ID: "battery", Name: "新能源电池", Source: h(3), Note: h(4),
				Segments: []chainscope.Segment{
					{ID: "battery.coke", Name: "锻后焦", Stage: chainscope.StageUpstream},
					{ID: "battery.anode", Name: "负极材料", Stage: chainscope.StageMidstream, Note: h(5)},
					{ID: "battery.cell", Name: "电芯", Stage: chainscope.StageDownstream},
					{ID: "@battery.equip", Name: h(6), Stage: chainscope.StageSupport, Source: h(7)},
				},
				Flows: []chainscope.Flow{{From: "battery.coke", To: "battery.anode"}, {From: "battery.anode", To: "battery.cell"}},
			},
			{
				ID: "steel", Name: "钢铁", Segments: []chainscope.Segment{
					{ID: "steel.alloy", Name: "硅锰合金", Stage: chainscope.StageUpstream},
					{ID: "steel.coil", Name: "热轧卷板", Stage: chainscope.StageMidstream},
				},
				Flows: []chainscope.Flow{{From: "steel.alloy", To: "steel.coil"}},
			},
			{ID: "empty", Name: "空链", Segments: []chainscope.Segment{}, Flows: []chainscope.Flow{}},
		},
		Enterprises: []chainscope.Enterprise{
			{ID: "E-zhenghong", Name: "山西正弘新能源材料有限公司", USCC: "91140800MA0KABCD12", County: "140827",
				Segments: []string{"battery.coke"}, LeaderOf: []string{}, OutputWan: fp(12345.67)},
			{ID: "-E-anode", Name: h(8), County: "140827", Segments: []string{"battery.anode", "@battery.equip"},
				LeaderOf: []string{"battery"}, OutputWan: fp(0.30000000000000004), Source: h(9), Note: h(10)},
			{ID: "E-jianlong", Name: "山西建龙实业有限公司", County: "140800", Segments: []string{"steel.coil", "steel.alloy", "battery.cell"},
				LeaderOf: []string{"steel", "battery"}, OutputWan: fp(0)},
			{ID: "E-none", Name: "无环节企业", County: "140882", Segments: []string{}, LeaderOf: []string{}, Note: h(11)},
			{ID: "=E-evil", Name: h(12), County: "Z-FLD", Segments: []string{}, LeaderOf: []string{}, OutputWan: fp(1e21), Source: h(13)},
		},
		Projects: []chainscope.Project{
			{ID: "P-2024-017", Name: "年产7万吨锂电池材料(锻后焦)项目", Investor: "E-zhenghong", County: "140827",
				Segments: []string{"battery.coke"}, InvestmentWan: fp(10000), Signed: "2024-03-15", Started: "2024-04-01",
				Status: chainscope.StatusStarted, Emerging: true},
			{ID: "+P2", Name: h(14), County: "140882", Segments: []string{}, Signed: "2024-01-02",
				Status: chainscope.StatusSigned, Source: h(15), Note: h(16)},
			{ID: "P3", Name: "年产30万吨合金生产线", Investor: "E-jianlong", County: "140800",
				Segments: []string{"steel.alloy", "steel.coil"}, InvestmentWan: fp(120000.5), Signed: "2024-02-29",
				Status: chainscope.StatusOperating, Emerging: false},
			{ID: "P4", Name: "停滞项目", County: "140802", Segments: []string{"battery.cell"}, InvestmentWan: fp(0.1),
				Status: chainscope.StatusStalled, Emerging: true},
			{ID: "P5", Name: "取消项目", County: "140802", Segments: []string{"battery.cell"}, InvestmentWan: fp(59000),
				Signed: "2023-12-31", Status: chainscope.StatusCancelled},
		},
	}
	for i, p := range hostile {
		ds.Links = append(ds.Links, chainscope.Link{From: "E-zhenghong", To: fmt.Sprintf("L%d", i), Product: p,
			Source: hostile[(i+3)%len(hostile)], Note: hostile[(i+7)%len(hostile)]})
	}
	ds.Links = append(ds.Links,
		chainscope.Link{From: "=E-evil", To: "+P2"},
		chainscope.Link{From: "-E-anode", To: "P-2024-017", Product: "负极材料"},
	)
	return ds
}

// genDataset builds a dataset of the given size for benchmarks and the
// large-file tests.
func genDataset(enterprises, projects, links int) *chainscope.Dataset {
	ds := &chainscope.Dataset{Region: chainscope.Region{Code: "140800", Name: "运城市"}}
	for i := range 13 {
		ds.Counties = append(ds.Counties, chainscope.County{Code: fmt.Sprintf("1408%02d", i+20), Name: fmt.Sprintf("县%d", i), Kind: chainscope.KindCounty})
	}
	var segs []string
	for c := range 10 {
		ch := chainscope.Chain{ID: fmt.Sprintf("chain%d", c), Name: fmt.Sprintf("产业链%d", c)}
		for s := range 8 {
			id := fmt.Sprintf("chain%d.s%d", c, s)
			segs = append(segs, id)
			ch.Segments = append(ch.Segments, chainscope.Segment{ID: id, Name: fmt.Sprintf("环节%d", s), Stage: chainscope.Stages[s%4]})
			if s > 0 {
				ch.Flows = append(ch.Flows, chainscope.Flow{From: fmt.Sprintf("chain%d.s%d", c, s-1), To: id})
			}
		}
		ds.Chains = append(ds.Chains, ch)
	}
	for i := range enterprises {
		e := chainscope.Enterprise{ID: fmt.Sprintf("E%06d", i), Name: fmt.Sprintf("山西测试企业%d有限公司", i),
			County: ds.Counties[i%13].Code, Segments: []string{segs[i%len(segs)], segs[(i*7)%len(segs)]}, LeaderOf: []string{}}
		if i%3 == 0 {
			e.OutputWan = fp(float64(i) * 1.25)
		}
		ds.Enterprises = append(ds.Enterprises, e)
	}
	for i := range projects {
		ds.Projects = append(ds.Projects, chainscope.Project{ID: fmt.Sprintf("P%06d", i), Name: fmt.Sprintf("年产%d万吨项目", i),
			Investor: fmt.Sprintf("E%06d", i%max(enterprises, 1)), County: ds.Counties[i%13].Code, Segments: []string{segs[i%len(segs)]},
			InvestmentWan: fp(float64(i%500) * 100), Signed: fmt.Sprintf("2024-%02d-%02d", i%12+1, i%28+1),
			Status: chainscope.Statuses[i%5], Emerging: i%2 == 0})
	}
	for i := range links {
		ds.Links = append(ds.Links, chainscope.Link{From: fmt.Sprintf("E%06d", i%max(enterprises, 1)),
			To: fmt.Sprintf("E%06d", (i*31+1)%max(enterprises, 1)), Product: "产品"})
	}
	return ds
}

// withoutOrigins returns a copy of r with every At and the warnings cleared
// and empty top-level lists made nil, for comparing records by value.
func withoutOrigins(r *Records) *Records {
	c := *r
	c.RegionAt = chainscope.Origin{}
	c.Warnings = nil
	c.Counties = zeroAt(c.Counties, func(x *chainscope.County) { x.At = chainscope.Origin{} })
	c.Chains = zeroAt(c.Chains, func(x *chainscope.Chain) { x.At = chainscope.Origin{} })
	c.Segments = zeroAt(c.Segments, func(x *SegmentRecord) { x.At = chainscope.Origin{} })
	c.Flows = zeroAt(c.Flows, func(x *chainscope.Flow) { x.At = chainscope.Origin{} })
	c.Enterprises = zeroAt(c.Enterprises, func(x *chainscope.Enterprise) { x.At = chainscope.Origin{} })
	c.Projects = zeroAt(c.Projects, func(x *chainscope.Project) { x.At = chainscope.Origin{} })
	c.Links = zeroAt(c.Links, func(x *chainscope.Link) { x.At = chainscope.Origin{} })
	return &c
}

func zeroAt[T any](xs []T, clear func(*T)) []T {
	if len(xs) == 0 {
		return nil
	}
	out := append([]T(nil), xs...)
	for i := range out {
		clear(&out[i])
	}
	return out
}

// sameRecords fails t unless got holds the records of want, in order,
// ignoring where they came from.
func sameRecords(t *testing.T, got *Records, want *chainscope.Dataset) {
	t.Helper()
	g, w := withoutOrigins(got), withoutOrigins(Flatten(want))
	if reflect.DeepEqual(g, w) {
		return
	}
	diff := func(name string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differ:\n got  %#v\n want %#v", name, a, b)
		}
	}
	diff("region", g.Region, w.Region)
	diff("counties", g.Counties, w.Counties)
	diff("chains", g.Chains, w.Chains)
	diff("segments", g.Segments, w.Segments)
	diff("flows", g.Flows, w.Flows)
	for i := range min(len(g.Enterprises), len(w.Enterprises)) {
		diff(fmt.Sprintf("enterprise %d", i), g.Enterprises[i], w.Enterprises[i])
	}
	for i := range min(len(g.Projects), len(w.Projects)) {
		diff(fmt.Sprintf("project %d", i), g.Projects[i], w.Projects[i])
	}
	for i := range min(len(g.Links), len(w.Links)) {
		diff(fmt.Sprintf("link %d", i), g.Links[i], w.Links[i])
	}
	diff("enterprise count", len(g.Enterprises), len(w.Enterprises))
	diff("project count", len(g.Projects), len(w.Projects))
	diff("link count", len(g.Links), len(w.Links))
}

// checkOrigins fails t unless every record names its sheet and a data row.
func checkOrigins(t *testing.T, r *Records) {
	t.Helper()
	check := func(what string, i int, at chainscope.Origin) {
		if at.Sheet == nil || at.Sheet.File == "" || at.Sheet.Name == "" || at.Row < 2 {
			t.Errorf("%s %d: bad origin %+v", what, i, at)
		}
	}
	for i, x := range r.Counties {
		check("county", i, x.At)
	}
	for i, x := range r.Segments {
		check("segment", i, x.At)
	}
	for i, x := range r.Enterprises {
		check("enterprise", i, x.At)
	}
	for i, x := range r.Projects {
		check("project", i, x.At)
	}
	for i, x := range r.Links {
		check("link", i, x.At)
		if i > 0 && x.At.Sheet != r.Links[i-1].At.Sheet && x.At.Sheet.File == r.Links[i-1].At.Sheet.File {
			t.Errorf("link %d: rows of one file must share one Sheet", i)
		}
	}
}

func TestSpecHeadersCoverSPEC(t *testing.T) {
	// The Chinese headers of SPEC §3, in field order; the writers add 来源 and 备注.
	want := map[entity]string{
		entCounties:    "代码,名称,类型,所属县区",
		entChains:      "产业链编号,产业链名称",
		entSegments:    "环节编号,产业链编号,环节名称,位置",
		entFlows:       "上游环节,下游环节",
		entEnterprises: "企业编号,企业名称,统一社会信用代码,所在县区,所属环节,链主产业链,年产值(万元)",
		entProjects:    "项目编号,项目名称,投资主体,所在县区,所属环节,总投资(万元),签约日期,开工日期,项目状态,战略性新兴产业",
		entLinks:       "上游,下游,产品",
		entRegion:      "代码,名称",
	}
	for e, w := range want {
		got := strings.Join(sheetHeaders(&chainscope.Dataset{}, e), ",")
		if e != entFlows {
			w += ",来源,备注"
		}
		if got != w {
			t.Errorf("%s headers = %s, want %s", specs[e].name, got, w)
		}
	}
	names := map[string]entity{"县区": entCounties, "产业链": entChains, "环节": entSegments, "环节关系": entFlows,
		"企业": entEnterprises, "项目": entProjects, "供需关系": entLinks, "地区": entRegion, "Links": entLinks, " enterprises ": entEnterprises}
	for n, e := range names {
		if got, ok := entityByName(n); !ok || got != e {
			t.Errorf("entityByName(%q) = %v, %v; want %v", n, got, ok, e)
		}
	}
}

func TestSplitList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"  ", []string{}},
		{"a", []string{"a"}},
		{"a;b", []string{"a", "b"}},
		{"a；b", []string{"a", "b"}},
		{"a,b", []string{"a", "b"}},
		{"a，b", []string{"a", "b"}},
		{"a、b", []string{"a", "b"}},
		{" a ; ;b、 c ，,", []string{"a", "b", "c"}},
		{";；,，、", []string{}},
		{"电池.负极、 钢铁.卷板", []string{"电池.负极", "钢铁.卷板"}},
	}
	for _, tc := range tests {
		got := splitList(tc.in)
		if got == nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitList(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

func TestParseBool(t *testing.T) {
	tests := []struct {
		in       string
		want, ok bool
	}{
		{"", false, true}, {"true", true, true}, {"FALSE", false, true}, {"True", true, true}, {"1", true, true}, {"0", false, true},
		{"是", true, true}, {"否", false, true}, {"Y", true, true}, {"n", false, true}, {"N", false, true}, {"Yes", true, true},
		{"no", false, true}, {"NO", false, true}, {" 是 ", true, true}, {"T", true, true}, {"f", false, true},
		{"√", true, true}, {"×", false, true}, {"非", false, true},
		{"maybe", false, false}, {"2", false, false}, {"对", false, false}, {"-1", false, false}, {"是的", false, false},
	}
	for _, tc := range tests {
		got, ok := ParseBool(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseBool(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in    string
		scale float64
		want  *float64
		ok    bool
	}{
		{"", 1, nil, true},
		{"  ", 1, nil, true},
		{"—", 1, nil, true},
		{"15000", 1, fp(15000), true},
		{"1,234,567.5", 1, fp(1234567.5), true},
		{" 12 345 ", 1, fp(12345), true},
		{"１２３．５", 1, fp(123.5), true},
		{"1.5", wanPerYi, fp(15000), true},
		{"0.07", wanPerYi, fp(700), true},
		{"7.0000000000000007E-2", wanPerYi, fp(700), true},
		{"1481.37", wanPerYi, fp(14813700), true},
		{"1e+21", wanPerYi, fp(1e25), true},
		{"0.30000000000000004", 1, fp(0.30000000000000004), true},
		{"-5", 1, fp(-5), true}, // negative amounts are Build's to report
		{"abc", 1, nil, false},
		{"12万", 1, nil, false},
		{"NaN", 1, nil, false},
		{"Inf", 1, nil, false},
		{"0x10", 1, nil, false},
		{"1e999", 1, nil, false},
		{",", 1, nil, false},
	}
	for _, tc := range tests {
		got, ok := parseAmount(tc.in, tc.scale)
		if ok != tc.ok || (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
			g := "nil"
			if got != nil {
				g = fmt.Sprint(*got)
			}
			t.Errorf("parseAmount(%q, %v) = %s, %v; want %v, %v", tc.in, tc.scale, g, ok, tc.want, tc.ok)
		}
	}
}

func TestNormDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"2024-03-15", "2024-03-15"},
		{"2024/3/15", "2024-03-15"},
		{"2024.3.5", "2024-03-05"},
		{"2024年3月15日", "2024-03-15"},
		{"2024年03月15", "2024-03-15"},
		{" 2024-3-15 ", "2024-03-15"},
		{"2024/3/15 0:00", "2024-03-15"},
		{"2024-03-15T00:00:00Z", "2024-03-15"},
		{"20240315", "2024-03-15"},
		{"2024-02-29", "2024-02-29"},
		{"2023-02-29", "2023-02-29"}, // not a date: left for Build
		{"2024-13-01", "2024-13-01"},
		{"2024/3-15", "2024/3-15"},
		{"15/3/2024", "15/3/2024"},
		{"三月", "三月"},
		{"45366", "45366"}, // a serial only counts in a workbook
	}
	for _, tc := range tests {
		if got := normDate(tc.in); got != tc.want {
			t.Errorf("normDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	serials := []struct {
		in   string
		want string
		ok   bool
	}{
		{"45366", "2024-03-15", true},
		{"45366.75", "2024-03-15", true},
		{"2024", "", false}, // a year, not a date
		{"-1", "", false},
		{"abc", "", false},
	}
	for _, tc := range serials {
		if got, ok := serialDate(tc.in, false); got != tc.want || ok != tc.ok {
			t.Errorf("serialDate(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestWords(t *testing.T) {
	stages := map[string]chainscope.Stage{"上游": "upstream", "中游": "midstream", "下游": "downstream", "配套": "support",
		"Upstream": "upstream", " support ": "support", "旁游": "旁游"}
	for in, want := range stages {
		if got := parseStage(in); got != want {
			t.Errorf("parseStage(%q) = %q, want %q", in, got, want)
		}
	}
	statuses := map[string]chainscope.Status{"签约": "signed", "开工": "started", "在建": "started", "投产": "operating",
		"运营": "operating", "停滞": "stalled", "终止": "cancelled", "取消": "cancelled", "Operating": "operating", "筹备": "筹备"}
	for in, want := range statuses {
		if got := parseStatus(in); got != want {
			t.Errorf("parseStatus(%q) = %q, want %q", in, got, want)
		}
	}
	kinds := map[string]chainscope.Kind{"区": "district", "县": "county", "县级市": "city", "市": "city", "开发区": "zone",
		"园区": "zone", "ZONE": "zone", "乡": "乡"}
	for in, want := range kinds {
		if got := parseKind(in); got != want {
			t.Errorf("parseKind(%q) = %q, want %q", in, got, want)
		}
	}
	// What the writers put must read back as the same constant.
	for _, s := range chainscope.Stages {
		if parseStage(stageText(s)) != s {
			t.Errorf("stage %s does not survive %s", s, stageText(s))
		}
	}
	for _, s := range chainscope.Statuses {
		if parseStatus(statusText(s)) != s {
			t.Errorf("status %s does not survive %s", s, statusText(s))
		}
	}
	for _, k := range chainscope.Kinds {
		if parseKind(kindText(k)) != k {
			t.Errorf("kind %s does not survive %s", k, kindText(k))
		}
	}
}

func TestFormulaGuard(t *testing.T) {
	tb := &table{csvQuotes: true}
	for _, s := range append(hostile, "", "=", "'", "''", "'''", "'a", "'=", "x'=", "-", "'-1") {
		w := csvText(s)
		if w != "" {
			if c := w[0]; c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' {
				t.Errorf("csvText(%q) = %q starts a formula", s, w)
			}
		}
		if got := tb.unquote(w); got != s {
			t.Errorf("unquote(csvText(%q)) = %q", s, got)
		}
	}
}

func TestHeaderSpellings(t *testing.T) {
	tests := []struct {
		header string
		field  string
		scale  float64
	}{
		{"总投资(万元)", "investment_wan", 1},
		{"总投资（万元）", "investment_wan", 1},
		{" 总投资 ( 亿元 ) ", "investment_wan", wanPerYi},
		{"investment_wan", "investment_wan", 1},
		{"Investment_Yi", "investment_wan", wanPerYi},
		{"INVESTMENT YI", "investment_wan", wanPerYi},
		{"年产值（亿元）", "output_wan", wanPerYi},
		{"output_wan", "output_wan", 1},
		{"来源", "source", 1},
		{"Note", "note", 1},
	}
	for _, tc := range tests {
		var found *column
		for _, e := range []entity{entProjects, entEnterprises} {
			if i, ok := specs[e].byHeader[normHeader(tc.header)]; ok {
				found = &specs[e].cols[i]
				break
			}
		}
		if found == nil || found.field != tc.field || found.scale != tc.scale {
			t.Errorf("header %q → %+v, want field %s scale %v", tc.header, found, tc.field, tc.scale)
		}
	}
}
