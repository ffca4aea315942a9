package server

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// TestEveryRouteDocumented walks gin's route table: every route must be in
// the OpenAPI document with its method, and every documented operation
// must be a route.
func TestEveryRouteDocumented(t *testing.T) {
	ts := start(t, nil)
	routes := map[string]bool{}
	for _, r := range ts.engine.Routes() {
		key := r.Method + " " + ginToOpenAPI(r.Path)
		routes[key] = true
		item := ts.doc.Paths.Find(ginToOpenAPI(r.Path))
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("route %s %s is not in the OpenAPI document", r.Method, r.Path)
			continue
		}
		op := item.GetOperation(r.Method)
		if op.Summary == "" || op.Responses == nil || op.Responses.Len() == 0 {
			t.Errorf("%s %s: no summary or responses", r.Method, r.Path)
		}
	}
	var documented []string
	for path, item := range ts.doc.Paths.Map() {
		for method := range item.Operations() {
			key := method + " " + path
			documented = append(documented, key)
			if !routes[key] {
				t.Errorf("documented %s is no route", key)
			}
		}
	}
	sort.Strings(documented)
	if len(documented) < 30 {
		t.Fatalf("only %d operations documented: %v", len(documented), documented)
	}
}

// TestDocumentDescribesAnalysisAndErrors: the document names the SPEC §6
// fields as required and the error body.
func TestDocumentDescribesAnalysisAndErrors(t *testing.T) {
	ts := start(t, nil)
	analysis := ts.doc.Components.Schemas["Analysis"].Value
	for _, f := range []string{"area", "chain", "completeness", "segments", "cut_nodes", "bridges", "totals"} {
		if !slices.Contains(analysis.Required, f) {
			t.Errorf("Analysis does not require %q: %v", f, analysis.Required)
		}
	}
	op := ts.doc.Paths.Find("/api/v1/analysis").Get
	for _, status := range []string{"200", "304", "400", "404", "500"} {
		if op.Responses.Value(status) == nil {
			t.Errorf("GET /api/v1/analysis does not document %s", status)
		}
	}
	report := op.Responses.Value("200").Value.Content["application/json"].Schema.Value
	for _, f := range analysis.Required {
		if !slices.Contains(report.Required, f) {
			t.Errorf("the analysis answer does not require SPEC field %q", f)
		}
	}
	errSchema := ts.doc.Components.Schemas["Error"].Value
	if errSchema.Properties["error"] == nil || errSchema.Properties["problems"] == nil || !slices.Contains(errSchema.Required, "error") ||
		errSchema.Properties["code"] == nil || !slices.Contains(errSchema.Required, "code") {
		t.Errorf("Error schema: %+v", errSchema)
	}
	problem := errSchema.Properties["problems"].Value.Items.Value
	for _, f := range []string{"sheet", "row", "column", "value", "message"} {
		if problem.Properties[f] == nil {
			t.Errorf("problem schema lacks %q", f)
		}
	}
}

// TestValidatorCatchesDrift makes sure the response check of the tests
// bites: a body that breaks the schema, or an undocumented status, fails.
func TestValidatorCatchesDrift(t *testing.T) {
	ts := start(t, nil)
	req, _ := http.NewRequest("GET", ts.http.URL+"/api/v1/analysis?area=*&chain=battery", nil)
	route, params, err := ts.router.FindRoute(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		status int
		body   string
	}{
		{200, `{"area": "*", "chain": "battery"}`}, // required fields missing
		{200, `{"error": "x"}`},                    // wrong shape
		{404, `{"message": "x"}`},                  // error body without error
		{404, `{"error": "x"}`},                    // error body without code
		{418, `{"error": "teapot"}`},               // undocumented status
		{400, `{"error": "x", "problems": [{"row": "one", "message": "x"}]}`}, // a problem of the wrong type
	} {
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 tc.status,
			Header:                 http.Header{"Content-Type": {"application/json"}},
			Options:                &openapi3filter.Options{IncludeResponseStatus: true},
		}
		in.SetBodyBytes([]byte(tc.body))
		if err := openapi3filter.ValidateResponse(context.Background(), in); err == nil {
			t.Errorf("%d %s passed validation", tc.status, tc.body)
		}
	}
}

// TestOpenAPIServed: the document is served, and is the one tests use.
func TestOpenAPIServed(t *testing.T) {
	ts := start(t, nil)
	r := ts.get("/api/v1/openapi.json")
	if r.status != 200 || string(r.body) != string(ts.openapi) || !strings.Contains(string(r.body), `"openapi":"3.0.3"`) {
		t.Fatalf("GET /api/v1/openapi.json = %d %.200s", r.status, r.body)
	}
}

// TestDocumentDescribesEditorsAndLanguage: GET /editor is documented with
// its answer and the token's errors, every API operation takes
// Accept-Language, and the gap workbook takes lang.
func TestDocumentDescribesEditorsAndLanguage(t *testing.T) {
	ts := start(t, nil)
	op := ts.doc.Paths.Find("/api/v1/editor").Get
	if op == nil || op.Security == nil {
		t.Fatal("GET /api/v1/editor is not documented with its security")
	}
	for _, status := range []string{"200", "401", "403"} {
		if op.Responses.Value(status) == nil {
			t.Errorf("GET /api/v1/editor does not document %s", status)
		}
	}
	if s := op.Responses.Value("200").Value.Content["application/json"].Schema.Value; s.Properties["name"] == nil {
		t.Errorf("editor answer %+v", s)
	}
	for path, item := range ts.doc.Paths.Map() {
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		for method, op := range item.Operations() {
			if op.Parameters.GetByInAndName("header", "Accept-Language") == nil {
				t.Errorf("%s %s does not take Accept-Language", method, path)
			}
		}
	}
	if ts.doc.Paths.Find("/api/v1/gaps.xlsx").Get.Parameters.GetByInAndName("query", "lang") == nil {
		t.Error("gaps.xlsx does not take lang")
	}
}
