package server

import (
	"net/url"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"chainscope/graph"
)

// funnel answers GET /api/v1/funnel?area=&chain=&from=&to= with the SPEC §9
// funnel (graph.NewFunnel): area "*" when absent or empty, chain every
// chain when absent or empty, from and to optional inclusive dates. A
// malformed date is a 400, an unknown area or chain a 404. Cached per data
// version; as_of answers as of that revision.
func (s *Server) funnel(c *gin.Context) {
	snap := s.current(c.Request.Context())
	if s.serveCached(c, snap) {
		return
	}
	q := c.Request.URL.Query()
	area := q.Get("area")
	if area == "" {
		area = "*"
	}
	p := graph.Period{From: q.Get("from"), To: q.Get("to")}
	key := c.FullPath() + "?" + url.Values{"area": {area}, "chain": {q.Get("chain")}, "from": {p.From}, "to": {p.To}}.Encode()
	s.serveData(c, snap, key, true, func() (any, error) { return graph.NewFunnel(snap.ds, area, q.Get("chain"), p) })
}

// funnelOperation documents GET /api/v1/funnel.
func (d *apiDoc) funnelOperation() {
	d.add(operation{method: "GET", path: "/funnel", id: "funnel",
		summary: "招商漏斗 the leads pipeline of an area and chain over a period (SPEC §9)",
		description: "For each stage (visited 走访, intent 意向, inspected 考察, negotiating 洽谈, signed 签约) the leads of the area " +
			"(a county includes its zones) and chain (a lead is in a chain when one of its segments is) that reached it with a date in " +
			"[from, to], both inclusive. Without from and to every lead counts for every stage it has reached, dated or not (a dropped lead: " +
			"the stages it has dates for); with either only dated stages count. rate: count ÷ the previous stage's count (4 decimals), " +
			"null for visited or when the previous count is 0. leads: the ids behind each bar, byte order. dropped: the dropped leads " +
			"whose dropped date lies in the period (without a period every dropped lead), dropped_leads their ids.",
		params: []*openapi3.Parameter{
			query("area", "县区代码，含其开发区；省略或 * 为全市 county or zone code, its zones included; * or absent: the whole region", str()),
			query("chain", "产业链编号；省略或为空则为全部产业链 chain id; every chain when absent or empty", str()),
			query("from", "起始日期（含）first day, inclusive", date()),
			query("to", "结束日期（含）last day, inclusive", date()),
		},
		status: 200, result: d.component("Funnel", graph.Funnel{}), errors: []int{400, 404}, etag: true})
}
