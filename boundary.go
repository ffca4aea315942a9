package chainscope

// Boundary is the outline of one county on the region's map (产业集群分布图):
// the county's code and name and its shape as polygons of [longitude,
// latitude] rings in degrees (WGS 84 or GCJ-02, as the source drew them),
// the first ring of each polygon its outer edge and any further rings its
// holes — the coordinates of a GeoJSON MultiPolygon. Boundaries are not part
// of the dataset (SPEC §1): a region may have them or not, and zones never
// have one (a zone is drawn as a point inside its county).
type Boundary struct {
	Code     string           `json:"code"`
	Name     string           `json:"name"`
	Polygons [][][][2]float64 `json:"polygons"`
}
