package dataset_test

import (
	"os"
	"strings"
	"testing"

	"chainscope"
	"chainscope/dataset"
)

// smallWith reads testdata/small.json after each edit (old → new, once
// each), as from "small.json".
func smallWith(t *testing.T, edits ...string) *dataset.Records {
	t.Helper()
	raw, err := os.ReadFile("testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(text, edits[i]) {
			t.Fatalf("fixture lacks %q", edits[i])
		}
		text = strings.Replace(text, edits[i], edits[i+1], 1)
	}
	recs, probs := dataset.ReadJSON(strings.NewReader(text), "small.json")
	if len(probs) > 0 {
		t.Fatalf("read: %v", probs)
	}
	return recs
}

// findProblem returns the problem at sheet, row and column whose message
// contains msg.
func findProblem(probs []chainscope.Problem, sheet string, row int, column, msg string) (chainscope.Problem, bool) {
	for _, p := range probs {
		if p.Sheet == sheet && p.Row == row && p.Column == column && strings.Contains(p.Message, msg) {
			return p, true
		}
	}
	return chainscope.Problem{}, false
}

// TestBuildRules: the rules of SPEC §4 that had no test of their own, each
// with the problem a user sees: sheet, row, column, value as typed, and a
// message that starts with the record's key.
func TestBuildRules(t *testing.T) {
	const zoneLine = `{"code": "Z-fld", "name": "风陵渡经济开发区", "kind": "zone", "parent": "140830", "note": "开发区"}`
	cases := []struct {
		name   string
		edits  []string
		sheet  string
		row    int
		column string
		value  string
		msg    string
	}{
		{"missing region", []string{`"region": {"code": "140800", "name": "运城市", "source": "test"},`, ``},
			"region", 0, "code", "", "missing region"},
		{"county coded as the region", []string{`{"code": "140830", "name": "芮城县"`, `{"code": "140800", "name": "芮城县"`},
			"counties", 5, "code", "140800", "140800: 县区代码与地区代码相同"},
		{"zone without parent", []string{`"parent": "140830", `, ``},
			"counties", 6, "parent", "", "Z-fld: 开发区必须填写所属县区 (parent) a zone needs its parent county"},
		{"zone under the region", []string{`"parent": "140830"`, `"parent": "140800"`},
			"counties", 6, "parent", "140800", "Z-fld: 未知的所属县区 (parent) unknown county"},
		{"zone under a zone", []string{zoneLine, zoneLine + `,
    {"code": "Z-in", "name": "园中园", "kind": "zone", "parent": "Z-fld"}`},
			"counties", 7, "parent", "Z-fld", "Z-in: 所属县区不能是开发区 (parent) a zone's parent must not be a zone"},
		{"county with a parent", []string{`{"code": "140827", "name": "垣曲县", "kind": "county"}`, `{"code": "140827", "name": "垣曲县", "kind": "county", "parent": "140830"}`},
			"counties", 4, "parent", "140830", "140827: 只有开发区才有所属县区"},
		{"county developing an unknown chain", []string{`{"code": "140827", "name": "垣曲县", "kind": "county"}`, `{"code": "140827", "name": "垣曲县", "kind": "county", "chains": ["battery", "steel"]}`},
			"counties", 4, "chains", "steel", "140827: 未知的产业链 (chains) unknown chain"},
		{"self-flow", []string{`["battery.anode", "battery.cell"]]`, `["battery.anode", "battery.cell"], ["battery.cell", "battery.cell"]]`},
			"flows", 16, "to", "battery.cell", "battery.cell → battery.cell: 环节关系不能指向自身 self-flow"},
		{"duplicate flow", []string{`["battery.anode", "battery.cell"]]`, `["battery.anode", "battery.cell"], ["battery.coke", "battery.anode"]]`},
			"flows", 16, "to", "battery.anode", "battery.coke → battery.anode: 环节关系重复 duplicate flow"},
		{"flow between chains names both segments and chains", []string{`["battery.anode", "battery.cell"]]`, `["battery.anode", "pharma.api"]]`},
			"flows", 16, "to", "pharma.api",
			"battery.anode → pharma.api: 环节关系跨越两条产业链：上游环节 battery.anode 属于 battery，下游环节 pharma.api 属于 pharma flow between two chains: battery.anode (chain battery) → pharma.api (chain pharma)"},
		{"ambiguous county name", []string{
			`{"code": "140830", "name": "芮城县", "kind": "county"}`, `{"code": "140830", "name": "芮城县", "kind": "county"}, {"code": "140831", "name": "垣曲县", "kind": "county"}`,
			`"county": "140827", "segments": ["battery.anode", "battery.equip"]`, `"county": "垣曲县", "segments": ["battery.anode", "battery.equip"]`},
			"enterprises", 21, "county", "垣曲县", "E-anode: 县区名称 垣曲县 不唯一，请填写代码：140827、140831 ambiguous county name, use the code: 140827, 140831"},
		{"ambiguous segment name", []string{
			`{"id": "pharma.api", "name": "原料药"`, `{"id": "pharma.api", "name": "锻后焦"`,
			`"segments": ["battery.anode", "battery.equip"]`, `"segments": ["锻后焦", "battery.equip"]`},
			"enterprises", 21, "segments", "锻后焦",
			"E-anode: 环节名称 锻后焦 不唯一，请填写环节编号：battery.coke（产业链 battery）、pharma.api（产业链 pharma） ambiguous segment name, use the id: battery.coke (chain battery), pharma.api (chain pharma)"},
		{"ambiguous enterprise name", []string{
			`"name": "亚宝药业集团股份有限公司"`, `"name": "垣曲负极材料公司"`,
			`{"from": "P-2024-017", "to": "E-anode"}`, `{"from": "P-2024-017", "to": "垣曲负极材料公司"}`},
			"links", 30, "to", "垣曲负极材料公司", "P-2024-017 → 垣曲负极材料公司: 企业名称不唯一，请用企业编号或统一社会信用代码 (to) ambiguous enterprise name: E-anode, E-yabao"},
		{"unknown county by name", []string{`"county": "140827", "segments": ["battery.anode"`, `"county": "垣曲", "segments": ["battery.anode"`},
			"enterprises", 21, "county", "垣曲", "E-anode: 未知的县区 (county) unknown county"},
		{"duplicate enterprise id", []string{`"id": "E-yabao"`, `"id": "E-anode"`},
			"enterprises", 22, "id", "E-anode", "E-anode: 企业编号重复 duplicate enterprise id"},
		{"duplicate USCC names both ids", []string{`"id": "E-anode", "name": "垣曲负极材料公司",`, `"id": "E-anode", "name": "垣曲负极材料公司", "uscc": "91140827MA0GRXH472",`},
			"enterprises", 21, "uscc", "91140827MA0GRXH472", "E-anode: 统一社会信用代码与 E-zhenghong 相同：同一企业只能有一个编号 duplicate USCC (also E-zhenghong)"},
		{"a link's empty end", []string{`{"from": "P-2024-017", "to": "E-anode"}`, `{"from": "P-2024-017", "to": ""}`},
			"links", 30, "to", "", "P-2024-017 → : 下游 (to) 不能为空 customer is required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ds, probs := dataset.Build(smallWith(t, tc.edits...))
			if ds != nil {
				t.Fatal("accepted")
			}
			p, ok := findProblem(probs, tc.sheet, tc.row, tc.column, tc.msg)
			if !ok {
				t.Fatalf("no problem at %s row %d column %s says %q:\n%v", tc.sheet, tc.row, tc.column, tc.msg, probs)
			}
			if p.Value != tc.value {
				t.Errorf("value %q, want %q", p.Value, tc.value)
			}
			if tc.sheet != "region" && p.File != "small.json" {
				t.Errorf("file %q", p.File)
			}
		})
	}
}

// TestBuildResolvesNames: a county or segment named by its exact name where
// the name is unique is stored as its code or id (SPEC §3).
func TestBuildResolvesNames(t *testing.T) {
	recs := smallWith(t,
		`"county": "140827", "segments": ["battery.anode", "battery.equip"]`, `"county": "垣曲县", "segments": ["负极材料", "专用设备"]`,
		`"parent": "140830"`, `"parent": "芮城县"`,
		`"county": "140800", "segments": []`, `"county": "运城市", "segments": ["原料药"]`,
		`["battery.anode", "battery.cell"]]`, `["负极材料", "电芯"]]`)
	ds, probs := dataset.Build(recs)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	e := ds.Enterprises[1]
	if e.County != "140827" || strings.Join(e.Segments, ",") != "battery.anode,battery.equip" {
		t.Errorf("enterprise stored as %s %v", e.County, e.Segments)
	}
	if z := ds.Counties[2]; z.Parent != "140830" {
		t.Errorf("zone parent stored as %q", z.Parent)
	}
	if p := ds.Projects[1]; p.County != "140800" || strings.Join(p.Segments, ",") != "pharma.api" {
		t.Errorf("project stored as %s %v", p.County, p.Segments)
	}
	if f := ds.Chains[0].Flows[1]; f.From != "battery.anode" || f.To != "battery.cell" {
		t.Errorf("flow stored as %s → %s", f.From, f.To)
	}
	// The records read are not changed: a list may be shared with stored data.
	if got := recs.Enterprises[1].Segments[0]; got != "负极材料" {
		t.Errorf("the record read was changed: %q", got)
	}
}

// TestBuildReportsEveryProblem: one record with several problems has them
// all reported, whatever comes first, and so has every other record.
func TestBuildReportsEveryProblem(t *testing.T) {
	recs := smallWith(t,
		// a duplicate id, a bad USCC, an unknown county and segment, a negative output
		`{"id": "E-yabao", "name": "亚宝药业集团股份有限公司", "county": "Z-fld", "segments": ["pharma.api"], "leader_of": ["pharma"]}`,
		`{"id": "E-anode", "name": "亚宝药业集团股份有限公司", "uscc": "91140827MA0GRXH473", "county": "140899", "segments": ["pharma.nope"], "leader_of": ["pharm"], "output_wan": -1}`,
		// a county without code and with an unknown kind
		`{"code": "140830", "name": "芮城县", "kind": "county"}`, `{"code": "", "name": "芮城县", "kind": "prefecture"}, {"code": "140830", "name": "芮城县", "kind": "county"}`,
		// a self-link
		`{"from": "P-2024-017", "to": "E-anode"}`, `{"from": "E-anode", "to": "E-anode"}`,
		// a malformed date and an unknown status
		`"signed": "2024-01-02", "status": "signed"`, `"signed": "2024-02-30", "status": "planned"`)
	_, probs := dataset.Build(recs)
	want := []struct {
		sheet  string
		row    int
		column string
		msg    string
	}{
		{"counties", 5, "code", "芮城县: 县区代码 (code) 不能为空"},
		{"counties", 5, "kind", "未知的县区类型"},
		{"enterprises", 22, "id", "E-anode: 企业编号重复"},
		{"enterprises", 22, "uscc", "E-anode: 统一社会信用代码 (uscc) 无效"},
		{"enterprises", 22, "county", "E-anode: 未知的县区"},
		{"enterprises", 22, "segments", "E-anode: 未知的环节"},
		{"enterprises", 22, "leader_of", "E-anode: 未知的产业链"},
		{"enterprises", 22, "output_wan", "E-anode: 金额"},
		{"projects", 26, "signed", "P-2024-018: 日期格式错误"},
		{"projects", 26, "status", "P-2024-018: 未知的项目状态"},
		{"links", 30, "to", "E-anode → E-anode: 供需关系不能指向自身"},
	}
	for _, w := range want {
		if _, ok := findProblem(probs, w.sheet, w.row, w.column, w.msg); !ok {
			t.Errorf("no problem at %s row %d column %s says %q", w.sheet, w.row, w.column, w.msg)
		}
	}
	if t.Failed() {
		t.Log(probs)
	}
}

// TestBuildSameEnterpriseTwice: an enterprise under a second id — the same
// exact name and county as another record of the input or of the stored
// data — is a warning naming both ids, and an error when strict. The same
// USCC under two ids is an error in every mode.
func TestBuildSameEnterpriseTwice(t *testing.T) {
	stored, probs := dataset.Build(smallWith(t))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	const msg = "E-001: 企业名称和所在县区与 E-zhenghong 相同，可能是同一企业的两个编号 same name and county as E-zhenghong: one enterprise under two ids?"
	incoming := func(uscc string) *dataset.Records {
		return &dataset.Records{Enterprises: []chainscope.Enterprise{{ID: "E-001", Name: "山西正弘新能源材料有限公司",
			USCC: uscc, County: "垣曲县", Segments: []string{"锻后焦"},
			At: chainscope.Origin{Sheet: &chainscope.Sheet{File: "台账.xlsx", Name: "企业"}, Row: 2}}}}
	}
	t.Run("merged into stored data", func(t *testing.T) {
		in := incoming("")
		ds, probs := dataset.Apply(stored, in, dataset.ModeMerge)
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		if len(ds.Enterprises) != 4 {
			t.Fatalf("%d enterprises", len(ds.Enterprises))
		}
		if len(in.Warnings) != 1 || in.Warnings[0].Message != msg || in.Warnings[0].Column != "name" ||
			in.Warnings[0].Sheet != "企业" || in.Warnings[0].Row != 2 {
			t.Fatalf("warnings %v", in.Warnings)
		}
	})
	t.Run("merged, strict", func(t *testing.T) {
		in := incoming("")
		in.Strict = true
		ds, probs := dataset.Apply(stored, in, dataset.ModeMerge)
		if ds != nil || len(probs) != 1 || probs[0].Message != msg {
			t.Fatalf("problems %v", probs)
		}
	})
	t.Run("same USCC", func(t *testing.T) {
		ds, probs := dataset.Apply(stored, incoming("91140827MA0GRXH472"), dataset.ModeMerge)
		if ds != nil {
			t.Fatal("accepted")
		}
		if _, ok := findProblem(probs, "企业", 2, "uscc", "E-001: 统一社会信用代码与 E-zhenghong 相同"); !ok {
			t.Fatalf("problems %v", probs)
		}
	})
	t.Run("within one input", func(t *testing.T) {
		recs := smallWith(t, `{"id": "E-anode", "name": "垣曲负极材料公司", "county": "140827"`,
			`{"id": "E-anode", "name": "山西正弘新能源材料有限公司", "county": "140827"`)
		if _, probs := dataset.Build(recs); len(probs) > 0 {
			t.Fatal(probs)
		}
		if len(recs.Warnings) != 1 || !strings.HasPrefix(recs.Warnings[0].Message, "E-anode: 企业名称和所在县区与 E-zhenghong 相同") {
			t.Fatalf("warnings %v", recs.Warnings)
		}
	})
	t.Run("stored twice already", func(t *testing.T) {
		// Two stored records were reported when they came in.
		twice := dataset.Flatten(stripOrigins(stored)) // as the store loads it
		twice.Enterprises[1].Name = twice.Enterprises[0].Name
		ds, _ := dataset.Build(twice)
		if ds == nil {
			t.Fatal("refused")
		}
		if len(twice.Warnings) != 0 {
			t.Fatalf("warnings %v", twice.Warnings)
		}
	})
}

// TestMergeRefusesDuplicatesOfTheInput: two records with one key in the
// input are an error in merge mode too (SPEC §4), reported at the later
// one, for every kind of record.
func TestMergeRefusesDuplicatesOfTheInput(t *testing.T) {
	stored, probs := dataset.Build(smallWith(t))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	at := func(row int) chainscope.Origin {
		return chainscope.Origin{Sheet: &chainscope.Sheet{File: "in.json"}, Row: row}
	}
	e := func(row int, name string) chainscope.Enterprise {
		return chainscope.Enterprise{ID: "E-002", Name: name, County: "140827", Segments: []string{}, At: at(row)}
	}
	cases := []struct {
		name  string
		in    dataset.Records
		field string
		msg   string
	}{
		{"enterprises, new key", dataset.Records{Enterprises: []chainscope.Enterprise{e(3, "甲"), e(4, "乙")}}, "id", "E-002: 企业编号重复"},
		{"enterprises, stored key", dataset.Records{Enterprises: []chainscope.Enterprise{
			{ID: "E-anode", Name: "甲", County: "140827", At: at(3)}, {ID: "E-anode", Name: "乙", County: "140827", At: at(4)}}},
			"id", "E-anode: 企业编号重复"},
		{"projects", dataset.Records{Projects: []chainscope.Project{
			{ID: "P-2024-017", Name: "甲", County: "140827", Status: "signed", At: at(3)},
			{ID: "P-2024-017", Name: "乙", County: "140827", Status: "signed", At: at(4)}}}, "id", "P-2024-017: 项目编号重复"},
		{"links", dataset.Records{Links: []chainscope.Link{
			{From: "E-anode", To: "E-yabao", At: at(3)}, {From: "E-anode", To: "E-yabao", Product: "x", At: at(4)}}}, "to", "E-anode → E-yabao: 供需关系重复"},
		{"counties", dataset.Records{Counties: []chainscope.County{
			{Code: "140829", Name: "平陆县", Kind: "county", At: at(3)}, {Code: "140829", Name: "平陆", Kind: "county", At: at(4)}}}, "code", "140829: 县区代码重复"},
		{"chains", dataset.Records{Chains: []chainscope.Chain{{ID: "pharma", Name: "医药", At: at(3)}, {ID: "pharma", Name: "药", At: at(4)}}},
			"id", "pharma: 产业链编号重复"},
		{"segments", dataset.Records{Segments: []dataset.SegmentRecord{
			{Chain: "pharma", Segment: chainscope.Segment{ID: "pharma.prep", Name: "制剂", Stage: "midstream", At: at(3)}},
			{Chain: "pharma", Segment: chainscope.Segment{ID: "pharma.prep", Name: "制剂2", Stage: "midstream", At: at(4)}}}},
			"id", "pharma.prep: 环节编号重复"},
		{"flows", dataset.Records{Flows: []chainscope.Flow{
			{From: "battery.cell", To: "battery.equip", At: at(3)}, {From: "battery.cell", To: "battery.equip", At: at(4)}}},
			"to", "battery.cell → battery.equip: 环节关系重复"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			ds, probs := dataset.Apply(stored, &in, dataset.ModeMerge)
			if ds != nil {
				t.Fatal("merge accepted two records with one key")
			}
			if _, ok := findProblem(probs, "", 4, tc.field, tc.msg); !ok {
				t.Fatalf("no problem at row 4 column %s says %q: %v", tc.field, tc.msg, probs)
			}
			if len(probs) != 1 {
				t.Errorf("%d problems, want 1: %v", len(probs), probs)
			}
		})
	}
}

// TestDuplicateNameNamesTheNameColumn: an enterprise keyed by its name (a
// sheet without an id column, SPEC §3) twice is reported in the name
// column, not in 统一社会信用代码, which the id problems of the sheet name.
func TestDuplicateNameNamesTheNameColumn(t *testing.T) {
	stored, _ := dataset.Build(smallWith(t))
	sheet := &chainscope.Sheet{File: "台账.xlsx", Name: "企业", Columns: map[string]string{
		"id": "统一社会信用代码", "uscc": "统一社会信用代码", "name": "企业名称", "county": "所在县区"}}
	ent := func(row int) chainscope.Enterprise {
		return chainscope.Enterprise{ID: "晋南新材料", Name: "晋南新材料", County: "垣曲县",
			At: chainscope.Origin{Sheet: sheet, Row: row}}
	}
	in := &dataset.Records{Enterprises: []chainscope.Enterprise{ent(2), ent(3)}}
	_, probs := dataset.Apply(stored, in, dataset.ModeReplace)
	if _, ok := findProblem(probs, "企业", 3, "企业名称", "晋南新材料: 企业编号重复"); !ok {
		t.Fatalf("problems %v", probs)
	}
}

// TestMergeByNames: a flow named by its segments' names, or a link by an
// enterprise's USCC or name, replaces the stored record it means instead of
// being a second one.
func TestMergeByNames(t *testing.T) {
	stored, probs := dataset.Build(smallWith(t))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	in := &dataset.Records{
		Flows: []chainscope.Flow{{From: "锻后焦", To: "负极材料"}},
		Links: []chainscope.Link{{From: "山西正弘新能源材料有限公司", To: "E-anode", Product: "锻后焦（改）"},
			{From: "91140827MA0GRXH472", To: "垣曲负极材料公司", Product: "二次改"}},
	}
	_, probs = dataset.Apply(stored, in, dataset.ModeMerge)
	// The two links mean one stored link: a duplicate of the input.
	if _, ok := findProblem(probs, "", 0, "to", "91140827MA0GRXH472 → 垣曲负极材料公司: 供需关系重复"); !ok || len(probs) != 1 {
		t.Fatalf("problems %v", probs)
	}
	in.Links = in.Links[:1]
	ds, probs := dataset.Apply(stored, in, dataset.ModeMerge)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if n := len(ds.Chains[0].Flows); n != 2 {
		t.Errorf("%d flows, want the stored 2", n)
	}
	if len(ds.Links) != 2 || ds.Links[0].From != "E-zhenghong" || ds.Links[0].Product != "锻后焦（改）" {
		t.Errorf("links %+v", ds.Links)
	}
}

// TestBuildRefusesZeroChar: a text holding U+0000 is a problem naming the
// record, the column and the value, whatever the field — PostgreSQL cannot
// store it, so both stores must be offered the same data (SPEC §10) — and a
// single-record edit is held to the same rule.
func TestBuildRefusesZeroChar(t *testing.T) {
	recs := smallWith(t,
		`"name": "垣曲负极材料公司"`, `"name": "垣曲负极\u0000材料公司"`,
		`"product": "锻后焦"`, `"product": "锻后\u0000焦"`,
		`"leader_of": ["battery"]`, `"leader_of": ["batt\u0000ery"]`)
	_, probs := dataset.Build(recs)
	for _, want := range []struct{ sheet, column, value string }{
		{"enterprises", "name", "垣曲负极\x00材料公司"},
		{"links", "product", "锻后\x00焦"},
		{"enterprises", "leader_of", "batt\x00ery"},
	} {
		found := false
		for _, p := range probs {
			if p.Sheet == want.sheet && p.Column == want.column && p.Value == want.value && strings.Contains(p.Message, "U+0000") {
				found = true
			}
		}
		if !found {
			t.Errorf("no U+0000 problem for %s.%s %q in %v", want.sheet, want.column, want.value, probs)
		}
	}

	ds, probs := dataset.Build(smallWith(t))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	rec := smallWith(t)
	rec.Enterprises = rec.Enterprises[:1]
	rec.Enterprises[0].Note = "备注\x00"
	_, err := dataset.ApplyEdit(ds, dataset.Edit{Kind: "enterprise", Action: "update", ID: rec.Enterprises[0].ID, Record: &dataset.Records{Enterprises: rec.Enterprises}})
	if err == nil || !strings.Contains(err.Error(), "U+0000") {
		t.Fatalf("an edit with U+0000 in its note: %v", err)
	}
}
