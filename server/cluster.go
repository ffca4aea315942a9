package server

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"chainscope/graph"
)

// Sizes of the cross-county flows in the cluster answers: /cluster names
// the largest few (a province has tens of thousands, a few MB of JSON),
// /cluster/flows pages through them all.
const (
	clusterTopFlows  = 20 // flows in /cluster, as many as the map draws
	defaultFlowsPage = 50
	maxFlowsPage     = 1000
)

// clusterFlows answers GET /api/v1/cluster/flows: one page of the ranked
// cross-county flows, of one chain or every chain, from or into one county
// or any, with the totals of the flows the filter keeps.
func (s *Server) clusterFlows(c *gin.Context) {
	snap := s.current(c.Request.Context())
	if s.serveCached(c, snap) {
		return
	}
	q := c.Request.URL.Query()
	offset, limit, err := parsePage(q, defaultFlowsPage, maxFlowsPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	chain, area := q.Get("chain"), q.Get("area")
	// The key names the answer, not the spelling of the query.
	key := c.FullPath() + "?" + url.Values{"chain": {chain}, "area": {area},
		"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(limit)}}.Encode()
	s.serveData(c, snap, key, true, func() (any, error) { return snap.ix.CrossFlowPage(chain, area, offset, limit) })
}

// parsePage reads the offset and the limit of a page (parseOffset,
// parseLimit with the route's default and cap), the offset first.
func parsePage(q url.Values, def, max int) (offset, limit int, err error) {
	if offset, err = parseOffset(q); err != nil {
		return 0, 0, err
	}
	limit, err = parseLimit(q, "limit", def, max)
	return offset, limit, err
}

// parseOffset reads the offset of a page: a non-negative integer, 0 when
// absent.
func parseOffset(q url.Values) (int, error) {
	v := q.Get("offset")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, paramErr("参数 offset 应为非负整数：%q", "offset must be a non-negative integer: %q", v)
	}
	return n, nil
}

// clusterFlowsOperation documents GET /api/v1/cluster/flows.
func (d *apiDoc) clusterFlowsOperation() {
	d.add(operation{method: "GET", path: "/cluster/flows", id: "clusterFlows",
		summary: "跨县区供需流向分页 one page of the cross-county supply flows, the most links first",
		description: "The flows of GET /cluster, every one: the supply from one county into another along one chain (zones folded into " +
			"their county), ordered by links, then investment, descending, then chain, from, to. total and links count every flow the " +
			"filter keeps. An unknown chain or area is a 404; an area that is not a county (a zone, *) a 400.",
		params: []*openapi3.Parameter{
			query("chain", "产业链编号；省略为全部产业链 one chain; every chain when absent", str()),
			query("area", "县区代码：只列流出或流入该县区的流向；省略为全部 flows from or into this county; every county when absent", str()),
			query("offset", "跳过前几条 flows to skip (default 0)", openapi3.NewIntegerSchema().WithMin(0)),
			query("limit", fmt.Sprintf("每页条数 flows per page (default %d, at most %d)", defaultFlowsPage, maxFlowsPage), positive()),
		},
		status: 200, result: d.schema(graph.FlowPage{}), errors: []int{400, 404}, etag: true})
}
