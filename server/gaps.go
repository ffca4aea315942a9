package server

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"chainscope/gapbook"
	"chainscope/graph"
)

// xlsxContentType is the media type of an Excel workbook.
const xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// gapsXLSX answers GET /api/v1/gaps.xlsx?area=&chain=&lang= with the 补链清单
// of the web app's gap view as an Excel workbook (package gapbook): the
// gap targets and the project impact ranking of one area, for one chain or,
// without chain, for every chain. Area and chain are checked as for the
// other analysis routes (missing area 400, unknown area or chain 404); the
// workbook is cached per data version and validated by an ETag, so its
// generation time is that of the first download of the data version.
func (s *Server) gapsXLSX(c *gin.Context) {
	snap := s.current(c.Request.Context())
	q := c.Request.URL.Query()
	area, chain, err := gapScope(q)
	if err != nil {
		s.fail(c, err)
		return
	}
	lang, err := parseLang(q)
	if err != nil {
		s.fail(c, err)
		return
	}
	r, err := gapbook.New(snap.ds, snap.version, area, chain)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.serveBody(c, snap, routeKey(c, q), xlsxContentType, func() ([]byte, error) {
		if err := r.Analyse(snap.ix, defaultSuggestions); err != nil {
			return nil, err
		}
		return r.Workbook(lang, s.now())
	}, func(h http.Header) {
		h["Content-Disposition"] = []string{attachment(r.ASCIIFileName(), r.FileName(lang))}
	})
}

// gapScope reads the area and chain of the gap report as scope reads
// them, except that chain may be left out: the report then covers every
// chain, as the gap view does by default.
func gapScope(q url.Values) (area, chain string, err error) {
	if q.Get("chain") == "" && q.Get("area") != "" {
		return q.Get("area"), "", nil
	}
	return scope(q)
}

// gapsOperation documents GET /api/v1/gaps.xlsx.
func (d *apiDoc) gapsOperation() {
	d.add(operation{method: "GET", path: "/gaps.xlsx", id: "gapsXLSX",
		summary: "补链清单 Excel 工作簿 the gap report of one area as an xlsx workbook",
		description: "Sheets 补链清单/Gaps (every missing or weak segment with its candidates, one row each, " +
			fmt.Sprintf("the best %d per segment as in the analysis's gap_targets), ", graph.DefaultTargets) +
			"项目影响排名/Project impact (the analysis's project_impact), " +
			fmt.Sprintf("延链建议/Extend (GET /relatedness of the area's county, or of every county for *, the best %d, for the chain if one is given) ", defaultSuggestions) +
			"and 说明/About (scope, data version, generation time, definitions). " +
			"Without chain every chain of the region is listed. Sent as an attachment named 补链清单-<area>-<chain>.xlsx " +
			"(filename*, RFC 5987) with an ASCII fallback gaps-<area>-<chain>.xlsx.",
		params: []*openapi3.Parameter{
			requiredQuery("area", "县区代码 county or zone code; * 全市 the whole region", str()),
			query("chain", "产业链编号；省略则为全部产业链 chain id; every chain when left out", str()),
			query("lang", "表名与表头的语言 language of sheet names and headers: zh (default) or en",
				openapi3.NewStringSchema().WithEnum("zh", "en")),
		},
		status: 200, result: openapi3.NewStringSchema().WithFormat("binary").NewRef(), resultType: xlsxContentType,
		errors: []int{400, 404}, etag: true})
}
