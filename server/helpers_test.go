package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"chainscope"
	"chainscope/dataset"
	"chainscope/store"
	"chainscope/yuncheng"
)

const testToken = "s3cret-editor-token"

func init() {
	// The backup route answers with a database file and export.svg with a
	// picture; the validator only needs to know they are opaque bytes.
	openapi3filter.RegisterBodyDecoder("application/vnd.sqlite3", openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder("image/svg+xml", openapi3filter.FileBodyDecoder)
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// builtin returns the built-in 运城市 dataset.
func builtin(t testing.TB) *chainscope.Dataset {
	t.Helper()
	ds, err := yuncheng.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// newDB creates a database in a temporary directory holding ds.
func newDB(t testing.TB, ds *chainscope.Dataset) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "chainscope.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if ds != nil {
		if err := db.Replace(context.Background(), ds); err != nil {
			t.Fatal(err)
		}
	}
	return db, path
}

// testServer is a Server on a real database, behind a real HTTP listener
// on 127.0.0.1, with the OpenAPI document it serves loaded for checking
// its responses.
type testServer struct {
	*Server
	t      testing.TB
	http   *httptest.Server
	db     *store.DB
	path   string
	doc    *openapi3.T
	router routers.Router
	logs   *syncBuffer
}

// syncBuffer is a log sink safe for concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// start serves the built-in dataset (or ds) with the editor token; options
// change the configuration before the server is built, and extra routes
// may be added to the engine before it listens.
func start(t testing.TB, ds *chainscope.Dataset, opts ...func(*Config)) *testServer {
	t.Helper()
	if ds == nil {
		ds = builtin(t)
	}
	db, path := newDB(t, ds)
	return serveDB(t, db, path, opts...)
}

// serveDB is start on an open database (path: its file, or "").
func serveDB(t testing.TB, db *store.DB, path string, opts ...func(*Config)) *testServer {
	t.Helper()
	logs := &syncBuffer{}
	cfg := Config{DB: db, Logger: slog.New(slog.NewJSONHandler(logs, nil)), EditorToken: testToken}
	for _, o := range opts {
		o(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: s, t: t, db: db, path: path, logs: logs}
	ts.http = httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		ts.http.Close()
		s.Close()
	})

	doc, err := openapi3.NewLoader().LoadFromData(s.openapi)
	if err != nil {
		t.Fatalf("load OpenAPI document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("OpenAPI document invalid: %v", err)
	}
	ts.doc = doc
	if ts.router, err = gorillamux.NewRouter(doc); err != nil {
		t.Fatal(err)
	}
	return ts
}

// response is what a test request got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r *response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %d response: %v\n%s", r.status, err, r.body)
	}
}

// errorBody decodes an error response, checking it is JSON with an error.
func (r *response) errorBody(t testing.TB) ErrorBody {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("error response has Content-Type %q, want JSON; body %s", ct, r.body)
	}
	var e ErrorBody
	r.decode(t, &e)
	if e.Error == "" || e.Code == "" {
		t.Fatalf("error response without an error message or code: %s", r.body)
	}
	return e
}

// request sends a request and checks the response against the OpenAPI
// document (for API routes).
type request struct {
	method, path string
	body         []byte
	header       map[string]string
}

func (ts *testServer) do(r request) *response {
	ts.t.Helper()
	t := ts.t
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, ts.http.URL+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	res, err := ts.http.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer res.Body.Close()
	got := &response{status: res.StatusCode, header: res.Header}
	if got.body, err = io.ReadAll(res.Body); err != nil {
		t.Fatal(err)
	}
	ts.validate(req, r.body, got)
	return got
}

// validate checks a response of an API route against the document: the
// status must be documented and the body must match its schema.
func (ts *testServer) validate(req *http.Request, reqBody []byte, got *response) {
	ts.t.Helper()
	if !strings.HasPrefix(req.URL.Path, "/api/") && req.URL.Path != "/healthz" {
		return
	}
	route, params, err := ts.router.FindRoute(req)
	if err != nil {
		// An unknown route: only a 404 or 405 JSON error is right.
		if got.status != http.StatusNotFound && got.status != http.StatusMethodNotAllowed {
			ts.t.Errorf("%s %s: undocumented route answered %d", req.Method, req.URL.Path, got.status)
		}
		return
	}
	if reqBody != nil {
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 got.status,
		Header:                 got.header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(got.body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		ts.t.Errorf("%s %s: response %d does not match the OpenAPI document: %v\nbody: %.600s",
			req.Method, req.URL.RequestURI(), got.status, err, got.body)
	}
}

// get is a GET with optional headers.
func (ts *testServer) get(path string, header ...string) *response {
	ts.t.Helper()
	return ts.do(request{method: http.MethodGet, path: path, header: pairs(header)})
}

// edit sends a write with the editor token.
func (ts *testServer) edit(method, path string, body []byte, header ...string) *response {
	ts.t.Helper()
	h := pairs(header)
	if _, ok := h["Authorization"]; !ok {
		h["Authorization"] = "Bearer " + testToken
	}
	return ts.do(request{method: method, path: path, body: body, header: h})
}

func pairs(kv []string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// stored returns the whole dataset the database holds.
func (ts *testServer) stored() *chainscope.Dataset {
	ts.t.Helper()
	ds, err := ts.db.Load(context.Background())
	if err != nil {
		ts.t.Fatal(err)
	}
	return ds
}

// jsonOf is the JSON export of a dataset, to compare datasets whole.
func jsonOf(t testing.TB, ds *chainscope.Dataset) string {
	t.Helper()
	var b bytes.Buffer
	if err := dataset.WriteJSON(&b, ds); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
