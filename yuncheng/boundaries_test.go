package yuncheng

import (
	"testing"

	"chainscope"
)

// TestBoundaries matches the vendored file to the built-in dataset: one
// polygon for each of the 13 county-level divisions, none for the zones.
func TestBoundaries(t *testing.T) {
	ds, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	bs, err := Boundaries(ds)
	if err != nil {
		t.Fatal(err)
	}
	var counties []string
	for _, c := range ds.Counties {
		if c.Kind != chainscope.KindZone {
			counties = append(counties, c.Code)
		}
	}
	if len(bs) != 13 || len(counties) != 13 {
		t.Fatalf("%d boundaries for %d counties", len(bs), len(counties))
	}
	for i, b := range bs {
		if b.Code != counties[i] || len(b.Polygons) == 0 || len(b.Polygons[0][0]) < 100 {
			t.Errorf("boundary %d: %s with %d polygons", i, b.Code, len(b.Polygons))
		}
	}
}
