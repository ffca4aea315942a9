package server

import (
	"bytes"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"chainscope/report"
)

// reportCSP allows the report page its one inline style sheet and nothing
// else: no script, no image, no request.
var reportCSP = []string{"default-src 'none'; style-src " + report.StyleHash() + "; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"}

// reportPage answers GET /report?area=&period=&lang= with the monthly
// progress report 月度通报 (package report) as a print-ready A4 HTML page:
// area "*" (or absent, or the region's code) for the region, a county code
// for a county; period the month YYYY-MM. The history of the month is read
// from the store. Cached per data version like the analyses.
func (s *Server) reportPage(c *gin.Context) {
	snap := s.current(c.Request.Context())
	q := c.Request.URL.Query()
	period := q.Get("period")
	if period == "" {
		s.fail(c, paramErr("缺少参数 period（年月 YYYY-MM）", "period (a month YYYY-MM) is required"))
		return
	}
	lang, err := parseLang(q)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.serveBody(c, snap, routeKey(c, q), "text/html; charset=utf-8", func() ([]byte, error) {
		h, err := report.LoadHistory(c.Request.Context(), s.db, period)
		if err != nil {
			return nil, err
		}
		content, err := report.Build(report.Input{DS: snap.ds, Ix: snap.ix, Area: q.Get("area"), Period: period,
			TargetWan: s.targetOf(snap.ds), History: h, DataVersion: snap.version, Lang: lang})
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		err = content.HTML(&b)
		return b.Bytes(), err
	}, func(h http.Header) {
		h["Content-Security-Policy"] = reportCSP
	})
}

// reportOperation documents GET /report.
func (d *apiDoc) reportOperation() {
	d.add(operation{method: "GET", path: "/report", id: "report",
		summary: "月度通报 the monthly progress report of the region or a county as a print-ready A4 HTML page",
		description: "Headline figures of the month and the year to date with their change (against the month before; against the " +
			"same months a year before) and, where a report record covers the year to date, its figures (上报口径); the county " +
			"ranking; the chain table; the gaps closed and opened during the month (from the history); the leads funnel; the top " +
			"gap-filling targets. `chainscope report` writes the same content as HTML or xlsx.",
		params: []*openapi3.Parameter{
			query("area", "县区代码；省略、* 或本市代码为全市 a county code; absent, * or the region's code: the region", str()),
			requiredQuery("period", "年月 the month YYYY-MM", str()),
			query("lang", "语言 zh (default) or en", openapi3.NewStringSchema().WithEnum("zh", "en")),
		},
		status: 200, result: openapi3.NewStringSchema().NewRef(), resultType: "text/html",
		errors: []int{400, 404}, etag: true})
}
