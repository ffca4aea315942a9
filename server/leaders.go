package server

import (
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"chainscope/graph"
)

// Paging of a chain leader's suppliers.
const (
	defaultSupplierPage = 50
	maxSupplierPage     = 500
)

// leaderSuppliers answers GET /api/v1/leaders/:id/suppliers: one page of
// a chain leader's suppliers (direct and indirect, region-wide), closest
// first, with the totals. The summary in /analysis and /leaders names only
// the closest few; this is where the whole list is read.
func (s *Server) leaderSuppliers(c *gin.Context) {
	snap := s.current(c.Request.Context())
	q := c.Request.URL.Query()
	area, chain, err := scope(q)
	if err != nil {
		s.fail(c, err)
		return
	}
	offset, limit, err := parsePage(q, defaultSupplierPage, maxSupplierPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	id := c.Param("id")
	// The key names the leader: the route's pattern alone does not. The
	// answer is not kept in the snapshot's cache (whose raw keys are by
	// pattern), only validated by its ETag.
	key := "/leaders/" + id + "/suppliers?" + q.Encode()
	s.serveData(c, snap, key, false, func() (any, error) {
		sc, err := snap.ix.Scope(area, chain)
		if err != nil {
			return nil, err
		}
		return sc.LeaderSuppliers(id, offset, limit)
	})
}

// leaderOperations documents the supplier pages.
func (d *apiDoc) leaderOperations() {
	d.add(operation{method: "GET", path: "/leaders/:id/suppliers", id: "leaderSuppliers",
		summary: "链主供应商分页 one page of a chain leader's suppliers, closest first",
		description: "Every node upstream of the leader over the region's supply links (every chain, every area), ordered by " +
			"distance (links on the shortest supply path; 1 = direct supplier), then by how many other suppliers reach the leader " +
			"only through it (descending), then id; with total, direct and indirect counts. inside: the supplier lies in the area. " +
			"An id that is not a chain leader located in the area: 404.",
		params: append(scopeParams(),
			query("offset", "跳过前几个 suppliers to skip (default 0)", openapi3.NewIntegerSchema().WithMin(0)),
			query("limit", fmt.Sprintf("每页条数 suppliers per page (default %d, at most %d)", defaultSupplierPage, maxSupplierPage), positive())),
		status: 200, result: d.schema(graph.SupplierPage{}), errors: []int{400, 404}, etag: true})
}
