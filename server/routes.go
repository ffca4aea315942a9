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

	e.GET("/healthz", s.healthz)

	api := e.Group("/api/v1")
	api.GET("/openapi.json", s.openAPI)

	// Reads: from the in-memory snapshot of the current data version.
	api.GET("/region", s.region)
	api.GET("/counties", s.counties)
	api.GET("/chains", s.chains)
	api.GET("/enterprises", s.enterprises)
	api.GET("/enterprises/:id", s.enterprise)
	api.GET("/projects", s.projects)
	api.GET("/projects/:id", s.project)
	api.GET("/links", s.links)
	api.GET("/search", s.search)
	api.GET("/audit", s.audit)

	// Analysis (SPEC §5–6 and what is built on it), cached per data version.
	api.GET("/analysis", s.analysis)
	api.GET("/analysis/all", s.analysisAll)
	api.GET("/leaders", s.leaders)
	s.extraRoutes(api)
	// The briefing picture of a scope (SPEC §7), see svg.go.
	api.GET("/export.svg", s.exportSVG)
	api.GET("/gaps.xlsx", s.gapsXLSX) // the 补链清单 workbook, see gaps.go

	// Writes: editors only, one at a time, each through dataset.Build and
	// one store transaction (see commit).
	edit := api.Group("", s.requireEditor)
	edit.POST("/enterprises", s.upsert(entityEnterprise, actionCreate))
	edit.PUT("/enterprises/:id", s.upsert(entityEnterprise, actionUpdate))
	edit.DELETE("/enterprises/:id", s.deleteNode(entityEnterprise))
	edit.POST("/projects", s.upsert(entityProject, actionCreate))
	edit.PUT("/projects/:id", s.upsert(entityProject, actionUpdate))
	edit.DELETE("/projects/:id", s.deleteNode(entityProject))
	edit.POST("/links", s.upsert(entityLink, actionCreate))
	edit.PUT("/links", s.upsert(entityLink, actionUpdate))
	edit.DELETE("/links", s.deleteLink)
	edit.POST("/dataset", s.uploadDataset)
	edit.GET("/backup", s.backup)

	// Everything else: JSON 404 under /api, the web app elsewhere.
	e.NoRoute(s.notFound)
	e.NoMethod(s.methodNotAllowed)
	return e
}
