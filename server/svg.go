package server

import (
	"context"
	"errors"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"chainscope"
	"chainscope/render"
	"chainscope/store"
)

// svgContentType is the media type of the chain panorama.
const svgContentType = "image/svg+xml; charset=utf-8"

// BriefingOptions returns the render options of the briefing picture: in
// lang ("zh" or "", Chinese; "en", English), laid out toward aspect, and
// dated by the day the data is as of (DataDate of asOf, "" for the current
// data). `chainscope svg` and GET /api/v1/export.svg both take their
// options from here, so the same data and parameters give the same bytes
// from either, any day.
func BriefingOptions(ctx context.Context, db *store.DB, lang string, aspect render.Aspect, asOf string) (render.Options, error) {
	date, err := DataDate(ctx, db, asOf)
	if err != nil {
		return render.Options{}, err
	}
	return render.Options{Date: date, Lang: lang, Aspect: aspect}, nil
}

// DataDate is the day (YYYY-MM-DD) the data of db is as of, printed on the
// briefing picture as 数据截至: asOf itself when it is a date, the day (in
// Asia/Shanghai) of revision asOf when it is a revision number, and for the
// current data ("") the day of the latest revision; "" when the database
// has no revision yet. A malformed or unknown asOf is the store's error.
func DataDate(ctx context.Context, db *store.DB, asOf string) (string, error) {
	if _, err := time.ParseInLocation(dateLayout, asOf, store.Shanghai); err == nil {
		return asOf, nil
	}
	var rev int64
	var err error
	if asOf == "" {
		rev, err = db.LatestRevision(ctx)
	} else {
		rev, _, err = db.ResolveAsOf(ctx, asOf)
	}
	if err != nil || rev == 0 {
		return "", err
	}
	r, err := db.Revision(ctx, rev)
	if err != nil {
		return "", err
	}
	return r.At.In(store.Shanghai).Format(dateLayout), nil
}

// dateLayout is how a day is written: YYYY-MM-DD.
const dateLayout = "2006-01-02"

// exportSVG answers SPEC §7 GET /api/v1/export.svg?area=&chain= with the
// chain panorama of the scope as `chainscope svg` draws it, optionally in
// English (lang=en) and for another page shape (aspect=4:3, a4; 16:9 by
// default; a malformed one is 400). Like the analysis it is cached per data version and
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
	aspect, err := render.ParseAspect(q.Get("aspect"))
	if err != nil {
		var e *chainscope.Error
		if errors.As(err, &e) {
			err = &chainscope.Error{Code: eBadParameter, ZH: "参数 aspect：" + e.ZH, EN: "parameter aspect: " + e.EN}
		}
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	s.serveBody(c, snap, routeKey(c, q), svgContentType, func() ([]byte, error) {
		a, err := snap.ix.Analyze(area, chain)
		if err != nil {
			return nil, err
		}
		o, err := BriefingOptions(ctx, s.db, lang, aspect, q.Get("as_of"))
		if err != nil {
			return nil, err
		}
		return render.SVG(snap.ds, a, o)
	}, nil)
}

// svgOperation documents GET /api/v1/export.svg.
func (d *apiDoc) svgOperation() {
	d.add(operation{method: "GET", path: "/export.svg", id: "exportSVG",
		summary: "产业链全景图 the chain panorama of one scope as a standalone SVG, the same bytes as `chainscope svg` (SPEC §7)",
		description: "Segments, enterprises, projects and supply links with every weak-link finding marked and a legend. " +
			"Elements carry stable ids: seg-<segment id>, node-<enterprise or project id>, alias-<segment id>-<id>, " +
			"link-<from>→<to>, flow-<from>→<to>. Names are drawn whole, wrapped over up to three lines. " +
			"The date beside the title (数据截至) is the day the data is as of: the as_of date, the day of the as_of revision, " +
			"or the day of the latest revision (Asia/Shanghai).",
		params: append(scopeParams(),
			query("lang", "图中文字的语言 language of the picture: zh (default) or en",
				openapi3.NewStringSchema().WithEnum("zh", "en")),
			query("aspect", "画面比例 the page shape the picture is laid out for: 16:9 (default, a slide), 4:3, a4 (A4 portrait, 210:297) or W:H between 1:4 and 4:1",
				openapi3.NewStringSchema())),
		status: 200, result: openapi3.NewStringSchema().NewRef(), resultType: "image/svg+xml",
		errors: []int{400, 404}, etag: true})
}
