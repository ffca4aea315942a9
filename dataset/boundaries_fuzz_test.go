package dataset

import (
	"testing"

	"chainscope"
)

// FuzzReadBoundaries: no input makes ReadBoundaries panic, and what it
// accepts is one boundary per county that is not a zone, in dataset order,
// each with closed rings of at least four positions.
func FuzzReadBoundaries(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"140802","geometry":{"type":"Polygon","coordinates":` + square + `}},` +
		`{"type":"Feature","properties":{"name":"垣曲县"},"geometry":{"type":"MultiPolygon","coordinates":[` + square + `]}}]}`))
	f.Add([]byte(`{"type":"Feature","properties":{"adcode":140827.0},"geometry":{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,6]]]}}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"geometry":null},{"properties":{"code":7}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds := boundaryRegion()
		bs, err := ReadBoundaries(data, "f.geojson", ds)
		if err != nil {
			return
		}
		k := 0
		for _, c := range ds.Counties {
			if c.Kind == chainscope.KindZone {
				continue
			}
			if k >= len(bs) || bs[k].Code != c.Code {
				t.Fatalf("boundaries %v do not follow the counties", bs)
			}
			k++
		}
		if k != len(bs) {
			t.Fatalf("%d boundaries for %d counties", len(bs), k)
		}
		for _, b := range bs {
			for _, p := range b.Polygons {
				for _, r := range p {
					if len(r) < 4 || r[0] != r[len(r)-1] {
						t.Fatalf("ring %v", r)
					}
				}
			}
		}
	})
}
