package server

import (
	"github.com/gin-gonic/gin"
)

// routes builds the gin engine: middleware, then every route. Each route
// is described in the OpenAPI document (openapi.go); a test fails on any
// route the document lacks.
func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	// The server is reached directly, not through a proxy: the client
	// address is the connection's, whatever X-Forwarded-For says.
	_ = e.SetTrustedProxies(nil)
	e.Use(securityHeaders, s.logRequests, s.recoverJSON)

	getHead(e, "/healthz", s.healthz)
	getHead(e, "/report", s.reportPage) // 月度通报, see report.go

	api := e.Group("/api/v1", s.withAsOf)
	api.Use(s.countRequests) // background warming yields to requests (warm.go)
	getHead(api, "/openapi.json", s.openAPI)

	// Reads: from the in-memory snapshot of the current data version.
	getHead(api, "/region", s.region)
	getHead(api, "/counties", s.counties)
	getHead(api, "/chains", s.chains)
	getHead(api, "/enterprises", s.enterprises)
	getHead(api, "/enterprises/:id", s.enterprise)
	getHead(api, "/projects", s.projects)
	getHead(api, "/projects/:id", s.project)
	getHead(api, "/links", s.links)
	getHead(api, "/link", s.link) // one link with its ETag, for If-Match
	getHead(api, "/leads", s.leads)
	getHead(api, "/leads/:id", s.lead)
	getHead(api, "/search", s.search)
	getHead(api, "/names", s.names)
	getHead(api, "/audit", s.audit)
	// History (SPEC §8): revisions, the diff between two, one record's log.
	getHead(api, "/revisions", s.revisions)
	getHead(api, "/changes", s.changes)
	getHead(api, "/history", s.history)

	// Analysis (SPEC §5–6 and what is built on it), cached per data version.
	getHead(api, "/analysis", s.analysis)
	getHead(api, "/analysis/all", s.analysisAll)
	getHead(api, "/leaders", s.leaders)
	s.extraRoutes(api)
	getHead(api, "/funnel", s.funnel)           // 招商漏斗 (SPEC §9), see funnel.go
	getHead(api, "/periods", s.periods)         // period figures and 晾晒, see funnel.go
	getHead(api, "/relatedness", s.relatedness) // 延链建议 (SPEC §11), see related.go
	// The briefing picture of a scope (SPEC §7), see svg.go.
	getHead(api, "/export.svg", s.exportSVG)
	getHead(api, "/gaps.xlsx", s.gapsXLSX) // the 补链清单 workbook, see gaps.go
	getHead(api, "/map.svg", s.mapSVG)     // the cluster map of a chain, see map.go
	getHead(api, "/boundaries", s.boundaries)

	// Writes: editors only, one at a time, each through dataset.Build and
	// one store transaction (see commit).
	edit := api.Group("", s.requireEditor)
	edit.POST("/enterprises", s.upsert(entityEnterprise, actionCreate))
	edit.PUT("/enterprises/:id", s.upsert(entityEnterprise, actionUpdate))
	edit.DELETE("/enterprises/:id", s.deleteNode(entityEnterprise))
	edit.POST("/projects", s.upsert(entityProject, actionCreate))
	edit.PUT("/projects/:id", s.upsert(entityProject, actionUpdate))
	edit.DELETE("/projects/:id", s.deleteNode(entityProject))
	edit.POST("/leads", s.upsert(entityLead, actionCreate))
	edit.PUT("/leads/:id", s.upsert(entityLead, actionUpdate))
	edit.DELETE("/leads/:id", s.deleteLead)
	edit.POST("/links", s.upsert(entityLink, actionCreate))
	edit.PUT("/links", s.upsert(entityLink, actionUpdate))
	edit.DELETE("/links", s.deleteLink)
	edit.POST("/dataset", s.uploadDataset)
	edit.PUT("/boundaries", s.putBoundaries) // county boundaries for the map, see map.go
	edit.GET("/backup", s.backup)
	edit.GET("/editor", s.editor) // who the token is: checked when the app enters edit mode

	// Everything else: JSON 404 under /api, the web app elsewhere.
	e.NoRoute(s.notFound)
	e.NoMethod(s.methodNotAllowed)
	return e
}

// getHead registers a GET route and its HEAD twin (RFC 9110 §9.3.2): the
// same handlers, whose body net/http then leaves out, so a HEAD answers
// with the status, ETag and Content-Length a GET would. The OpenAPI
// document describes each twin (see apiDoc.add).
func getHead(g gin.IRoutes, path string, handlers ...gin.HandlerFunc) {
	g.GET(path, handlers...)
	g.HEAD(path, handlers...)
}
