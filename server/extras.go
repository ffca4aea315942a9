package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"chainscope"
	"chainscope/graph"
)

// Caps of the ranking routes.
const (
	maxTargets     = 100  // candidates per segment in /targets
	maxBetweenness = 1000 // nodes in /betweenness
)

// analysisOf is the answer of GET /api/v1/analysis: the scope's
// graph.Scope.DriveReport, whose JSON is the SPEC §6 object exactly as
// Index.Analyze writes it, field for field at the top level, followed by
// the analyses beyond it.
func analysisOf(ds *chainscope.Dataset, ix *graph.Index, area, chain string) (any, error) {
	sc, err := ix.Scope(area, chain)
	if err != nil {
		return nil, err
	}
	return sc.DriveReport(ds), nil
}

// extraRoutes registers the analysis routes beyond SPEC §6, all computed
// from the snapshot's graph.Index and cached per data version (what-if
// excepted: its answer depends on a request body).
func (s *Server) extraRoutes(api *gin.RouterGroup) {
	getHead(api, "/cluster", s.cluster)
	getHead(api, "/cluster/flows", s.clusterFlows) // see cluster.go
	getHead(api, "/impact", s.impact)
	getHead(api, "/targets", s.targets)
	getHead(api, "/betweenness", s.betweenness)
	getHead(api, "/dashboard", s.dashboard)
	getHead(api, "/leaders/:id/suppliers", s.leaderSuppliers) // see leaders.go
	api.POST("/whatif", s.whatIf)
}

func (s *Server) cluster(c *gin.Context) {
	snap := s.current(c.Request.Context())
	if s.serveCached(c, snap) {
		return
	}
	s.serveData(c, snap, routeKey(c, nil), true, func() (any, error) { return clusterOf(snap.ds, snap.ix) })
}

func (s *Server) impact(c *gin.Context) {
	s.serveScoped(c, func(ix *graph.Index, area, chain string) (any, error) { return ix.ProjectImpact(area, chain) })
}

func (s *Server) targets(c *gin.Context) {
	// A bad limit is answered after a bad scope, as the scope is checked first.
	limit, limitErr := parseLimit(c.Request.URL.Query(), "limit", 0, maxTargets)
	snap := s.current(c.Request.Context())
	s.serveScoped(c, func(ix *graph.Index, area, chain string) (any, error) {
		if limitErr != nil {
			return nil, limitErr
		}
		ts, err := ix.GapTargets(area, chain, limit)
		if err == nil {
			graph.MarkTargets(ts, graph.NewOpenLeads(snap.ds, area))
		}
		return ts, err
	})
}

func (s *Server) betweenness(c *gin.Context) {
	snap := s.current(c.Request.Context())
	if s.serveCached(c, snap) {
		return
	}
	q := c.Request.URL.Query()
	top, err := parseLimit(q, "top", graph.DefaultTop, maxBetweenness)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.serveData(c, snap, routeKey(c, q), true, func() (any, error) { return snap.ix.Betweenness(top), nil })
}

func (s *Server) dashboard(c *gin.Context) {
	snap := s.current(c.Request.Context())
	if s.serveCached(c, snap) {
		return
	}
	s.serveData(c, snap, routeKey(c, nil), true, func() (any, error) { return s.dashboardOf(snap), nil })
}

// dashboardOf is the answer of GET /api/v1/dashboard for snap (also what
// warming computes).
func (s *Server) dashboardOf(snap *snapshot) *graph.Dashboard {
	return graph.NewDashboard(snap.ds, s.targetOf(snap.ds))
}

// WhatIfRequest is the body of POST /api/v1/whatif: a scope and a
// scenario (projects made operating, enterprises or projects removed).
type WhatIfRequest struct {
	Area  string `json:"area"`
	Chain string `json:"chain"`
	graph.Scenario
}

// whatIf analyses a scope as it is and as a scenario would leave it. It
// writes nothing, so it needs no editor token.
func (s *Server) whatIf(c *gin.Context) {
	snap := s.current(c.Request.Context())
	body, err := readBody(c, MaxBodyBytes)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req WhatIfRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.fail(c, invalidErr("请求体格式错误：%v", "malformed body: %v", err))
		return
	}
	if dec.More() {
		s.fail(c, invalidErr("请求体应为一个 JSON 对象", "the body must be one JSON object"))
		return
	}
	if req.Area == "" || req.Chain == "" {
		s.fail(c, invalidErr("缺少 area 和 chain（area 为 \"*\" 表示全区域）", "area and chain are required (area \"*\" for the whole region)"))
		return
	}
	if req.Operate == nil {
		req.Operate = []string{}
	}
	if req.Remove == nil {
		req.Remove = []string{}
	}
	res, err := snap.ix.WhatIf(req.Area, req.Chain, req.Scenario)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	writeJSON(c, http.StatusOK, res)
}

// extraOperations documents the routes of extraRoutes and names the
// analysis route's answer.
func (d *apiDoc) extraOperations() {
	d.leaderOperations()
	d.clusterFlowsOperation()
	d.add(operation{method: "GET", path: "/cluster", id: "cluster",
		summary: "产业集群矩阵 county × chain matrix and the largest cross-county supply flows",
		description: fmt.Sprintf("flows are the %d cross-county flows with the most links (ranked as GET /cluster/flows ranks them, which pages "+
			"through every one); flows_total and flows_links count every flow and its links. ", clusterTopFlows) +
			"Each cell's closeness is how close the county is to the chain: the mean SPEC §11 density of the chain's " +
			"segments the county lacks (4 decimals), null when it lacks none. It describes co-location in this region's data, not a forecast.",
		status: 200, result: d.schema(ClusterView{}), etag: true})
	d.add(operation{method: "GET", path: "/impact", id: "impact",
		summary: "在建项目补链效果排名 signed and started projects ranked by what they would fix",
		params:  scopeParams(), status: 200, result: d.schema([]graph.ProjectImpact{}), errors: []int{400, 404}, etag: true})
	d.add(operation{method: "GET", path: "/targets", id: "targets",
		summary: "招商目标 gap segments with candidate enterprises and projects from outside the area",
		params: append(scopeParams(), query("limit",
			fmt.Sprintf("每个环节最多候选数 candidates per segment (default %d, at most %d)", graph.DefaultTargets, maxTargets), positive())),
		status: 200, result: d.schema([]graph.GapTarget{}), errors: []int{400, 404}, etag: true})
	d.add(operation{method: "GET", path: "/betweenness", id: "betweenness",
		summary: "全市供应网络中介中心性 region-wide betweenness centrality, top nodes",
		params: []*openapi3.Parameter{query("top",
			fmt.Sprintf("返回前几名 how many nodes (default %d, at most %d)", graph.DefaultTop, maxBetweenness), positive())},
		status: 200, result: d.schema(graph.Betweenness{}), errors: []int{400}, etag: true})
	d.add(operation{method: "GET", path: "/dashboard", id: "dashboard",
		summary: "招商引资主要指标 the report's lead figures for the region (with the annual target), every county and every chain",
		status:  200, result: d.schema(graph.Dashboard{}), etag: true})
	d.add(operation{method: "POST", path: "/whatif", id: "whatif",
		summary:     "情景推演 analyse a scope before and after a scenario, writing nothing",
		description: "operate: project ids that become operating; remove: enterprise or project ids removed with their links.",
		body:        jsonBody("范围与情景 scope and scenario", d.component("WhatIfRequest", WhatIfRequest{})),
		status:      200, result: d.schema(graph.WhatIf{}), errors: []int{400, 404, 413}})
}

// analysisSchema is the schema of GET /api/v1/analysis: graph.Report, the
// SPEC §6 fields (the Analysis component) at the top level and the
// analyses beyond SPEC after them.
func (d *apiDoc) analysisSchema() *openapi3.SchemaRef {
	return d.component("Report", graph.Report{})
}
