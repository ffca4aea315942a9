package server

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"chainscope"
	"chainscope/graph"
)

// Limits of GET /api/v1/relatedness (SPEC §11).
const (
	defaultSuggestions = 20   // suggestions per answer without limit
	maxSuggestions     = 1000 // at most this many, whatever limit asks
)

// relatedness answers GET /api/v1/relatedness?area=&chain=&limit= with the
// SPEC §11 object: the segments a county lacks, ranked by their density
// (how much of what usually sits with them the county already has), each
// with the held segments that support it. An empty chain is an absent one
// (every chain); a missing area or a malformed limit is a 400, an area that
// is not a county (a zone, *) a 400 as graph reports it, an unknown area or
// chain a 404. Cached per data version like the other analyses.
func (s *Server) relatedness(c *gin.Context) {
	snap := s.current(c.Request.Context())
	if s.serveCached(c, snap) {
		return
	}
	q := c.Request.URL.Query()
	area, chain := q.Get("area"), q.Get("chain")
	if area == "" {
		s.fail(c, paramErr("缺少参数 area（县区代码）", "area (a county code) is required"))
		return
	}
	limit, err := parseLimit(q, "limit", defaultSuggestions, maxSuggestions)
	if err != nil {
		s.fail(c, err)
		return
	}
	// The key names the answer, not the spelling of the query: chain= and
	// no chain, limit=20 and no limit share one cache entry and one ETag.
	key := c.FullPath() + "?" + url.Values{"area": {area}, "chain": {chain}, "limit": {strconv.Itoa(limit)}}.Encode()
	s.serveData(c, snap, key, true, func() (any, error) { return snap.ix.Related(area, chain, limit) })
}

// ClusterView is the answer of GET /api/v1/cluster: graph's Cluster with
// each county × chain cell carrying its closeness, and of its flows only
// the clusterTopFlows with the most links (graph.RankFlows), with the count
// of all and their links; GET /cluster/flows pages through the rest.
type ClusterView struct {
	Areas      []string          `json:"areas"`
	AreaNames  []string          `json:"area_names"`
	Chains     []string          `json:"chains"`
	ChainNames []string          `json:"chain_names"`
	Cells      []ClusterCellView `json:"cells"`
	Flows      []graph.CrossFlow `json:"flows"`
	FlowsTotal int               `json:"flows_total"`
	FlowsLinks int               `json:"flows_links"`
}

// ClusterCellView is one cell of the cluster matrix and how close the
// county is to the chain: the mean SPEC §11 density of the chain's
// segments the county lacks, rounded to 4 decimals; null when it lacks
// none (or the figure is not defined).
type ClusterCellView struct {
	graph.ClusterCell
	Closeness *float64 `json:"closeness"`
}

// clusterOf adds each cell's closeness to the cluster matrix.
func clusterOf(ds *chainscope.Dataset, ix *graph.Index) (*ClusterView, error) {
	cl, err := ix.Cluster()
	if err != nil {
		return nil, err
	}
	graph.NewPortfolio(ds).MarkCluster(cl)
	// The first page of the flows, as GET /cluster/flows gives it.
	top, err := ix.CrossFlowPage("", "", 0, clusterTopFlows)
	if err != nil {
		return nil, err
	}
	v := &ClusterView{Areas: cl.Areas, AreaNames: cl.AreaNames, Chains: cl.Chains, ChainNames: cl.ChainNames,
		Cells: make([]ClusterCellView, len(cl.Cells)), Flows: top.Items, FlowsTotal: top.Total, FlowsLinks: top.Links}
	for i, cell := range cl.Cells {
		v.Cells[i].ClusterCell = cell
		if x, ok := ix.ChainCloseness(cell.Area, cell.Chain); ok {
			v.Cells[i].Closeness = &x
		}
	}
	return v, nil
}

// relatednessOperation documents GET /api/v1/relatedness.
func (d *apiDoc) relatednessOperation() {
	d.add(operation{method: "GET", path: "/relatedness", id: "relatedness",
		summary: "延链建议 which segments a county could grow next, by what sits together across the region's counties (SPEC §11)",
		description: "Presence: a county (with its zones) holds a segment when an enterprise or a project not cancelled lists it. " +
			"Proximity of two segments: the counties holding both ÷ the larger of their counts. Density of a segment the county lacks: " +
			"the proximity-weighted share of the segments it holds. Suggestions: the segments the county lacks, by density (4 decimals) " +
			"descending, then id; because: up to 3 held segments of largest proximity. Density describes co-location in this region's data, " +
			"not a forecast. An area that is not a county (a zone, *) is a 400; an unknown area or chain a 404.",
		params: []*openapi3.Parameter{
			requiredQuery("area", "县区代码（区、县、县级市，不含开发区，不可为 *）a county code: a district, county or city, not a zone, not *", str()),
			query("chain", "产业链编号：只列该链的环节；省略或为空则为全部产业链 only segments of this chain; every chain when absent or empty", str()),
			query("limit", fmt.Sprintf("最多建议数 at most this many suggestions (default %d, at most %d)", defaultSuggestions, maxSuggestions), positive()),
		},
		status: 200, result: d.component("Relatedness", graph.Relatedness{}), errors: []int{400, 404}, etag: true})
}
