package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"chainscope"
	"chainscope/dataset/gbt2260"
)

// Where a feature may carry its county code, in the order they are tried
// (the feature's own "id" comes last), and its name.
var (
	boundaryCodeKeys = []string{"code", "adcode", "county", "代码", "区划代码"}
	boundaryNameKeys = []string{"name", "名称", "NAME"}
)

// geoFeature is one GeoJSON Feature as ReadBoundaries reads it.
type geoFeature struct {
	Type       string                     `json:"type"`
	ID         json.RawMessage            `json:"id"`
	Properties map[string]json.RawMessage `json:"properties"`
	Geometry   *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// ReadBoundaries reads county boundaries from a GeoJSON document (a
// FeatureCollection, or one Feature) and matches them to the counties of
// ds. A feature names its county by a code — the property code, adcode,
// county, 代码 or 区划代码, else the feature's id — or by its exact name
// (property name or 名称): the name of a county of ds, else a GB/T 2260
// county-level name whose code is a county of ds. Geometries are Polygon
// or MultiPolygon, holes allowed.
//
// Every county of ds that is not a zone must match exactly one feature,
// and every feature one such county; zones have no polygon (the map draws
// them as points inside their county). Anything else is a
// *chainscope.InvalidError listing every problem at once: the counties
// without a feature, the features that match no county (with the names that
// match no GB/T 2260 code), features for zones, two features for one county,
// and malformed geometry. file names the input in the problems. The
// boundaries come back in the dataset's county order, named as ds names
// them.
func ReadBoundaries(data []byte, file string, ds *chainscope.Dataset) ([]chainscope.Boundary, error) {
	features, err := readFeatures(data)
	if err != nil {
		return nil, &chainscope.InvalidError{Problems: []chainscope.Problem{{File: file, Value: "", Message: err.Error()}}}
	}
	counties := map[string]*chainscope.County{}
	byName := map[string][]string{}
	for i := range ds.Counties {
		c := &ds.Counties[i]
		counties[c.Code] = c
		byName[c.Name] = append(byName[c.Name], c.Code)
	}
	var problems []chainscope.Problem
	add := func(column, value, format string, args ...any) {
		problems = append(problems, chainscope.Problem{File: file, Column: column, Value: value, Message: fmt.Sprintf(format, args...)})
	}
	found := map[string][]chainscope.Boundary{}
	for i := range features {
		f := &features[i]
		at := fmt.Sprintf("features[%d]", i)
		code, codeAt := featureCode(f)
		name, nameAt := featureString(f.Properties, boundaryNameKeys)
		label := featureLabel(code, name)
		polys, gerr := featureGeometry(f)
		if gerr != nil {
			add(at+".geometry", label, "要素 %s 的几何形状有误：%s / feature %s: bad geometry: %s", label, gerr.zh, label, gerr.en)
		}
		var match string
		switch {
		case code != "" && counties[code] != nil:
			match = code
		case code != "":
			add(at+"."+codeAt, code, "要素 %s 的代码 %s 不是本数据集的县区 / feature %s: code %s is no county of the dataset", label, code, label, code)
			continue
		case name == "":
			add(at+".properties", "", "要素没有县区代码（code / adcode / id）也没有名称（name）/ feature %s names no county: give a code (code, adcode or id) or a name", at)
			continue
		default:
			var err error
			if match, err = matchName(name, counties, byName); err != nil {
				add(at+"."+nameAt, name, "%s", err.Error())
				continue
			}
		}
		if c := counties[match]; c.Kind == chainscope.KindZone {
			add(at, label, "要素 %s 对应开发区 %s %s：开发区没有边界，在所属县区内画成圆点 / feature %s is zone %s %s: zones have no boundary, they are drawn as points inside their county",
				label, c.Code, c.Name, label, c.Code, c.Name)
			continue
		}
		if gerr == nil {
			found[match] = append(found[match], chainscope.Boundary{Code: match, Name: counties[match].Name, Polygons: polys})
		}
	}
	var out []chainscope.Boundary
	for i := range ds.Counties {
		c := &ds.Counties[i]
		if c.Kind == chainscope.KindZone {
			continue
		}
		switch bs := found[c.Code]; len(bs) {
		case 0:
			add("", c.Code, "县区 %s %s 在边界文件中没有对应的要素 / county %s %s has no feature in the boundaries", c.Code, c.Name, c.Code, c.Name)
		case 1:
			out = append(out, bs[0])
		default:
			add("", c.Code, "县区 %s %s 在边界文件中有 %d 个要素，应只有一个 / county %s %s has %d features in the boundaries, not one",
				c.Code, c.Name, len(bs), c.Code, c.Name, len(bs))
		}
	}
	if len(problems) > 0 {
		// The counties without a feature first, then the features in
		// file order: both sides of a mismatch side by side.
		sort.SliceStable(problems, func(i, j int) bool { return problems[i].Column == "" && problems[j].Column != "" })
		return nil, &chainscope.InvalidError{Problems: problems}
	}
	return out, nil
}

// CheckBoundaries checks boundaries already matched (stored ones) against
// ds, which may have changed since: every non-zone county must have one,
// and every boundary must be a non-zone county of ds. The problems read as
// ReadBoundaries words them.
func CheckBoundaries(bs []chainscope.Boundary, ds *chainscope.Dataset) error {
	have := map[string]bool{}
	for _, b := range bs {
		have[b.Code] = true
	}
	var problems []chainscope.Problem
	counties := map[string]bool{}
	for i := range ds.Counties {
		c := &ds.Counties[i]
		if c.Kind == chainscope.KindZone {
			continue
		}
		counties[c.Code] = true
		if !have[c.Code] {
			problems = append(problems, chainscope.Problem{Value: c.Code, Message: fmt.Sprintf(
				"县区 %s %s 在已导入的边界中没有对应的要素 / county %s %s has no feature in the stored boundaries", c.Code, c.Name, c.Code, c.Name)})
		}
	}
	for _, b := range bs {
		if !counties[b.Code] {
			problems = append(problems, chainscope.Problem{Value: b.Code, Message: fmt.Sprintf(
				"已导入的边界 %s %s 不是本数据集的县区 / stored boundary %s %s is no county of the dataset", b.Code, b.Name, b.Code, b.Name)})
		}
	}
	if len(problems) > 0 {
		return &chainscope.InvalidError{Problems: problems}
	}
	return nil
}

// matchName finds the county a feature's name stands for: a county of the
// dataset of exactly that name, else the one GB/T 2260 code of that name
// that is a county of the dataset.
func matchName(name string, counties map[string]*chainscope.County, byName map[string][]string) (string, error) {
	switch codes := byName[name]; len(codes) {
	case 1:
		return codes[0], nil
	case 0:
	default:
		return "", fmt.Errorf("名称“%s”在数据集中对应多个县区 %s，请在要素中给出代码 / name %q is several counties of the dataset (%s): give a code",
			name, strings.Join(codes, "、"), name, strings.Join(codes, ", "))
	}
	gb := gbt2260.CountyCodes(name)
	var in []string
	for _, c := range gb {
		if counties[c] != nil {
			in = append(in, c)
		}
	}
	switch {
	case len(gb) == 0:
		return "", fmt.Errorf("名称“%s”不对应任何 GB/T 2260 县级区划代码，也不是本数据集的县区名称 / name %q matches no GB/T 2260 county code and no county of the dataset", name, name)
	case len(in) == 0:
		return "", fmt.Errorf("名称“%s”（GB/T 2260 代码 %s）不是本数据集的县区 / name %q (GB/T 2260 code %s) is no county of the dataset",
			name, strings.Join(gb, "、"), name, strings.Join(gb, ", "))
	case len(in) > 1:
		return "", fmt.Errorf("名称“%s”对应本数据集的多个县区 %s，请在要素中给出代码 / name %q is several counties of the dataset (%s): give a code",
			name, strings.Join(in, "、"), name, strings.Join(in, ", "))
	}
	return in[0], nil
}

// readFeatures decodes a FeatureCollection or a single Feature.
func readFeatures(data []byte) ([]geoFeature, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var doc struct {
		Type     string       `json:"type"`
		Features []geoFeature `json:"features"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("不是有效的 GeoJSON / not valid GeoJSON: %v", err)
	}
	switch doc.Type {
	case "FeatureCollection":
		return doc.Features, nil
	case "Feature":
		var f geoFeature
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&f); err != nil {
			return nil, fmt.Errorf("不是有效的 GeoJSON / not valid GeoJSON: %v", err)
		}
		return []geoFeature{f}, nil
	}
	return nil, fmt.Errorf("GeoJSON 的 type 应为 FeatureCollection 或 Feature，实为 %q / the GeoJSON type must be FeatureCollection or Feature, not %q", doc.Type, doc.Type)
}

// featureCode returns the county code a feature carries and where.
func featureCode(f *geoFeature) (code, at string) {
	if v, k := featureString(f.Properties, boundaryCodeKeys); v != "" {
		return v, k
	}
	if s := jsonScalar(f.ID); s != "" {
		return s, "id"
	}
	return "", ""
}

// featureString returns the first of keys that holds a non-empty string or
// number, and the key's path.
func featureString(props map[string]json.RawMessage, keys []string) (string, string) {
	for _, k := range keys {
		if s := jsonScalar(props[k]); s != "" {
			return s, "properties." + k
		}
	}
	return "", ""
}

// jsonScalar returns a JSON string or number as text ("" otherwise); a
// number is written as an integer when it is one (140827.0 → 140827).
func jsonScalar(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	var s string
	if raw[0] == '"' {
		if json.Unmarshal(raw, &s) != nil {
			return ""
		}
		return strings.TrimSpace(s)
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return ""
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return string(raw)
}

func featureLabel(code, name string) string {
	switch {
	case code != "" && name != "":
		return code + " " + name
	case code != "":
		return code
	}
	return name
}

// geomError says what is wrong with a geometry, in both languages.
type geomError struct{ zh, en string }

func geomErrorf(zh, en string, args ...any) *geomError {
	return &geomError{fmt.Sprintf(zh, args...), fmt.Sprintf(en, args...)}
}

// featureGeometry reads a Polygon or MultiPolygon as polygons of rings.
func featureGeometry(f *geoFeature) ([][][][2]float64, *geomError) {
	g := f.Geometry
	if g == nil {
		return nil, geomErrorf("没有几何形状", "no geometry")
	}
	var polys [][][][]float64
	switch g.Type {
	case "Polygon":
		var p [][][]float64
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			return nil, geomErrorf("Polygon 坐标格式错误", "malformed Polygon coordinates")
		}
		polys = [][][][]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			return nil, geomErrorf("MultiPolygon 坐标格式错误", "malformed MultiPolygon coordinates")
		}
	default:
		return nil, geomErrorf("类型 %q 不受支持，只接受 Polygon 和 MultiPolygon", "type %q is not supported: Polygon or MultiPolygon only", g.Type)
	}
	if len(polys) == 0 {
		return nil, geomErrorf("没有多边形", "no polygon")
	}
	out := make([][][][2]float64, len(polys))
	for i, p := range polys {
		if len(p) == 0 {
			return nil, geomErrorf("第 %d 个多边形没有环", "polygon %d has no ring", i+1)
		}
		out[i] = make([][][2]float64, len(p))
		for j, ring := range p {
			r := make([][2]float64, 0, len(ring)+1)
			for _, pos := range ring {
				if len(pos) < 2 || math.IsNaN(pos[0]) || math.IsNaN(pos[1]) ||
					pos[0] < -180 || pos[0] > 180 || pos[1] < -90 || pos[1] > 90 {
					return nil, geomErrorf("第 %d 个多边形第 %d 个环有无效坐标 %v（应为 [经度, 纬度]）",
						"polygon %d ring %d has an invalid position %v (want [longitude, latitude])", i+1, j+1, pos)
				}
				r = append(r, [2]float64{pos[0], pos[1]})
			}
			// A ring left open is closed, as most tools do.
			if len(r) > 0 && r[0] != r[len(r)-1] {
				r = append(r, r[0])
			}
			if len(r) < 4 {
				return nil, geomErrorf("第 %d 个多边形第 %d 个环少于 3 个点", "polygon %d ring %d has fewer than 3 points", i+1, j+1)
			}
			out[i][j] = r
		}
	}
	return out, nil
}
