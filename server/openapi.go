package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"

	"chainscope"
	"chainscope/dataset"
	"chainscope/graph"
)

// apiDoc builds the OpenAPI 3 document of the API. Response schemas are
// generated from the Go types the handlers encode (openapi3gen), with
// every field that is not omitempty required and no other field allowed,
// so the document cannot drift from the responses without the tests
// noticing.
type apiDoc struct {
	doc *openapi3.T
}

// openAPIDocument returns the OpenAPI document served at
// /api/v1/openapi.json.
func openAPIDocument() ([]byte, error) {
	d, err := buildAPIDoc()
	if err != nil {
		return nil, err
	}
	return json.Marshal(d.doc)
}

// Security requirements of the write routes: either header carries the
// editor token.
var editorSecurity = openapi3.SecurityRequirements{{"bearer": {}}, {"editorToken": {}}}

func buildAPIDoc() (d *apiDoc, err error) {
	// openapi3gen reports a type it cannot describe by panicking in a few
	// corners; a document that cannot be built is an error of New.
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("openapi: %v", v)
		}
	}()
	d = &apiDoc{doc: &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{
			Title:   "chainscope 产业链图谱 API",
			Version: "1",
			Description: "产业链图谱的读写接口。Reads are open; writes need the editor token " +
				"(Authorization: Bearer T or X-Editor-Token: T): without a configured token the server is " +
				"read-only and every write answers 403, a missing or wrong token answers 401. " +
				"Errors are JSON {\"error\": \"...\", \"code\": \"...\"}: error is one language, English when the first tag " +
				"of Accept-Language starts with en and Chinese otherwise; code is a stable word (invalid, bad_parameter, " +
				"not_found, conflict, unauthorized, read_only, precondition_failed, payload_too_large, " +
				"method_not_allowed, unavailable, internal). Invalid data (422) adds \"problems\" " +
				"[{sheet,row,column,value,message}]. GET answers carry an ETag (data version and query) " +
				"and answer If-None-Match with 304.",
		},
		Servers: openapi3.Servers{{URL: "/"}},
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas: openapi3.Schemas{},
			SecuritySchemes: openapi3.SecuritySchemes{
				"bearer": {Value: &openapi3.SecurityScheme{Type: "http", Scheme: "bearer",
					Description: "编辑令牌 an editor's token (serve --editors FILE, --editor NAME=TOKEN, or the shared --editor-token / CHAINSCOPE_EDITOR_TOKEN)"}},
				"editorToken": {Value: &openapi3.SecurityScheme{Type: "apiKey", In: "header", Name: "X-Editor-Token",
					Description: "编辑令牌 the editor token, as a header of its own"}},
			},
		},
	}}
	errRef := d.component("Error", ErrorBody{})
	d.component("Problem", chainscope.Problem{})
	d.doc.Components.Responses = openapi3.ResponseBodies{}
	for _, status := range []int{400, 401, 403, 404, 405, 409, 412, 413, 422, 500, 503} {
		d.doc.Components.Responses[fmt.Sprint(status)] = &openapi3.ResponseRef{Value: openapi3.NewResponse().
			WithDescription(errorDescriptions[status]).WithJSONSchemaRef(errRef)}
	}
	d.coreOperations()
	d.extraOperations()
	d.relatednessOperation()
	d.svgOperation()
	d.mapOperations()
	d.gapsOperation()
	d.funnelOperation()
	d.periodsOperation()
	d.reportOperation()
	return d, nil
}

// errorDescriptions say when each error status is answered.
var errorDescriptions = map[int]string{
	400: "请求格式错误 malformed request: a missing or malformed parameter, or a body that is not one JSON object",
	401: "缺少或错误的编辑令牌 missing or wrong editor token",
	403: "只读服务器 the server is read-only (no editor token configured): code read_only",
	404: "未知的县区、产业链、环节或编号 unknown area, chain, segment or id",
	405: "不支持的请求方法 method not allowed",
	409: "与已有数据冲突 the record already exists",
	412: "记录已被他人修改 the record changed since the version If-Match names; nothing was written (SPEC §8)",
	413: "请求体过大 body too large (uploads 50 MiB, other bodies 1 MiB)",
	422: "数据有问题，未写入 the body or upload has problems — malformed JSON, an unknown field, a broken SPEC §4 rule — each in problems with its sheet, row, column and value; nothing was stored",
	500: "内部错误 internal error",
	503: "服务不可用 shutting down, or the database does not answer",
}

// anyOf turns strings into the values of an enumeration.
func anyOf(vs []string) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// acceptLanguage is the header that picks the language of error
// messages and warnings: English when its first tag starts with en,
// Chinese otherwise.
var acceptLanguage = openapi3.NewHeaderParameter("Accept-Language").WithSchema(openapi3.NewStringSchema()).
	WithDescription("错误信息与警告的语言：首个语言标签以 en 开头为英文，否则中文 the language of error messages and warnings: " +
		"English when the first language tag starts with en, Chinese otherwise (and by default)")

// component generates the schema of v's type, registers it as a named
// component and returns a reference to it.
func (d *apiDoc) component(name string, v any) *openapi3.SchemaRef {
	ref := d.schema(v)
	d.doc.Components.Schemas[name] = ref
	return openapi3.NewSchemaRef("#/components/schemas/"+name, ref.Value)
}

// schema generates the schema of v's type, inline.
func (d *apiDoc) schema(v any) *openapi3.SchemaRef {
	ref, err := openapi3gen.NewSchemaRefForValue(v, nil, openapi3gen.SchemaCustomizer(customizeSchema))
	if err != nil {
		panic(fmt.Sprintf("schema of %T: %v", v, err))
	}
	return ref
}

var (
	flowType      = reflect.TypeFor[chainscope.Flow]()
	enumerations  = map[reflect.Type][]any{}
	noExtraFields = false
)

func init() {
	enum := func(t reflect.Type, values ...string) {
		for _, v := range values {
			enumerations[t] = append(enumerations[t], v)
		}
	}
	strs := func(vs any) []string {
		rv := reflect.ValueOf(vs)
		out := make([]string, rv.Len())
		for i := range out {
			out[i] = rv.Index(i).String()
		}
		return out
	}
	enum(reflect.TypeFor[chainscope.Kind](), strs(chainscope.Kinds)...)
	enum(reflect.TypeFor[chainscope.Stage](), strs(chainscope.Stages)...)
	enum(reflect.TypeFor[chainscope.Status](), strs(chainscope.Statuses)...)
	enum(reflect.TypeFor[graph.Status](), string(graph.Missing), string(graph.Weak), string(graph.OK))
	enum(reflect.TypeFor[graph.Reason](), string(graph.ReasonSingle), string(graph.ReasonPlannedOnly))
	enum(reflect.TypeFor[graph.CandidateCode](), strs(graph.CandidateCodes)...)
	enum(reflect.TypeFor[dataset.Mode](), string(dataset.ModeReplace), string(dataset.ModeMerge))
}

// customizeSchema makes a generated schema say exactly what encoding/json
// writes: flows are ["from", "to"] pairs, enumerated strings list their
// values, and a struct requires every field it always writes and allows
// no other.
func customizeSchema(_ string, t reflect.Type, _ reflect.StructTag, s *openapi3.Schema) error {
	switch {
	case t == flowType:
		*s = *openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema()).WithMinItems(2).WithMaxItems(2)
		s.Description = "[上游环节, 下游环节] [from, to] segment ids"
	case enumerations[t] != nil:
		s.Enum = enumerations[t]
	case t.Kind() == reflect.Struct && s.Properties != nil:
		for _, name := range alwaysWritten(t) {
			if _, ok := s.Properties[name]; ok && !slices.Contains(s.Required, name) {
				s.Required = append(s.Required, name)
			}
		}
		s.AdditionalProperties = openapi3.AdditionalProperties{Has: &noExtraFields}
	}
	return nil
}

// alwaysWritten lists the JSON names of the fields of struct type t that
// encoding/json always writes (no omitempty), embedded structs included.
func alwaysWritten(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				names = append(names, alwaysWritten(ft)...)
				continue
			}
		}
		if tag == "" {
			continue // openapi3gen skips fields without a JSON tag
		}
		if name == "" {
			name = f.Name
		}
		if !slices.Contains(strings.Split(opts, ","), "omitempty") {
			names = append(names, name)
		}
	}
	return names
}

// operation describes one route for the document.
type operation struct {
	method, path string // path in gin's syntax (/enterprises/:id), under /api/v1 unless it starts with /healthz or is /report
	id, summary  string
	description  string
	params       []*openapi3.Parameter
	body         *openapi3.RequestBody
	status       int                 // the success status
	result       *openapi3.SchemaRef // the success body; nil for none
	resultType   string              // its media type when not JSON
	errors       []int
	editor       bool // needs the editor token
	etag         bool // answers with an ETag and to If-None-Match
}

// add puts an operation into the document.
func (d *apiDoc) add(o operation) {
	path := o.path
	if !strings.HasPrefix(path, "/healthz") && path != "/report" {
		path = "/api/v1" + path
	}
	path = ginToOpenAPI(path)
	op := openapi3.NewOperation()
	op.OperationID, op.Summary, op.Description = o.id, o.summary, o.description
	for _, p := range o.params {
		op.AddParameter(p)
	}
	if strings.HasPrefix(path, "/api/v1/") {
		op.AddParameter(acceptLanguage)
	}
	if o.method == "GET" && strings.HasPrefix(path, "/api/v1/") && !noAsOf[path] && path != "/api/v1/openapi.json" {
		op.AddParameter(query("as_of", "按修订号或日期（YYYY-MM-DD，北京时间当日结束时）回看 answer as right after this revision, "+
			"or the last revision on or before this date (SPEC §8); unknown revision or a date before the first: 404", str()))
		o.errors = append(slices.Clone(o.errors), 404)
	}
	if o.editor && o.method != "GET" {
		op.AddParameter(openapi3.NewHeaderParameter("X-Editor-Name").WithSchema(openapi3.NewStringSchema()).
			WithDescription("编辑人姓名，记入修订的 by（UTF-8，可百分号编码），仅用于共用令牌 --editor-token；具名编辑者的令牌记为其姓名 " +
				"the editor's name for the revision's by (UTF-8, percent-encoding allowed), for the shared --editor-token only " +
				"(default editor); a named editor's writes are recorded under their name and this header is ignored"))
	}
	if o.method == "PUT" || o.method == "DELETE" {
		// SPEC §8: an edit may name the version it was made on.
		op.AddParameter(openapi3.NewHeaderParameter("If-Match").WithSchema(openapi3.NewStringSchema()).
			WithDescription("记录的 ETag（读取时所得）the record's ETag as read; 412 if it changed since"))
		o.errors = append(slices.Clone(o.errors), http.StatusPreconditionFailed)
	}
	for _, seg := range strings.Split(o.path, "/") {
		if name, ok := strings.CutPrefix(seg, ":"); ok {
			op.AddParameter(openapi3.NewPathParameter(name).WithSchema(openapi3.NewStringSchema()).
				WithDescription("编号 id"))
		}
	}
	if o.body != nil {
		op.RequestBody = &openapi3.RequestBodyRef{Value: o.body}
	}
	ok := openapi3.NewResponse().WithDescription(http.StatusText(o.status))
	if o.result != nil {
		media := o.resultType
		if media == "" {
			media = "application/json"
		}
		ok.Content = openapi3.Content{media: openapi3.NewMediaType().WithSchemaRef(o.result)}
	}
	if o.etag {
		ok.Headers = openapi3.Headers{"ETag": {Value: &openapi3.Header{Parameter: openapi3.Parameter{
			Description: "数据版本与查询的校验值 data version and query validator",
			Schema:      openapi3.NewStringSchema().NewRef()}}}}
	}
	op.Responses = openapi3.NewResponses()
	op.Responses.Set(fmt.Sprint(o.status), &openapi3.ResponseRef{Value: ok})
	if o.etag {
		op.Responses.Set("304", &openapi3.ResponseRef{Value: openapi3.NewResponse().
			WithDescription("未改变 not modified: If-None-Match names the current ETag")})
	}
	// Any request may find the server shutting down or the database
	// unreachable (a write, a past revision, the audit log): 503.
	errs := append([]int{500, 503}, o.errors...)
	if o.editor {
		errs = append(errs, 401, 403)
		op.Security = &editorSecurity
	}
	for _, status := range errs {
		op.Responses.Set(fmt.Sprint(status), &openapi3.ResponseRef{Ref: fmt.Sprintf("#/components/responses/%d", status)})
	}
	d.doc.AddOperation(path, o.method, op)
	if o.method == http.MethodGet && !o.editor {
		d.doc.AddOperation(path, http.MethodHead, headOf(op))
	}
}

// headOf is the HEAD twin of a GET operation (see getHead): the same
// parameters, statuses and response headers, and no bodies.
func headOf(get *openapi3.Operation) *openapi3.Operation {
	op := openapi3.NewOperation()
	op.OperationID = get.OperationID + "Head"
	op.Summary = get.Summary + " — 仅响应头 headers only (HEAD)"
	op.Parameters = get.Parameters
	op.Responses = openapi3.NewResponses()
	for code, r := range get.Responses.Map() {
		if code == "default" {
			continue
		}
		resp := openapi3.NewResponse().WithDescription("见 GET · as for GET, without the body")
		if r.Value != nil {
			resp.Headers = r.Value.Headers
		}
		op.Responses.Set(code, &openapi3.ResponseRef{Value: resp})
	}
	return op
}

// ginToOpenAPI turns gin's :name path parameters into OpenAPI's {name}.
func ginToOpenAPI(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			segs[i] = "{" + name + "}"
		}
	}
	return strings.Join(segs, "/")
}

// Query parameter helpers.

func query(name, description string, schema *openapi3.Schema) *openapi3.Parameter {
	return openapi3.NewQueryParameter(name).WithDescription(description).WithSchema(schema)
}

func requiredQuery(name, description string, schema *openapi3.Schema) *openapi3.Parameter {
	return query(name, description, schema).WithRequired(true)
}

func str() *openapi3.Schema      { return openapi3.NewStringSchema() }
func date() *openapi3.Schema     { return openapi3.NewStringSchema().WithFormat("date") }
func positive() *openapi3.Schema { return openapi3.NewIntegerSchema().WithMin(1) }

// boolean is a query boolean, spelt as SPEC §3 spells booleans.
func boolean() *openapi3.Schema {
	s := openapi3.NewStringSchema()
	s.Description = "true/false, 1/0, 是/否, y/n"
	return s
}

// scopeParams are the area and chain of an analysis route.
func scopeParams() []*openapi3.Parameter {
	return []*openapi3.Parameter{
		requiredQuery("area", "县区代码 county or zone code; * 全市 the whole region", str()),
		requiredQuery("chain", "产业链编号 chain id", str()),
	}
}

func stringsAsAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func pagingParams() []*openapi3.Parameter {
	return []*openapi3.Parameter{
		query("page", "页码 page, from 1", positive()),
		query("per_page", fmt.Sprintf("每页条数 items per page (default %d, at most %d)", defaultPerPage, maxPerPage), positive()),
	}
}

func commonParams() []*openapi3.Parameter {
	return []*openapi3.Parameter{
		query("county", "县区代码：含其开发区 county code, its zones included; a zone code: the zone; the region's code: records of the region itself (市本级)", str()),
		query("chain", "产业链编号：列有该链的环节 lists a segment of the chain", str()),
		query("segment", "环节编号 lists the segment", str()),
	}
}

// leadStagesAny lists the lead stages for an enum.
func leadStagesAny() []any {
	out := make([]any, len(chainscope.LeadStages))
	for i, s := range chainscope.LeadStages {
		out[i] = string(s)
	}
	return out
}

// sortFields are the sort values of GET /api/v1/projects, sorted.
func sortFields() []any {
	var out []any
	for _, f := range projectSortFields {
		out = append(out, f)
	}
	return out
}

// jsonBody is a required JSON request body of schema ref.
func jsonBody(description string, ref *openapi3.SchemaRef) *openapi3.RequestBody {
	return openapi3.NewRequestBody().WithDescription(description).WithRequired(true).WithJSONSchemaRef(ref)
}

// coreOperations documents the routes of routes.go.
func (d *apiDoc) coreOperations() {
	enterprise := d.component("Enterprise", chainscope.Enterprise{})
	project := d.component("Project", chainscope.Project{})
	link := d.component("Link", chainscope.Link{})
	lead := d.component("Lead", chainscope.Lead{})
	d.component("Analysis", graph.Analysis{})
	ds := d.component("Dataset", chainscope.Dataset{})

	d.add(operation{method: "GET", path: "/healthz", id: "healthz", summary: "健康检查 200 when the database answers (SPEC §7)",
		status: 200, result: d.schema(Health{}), errors: []int{503}})
	d.add(operation{method: "GET", path: "/openapi.json", id: "openapi", summary: "本文档 this OpenAPI document",
		status: 200, result: openapi3.NewObjectSchema().NewRef()})

	d.add(operation{method: "GET", path: "/region", id: "region", summary: "地区及数据概况 the region, data version and record counts",
		status: 200, result: d.component("RegionInfo", RegionInfo{}), etag: true})
	d.add(operation{method: "GET", path: "/counties", id: "counties",
		summary:     "县区与开发区 counties and zones",
		description: "Every county-level division and zone in dataset order; a zone names its county in parent, a county lists its zones in zones.",
		status:      200, result: d.schema(List[CountyView]{}), etag: true})
	d.add(operation{method: "GET", path: "/chains", id: "chains", summary: "产业链及其环节和环节关系 chains with segments and flows",
		status: 200, result: d.schema(List[chainscope.Chain]{}), etag: true})

	d.add(operation{method: "GET", path: "/enterprises", id: "listEnterprises", summary: "企业列表 enterprises, filtered and paged",
		params: slices.Concat(pagingParams(), commonParams(), []*openapi3.Parameter{
			query("leader", "链主：领有某条链（或 chain 所指的链）leads a chain (the chain filtered by, if any)", boolean()),
			query("q", "名称、统一社会信用代码或编号包含此文字 name, USCC or id contains this text", str()),
		}),
		status: 200, result: d.schema(Page[chainscope.Enterprise]{}), errors: []int{400, 404}, etag: true})
	d.add(operation{method: "GET", path: "/enterprises/:id", id: "getEnterprise", summary: "一家企业及其供需关系 one enterprise with its links",
		status: 200, result: d.schema(EnterpriseView{}), errors: []int{404}, etag: true})
	d.add(operation{method: "GET", path: "/projects", id: "listProjects", summary: "项目列表 projects, filtered and paged",
		params: slices.Concat(pagingParams(), commonParams(), []*openapi3.Parameter{
			query("status", "项目状态，可逗号分隔多个 status; several separated by commas", str()),
			query("emerging", "战略性新兴产业 strategic emerging industry", boolean()),
			query("signed_from", "签约日期不早于 signed on or after (YYYY-MM-DD)", date()),
			query("signed_to", "签约日期不晚于 signed on or before (YYYY-MM-DD)", date()),
			query("investor", "投资主体企业编号 investor enterprise id", str()),
			query("q", "名称或编号包含此文字 name or id contains this text", str()),
			query("sort", "排序字段（默认按存储顺序）sort by this field before paging (default: the stored order); "+
				"unknown values first, statuses in lifecycle order, chain: the chain of the first segment",
				openapi3.NewStringSchema().WithEnum(sortFields()...)),
			query("dir", "排序方向 asc (default) or desc; ties in ascending id order either way",
				openapi3.NewStringSchema().WithEnum("asc", "desc")),
		}),
		status: 200, result: d.schema(Page[chainscope.Project]{}), errors: []int{400, 404}, etag: true})
	d.add(operation{method: "GET", path: "/projects/:id", id: "getProject", summary: "一个项目及其供需关系 one project with its links",
		status: 200, result: d.schema(ProjectView{}), errors: []int{404}, etag: true})
	d.add(operation{method: "GET", path: "/links", id: "listLinks", summary: "供需关系列表 links, filtered and paged",
		description: "county: either end lies in the area; chain and segment: both ends list it.",
		params: slices.Concat(pagingParams(), commonParams(), []*openapi3.Parameter{
			query("from", "上游编号 supplier id", str()),
			query("to", "下游编号 customer id", str()),
			query("node", "任一端编号 either end's id", str()),
			query("q", "产品或端点编号包含此文字 product or an end's id contains this text", str()),
		}),
		status: 200, result: d.schema(Page[chainscope.Link]{}), errors: []int{400, 404}, etag: true})
	d.add(operation{method: "GET", path: "/leads", id: "listLeads", summary: "招商线索列表 leads, filtered and paged (SPEC §1, §9)",
		description: "area: a county includes its zones (* or absent: all); chain: a lead is in a chain when one of its segments is. " +
			"Leads in dataset order; total counts every match.",
		params: []*openapi3.Parameter{
			query("area", "县区代码（含其开发区），* 为全部 county code (with its zones), * for all", str()),
			query("chain", "产业链编号 chain id", str()),
			query("stage", "线索阶段 stage", openapi3.NewStringSchema().WithEnum(leadStagesAny()...)),
			query("q", "目标企业名称、统一社会信用代码、编号或负责人包含此文字 name, USCC, id or owner contains this text", str()),
			query("offset", "跳过的条数 matches to skip (default 0)", openapi3.NewIntegerSchema().WithMin(0)),
			query("limit", fmt.Sprintf("最多返回条数 at most this many (default %d, at most %d)", defaultPerPage, maxPerPage), positive()),
		},
		status: 200, result: d.schema(Leads{}), errors: []int{400, 404}, etag: true})
	d.add(operation{method: "GET", path: "/leads/:id", id: "getLead", summary: "一条招商线索 one lead",
		status: 200, result: lead, errors: []int{404}, etag: true})
	d.add(operation{method: "GET", path: "/search", id: "search",
		summary: "搜索县区、产业链、环节、企业、项目 search counties, chains, segments, enterprises and projects by name, id, code or USCC",
		params: []*openapi3.Parameter{
			requiredQuery("q", "搜索词 text to find (case-insensitive)", str()),
			query("limit", fmt.Sprintf("最多返回条数 at most this many hits (default 20, at most %d)", maxPerPage), positive()),
			query("kind", "只搜这一类记录 only this kind of record (the investor picker: enterprise, over every enterprise)",
				openapi3.NewStringSchema().WithEnum(anyOf(searchKinds)...)),
		},
		description: "Hits come kind by kind (county, chain, segment, enterprise, project); within a kind exact matches of a name, " +
			"id, code or USCC first, then those starting with the text, then the rest, each in dataset order. total counts every match.",
		status: 200, result: d.schema(SearchResult{}), errors: []int{400}, etag: true})
	d.add(operation{method: "GET", path: "/names", id: "names",
		summary:     "按编号查企业、项目名称 the names of enterprises and projects by id",
		description: "Each id that is an enterprise or a project, in the order asked, with its kind and name; other ids are left out.",
		params: []*openapi3.Parameter{
			requiredQuery("ids", fmt.Sprintf("编号，以逗号分隔（至多 %d 个）ids separated by commas (at most %d)", maxNames, maxNames), str()),
		},
		status: 200, result: d.schema(Names{}), errors: []int{400}, etag: true})
	d.add(operation{method: "GET", path: "/audit", id: "audit", summary: "审计日志 who changed which record in which revision, newest first",
		params: pagingParams(), status: 200, result: d.schema(AuditPage{}), errors: []int{400}, etag: true})
	d.add(operation{method: "GET", path: "/revisions", id: "revisions", summary: "修订记录 the revisions, newest first (SPEC §8)",
		params: []*openapi3.Parameter{
			query("limit", "最多返回条数 at most this many (default 50)", positive()),
			query("before", "只列此修订号之前的 only revisions older than this one", positive()),
		},
		status: 200, result: d.schema(RevisionPage{}), errors: []int{400}})
	d.add(operation{method: "GET", path: "/changes", id: "changes",
		summary:     "两个修订之间的变化 the records and scopes that differ between two revisions (SPEC §8)",
		description: "from and to: a revision number or a date YYYY-MM-DD (the last revision on or before its end, Asia/Shanghai); to defaults to the latest.",
		params: []*openapi3.Parameter{
			requiredQuery("from", "起始修订号或日期 revision or date", str()),
			query("to", "结束修订号或日期 revision or date (default: the latest)", str()),
		},
		status: 200, result: d.schema(graph.Changes{}), errors: []int{400, 404}, etag: true})
	d.add(operation{method: "GET", path: "/history", id: "recordHistory",
		summary: "一条记录的修改历史 who changed one record, when, and its earlier versions",
		params: []*openapi3.Parameter{
			requiredQuery("kind", "记录类型 record kind", openapi3.NewStringSchema().WithEnum(stringsAsAny(chainscope.RecordKinds)...)),
			query("id", "编号或代码 id or code (not for links and reports)", str()),
			query("area", "上报数据的区域 a report's area", str()),
			query("from", "供需关系上游；上报数据的起始日期 a link's supplier; a report's first day", str()),
			query("to", "供需关系下游；上报数据的截止日期 a link's customer; a report's last day", str()),
		},
		status: 200, result: d.schema(RecordHistory{}), errors: []int{400, 404}})

	d.add(operation{method: "GET", path: "/analysis", id: "analysis",
		summary:     "薄弱环节分析 weak-link analysis of one scope (SPEC §5–6)",
		description: "The SPEC §6 object; unknown area or chain: 404; missing area or chain: 400.",
		params:      scopeParams(), status: 200, result: d.analysisSchema(), errors: []int{400, 404}, etag: true})
	d.add(operation{method: "GET", path: "/analysis/all", id: "analysisAll",
		summary: "全部范围概况 every scope's completeness and segment counts (area * and every county × every chain)",
		status:  200, result: d.schema(List[ScopeSummary]{}), etag: true})
	d.add(operation{method: "GET", path: "/leaders", id: "leaders", summary: "链主供应依赖 chain leaders' supply dependency",
		params: scopeParams(), status: 200, result: d.schema([]graph.LeaderDependency{}), errors: []int{400, 404}, etag: true})

	d.add(operation{method: "POST", path: "/enterprises", id: "createEnterprise", summary: "新建企业 create an enterprise",
		body: jsonBody("一家企业 (SPEC §2) one enterprise", enterprise), status: 201, result: enterprise,
		errors: []int{400, 409, 413, 422}, editor: true})
	d.add(operation{method: "PUT", path: "/enterprises/:id", id: "updateEnterprise", summary: "修改企业 replace an enterprise",
		description: "The body's id may be left out; if given it must equal the address's.",
		body:        jsonBody("一家企业 one enterprise", enterprise), status: 200, result: enterprise,
		errors: []int{400, 404, 413, 422}, editor: true})
	d.add(operation{method: "DELETE", path: "/enterprises/:id", id: "deleteEnterprise", summary: "删除企业 delete an enterprise",
		description: "Refused (422) while links or projects name it, unless cascade=true, which deletes its links too.",
		params:      []*openapi3.Parameter{query("cascade", "同时删除其供需关系 also delete its links", boolean())},
		status:      204, errors: []int{400, 404, 422}, editor: true})
	written := d.component("ProjectWritten", ProjectWritten{})
	const warned = "The project as stored, with warnings (code and a message in the Accept-Language) about what is saved " +
		"but probably wrong: operating_without_started (投产 without 开工日期)."
	d.add(operation{method: "POST", path: "/projects", id: "createProject", summary: "新建项目 create a project",
		description: warned,
		body:        jsonBody("一个项目 (SPEC §2) one project", project), status: 201, result: written,
		errors: []int{400, 409, 413, 422}, editor: true})
	d.add(operation{method: "PUT", path: "/projects/:id", id: "updateProject", summary: "修改项目 replace a project",
		description: warned,
		body:        jsonBody("一个项目 one project", project), status: 200, result: written,
		errors: []int{400, 404, 413, 422}, editor: true})
	d.add(operation{method: "DELETE", path: "/projects/:id", id: "deleteProject", summary: "删除项目 delete a project",
		params: []*openapi3.Parameter{query("cascade", "同时删除其供需关系 also delete its links", boolean())},
		status: 204, errors: []int{400, 404, 422}, editor: true})
	d.add(operation{method: "POST", path: "/leads", id: "createLead", summary: "新建招商线索 create a lead",
		description: "Checked as an import checks it (SPEC §4, §9): stage order of the dates, a signed lead names its project.",
		body:        jsonBody("一条招商线索 (SPEC §1) one lead", lead), status: 201, result: lead,
		errors: []int{400, 409, 413, 422}, editor: true})
	d.add(operation{method: "PUT", path: "/leads/:id", id: "updateLead", summary: "修改招商线索 replace a lead (advance, drop)",
		description: "The body's id may be left out; if given it must equal the address's.",
		body:        jsonBody("一条招商线索 one lead", lead), status: 200, result: lead,
		errors: []int{400, 404, 413, 422}, editor: true})
	d.add(operation{method: "DELETE", path: "/leads/:id", id: "deleteLead", summary: "删除招商线索 delete a lead",
		status: 204, errors: []int{404}, editor: true})
	linkKeyParams := []*openapi3.Parameter{
		requiredQuery("from", "上游编号 supplier id", str()),
		requiredQuery("to", "下游编号 customer id", str()),
	}
	d.add(operation{method: "GET", path: "/link", id: "getLink", summary: "一条供需关系 one link, with the ETag an edit sends back as If-Match",
		params: linkKeyParams, status: 200, result: link, errors: []int{400, 404}, etag: true})
	d.add(operation{method: "POST", path: "/links", id: "createLink", summary: "新建供需关系 create a link",
		body: jsonBody("一条供需关系 one link", link), status: 201, result: link,
		errors: []int{400, 409, 413, 422}, editor: true})
	d.add(operation{method: "PUT", path: "/links", id: "updateLink", summary: "修改供需关系 replace the link from → to",
		params: linkKeyParams, body: jsonBody("一条供需关系 one link", link), status: 200, result: link,
		errors: []int{400, 404, 413, 422}, editor: true})
	d.add(operation{method: "DELETE", path: "/links", id: "deleteLink", summary: "删除供需关系 delete the link from → to",
		params: linkKeyParams, status: 204, errors: []int{400, 404, 422}, editor: true})

	binary := openapi3.NewStringSchema().WithFormat("binary")
	upload := openapi3.NewRequestBody().WithRequired(true).
		WithDescription("整个数据集：JSON (SPEC §2)、.xlsx 工作簿或 CSV 文件的 .zip (SPEC §3)，最大 50 MiB；格式按内容识别。" +
			"A whole dataset: JSON, an .xlsx workbook or a .zip of CSV files, up to 50 MiB; the format is told by content.").
		WithContent(openapi3.Content{
			"application/json": openapi3.NewMediaType().WithSchemaRef(ds),
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": openapi3.NewMediaType().WithSchema(binary),
			"application/zip":          openapi3.NewMediaType().WithSchema(binary),
			"application/octet-stream": openapi3.NewMediaType().WithSchema(binary),
			"multipart/form-data": openapi3.NewMediaType().WithSchema(openapi3.NewObjectSchema().
				WithProperty("file", binary).WithRequired([]string{"file"})),
		})
	d.add(operation{method: "POST", path: "/dataset", id: "uploadDataset", summary: "上传整个数据集 upload a whole dataset, all or nothing",
		params: []*openapi3.Parameter{query("mode", "replace 替换 (default) | merge 按键合并 upsert by key",
			openapi3.NewStringSchema().WithEnum("replace", "merge")),
			query("strict", "疑似重复的企业（名称和县区相同、编号不同）作为错误而非警告 "+
				"refuse an enterprise that looks like another under a second id (same name and county) instead of warning", boolean())},
		body: upload, status: 200, result: d.schema(UploadResult{}), errors: []int{400, 413, 422}, editor: true})
	d.add(operation{method: "GET", path: "/backup", id: "backup", summary: "下载数据库备份 download a consistent copy of the database",
		status: 200, result: openapi3.NewStringSchema().WithFormat("binary").NewRef(), resultType: "application/vnd.sqlite3",
		editor: true})
	d.add(operation{method: "GET", path: "/editor", id: "editor", summary: "当前编辑者 who the editor token is",
		description: "令牌对应的编辑者姓名，即其修改记入修订 by 的名字；进入编辑模式前用它检查令牌。" +
			"The name the token's writes are recorded under (a revision's by); check a token with it before offering editing. " +
			"Wrong or missing token: 401 unauthorized; no token configured: 403 read_only.",
		status: 200, result: d.schema(EditorInfo{}), editor: true})
}
