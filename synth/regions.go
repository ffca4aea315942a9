package synth

import (
	"math"
	"strconv"

	"chainscope"
)

// Limits of the GB/T 2260 code space the generator fills: within one
// prefecture (市), codes 02–20 are districts, 21–70 counties, 71–79
// development zones and 81–99 county-level cities; a province has at most
// 99 prefectures.
const (
	maxDistricts    = 19
	maxPlainCounty  = 50
	maxCountyCities = 19
	perCityMax      = maxDistricts + maxPlainCounty + maxCountyCities // 88
	maxCities       = 99
	maxZonesPerCity = 9
	// MaxCounties is the largest county count Options can ask for.
	MaxCounties = perCityMax * maxCities
)

// enterprisesPerCity is how many enterprises a prefecture-sized region
// holds before Generate makes the region a province of several cities.
const enterprisesPerCity = 9000

// countiesPerCity is how many county-level divisions each city of a
// generated province has when Options.Counties is 0.
const countiesPerCity = 11

var zoneSuffixes = []string{"经济技术开发区", "高新技术产业开发区", "新材料产业园", "现代农业产业示范区", "综合改革示范区"}

// area is an analysis area (SPEC §5): a county-level division together with
// the development zones that lie in it.
type area struct {
	county int32   // index into Dataset.Counties
	zones  []int32 // indices into Dataset.Counties
}

// geography lays out the region: its counties and zones as records, and the
// areas that records are placed in. Codes follow GB/T 2260: a city region is
// 140800 with counties 1408xx; a province is 140000 with cities 14cc00.
func (g *generator) geography() {
	n := g.o.Counties
	cities := min(max((g.o.Enterprises+enterprisesPerCity-1)/enterprisesPerCity, 1), countiesPerCity)
	if n <= 0 {
		if cities == 1 {
			n = 13
		} else {
			n = cities * countiesPerCity
		}
	}
	n = min(n, MaxCounties)
	cities = min(max(cities, (n+perCityMax-1)/perCityMax), n)

	ds := g.ds
	if cities == 1 {
		ds.Region = chainscope.Region{Code: "140800", Name: "示例市", Source: "synthetic"}
	} else {
		ds.Region = chainscope.Region{Code: "140000", Name: "示例省", Source: "synthetic"}
	}
	ds.Counties = make([]chainscope.County, 0, n+min(cities*maxZonesPerCity, n))
	g.areas = make([]area, 0, n)
	weights := make([]float64, 0, n)
	number := 0 // running number in county names
	for c := 1; c <= cities; c++ {
		prefix := "1408"
		if cities > 1 {
			prefix = "14" + pad2(c)
		}
		m := n / cities
		if c <= n%cities {
			m++
		}
		districts := min(max(1, m/6), m)
		towns := min(m/8, m-districts) // county-level cities
		if rest := m - districts - towns; rest > maxPlainCounty {
			extra := rest - maxPlainCounty
			d := min(extra, maxDistricts-districts)
			districts += d
			towns += extra - d
		}
		plain := m - districts - towns
		firstArea := len(g.areas)
		add := func(kind chainscope.Kind, word string, code int) {
			number++
			g.areas = append(g.areas, area{county: int32(len(ds.Counties))})
			ds.Counties = append(ds.Counties, chainscope.County{
				Code: prefix + pad2(code),
				Name: "示例" + word + padNumber(number, 3),
				Kind: kind,
			})
			w := math.Exp(0.6 * g.rng.NormFloat64())
			if kind == chainscope.KindDistrict {
				w *= 1.4
			}
			weights = append(weights, w)
		}
		for j := range districts {
			add(chainscope.KindDistrict, "区", 2+j)
		}
		for j := range plain {
			add(chainscope.KindCounty, "县", 21+j)
		}
		for j := range towns {
			add(chainscope.KindCity, "市", 81+j)
		}

		// Development zones, each in a different county of this city.
		zones := min(max(m/4, 1), maxZonesPerCity, m)
		order := g.rng.Perm(m)
		for z := range zones {
			a := firstArea + order[z]
			parent := ds.Counties[g.areas[a].county]
			g.areas[a].zones = append(g.areas[a].zones, int32(len(ds.Counties)))
			ds.Counties = append(ds.Counties, chainscope.County{
				Code:   prefix + "7" + strconv.Itoa(z+1),
				Name:   parent.Name + zoneSuffixes[g.rng.IntN(len(zoneSuffixes))],
				Kind:   chainscope.KindZone,
				Parent: parent.Code,
			})
		}
	}

	g.countyArea = make([]int32, len(ds.Counties))
	for a, ar := range g.areas {
		g.countyArea[ar.county] = int32(a)
		for _, z := range ar.zones {
			g.countyArea[z] = int32(a)
		}
	}
	g.regionArea = int32(len(g.areas))
	g.areaCum = make([]float64, len(weights))
	total := 0.0
	for i, w := range weights {
		total += w
		g.areaCum[i] = total
	}
}

// pickArea draws an area, weighted by its size, or the region itself for
// the few records a report places at no county (市本级).
func (g *generator) pickArea() int32 {
	if g.rng.Float64() < regionLevelShare {
		return g.regionArea
	}
	u := g.rng.Float64() * g.areaCum[len(g.areaCum)-1]
	lo, hi := 0, len(g.areaCum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if g.areaCum[m] < u {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return int32(lo)
}

// placeIn picks where in area a a record lies: the county itself or one of
// its zones. It returns an index into Dataset.Counties, or -1 for the region.
func (g *generator) placeIn(a int32) int32 {
	if a == g.regionArea {
		return -1
	}
	ar := &g.areas[a]
	if len(ar.zones) > 0 && g.rng.Float64() < zoneShare {
		return ar.zones[g.rng.IntN(len(ar.zones))]
	}
	return ar.county
}

// countyCode returns the code a record placed at p carries.
func (g *generator) countyCode(p int32) string {
	if p < 0 {
		return g.ds.Region.Code
	}
	return g.ds.Counties[p].Code
}

// divisionCode returns the 6-digit administrative division code for a
// record placed at p: a zone's parent, since zone codes are not divisions.
func (g *generator) divisionCode(p int32) string {
	if p < 0 {
		return g.ds.Region.Code
	}
	c := &g.ds.Counties[p]
	if c.Kind == chainscope.KindZone {
		return c.Parent
	}
	return c.Code
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// padNumber formats n in decimal with at least width digits.
func padNumber(n, width int) string {
	return string(appendPadded(nil, n, width))
}

// appendPadded appends n in decimal with at least width digits.
func appendPadded(dst []byte, n, width int) []byte {
	var buf [20]byte
	digits := strconv.AppendInt(buf[:0], int64(n), 10)
	for i := len(digits); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, digits...)
}
