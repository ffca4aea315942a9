package server

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"testing"

	"chainscope"
	"chainscope/dataset"
)

func TestParsePaging(t *testing.T) {
	cases := []struct {
		query         string
		page, perPage int
		ok            bool
	}{
		{"", 1, defaultPerPage, true},
		{"page=3&per_page=10", 3, 10, true},
		{"per_page=100000", 1, maxPerPage, true},
		{"page=0", 0, 0, false},
		{"page=-1", 0, 0, false},
		{"page=1e3", 0, 0, false},
		{"page=99999999999", 0, 0, false},
		{"per_page=0", 0, 0, false},
		{"per_page=ten", 0, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tc.query)
			p, err := parsePaging(q)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v", err)
			}
			if err != nil {
				if chainscope.ErrorCode(err) != eBadParameter {
					t.Fatalf("code %s", chainscope.ErrorCode(err))
				}
				return
			}
			if p.page != tc.page || p.perPage != tc.perPage {
				t.Fatalf("= %+v", p)
			}
		})
	}
}

func TestPaginate(t *testing.T) {
	items := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	even := func(v *int) bool { return *v%2 == 0 }
	cases := []struct {
		p     paging
		items []int
	}{
		{paging{1, 2}, []int{2, 4}},
		{paging{2, 2}, []int{6, 8}},
		{paging{3, 2}, []int{10}},
		{paging{4, 2}, []int{}},
		{paging{1, 500}, []int{2, 4, 6, 8, 10}},
	}
	for _, tc := range cases {
		got := paginate(items, tc.p, even)
		if got.Total != 5 || !slices.Equal(got.Items, tc.items) || got.Items == nil {
			t.Errorf("page %+v = %+v, want items %v", tc.p, got, tc.items)
		}
	}
}

func TestParseBool(t *testing.T) {
	for _, v := range []string{"true", "TRUE", "1", "是", "y", "Y", "yes", "t", "√"} {
		if b, err := parseBool(url.Values{"x": {v}}, "x"); err != nil || b == nil || !*b {
			t.Errorf("%q = %v, %v", v, b, err)
		}
	}
	for _, v := range []string{"false", "0", "否", "n", "No", "f", "×", "非"} {
		if b, err := parseBool(url.Values{"x": {v}}, "x"); err != nil || b == nil || *b {
			t.Errorf("%q = %v, %v", v, b, err)
		}
	}
	for _, v := range []string{"maybe", "2", "真"} {
		if _, err := parseBool(url.Values{"x": {v}}, "x"); err == nil {
			t.Errorf("%q accepted", v)
		}
	}
	if b, err := parseBool(url.Values{}, "x"); b != nil || err != nil {
		t.Errorf("absent = %v, %v", b, err)
	}
}

// TestParseBoolAgreesWithSheets: a query parameter and a workbook cell read
// a boolean the same way, whatever the spelling.
func TestParseBoolAgreesWithSheets(t *testing.T) {
	for _, v := range []string{"true", "False", "1", "0", "是", "否", "Y", "n", "yes", "NO", "t", "F", "√", "×", "非", "maybe", "2", "对"} {
		want, ok := dataset.ParseBool(v)
		got, err := parseBool(url.Values{"x": {v}}, "x")
		if (err == nil) != ok || ok && *got != want {
			t.Errorf("%q: query %v, %v; sheet %v, %v", v, got, err, want, ok)
		}
	}
}

// TestArea: a filter by county covers its zones, one by zone the zone
// alone, the region's code the records placed at the region itself.
func TestArea(t *testing.T) {
	ds := &chainscope.Dataset{
		Region: chainscope.Region{Code: "R", Name: "r"},
		Counties: []chainscope.County{
			{Code: "A", Kind: chainscope.KindCounty},
			{Code: "A1", Kind: chainscope.KindZone, Parent: "A"},
			{Code: "A2", Kind: chainscope.KindZone, Parent: "A"},
			{Code: "B", Kind: chainscope.KindCity},
			{Code: "Z", Kind: chainscope.KindZone, Parent: "R"},
		},
	}
	lk := newLookup(ds)
	cases := []struct {
		code string
		want []string
		ok   bool
	}{
		{"A", []string{"A", "A1", "A2"}, true},
		{"A1", []string{"A1"}, true},
		{"B", []string{"B"}, true},
		{"Z", []string{"Z"}, true},
		{"R", []string{"", "R"}, true},
		{"X", nil, false},
		{"", nil, false},
	}
	for _, tc := range cases {
		set, ok := lk.area(tc.code)
		var got []string
		for c := range set {
			got = append(got, c)
		}
		sort.Strings(got)
		if ok != tc.ok || !slices.Equal(got, tc.want) {
			t.Errorf("area(%q) = %v %v, want %v %v", tc.code, got, ok, tc.want, tc.ok)
		}
	}
}

func TestEditorToken(t *testing.T) {
	cases := []struct {
		header map[string]string
		want   string
	}{
		{map[string]string{"Authorization": "Bearer abc"}, "abc"},
		{map[string]string{"Authorization": "bearer  abc "}, "abc"},
		{map[string]string{"Authorization": "Basic abc"}, ""},
		{map[string]string{"X-Editor-Token": "xyz"}, "xyz"},
		{map[string]string{"Authorization": "Basic abc", "X-Editor-Token": "xyz"}, ""},
		{nil, ""},
	}
	for _, tc := range cases {
		r, _ := http.NewRequest("GET", "/", nil)
		for k, v := range tc.header {
			r.Header.Set(k, v)
		}
		if got := editorToken(r); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.header, got, tc.want)
		}
	}
}

func TestNotModified(t *testing.T) {
	tag := etag(7, "/api/v1/region?")
	cases := []struct {
		inm  string
		want bool
	}{
		{"", false},
		{tag, true},
		{"W/" + tag, true},
		{`"a", ` + tag, true},
		{"*", false},
		{etag(8, "/api/v1/region?"), false},
		{etag(7, "/api/v1/counties?"), false},
	}
	for _, tc := range cases {
		r, _ := http.NewRequest("GET", "/", nil)
		if tc.inm != "" {
			r.Header.Set("If-None-Match", tc.inm)
		}
		if got := notModified(r, tag); got != tc.want {
			t.Errorf("If-None-Match %q: %v", tc.inm, got)
		}
	}
}

func TestSniffFormat(t *testing.T) {
	xlsx := xlsxOf(t, builtin(t))
	zipped := zipCSV(t, builtin(t))
	cases := []struct {
		name string
		up   upload
		want string
	}{
		{"json object", upload{data: []byte(` {"region": {}}`)}, formatJSON},
		{"json with BOM", upload{data: []byte("\xef\xbb\xbf{}")}, formatJSON},
		{"json by type", upload{contentType: "application/json", data: []byte(`[]`)}, formatJSON},
		{"json by name", upload{name: "a.JSON", data: []byte(`x`)}, formatJSON},
		{"xlsx", upload{data: xlsx}, formatXLSX},
		{"csv zip", upload{data: zipped}, formatCSVZip},
		{"text", upload{data: []byte("a,b\n1,2\n")}, ""},
	}
	for _, tc := range cases {
		got, err := sniffFormat(tc.up)
		if got != tc.want || (tc.want == "") != (err != nil) {
			t.Errorf("%s: %q, %v", tc.name, got, err)
		}
	}
}
