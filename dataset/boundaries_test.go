package dataset

import (
	"errors"
	"strings"
	"testing"

	"chainscope"
)

// boundaryRegion has two counties (one of them named otherwise than in
// GB/T 2260) and a zone.
func boundaryRegion() *chainscope.Dataset {
	return &chainscope.Dataset{
		Region: chainscope.Region{Code: "140800", Name: "运城市"},
		Counties: []chainscope.County{
			{Code: "140802", Name: "盐湖", Kind: chainscope.KindDistrict},
			{Code: "140827", Name: "垣曲县", Kind: chainscope.KindCounty},
			{Code: "140827-01", Name: "垣曲经济技术开发区", Kind: chainscope.KindZone, Parent: "140827"},
		},
	}
}

const square = `[[[111,35],[112,35],[112,36],[111,36],[111,35]]]`

// problemsOf returns the messages of an InvalidError, failing otherwise.
func problemsOf(t *testing.T, err error) []chainscope.Problem {
	t.Helper()
	var inv *chainscope.InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("err = %v, want an InvalidError", err)
	}
	return inv.Problems
}

func hasBoundaryProblem(ps []chainscope.Problem, value string, parts ...string) bool {
	for _, p := range ps {
		if p.Value != value {
			continue
		}
		ok := true
		for _, s := range parts {
			ok = ok && strings.Contains(p.Message, s)
		}
		if ok {
			return true
		}
	}
	return false
}

func TestReadBoundariesMatchesCodesAndNames(t *testing.T) {
	// 盐湖区 by its GB/T 2260 name (the dataset calls it 盐湖), 垣曲县 by a
	// numeric adcode, as a MultiPolygon whose first polygon has a hole and
	// whose second ring is left open.
	doc := `{"type":"FeatureCollection","features":[
	 {"type":"Feature","properties":{"name":"盐湖区"},"geometry":{"type":"Polygon","coordinates":` + square + `}},
	 {"type":"Feature","properties":{"adcode":140827,"name":"垣曲"},"geometry":{"type":"MultiPolygon","coordinates":[
	   [[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[4,2],[4,4],[2,4],[2,2]]],
	   [[[20,0],[30,0],[30,10]]]]}}]}`
	bs, err := ReadBoundaries([]byte(doc), "b.geojson", boundaryRegion())
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 || bs[0].Code != "140802" || bs[0].Name != "盐湖" || bs[1].Code != "140827" {
		t.Fatalf("boundaries = %+v", bs)
	}
	mp := bs[1].Polygons
	if len(mp) != 2 || len(mp[0]) != 2 || len(mp[0][1]) != 5 || mp[0][1][1] != [2]float64{4, 2} {
		t.Fatalf("multipolygon with hole = %v", mp)
	}
	if r := mp[1][0]; len(r) != 4 || r[3] != r[0] {
		t.Fatalf("open ring not closed: %v", r)
	}
}

func TestReadBoundariesMismatchListsBothSides(t *testing.T) {
	// 垣曲县 is missing; 140900 is a county of another city; 火星县 is no
	// GB/T 2260 name; 夏县 is a real county of 运城 outside this dataset.
	doc := `{"type":"FeatureCollection","features":[
	 {"type":"Feature","id":"140802","properties":{"name":"盐湖区"},"geometry":{"type":"Polygon","coordinates":` + square + `}},
	 {"type":"Feature","properties":{"code":"140902","name":"忻府区"},"geometry":{"type":"Polygon","coordinates":` + square + `}},
	 {"type":"Feature","properties":{"name":"火星县"},"geometry":{"type":"Polygon","coordinates":` + square + `}},
	 {"type":"Feature","properties":{"name":"夏县"},"geometry":{"type":"Polygon","coordinates":` + square + `}}]}`
	_, err := ReadBoundaries([]byte(doc), "b.geojson", boundaryRegion())
	ps := problemsOf(t, err)
	if len(ps) != 4 {
		t.Fatalf("problems = %v", ps)
	}
	if ps[0].Value != "140827" || !strings.Contains(ps[0].Message, "县区 140827 垣曲县 在边界文件中没有对应的要素") ||
		!strings.Contains(ps[0].Message, "county 140827 垣曲县 has no feature") {
		t.Errorf("first problem = %+v, want the county without a feature", ps[0])
	}
	if !hasBoundaryProblem(ps, "140902", "不是本数据集的县区", "no county of the dataset") {
		t.Errorf("no problem for the extra feature: %v", ps)
	}
	if !hasBoundaryProblem(ps, "火星县", "不对应任何 GB/T 2260 县级区划代码", "matches no GB/T 2260 county code") {
		t.Errorf("no problem for the unknown name: %v", ps)
	}
	if !hasBoundaryProblem(ps, "夏县", "GB/T 2260 代码 140828", "is no county of the dataset") {
		t.Errorf("no problem for the county outside the dataset: %v", ps)
	}
	for _, p := range ps {
		if p.File != "b.geojson" {
			t.Errorf("problem without the file: %+v", p)
		}
	}
	if !strings.Contains(ps[1].Column, "features[1]") {
		t.Errorf("the extra feature's problem names %q, want its place in the file", ps[1].Column)
	}
}

func TestReadBoundariesRefusesZonesDuplicatesAndBadGeometry(t *testing.T) {
	doc := `{"type":"FeatureCollection","features":[
	 {"type":"Feature","id":140802,"properties":{},"geometry":{"type":"Polygon","coordinates":` + square + `}},
	 {"type":"Feature","properties":{"code":"140802"},"geometry":{"type":"Polygon","coordinates":` + square + `}},
	 {"type":"Feature","properties":{"code":"140827-01"},"geometry":{"type":"Polygon","coordinates":` + square + `}},
	 {"type":"Feature","properties":{"code":"140827"},"geometry":{"type":"Point","coordinates":[111,35]}},
	 {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":` + square + `}}]}`
	_, err := ReadBoundaries([]byte(doc), "b.geojson", boundaryRegion())
	ps := problemsOf(t, err)
	for _, want := range []struct{ value, msg string }{
		{"140802", "有 2 个要素"},
		{"140827-01", "开发区没有边界"},
		{"140827", "Polygon or MultiPolygon only"},
		{"140827", "has no feature"},
		{"", "names no county"},
	} {
		if !hasBoundaryProblem(ps, want.value, want.msg) {
			t.Errorf("no problem %q for %q in %v", want.msg, want.value, ps)
		}
	}
	for _, bad := range []string{`{"type":"Topology"}`, `not json`, `{"type":"FeatureCollection","features":[{"type":"Feature","id":"140802","geometry":{"type":"Polygon","coordinates":[[[111,35],[112,95],[111,35]]]}}]}`} {
		if _, err := ReadBoundaries([]byte(bad), "x.json", boundaryRegion()); err == nil {
			t.Errorf("ReadBoundaries(%s) accepted", bad)
		}
	}
}

func TestCheckBoundaries(t *testing.T) {
	ds := boundaryRegion()
	poly := [][][][2]float64{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}}
	bs := []chainscope.Boundary{{Code: "140802", Name: "盐湖", Polygons: poly}, {Code: "140827", Name: "垣曲县", Polygons: poly}}
	if err := CheckBoundaries(bs, ds); err != nil {
		t.Fatal(err)
	}
	ds.Counties = append(ds.Counties, chainscope.County{Code: "140828", Name: "夏县", Kind: chainscope.KindCounty})
	ps := problemsOf(t, CheckBoundaries(bs[1:], ds))
	if !hasBoundaryProblem(ps, "140828", "has no feature") || !hasBoundaryProblem(ps, "140802", "has no feature") {
		t.Fatalf("problems = %v", ps)
	}
}
