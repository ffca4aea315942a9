package graph

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"chainscope"
)

// gapDataset: in 垣曲 (140827, with zone Z-yq) the chain has a (E1), b (a
// signed project only), d (E4); c is missing between them (broken), e is
// missing. Elsewhere: candidates of every kind.
func gapDataset() *chainscope.Dataset {
	const yq, hj, yh = "140827", "140882", "140802"
	withOutput := func(e chainscope.Enterprise, out float64) chainscope.Enterprise { e.OutputWan = &out; return e }
	return dataset(
		[]chainscope.Enterprise{
			ent("E1", yq, "bat.a"), ent("E4", "Z-yq", "bat.d"),
			withOutput(ent("O1", hj, "bat.c"), 9999), // supplies E4, operating, output
			leader("O3", "Z-hj", []string{"bat"}, "bat.c"),
			ent("O4", region, "bat.b"),
			ent("O6", yh, "bat.e"), ent("O7", yh, "bat.e"),
			withOutput(ent("O8", yh, "bat.e"), 5),
			ent("C1", yh, "chem.x"), // another chain only
		},
		[]chainscope.Project{
			proj("P-in", "Z-yq", chainscope.StatusSigned, wan(10), "bat.b"),
			proj("O2", yh, chainscope.StatusSigned, wan(10), "bat.c"),
			proj("PO", hj, chainscope.StatusOperating, wan(100), "bat.e"),
			proj("PX", hj, chainscope.StatusCancelled, wan(100), "bat.c"),
		},
		links("E1", "P-in", "O1", "E4", "O3", "C1"),
	)
}

func TestGapTargets(t *testing.T) {
	ix := mustIndex(t, gapDataset())
	got, err := ix.GapTargets("140827", "bat", 0)
	if err != nil {
		t.Fatal(err)
	}
	// Segment order: missing and broken, missing, weak (chain order).
	var order []string
	for _, g := range got {
		order = append(order, g.Segment)
	}
	if want := []string{"bat.c", "bat.e", "bat.a", "bat.b", "bat.d"}; !reflect.DeepEqual(order, want) {
		t.Fatalf("segments %v, want %v", order, want)
	}
	c := got[0]
	if c.Status != Missing || !c.Broken || c.Name != "电芯" || c.Stage != chainscope.StageMidstream || c.CandidatesTotal != 3 {
		t.Errorf("bat.c target = %+v", c)
	}
	o1 := Candidate{
		ID: "O1", Name: "企业O1", County: "140882", Operating: true, OutputWan: 9999,
		// 35 supplies + 20 operating + 15 × 1/10 links + 15 × log10(10000)/6 output
		Score: 66.5,
		Reasons: []CandidateReason{{Code: "supplies_area"}, {Code: "operating"},
			{Code: "chain_partners", N: 1}, {Code: "output", Wan: 9999}},
		LinksIntoChain: 1, SuppliesArea: true,
	}
	o3 := Candidate{
		ID: "O3", Name: "企业O3", County: "Z-hj", Operating: true, Score: 35, Leader: true,
		// C1 lists no segment of bat: not a link into the chain.
		Reasons: []CandidateReason{{Code: "leader"}, {Code: "operating"}},
	}
	o2 := Candidate{
		ID: "O2", Name: "项目O2", County: "140802", Project: true, Score: 0,
		Reasons: []CandidateReason{{Code: "project_not_operating", Status: chainscope.StatusSigned}},
	}
	if want := []Candidate{o1, o3, o2}; !reflect.DeepEqual(c.Candidates, want) {
		t.Errorf("bat.c candidates:\n got %+v\nwant %+v", c.Candidates, want)
	}

	ids := func(g GapTarget) []string {
		out := []string{}
		for _, x := range g.Candidates {
			out = append(out, x.ID)
		}
		return out
	}
	wantIDs := map[string][]string{
		"bat.e": {"O8", "O6", "O7", "PO"}, // 21.9454, then 20 × 3 by output (all 0), then id
		"bat.a": {},
		"bat.b": {"O4"}, // P-in lies in the area; O4 lies in no county, so outside it
		"bat.d": {},
	}
	for _, g := range got[1:] {
		if w := wantIDs[g.Segment]; !reflect.DeepEqual(ids(g), w) {
			t.Errorf("%s candidates %v, want %v", g.Segment, ids(g), w)
		}
	}
	if e := got[1].Candidates[0]; e.Score != round4(20+15*math.Log10(6)/6) || e.Score != 21.9454 {
		t.Errorf("O8 score %v, want 21.9454", e.Score)
	}
	if b := got[3]; b.Status != Weak || !reflect.DeepEqual(b.Reasons, []Reason{ReasonSingle, ReasonPlannedOnly}) || b.Candidates[0].County != region {
		t.Errorf("bat.b target = %+v", b)
	}
	if po := got[1].Candidates[3]; !po.Project || !po.Operating || po.Score != 20 || po.Reasons[0] != (CandidateReason{Code: "project_operating"}) {
		t.Errorf("PO candidate = %+v", po)
	}
}

func TestGapTargetsLimitAndAreas(t *testing.T) {
	ix := mustIndex(t, gapDataset())
	tests := []struct {
		name  string
		area  string
		limit int
		seg   string
		ids   []string
		total int
	}{
		{"limit keeps the best", "140827", 2, "bat.c", []string{"O1", "O3"}, 3},
		{"limit 1", "140827", 1, "bat.e", []string{"O8"}, 4},
		{"negative limit means the default", "140827", -1, "bat.e", []string{"O8", "O6", "O7", "PO"}, 4},
		// For zone Z-yq the rest of 垣曲 is elsewhere: E1 lists a, missing in the zone.
		{"a zone's county is elsewhere", "Z-yq", 0, "bat.a", []string{"E1"}, 1},
		{"the whole region has no elsewhere", "*", 0, "bat.a", []string{}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ix.GapTargets(tc.area, "bat", tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range got {
				if g.Segment != tc.seg {
					continue
				}
				ids := []string{}
				for _, x := range g.Candidates {
					ids = append(ids, x.ID)
				}
				if !reflect.DeepEqual(ids, tc.ids) || g.CandidatesTotal != tc.total {
					t.Errorf("%s: candidates %v of %d, want %v of %d", tc.seg, ids, g.CandidatesTotal, tc.ids, tc.total)
				}
				return
			}
			t.Errorf("no target for %s in %+v", tc.seg, got)
		})
	}
}

func TestGapTargetsJSONAndErrors(t *testing.T) {
	ix := mustIndex(t, gapDataset())
	got, err := ix.GapTargets("*", "chem", 0)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(got)
	for _, k := range []string{`"segment":"chem.y"`, `"status":"missing"`, `"reasons":[]`, `"broken":false`, `"candidates_total":0`, `"candidates":[]`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON lacks %s: %s", k, b)
		}
	}
	if strings.Contains(string(b), "null") {
		t.Errorf("JSON has null: %s", b)
	}
	full := mustIndex(t, dataset([]chainscope.Enterprise{ent("A", "140827", "chem.x"), ent("B", "140827", "chem.y"), ent("C", "140827", "chem.y"), ent("D", "140827", "chem.z"), ent("F", "140827", "chem.z")}, nil, nil))
	if none, err := full.GapTargets("140827", "chem", 0); err != nil || len(none) != 1 || none[0].Segment != "chem.x" {
		t.Errorf("GapTargets with one weak segment = %+v, %v", none, err)
	}
	for _, tc := range []struct{ area, chain string }{{"999999", "bat"}, {"140827", "nope"}} {
		if _, err := ix.GapTargets(tc.area, tc.chain, 0); chainscope.ErrorCode(err) != chainscope.ENOTFOUND {
			t.Errorf("GapTargets(%q, %q) error = %v, want ENOTFOUND", tc.area, tc.chain, err)
		}
	}
}

// BenchmarkGapTargets recommends candidates for every gap of the busiest
// county scope of the province.
func BenchmarkGapTargets(b *testing.B) {
	ds, ix := synthProvince(b)
	_, county, chain := busiestScopes(b, ds, ix)
	b.ReportAllocs()
	var n int
	cpu := meterCPU(b)
	for b.Loop() {
		res, err := ix.GapTargets(county, chain, 0)
		if err != nil {
			b.Fatal(err)
		}
		n = 0
		for _, g := range res {
			n += g.CandidatesTotal
		}
	}
	cpu.report()
	b.ReportMetric(float64(n), "candidates")
}

// TestCandidateReasonText: each reason reads in one language, amounts
// by the one amount rule, and a JSON reason carries only its code and
// its own figure.
func TestCandidateReasonText(t *testing.T) {
	for _, tc := range []struct {
		r      CandidateReason
		zh, en string
		json   string
	}{
		{CandidateReason{Code: CandidateSuppliesArea}, "已向本县区供货", "already supplies into the area", `{"code":"supplies_area"}`},
		{CandidateReason{Code: CandidateLeader}, "本产业链链主", "leader of this chain", `{"code":"leader"}`},
		{CandidateReason{Code: CandidateProjectOperating}, "项目已投产", "project operating", `{"code":"project_operating"}`},
		{CandidateReason{Code: CandidateProjectNotOperating, Status: chainscope.StatusStarted}, "项目开工，尚未投产",
			"project started, not yet operating", `{"code":"project_not_operating","status":"started"}`},
		{CandidateReason{Code: CandidateOperating}, "在产企业", "operating enterprise", `{"code":"operating"}`},
		{CandidateReason{Code: CandidateChainPartners, N: 1}, "本产业链供需伙伴 1 个", "1 supply partner in the chain", `{"code":"chain_partners","n":1}`},
		{CandidateReason{Code: CandidateChainPartners, N: 3}, "本产业链供需伙伴 3 个", "3 supply partners in the chain", `{"code":"chain_partners","n":3}`},
		{CandidateReason{Code: CandidateOutput, Wan: 245000}, "年产值 24.50 亿元", "annual output CNY 2,450 m", `{"code":"output","wan":245000}`},
	} {
		if got := tc.r.Text("zh"); got != tc.zh {
			t.Errorf("%s zh %q, want %q", tc.r.Code, got, tc.zh)
		}
		if got := tc.r.Text("en"); got != tc.en {
			t.Errorf("%s en %q, want %q", tc.r.Code, got, tc.en)
		}
		if b, _ := json.Marshal(tc.r); string(b) != tc.json {
			t.Errorf("%s JSON %s, want %s", tc.r.Code, b, tc.json)
		}
	}
}
