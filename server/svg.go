package server

import (
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"chainscope"
	"chainscope/render"
)

// svgContentType is the media type of the chain panorama.
const svgContentType = "image/svg+xml; charset=utf-8"

// BriefingOptions returns the render options of the briefing picture of
// ds in lang ("zh" or "", Chinese; "en", English). `chainscope svg` and
// GET /api/v1/export.svg both take their options from here, so the same
// data gives the same bytes from either. The date printed beside the
// title is the latest signing or start date in the data — how recent the
// data is — never today's date, so the picture changes only when the
// data does.
func BriefingOptions(ds *chainscope.Dataset, lang string) render.Options {
	return render.Options{Date: latestDate(ds), Lang: lang}
}

// latestDate is the latest signed or started date of the projects of ds,
// "" when none carries a date. Dates are YYYY-MM-DD, so the greatest
// string is the latest day.
func latestDate(ds *chainscope.Dataset) string {
	latest := ""
	for i := range ds.Projects {
		p := &ds.Projects[i]
		latest = max(latest, p.Signed, p.Started)
	}
	return latest
}

// exportSVG answers SPEC §7 GET /api/v1/export.svg?area=&chain= with the
// chain panorama of the scope as `chainscope svg` draws it, optionally in
// English (lang=en). Like the analysis it is cached per data version and
// validated by an ETag; an unknown area or chain is 404 JSON, a missing
// parameter 400.
func (s *Server) exportSVG(c *gin.Context) {
	snap := s.current(c.Request.Context())
	q := c.Request.URL.Query()
	area, chain, err := scope(q)
	if err != nil {
		s.fail(c, err)
		return
	}
	lang, err := parseLang(q)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.serveBody(c, snap, routeKey(c, q), svgContentType, func() ([]byte, error) {
		a, err := snap.ix.Analyze(area, chain)
		if err != nil {
			return nil, err
		}
		return render.SVG(snap.ds, a, BriefingOptions(snap.ds, lang))
	}, nil)
}

// svgOperation documents GET /api/v1/export.svg.
func (d *apiDoc) svgOperation() {
	d.add(operation{method: "GET", path: "/export.svg", id: "exportSVG",
		summary: "产业链全景图 the chain panorama of one scope as a standalone SVG, the same bytes as `chainscope svg` (SPEC §7)",
		description: "Segments, enterprises, projects and supply links with every weak-link finding marked and a legend. " +
			"Elements carry stable ids: seg-<segment id>, node-<enterprise or project id>, alias-<segment id>-<id>, " +
			"link-<from>→<to>, flow-<from>→<to>. The date beside the title is the latest signing or start date in the data.",
		params: append(scopeParams(), query("lang", "图中文字的语言 language of the picture: zh (default) or en",
			openapi3.NewStringSchema().WithEnum("zh", "en"))),
		status: 200, result: openapi3.NewStringSchema().NewRef(), resultType: "image/svg+xml",
		errors: []int{400, 404}, etag: true})
}
