package graph

import (
	"chainscope"
)

// The test region: 运城市 with two counties, a district, a zone in each
// county and a zone without a parent.
const region = "140800"

func testCounties() []chainscope.County {
	return []chainscope.County{
		{Code: "140827", Name: "垣曲县", Kind: chainscope.KindCounty},
		{Code: "140882", Name: "河津市", Kind: chainscope.KindCity},
		{Code: "140802", Name: "盐湖区", Kind: chainscope.KindDistrict},
		{Code: "Z-yq", Name: "垣曲经济技术开发区", Kind: chainscope.KindZone, Parent: "140827"},
		{Code: "Z-hj", Name: "河津经济技术开发区", Kind: chainscope.KindZone, Parent: "140882"},
		{Code: "Z-free", Name: "无主园区", Kind: chainscope.KindZone},
	}
}

// batteryChain is a–b–c–d in a line plus e (support) on its own:
// a → b → c → d, e.
func batteryChain() chainscope.Chain {
	return chainscope.Chain{
		ID: "bat", Name: "新能源电池",
		Segments: []chainscope.Segment{
			{ID: "bat.a", Name: "锻后焦", Stage: chainscope.StageUpstream},
			{ID: "bat.b", Name: "负极材料", Stage: chainscope.StageMidstream},
			{ID: "bat.c", Name: "电芯", Stage: chainscope.StageMidstream},
			{ID: "bat.d", Name: "电池包", Stage: chainscope.StageDownstream},
			{ID: "bat.e", Name: "检测", Stage: chainscope.StageSupport},
		},
		Flows: []chainscope.Flow{{From: "bat.a", To: "bat.b"}, {From: "bat.b", To: "bat.c"}, {From: "bat.c", To: "bat.d"}},
	}
}

func chemChain() chainscope.Chain {
	return chainscope.Chain{
		ID: "chem", Name: "化工",
		Segments: []chainscope.Segment{
			{ID: "chem.x", Name: "原料", Stage: chainscope.StageUpstream},
			{ID: "chem.y", Name: "产品", Stage: chainscope.StageDownstream},
			{ID: "chem.z", Name: "应用", Stage: chainscope.StageDownstream},
		},
		Flows: []chainscope.Flow{{From: "chem.x", To: "chem.y"}, {From: "chem.y", To: "chem.z"}},
	}
}

func dataset(es []chainscope.Enterprise, ps []chainscope.Project, ls []chainscope.Link) *chainscope.Dataset {
	return &chainscope.Dataset{
		Region:      chainscope.Region{Code: region, Name: "运城市"},
		Counties:    testCounties(),
		Chains:      []chainscope.Chain{batteryChain(), chemChain()},
		Enterprises: es,
		Projects:    ps,
		Links:       ls,
	}
}

func ent(id, county string, segs ...string) chainscope.Enterprise {
	return chainscope.Enterprise{ID: id, Name: "企业" + id, County: county, Segments: segs, LeaderOf: []string{}}
}

func leader(id, county string, chains []string, segs ...string) chainscope.Enterprise {
	e := ent(id, county, segs...)
	e.LeaderOf = chains
	return e
}

func proj(id, county string, st chainscope.Status, inv *float64, segs ...string) chainscope.Project {
	return chainscope.Project{ID: id, Name: "项目" + id, County: county, Segments: segs, InvestmentWan: inv, Status: st, Signed: "2024-03-15"}
}

func wan(x float64) *float64 { return &x }

func link(from, to string) chainscope.Link { return chainscope.Link{From: from, To: to} }

func links(pairs ...string) []chainscope.Link {
	var ls []chainscope.Link
	for i := 0; i+1 < len(pairs); i += 2 {
		ls = append(ls, link(pairs[i], pairs[i+1]))
	}
	return ls
}
