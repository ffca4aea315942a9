package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"chainscope"
	"chainscope/graph"
	"chainscope/store"
)

// RegionInfo is the answer of GET /api/v1/region: the region, the data
// version the answer belongs to and how many records of each kind it holds.
type RegionInfo struct {
	chainscope.Region
	// Level is "province" or "city" (chainscope.Region.Level): the app
	// says 全省 or 全市 by it.
	Level       string `json:"level"`
	DataVersion int64  `json:"data_version"`
	Counts      Counts `json:"counts"`
}

// Counts counts the records of a dataset.
type Counts struct {
	Counties    int `json:"counties"` // districts, counties and county-level cities
	Zones       int `json:"zones"`    // development zones
	Chains      int `json:"chains"`
	Segments    int `json:"segments"`
	Enterprises int `json:"enterprises"`
	Projects    int `json:"projects"`
	Links       int `json:"links"`
}

func countsOf(ds *chainscope.Dataset) Counts {
	n := Counts{Chains: len(ds.Chains), Enterprises: len(ds.Enterprises), Projects: len(ds.Projects), Links: len(ds.Links)}
	for _, c := range ds.Counties {
		if c.Kind == chainscope.KindZone {
			n.Zones++
		} else {
			n.Counties++
		}
	}
	for _, c := range ds.Chains {
		n.Segments += len(c.Segments)
	}
	return n
}

// CountyView is a county or zone with the codes of the zones that lie
// directly in it (zones name their county in parent).
type CountyView struct {
	chainscope.County
	Zones []string `json:"zones"`
}

// List is a whole, unpaged list.
type List[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// EnterpriseView is one enterprise with its supply links and the projects
// it invests in.
type EnterpriseView struct {
	Enterprise chainscope.Enterprise `json:"enterprise"`
	Suppliers  []chainscope.Link     `json:"suppliers"` // links into it, supplier → it
	Customers  []chainscope.Link     `json:"customers"` // links out of it, it → customer
	Projects   []string              `json:"projects"`  // ids of the projects it invests in
}

// ProjectView is one project with its supply links.
type ProjectView struct {
	Project   chainscope.Project `json:"project"`
	Suppliers []chainscope.Link  `json:"suppliers"`
	Customers []chainscope.Link  `json:"customers"`
}

// ScopeSummary is one scope of GET /api/v1/analysis/all: its completeness
// and how many segments are missing (of them broken), weak and ok.
type ScopeSummary struct {
	Area         string  `json:"area"`
	Chain        string  `json:"chain"`
	Completeness float64 `json:"completeness"`
	Missing      int     `json:"missing"`
	Broken       int     `json:"broken"`
	Weak         int     `json:"weak"`
	OK           int     `json:"ok"`
	// NotPursued: the county develops other chains (未布局, SPEC §5); its
	// gaps here do not add up into the county's.
	NotPursued bool `json:"not_pursued"`
}

// AuditPage is one page of the audit log, newest first. More says whether
// older entries follow.
type AuditPage struct {
	Items   []store.AuditEntry `json:"items"`
	Page    int                `json:"page"`
	PerPage int                `json:"per_page"`
	More    bool               `json:"more"`
}

// Health is the answer of GET /healthz.
type Health struct {
	Status      string `json:"status"` // "ok"
	DataVersion int64  `json:"data_version"`
}

// healthz answers 200 when the database answers (SPEC §7), 503 otherwise.
func (s *Server) healthz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if s.closing.Load() {
		s.fail(c, chainscope.Localizedf(eUnavailable, "服务正在关闭", "shutting down"))
		return
	}
	v, err := s.db.DataVersion(ctx)
	if err != nil {
		s.log.Error("health check failed", "error", err)
		if unreachable(err) {
			s.fail(c, chainscope.Localizedf(eUnavailable, "无法连接数据库（仍以内存中的数据版本 %d 回答查询）",
				"the database is unreachable (queries are answered from data version %d in memory)", s.snap.Load().version))
			return
		}
		s.fail(c, chainscope.Localizedf(eUnavailable, "数据库无响应", "the database does not answer"))
		return
	}
	c.Header("Cache-Control", "no-store")
	writeJSON(c, http.StatusOK, Health{Status: "ok", DataVersion: v})
}

func (s *Server) openAPI(c *gin.Context) {
	writeBody(c, http.StatusOK, jsonContentType, s.openapi)
}

func (s *Server) region(c *gin.Context) {
	snap := s.current(c.Request.Context())
	if s.serveCached(c, snap) {
		return
	}
	s.serveData(c, snap, routeKey(c, nil), true, func() (any, error) {
		return RegionInfo{Region: snap.ds.Region, Level: snap.ds.Region.Level(), DataVersion: snap.version, Counts: countsOf(snap.ds)}, nil
	})
}

func (s *Server) counties(c *gin.Context) {
	snap := s.current(c.Request.Context())
	if s.serveCached(c, snap) {
		return
	}
	s.serveData(c, snap, routeKey(c, nil), true, func() (any, error) {
		ds := snap.ds
		out := List[CountyView]{Items: make([]CountyView, len(ds.Counties)), Total: len(ds.Counties)}
		for i, co := range ds.Counties {
			zones := snap.lk.children[co.Code]
			if zones == nil {
				zones = []string{}
			}
			out.Items[i] = CountyView{County: co, Zones: zones}
		}
		return out, nil
	})
}

func (s *Server) chains(c *gin.Context) {
	snap := s.current(c.Request.Context())
	if s.serveCached(c, snap) {
		return
	}
	s.serveData(c, snap, routeKey(c, nil), true, func() (any, error) {
		return List[chainscope.Chain]{Items: snap.ds.Chains, Total: len(snap.ds.Chains)}, nil
	})
}

// serveList answers a paged, filtered list of one kind of record: the
// paging, the filter and, for a kind that can be sorted (parseOrder not
// nil), the order are parsed from the query (400 when malformed), and the
// page is computed from the snapshot's dataset.
func serveList[T, F any, PF interface {
	*F
	match(lk *lookup, r *T) bool
}](s *Server, c *gin.Context, records func(*chainscope.Dataset) []T, parse func(url.Values, *lookup) (F, error),
	parseOrder func(url.Values, *lookup) (func(a, b *T) int, error)) {
	snap := s.current(c.Request.Context())
	q := c.Request.URL.Query()
	pg, err := parsePaging(q)
	if err != nil {
		s.fail(c, err)
		return
	}
	f, err := parse(q, snap.lk)
	if err != nil {
		s.fail(c, err)
		return
	}
	var compare func(a, b *T) int
	if parseOrder != nil {
		if compare, err = parseOrder(q, snap.lk); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.serveData(c, snap, routeKey(c, q), false, func() (any, error) {
		match := func(r *T) bool { return PF(&f).match(snap.lk, r) }
		if compare != nil {
			return paginateSorted(records(snap.ds), pg, match, compare), nil
		}
		return paginate(records(snap.ds), pg, match), nil
	})
}

func (s *Server) enterprises(c *gin.Context) {
	serveList(s, c, func(ds *chainscope.Dataset) []chainscope.Enterprise { return ds.Enterprises }, parseEnterpriseFilter, nil)
}

func (s *Server) projects(c *gin.Context) {
	serveList(s, c, func(ds *chainscope.Dataset) []chainscope.Project { return ds.Projects }, parseProjectFilter, parseProjectOrder)
}

func (s *Server) links(c *gin.Context) {
	serveList(s, c, func(ds *chainscope.Dataset) []chainscope.Link { return ds.Links }, parseLinkFilter, nil)
}

func (s *Server) enterprise(c *gin.Context) {
	snap := s.current(c.Request.Context())
	id := c.Param("id")
	i, ok := snap.lk.ent[id]
	if !ok {
		s.fail(c, notFoundErr("未知的企业 %q", "unknown enterprise %q", id))
		return
	}
	v := EnterpriseView{
		Enterprise: snap.ds.Enterprises[i],
		Suppliers:  snap.lk.suppliers(i),
		Customers:  snap.lk.customers(i),
		Projects:   []string{},
	}
	for _, p := range snap.ds.Projects {
		if p.Investor == id {
			v.Projects = append(v.Projects, p.ID)
		}
	}
	s.serveRecord(c, &snap.ds.Enterprises[i], v)
}

func (s *Server) project(c *gin.Context) {
	snap := s.current(c.Request.Context())
	id := c.Param("id")
	i, ok := snap.lk.proj[id]
	if !ok {
		s.fail(c, notFoundErr("未知的项目 %q", "unknown project %q", id))
		return
	}
	n := len(snap.ds.Enterprises) + i
	s.serveRecord(c, &snap.ds.Projects[i], ProjectView{Project: snap.ds.Projects[i], Suppliers: snap.lk.suppliers(n), Customers: snap.lk.customers(n)})
}

// link answers GET /api/v1/link?from=&to=: one supply link with the ETag
// of its version (SPEC §8), which an edit of it sends back as If-Match.
func (s *Server) link(c *gin.Context) {
	snap := s.current(c.Request.Context())
	from, to, err := linkQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	j, ok := snap.lk.link(from, to)
	if !ok {
		s.fail(c, notFoundErr("没有 %q → %q 的供需关系", "no link %q → %q", from, to))
		return
	}
	s.serveRecord(c, &snap.ds.Links[j], snap.ds.Links[j])
}

// analysis answers SPEC §7 GET /api/v1/analysis?area=&chain= with the
// §6 object (see analysisOf).
func (s *Server) analysis(c *gin.Context) {
	snap := s.current(c.Request.Context())
	s.serveScoped(c, func(ix *graph.Index, area, chain string) (any, error) { return analysisOf(snap.ds, ix, area, chain) })
}

func (s *Server) analysisAll(c *gin.Context) {
	snap := s.current(c.Request.Context())
	if s.serveCached(c, snap) {
		return
	}
	s.serveData(c, snap, routeKey(c, nil), true, func() (any, error) {
		all, err := snap.ix.AnalyzeAll()
		if err != nil {
			return nil, err
		}
		return summarize(all, graph.NewPortfolio(snap.ds)), nil
	})
}

// summarize reduces analyses to their scope summaries.
func summarize(all []*graph.Analysis, pf *graph.Portfolio) List[ScopeSummary] {
	out := List[ScopeSummary]{Items: make([]ScopeSummary, len(all)), Total: len(all)}
	for i, a := range all {
		sum := ScopeSummary{Area: a.Area, Chain: a.Chain, Completeness: a.Completeness, NotPursued: !pf.Pursues(a.Area, a.Chain)}
		for _, seg := range a.Segments {
			switch seg.Status {
			case graph.Missing:
				sum.Missing++
				if seg.Broken {
					sum.Broken++
				}
			case graph.Weak:
				sum.Weak++
			case graph.OK:
				sum.OK++
			}
		}
		out.Items[i] = sum
	}
	return out
}

func (s *Server) leaders(c *gin.Context) {
	s.serveScoped(c, func(ix *graph.Index, area, chain string) (any, error) { return ix.LeaderDependency(area, chain) })
}

// serveScoped answers a cached per-scope analysis route: area and chain are
// read from the query (400 when missing), compute runs once per data version.
func (s *Server) serveScoped(c *gin.Context, compute func(ix *graph.Index, area, chain string) (any, error)) {
	snap := s.current(c.Request.Context())
	if s.serveCached(c, snap) {
		return
	}
	q := c.Request.URL.Query()
	area, chain, err := scope(q)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.serveData(c, snap, routeKey(c, q), true, func() (any, error) { return compute(snap.ix, area, chain) })
}

func (s *Server) search(c *gin.Context) {
	snap := s.current(c.Request.Context())
	q := c.Request.URL.Query()
	text := q.Get("q")
	if len([]rune(text)) < 1 || len(text) > 200 {
		s.fail(c, paramErr("缺少搜索词 q（1–200 个字符）", "q is required, 1–200 characters"))
		return
	}
	limit, err := parseLimit(q, "limit", 20, maxPerPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	kind := q.Get("kind")
	if kind != "" && !slices.Contains(searchKinds, kind) {
		s.fail(c, paramErr("参数 kind 应为 %[2]s 之一：%[1]q", "kind must be one of %[2]s: %[1]q", kind, strings.Join(searchKinds, ", ")))
		return
	}
	s.serveData(c, snap, routeKey(c, q), false, func() (any, error) {
		return search(snap.ds, text, kind, limit), nil
	})
}

// names answers GET /api/v1/names?ids=A,B,…: the name and kind of each
// enterprise or project asked for, by id, in one request (a segment's
// panel names its first members; a search per id scans every record).
func (s *Server) names(c *gin.Context) {
	snap := s.current(c.Request.Context())
	q := c.Request.URL.Query()
	var ids []string
	for _, v := range q["ids"] {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 || len(ids) > maxNames {
		s.fail(c, paramErr("参数 ids 应为 1–%d 个以逗号分隔的编号", "ids must be 1–%d ids separated by commas", maxNames))
		return
	}
	s.serveData(c, snap, routeKey(c, q), false, func() (any, error) { return names(snap.lk, ids), nil })
}

func (s *Server) audit(c *gin.Context) {
	snap := s.current(c.Request.Context())
	q := c.Request.URL.Query()
	pg, err := parsePaging(q)
	if err != nil {
		s.fail(c, err)
		return
	}
	// Every write bumps the data version, audit entries included, so the
	// version validates the log as well as the data.
	s.serveData(c, snap, routeKey(c, q), false, func() (any, error) {
		entries, err := s.db.Audit(c.Request.Context(), pg.perPage+1, pg.offset())
		if err != nil {
			return nil, err
		}
		out := AuditPage{Items: entries, Page: pg.page, PerPage: pg.perPage}
		if len(entries) > pg.perPage {
			out.Items, out.More = entries[:pg.perPage], true
		}
		return out, nil
	})
}
