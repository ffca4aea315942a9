package server

import (
	"cmp"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"chainscope"
	"chainscope/dataset"
)

// Paging limits of every list route.
const (
	defaultPerPage = 50
	maxPerPage     = 500
)

// Page is one page of a filtered list: the items of page Page (1-based),
// PerPage at most, and Total, how many records match in all.
type Page[T any] struct {
	Items   []T `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

// paging is a requested page.
type paging struct{ page, perPage int }

// offset is the number of matching records before the page.
func (p paging) offset() int { return (p.page - 1) * p.perPage }

// parsePaging reads page (default 1) and per_page (default 50, capped at
// 500). Anything but a positive integer is malformed.
func parsePaging(q url.Values) (paging, error) {
	p := paging{page: 1, perPage: defaultPerPage}
	var err error
	if v := q.Get("page"); v != "" {
		if p.page, err = strconv.Atoi(v); err != nil || p.page < 1 || p.page > 1<<24 {
			return p, paramErr("页码 page 应为正整数：%q", "page must be a positive integer: %q", v)
		}
	}
	if v := q.Get("per_page"); v != "" {
		if p.perPage, err = strconv.Atoi(v); err != nil || p.perPage < 1 {
			return p, paramErr("每页条数 per_page 应为正整数：%q", "per_page must be a positive integer: %q", v)
		}
		p.perPage = min(p.perPage, maxPerPage)
	}
	return p, nil
}

// paginate returns the page p of the items that match, and how many match
// in all. It allocates only the page.
func paginate[T any](items []T, p paging, match func(*T) bool) Page[T] {
	out := Page[T]{Items: []T{}, Page: p.page, PerPage: p.perPage}
	skip := p.offset()
	for i := range items {
		if !match(&items[i]) {
			continue
		}
		if out.Total >= skip && len(out.Items) < p.perPage {
			out.Items = append(out.Items, items[i])
		}
		out.Total++
	}
	return out
}

// paginateSorted is paginate in the order of compare, which must be a
// total order (ties broken by id), so that pages never overlap: the
// matching records are sorted before the page is cut.
func paginateSorted[T any](items []T, p paging, match func(*T) bool, compare func(a, b *T) int) Page[T] {
	var hits []*T
	for i := range items {
		if match(&items[i]) {
			hits = append(hits, &items[i])
		}
	}
	slices.SortFunc(hits, compare)
	out := Page[T]{Items: []T{}, Total: len(hits), Page: p.page, PerPage: p.perPage}
	lo := min(p.offset(), len(hits))
	for _, r := range hits[lo:min(lo+p.perPage, len(hits))] {
		out.Items = append(out.Items, *r)
	}
	return out
}

// projectSorts are the fields GET /api/v1/projects sorts by, each an
// ascending comparison of two projects by that field alone. An unknown
// value (no investment, no date, no segment) comes first; statuses follow
// a project's life (signed, started, operating, stalled, cancelled); chain
// is the chain of the project's first segment, in the dataset's order.
var projectSorts = map[string]func(lk *lookup, a, b *chainscope.Project) int{
	"id":       func(_ *lookup, a, b *chainscope.Project) int { return cmp.Compare(a.ID, b.ID) },
	"name":     func(_ *lookup, a, b *chainscope.Project) int { return cmp.Compare(a.Name, b.Name) },
	"county":   func(_ *lookup, a, b *chainscope.Project) int { return cmp.Compare(a.County, b.County) },
	"investor": func(_ *lookup, a, b *chainscope.Project) int { return cmp.Compare(a.Investor, b.Investor) },
	"signed":   func(_ *lookup, a, b *chainscope.Project) int { return cmp.Compare(a.Signed, b.Signed) },
	"started":  func(_ *lookup, a, b *chainscope.Project) int { return cmp.Compare(a.Started, b.Started) },
	"chain": func(lk *lookup, a, b *chainscope.Project) int {
		return cmp.Compare(lk.firstChain(a.Segments), lk.firstChain(b.Segments))
	},
	"investment_wan": func(_ *lookup, a, b *chainscope.Project) int {
		if a.InvestmentWan == nil || b.InvestmentWan == nil {
			return cmp.Compare(btoi(a.InvestmentWan != nil), btoi(b.InvestmentWan != nil))
		}
		return cmp.Compare(*a.InvestmentWan, *b.InvestmentWan)
	},
	"status": func(_ *lookup, a, b *chainscope.Project) int {
		return cmp.Compare(slices.Index(chainscope.Statuses, a.Status), slices.Index(chainscope.Statuses, b.Status))
	},
	"emerging": func(_ *lookup, a, b *chainscope.Project) int { return cmp.Compare(btoi(a.Emerging), btoi(b.Emerging)) },
}

// projectSortFields lists the keys of projectSorts, sorted.
var projectSortFields = slices.Sorted(maps.Keys(projectSorts))

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// parseProjectOrder reads sort (a field of projectSorts; none keeps the
// stored order) and dir (asc, the default, or desc). Projects equal in the
// field are in ascending id order whichever the direction, as the ledger
// has always shown them.
func parseProjectOrder(q url.Values, lk *lookup) (func(a, b *chainscope.Project) int, error) {
	dir := q.Get("dir")
	if dir != "" && dir != "asc" && dir != "desc" {
		return nil, paramErr("排序方向 dir 应为 asc 或 desc：%q", "dir must be asc or desc: %q", dir)
	}
	field := q.Get("sort")
	if field == "" {
		return nil, nil
	}
	by, ok := projectSorts[field]
	if !ok {
		return nil, paramErr("未知的排序字段 %q：应为 %s", "unknown sort field %q: expected %s", field, strings.Join(projectSortFields, ", "))
	}
	sign := 1
	if dir == "desc" {
		sign = -1
	}
	return func(a, b *chainscope.Project) int {
		if c := by(lk, a, b); c != 0 {
			return sign * c
		}
		return cmp.Compare(a.ID, b.ID)
	}, nil
}

// parseBool reads a boolean query parameter as SPEC §3 reads booleans
// (dataset.ParseBool: true/false, 1/0, 是/否, Y/N and their variants).
// Absent is nil.
func parseBool(q url.Values, name string) (*bool, error) {
	v := q.Get(name)
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	b, ok := dataset.ParseBool(v)
	if !ok {
		return nil, paramErr("参数 %s 应为 true 或 false（或 1/0、是/否、Y/N）：%q", "%s must be true or false (or 1/0, 是/否, Y/N): %q", name, v)
	}
	return &b, nil
}

// parseDate reads a YYYY-MM-DD query parameter; absent is "".
func parseDate(q url.Values, name string) (string, error) {
	v := q.Get(name)
	if v == "" {
		return "", nil
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		return "", paramErr("参数 %s 应为 YYYY-MM-DD 日期：%q", "%s must be a date YYYY-MM-DD: %q", name, v)
	}
	return v, nil
}

// parseLimit reads a positive integer parameter with a default and a cap.
func parseLimit(q url.Values, name string, def, capAt int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, paramErr("参数 %s 应为正整数：%q", "%s must be a positive integer: %q", name, v)
	}
	return min(n, capAt), nil
}

// scope reads the required area and chain of an analysis route. Whether
// they exist is the analysis's to say (404).
func scope(q url.Values) (area, chain string, err error) {
	area, chain = q.Get("area"), q.Get("chain")
	if area == "" || chain == "" {
		return "", "", paramErr("缺少参数 area 和 chain（area=* 表示全区域）", "area and chain are required (area=* for the whole region)")
	}
	return area, chain, nil
}

// parseLang reads the language of a rendered answer (a picture, a
// workbook): "" or "zh" for Chinese, "en" for English.
func parseLang(q url.Values) (string, error) {
	lang := q.Get("lang")
	if lang != "" && lang != "zh" && lang != "en" {
		return "", paramErr("参数 lang 应为 zh 或 en：%q", "lang must be zh or en: %q", lang)
	}
	return lang, nil
}

// commonFilter is what the enterprise, project and link filters share.
type commonFilter struct {
	area    map[string]bool // county codes the record may lie in; nil: any
	chain   string          // the record lists a segment of this chain
	segment string          // the record lists this segment
	q       string          // lower-case search text
}

// parseCommon reads county, chain, segment and q; an unknown county, chain
// or segment is a 404, as for the analysis.
func parseCommon(q url.Values, lk *lookup) (commonFilter, error) {
	var f commonFilter
	if code := q.Get("county"); code != "" {
		set, ok := lk.area(code)
		if !ok {
			return f, notFoundErr("未知的县区 %q", "unknown county %q", code)
		}
		f.area = set
	}
	if id := q.Get("chain"); id != "" {
		if _, ok := lk.chain[id]; !ok {
			return f, notFoundErr("未知的产业链 %q", "unknown chain %q", id)
		}
		f.chain = id
	}
	if id := q.Get("segment"); id != "" {
		if _, ok := lk.segment[id]; !ok {
			return f, notFoundErr("未知的环节 %q", "unknown segment %q", id)
		}
		f.segment = id
	}
	f.q = strings.ToLower(strings.TrimSpace(q.Get("q")))
	return f, nil
}

// located reports whether a record in county passes the area filter.
func (f *commonFilter) located(county string) bool {
	return f.area == nil || f.area[county]
}

// placed reports whether a record on segments passes the chain and
// segment filters.
func (f *commonFilter) placed(lk *lookup, segments []string) bool {
	if f.chain == "" && f.segment == "" {
		return true
	}
	inChain, onSegment := f.chain == "", f.segment == ""
	for _, s := range segments {
		if s == f.segment {
			onSegment = true
		}
		if !inChain && lk.segmentChain(s) == f.chain {
			inChain = true
		}
	}
	return inChain && onSegment
}

// contains reports whether text contains the lower-case needle, ignoring case.
func contains(text, needle string) bool {
	return strings.Contains(strings.ToLower(text), needle)
}

// enterpriseFilter selects enterprises: by area (a county with its zones),
// chain, segment, whether they lead a chain (the filtered chain, when one
// is given) and search text matching the name, USCC or id.
type enterpriseFilter struct {
	commonFilter
	leader *bool
}

func parseEnterpriseFilter(q url.Values, lk *lookup) (enterpriseFilter, error) {
	c, err := parseCommon(q, lk)
	if err != nil {
		return enterpriseFilter{}, err
	}
	leader, err := parseBool(q, "leader")
	return enterpriseFilter{commonFilter: c, leader: leader}, err
}

func (f *enterpriseFilter) match(lk *lookup, e *chainscope.Enterprise) bool {
	if !f.located(e.County) || !f.placed(lk, e.Segments) {
		return false
	}
	if f.leader != nil {
		leads := false
		for _, c := range e.LeaderOf {
			if f.chain == "" || c == f.chain {
				leads = true
				break
			}
		}
		if leads != *f.leader {
			return false
		}
	}
	return f.q == "" || contains(e.Name, f.q) || contains(e.USCC, f.q) || contains(e.ID, f.q)
}

// projectFilter selects projects: the common filters, statuses, emerging
// or not, a signing-date range (inclusive; a project without a signing
// date is outside every range), the investor, and search text matching the
// name or id.
type projectFilter struct {
	commonFilter
	status     map[chainscope.Status]bool
	emerging   *bool
	signedFrom string
	signedTo   string
	investor   string
}

func parseProjectFilter(q url.Values, lk *lookup) (projectFilter, error) {
	c, err := parseCommon(q, lk)
	if err != nil {
		return projectFilter{}, err
	}
	f := projectFilter{commonFilter: c, investor: q.Get("investor")}
	for _, v := range q["status"] {
		for s := range strings.SplitSeq(v, ",") {
			st := chainscope.Status(strings.TrimSpace(s))
			if !validStatus(st) {
				return f, paramErr("未知的项目状态 %q：应为 signed/started/operating/stalled/cancelled", "unknown status %q: expected signed/started/operating/stalled/cancelled", s)
			}
			if f.status == nil {
				f.status = map[chainscope.Status]bool{}
			}
			f.status[st] = true
		}
	}
	if f.emerging, err = parseBool(q, "emerging"); err != nil {
		return f, err
	}
	if f.signedFrom, err = parseDate(q, "signed_from"); err != nil {
		return f, err
	}
	if f.signedTo, err = parseDate(q, "signed_to"); err != nil {
		return f, err
	}
	if f.signedFrom != "" && f.signedTo != "" && f.signedFrom > f.signedTo {
		return f, paramErr("signed_from 晚于 signed_to", "signed_from is after signed_to")
	}
	return f, nil
}

func validStatus(st chainscope.Status) bool {
	for _, s := range chainscope.Statuses {
		if s == st {
			return true
		}
	}
	return false
}

func (f *projectFilter) match(lk *lookup, p *chainscope.Project) bool {
	switch {
	case !f.located(p.County) || !f.placed(lk, p.Segments):
		return false
	case f.status != nil && !f.status[p.Status]:
		return false
	case f.emerging != nil && p.Emerging != *f.emerging:
		return false
	case f.signedFrom != "" && (p.Signed == "" || p.Signed < f.signedFrom):
		return false
	case f.signedTo != "" && (p.Signed == "" || p.Signed > f.signedTo):
		return false
	case f.investor != "" && p.Investor != f.investor:
		return false
	}
	return f.q == "" || contains(p.Name, f.q) || contains(p.ID, f.q)
}

// linkFilter selects links: from, to, either end (node), an end located in
// the area, both ends on the chain (or segment), and search text matching
// the product or an end's id.
type linkFilter struct {
	commonFilter
	from, to, node string
}

func parseLinkFilter(q url.Values, lk *lookup) (linkFilter, error) {
	c, err := parseCommon(q, lk)
	return linkFilter{commonFilter: c, from: q.Get("from"), to: q.Get("to"), node: q.Get("node")}, err
}

func (f *linkFilter) match(lk *lookup, l *chainscope.Link) bool {
	switch {
	case f.from != "" && l.From != f.from, f.to != "" && l.To != f.to:
		return false
	case f.node != "" && l.From != f.node && l.To != f.node:
		return false
	}
	if f.area != nil || f.chain != "" || f.segment != "" {
		fc, fs, _ := lk.node(l.From)
		tc, ts, _ := lk.node(l.To)
		if !f.located(fc) && !f.located(tc) {
			return false
		}
		if !f.placed(lk, fs) || !f.placed(lk, ts) {
			return false
		}
	}
	return f.q == "" || contains(l.Product, f.q) || contains(l.From, f.q) || contains(l.To, f.q)
}
