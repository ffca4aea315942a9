package server

import (
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"chainscope"
	"chainscope/dataset"
	"chainscope/graph"
	"chainscope/render"
)

// noBoundaries is the error of a map of a region without boundaries: how to
// add them, in both languages.
func noBoundaries() error {
	return notFoundErr(
		"本地区尚未导入县区边界，无法画地图；请用 chainscope import-boundaries --db FILE GEOJSON 导入，或由编辑在“产业集群”页上传 GeoJSON",
		"no county boundaries for this region: add them with chainscope import-boundaries --db FILE GEOJSON, or upload a GeoJSON file on the cluster page as an editor")
}

// MapSVG draws the cluster map of chain over bounds, the stored county
// boundaries (render.Map), in lang, with metric ("" for completeness).
// `chainscope map` and GET /api/v1/map.svg both draw through here, so the
// same data gives the same bytes. Boundaries that no longer match the
// counties (a county added since they were imported) are a conflict
// naming both sides; no boundaries at all is ENOTFOUND saying how to add
// them. date is printed beside the title as the briefing picture's is (the
// day the data is as of: DataDate).
func MapSVG(ds *chainscope.Dataset, ix *graph.Index, bounds []chainscope.Boundary, chain, metric, lang, date string) ([]byte, error) {
	m, err := render.ParseMapMetric(metric)
	if err != nil {
		return nil, err
	}
	if len(bounds) == 0 {
		return nil, noBoundaries()
	}
	if err := dataset.CheckBoundaries(bounds, ds); err != nil {
		var msgs []string
		if inv, ok := err.(*chainscope.InvalidError); ok {
			for _, p := range inv.Problems {
				msgs = append(msgs, p.Message)
			}
		}
		return nil, chainscope.Localizedf(chainscope.ECONFLICT,
			"已导入的县区边界与当前县区不一致，请重新导入边界：%s", "the stored boundaries no longer match the counties; import them again: %s",
			strings.Join(msgs, "; "))
	}
	return render.Map(ds, ix, bounds, render.MapOptions{Chain: chain, Metric: m, Lang: lang, Date: date})
}

// mapSVG answers GET /api/v1/map.svg?chain=ID[&metric=][&lang=] with the
// cluster map of the chain as `chainscope map` draws it, cached per data
// version and validated by an ETag like the panorama. The boundaries are
// the stored ones (a past revision's map, with ?as_of=, uses today's).
func (s *Server) mapSVG(c *gin.Context) {
	snap := s.current(c.Request.Context())
	q := c.Request.URL.Query()
	chain := q.Get("chain")
	if chain == "" {
		s.fail(c, paramErr("缺少参数 chain（产业链编号）", "chain (a chain id) is required"))
		return
	}
	lang, err := parseLang(q)
	if err != nil {
		s.fail(c, err)
		return
	}
	metric := q.Get("metric")
	if _, err := render.ParseMapMetric(metric); err != nil {
		s.fail(c, err)
		return
	}
	bounds := snap.bounds
	if snap.version < 0 { // a past revision: boundaries are not versioned
		bounds = s.snap.Load().bounds
	}
	ctx := c.Request.Context()
	s.serveBody(c, snap, routeKey(c, q), svgContentType, func() ([]byte, error) {
		date, err := DataDate(ctx, s.db, q.Get("as_of"))
		if err != nil {
			return nil, err
		}
		return MapSVG(snap.ds, snap.ix, bounds, chain, metric, lang, date)
	}, nil)
}

// BoundariesView is the answer of GET /api/v1/boundaries: the counties
// that have a stored boundary, in dataset order; empty when the region has
// none (its map then cannot be drawn).
type BoundariesView struct {
	Counties []string `json:"counties"`
}

// boundaries answers GET /api/v1/boundaries: which counties have a
// boundary, so the web app knows whether to ask for the map.
func (s *Server) boundaries(c *gin.Context) {
	snap := s.current(c.Request.Context())
	bounds := snap.bounds
	if snap.version < 0 {
		bounds = s.snap.Load().bounds
	}
	s.serveData(c, snap, routeKey(c, nil), false, func() (any, error) {
		v := BoundariesView{Counties: make([]string, len(bounds))}
		for i, b := range bounds {
			v.Counties[i] = b.Code
		}
		return v, nil
	})
}

// BoundariesResult is the answer of PUT /api/v1/boundaries: the counties
// that now have a boundary, in dataset order, and the data version.
type BoundariesResult struct {
	Counties    []string `json:"counties"`
	DataVersion int64    `json:"data_version"`
}

// putBoundaries stores uploaded county boundaries (a GeoJSON document, as
// the body or the file of a multipart form), checked against the current
// counties exactly as `chainscope import-boundaries` checks them
// (dataset.ReadBoundaries): a mismatch is 422 listing every county without
// a feature and every feature without a county, and nothing changes.
func (s *Server) putBoundaries(c *gin.Context) {
	extendDeadlines(c, uploadDeadline)
	body, err := readBody(c, MaxUploadBytes)
	if err != nil {
		s.fail(c, err)
		return
	}
	name := "boundaries.geojson"
	if _, params, err := mime.ParseMediaType(c.GetHeader("Content-Disposition")); err == nil && params["filename"] != "" {
		name = params["filename"]
	}
	up, err := uploadOf(body, c.GetHeader("Content-Type"), name)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	s.mu.Lock()
	defer s.mu.Unlock()
	snap, err := s.fresh(ctx, s.snap.Load())
	if err != nil {
		s.fail(c, err)
		return
	}
	bs, err := dataset.ReadBoundaries(up.data, up.name, snap.ds)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.db.SetBoundaries(ctx, bs); err != nil {
		s.fail(c, err)
		return
	}
	next, err := s.fresh(ctx, snap)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "write", slog.String("action", "boundaries"), slog.Int("counties", len(bs)),
		slog.Int("bytes", len(body)), slog.Int64("data_version", next.version), slog.String("remote", c.ClientIP()))
	res := BoundariesResult{Counties: make([]string, len(bs)), DataVersion: next.version}
	for i, b := range bs {
		res.Counties[i] = b.Code
	}
	c.Header("X-Data-Version", fmt.Sprint(next.version))
	writeJSON(c, http.StatusOK, res)
}

// mapOperations documents GET /api/v1/map.svg and PUT /api/v1/boundaries.
func (d *apiDoc) mapOperations() {
	d.add(operation{method: "GET", path: "/map.svg", id: "mapSVG",
		summary: "产业集群分布图 the cluster map of one chain as a standalone SVG, the same bytes as `chainscope map`",
		description: "The region's counties as projected shapes (Lambert cylindrical equal-area), filled by a metric of the chain: " +
			"completeness (default), investment (signed investment of the chain's projects) or relatedness (the mean SPEC §11 density of the " +
			"segments the county lacks); the chain's cross-county flows exactly as GET /cluster/flows reports them, the 20 with the most links drawn " +
			"as arrows and the rest summed in the legend; zones as dots inside their county. Elements carry stable ids: county-<code>, " +
			"zone-<code>, flow-<from>-<to>. A region without stored boundaries is a 404 saying how to add them.",
		params: []*openapi3.Parameter{
			requiredQuery("chain", "产业链编号 chain id", str()),
			query("metric", "县区颜色所表示的指标 what fills the counties: completeness (default), investment or relatedness",
				openapi3.NewStringSchema().WithEnum("completeness", "investment", "relatedness")),
			query("lang", "图中文字的语言 language of the picture: zh (default) or en", openapi3.NewStringSchema().WithEnum("zh", "en")),
		},
		status: 200, result: openapi3.NewStringSchema().NewRef(), resultType: "image/svg+xml",
		errors: []int{400, 404, 409}, etag: true})
	d.add(operation{method: "GET", path: "/boundaries", id: "boundaries",
		summary: "县区边界 which counties have a stored boundary (empty: the region has no map yet)",
		status:  200, result: d.schema(BoundariesView{}), etag: true})
	d.add(operation{method: "PUT", path: "/boundaries", id: "putBoundaries",
		summary: "上传县区边界 replace the region's county boundaries with a GeoJSON document (editors only)",
		description: "A FeatureCollection of Polygon or MultiPolygon features (holes allowed), each naming its county by a code " +
			"(property code or adcode, or the feature id) or by its exact name (a county's name, or its GB/T 2260 name). Every county " +
			"that is not a zone must match exactly one feature and every feature one county; otherwise 422 lists both sides and nothing changes.",
		body: openapi3.NewRequestBody().WithDescription("GeoJSON FeatureCollection").WithRequired(true).
			WithContent(openapi3.NewContentWithSchema(openapi3.NewObjectSchema(), []string{"application/geo+json", "application/json", "multipart/form-data"})),
		status: 200, result: d.schema(BoundariesResult{}), errors: []int{400, 401, 403, 413, 422}, editor: true})
}
