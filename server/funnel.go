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

// periods answers GET /api/v1/periods?kind=month|quarter|ytd&period=YYYY-MM&area=
// with graph.PeriodFigures: the period's figures by the records' own dates,
// the previous period's, the change, the counties ranked by each figure and
// the report record whose bounds equal the period. area is "*" when absent
// or empty. A missing or malformed kind or period, or a zone, is a 400; an
// unknown area a 404.
func (s *Server) periods(c *gin.Context) {
	snap := s.current(c.Request.Context())
	if s.serveCached(c, snap) {
		return
	}
	q := c.Request.URL.Query()
	kind, period, area := q.Get("kind"), q.Get("period"), q.Get("area")
	if kind == "" || period == "" {
		s.fail(c, paramErr("缺少参数 kind（month、quarter 或 ytd）和 period（YYYY-MM）", "kind (month, quarter or ytd) and period (YYYY-MM) are required"))
		return
	}
	if area == "" {
		area = "*"
	}
	key := c.FullPath() + "?" + url.Values{"kind": {kind}, "period": {period}, "area": {area}}.Encode()
	s.serveData(c, snap, key, true, func() (any, error) {
		return graph.NewPeriodFigures(snap.ds, kind, period, area, s.targetOf(snap.ds))
	})
}

// periodsOperation documents GET /api/v1/periods.
func (d *apiDoc) periodsOperation() {
	d.add(operation{method: "GET", path: "/periods", id: "periods",
		summary: "期间指标与县区晾晒 period figures by the records' own dates, the previous period, the change and the county ranking",
		description: "month: the calendar month; quarter: the quarter holding the month; ytd: 1 January to the month's end (1–4月). " +
			"Previous: the month or quarter before; for ytd the same months of the year before (同比). Figures (台账口径) are those of the " +
			"dashboard over the projects whose signed date lies in the period; started: of those, the ones whose started date lies in the " +
			"period too; start_rate = started ÷ signed. change: this minus previous, shares in percentage points (2 decimals). rankings: " +
			"the counties by signed, investment_wan, started, start_rate and emerging, largest first, equal values sharing a rank. report " +
			"(上报口径): the report record of the area (the region's code for *) whose from and to equal the period, with start_rate = " +
			"started ÷ due, target_share and emerging_share; null when none.",
		params: []*openapi3.Parameter{
			requiredQuery("kind", "期间类型 month 月 / quarter 季度 / ytd 年初至今", openapi3.NewStringSchema().WithEnum("month", "quarter", "ytd")),
			requiredQuery("period", "年月 YYYY-MM", str()),
			query("area", "县区代码（不含开发区）；省略或 * 为全市 a county code (not a zone); * or absent: the whole region", str()),
		},
		status: 200, result: d.component("PeriodFigures", graph.PeriodFigures{}), errors: []int{400, 404}, etag: true})
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
