package server

import (
	"archive/zip"
	"bytes"
	"slices"
	"strings"
	"testing"

	"chainscope"
)

// zipOf zips files (name → content), as an officer zips a folder of CSV.
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hasProblem reports whether some problem is at row and column and says msg.
func hasProblem(probs []chainscope.Problem, row int, column, msg string) bool {
	return slices.ContainsFunc(probs, func(p chainscope.Problem) bool {
		return p.Row == row && p.Column == column && strings.Contains(p.Message, msg)
	})
}

// TestUploadMergeRefusesDuplicates: the upload with mode=merge behaves as
// the CLI import: two records with one key in the upload are refused,
// nothing changes.
func TestUploadMergeRefusesDuplicates(t *testing.T) {
	ts := start(t, nil)
	before := jsonOf(t, ts.stored())
	cases := []struct {
		name, ctype string
		body        []byte
		row         int
		column, msg string
	}{
		{"JSON", "application/json", []byte(`{"enterprises": [
{"id": "E-002", "name": "晋南新材料有限公司", "county": "140827", "segments": [], "leader_of": ["battery"], "output_wan": 1200},
{"id": "E-002", "name": "晋南新材料有限公司", "county": "140827", "segments": [], "leader_of": [], "output_wan": 800}]}`),
			3, "id", "E-002: 企业编号重复 duplicate enterprise id"},
		{"zip of CSV", "application/zip", zipOf(t, map[string]string{"企业.csv": "企业编号,企业名称,所在县区,所属环节\n" +
			"E-002,晋南新材料有限公司,垣曲县,锻后焦\nE-002,晋南新材料有限公司,垣曲县,负极材料\n"}),
			3, "企业编号", "E-002: 企业编号重复 duplicate enterprise id"},
		{"links", "application/json", []byte(`{"links": [
{"from": "E-zhenghong", "to": "E-jianlong", "product": "锻后焦"},
{"from": "E-zhenghong", "to": "E-jianlong", "product": "石油焦"}]}`),
			3, "to", "E-zhenghong → E-jianlong: 供需关系重复"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := ts.edit("POST", "/api/v1/dataset?mode=merge", tc.body, "Content-Type", tc.ctype)
			if r.status != 422 {
				t.Fatalf("= %d, want 422: %.800s", r.status, r.body)
			}
			if e := r.errorBody(t); !hasProblem(e.Problems, tc.row, tc.column, tc.msg) {
				t.Errorf("no problem at row %d column %s says %q: %+v", tc.row, tc.column, tc.msg, e.Problems)
			}
			if jsonOf(t, ts.stored()) != before {
				t.Fatal("a refused upload changed the data")
			}
		})
	}
}

// TestUploadMergeNamesAndSameEnterprise: county and segment by name are
// stored as code and id; an enterprise stored under another id (same name
// and county) is a warning naming both ids, and with strict=1 an error.
func TestUploadMergeNamesAndSameEnterprise(t *testing.T) {
	ts := start(t, nil)
	before := jsonOf(t, ts.stored())
	body := zipOf(t, map[string]string{"企业.csv": "企业编号,企业名称,所在县区,所属环节\n" +
		"E-jinnan,晋南新材料有限公司,垣曲县,锻后焦；负极材料\n" +
		"E-001,山西正弘新能源材料有限公司,垣曲县,锻后焦\n"})
	const msg = "E-001: 企业名称和所在县区与 E-zhenghong 相同，可能是同一企业的两个编号"

	r := ts.edit("POST", "/api/v1/dataset?mode=merge&strict=1", body, "Content-Type", "application/zip")
	if r.status != 422 {
		t.Fatalf("strict: = %d, want 422: %.800s", r.status, r.body)
	}
	if e := r.errorBody(t); !hasProblem(e.Problems, 3, "企业名称", msg) {
		t.Errorf("strict: problems %+v", e.Problems)
	}
	if jsonOf(t, ts.stored()) != before {
		t.Fatal("a refused upload changed the data")
	}

	r = ts.edit("POST", "/api/v1/dataset?mode=merge", body, "Content-Type", "application/zip")
	if r.status != 200 {
		t.Fatalf("= %d, want 200: %.800s", r.status, r.body)
	}
	var res UploadResult
	r.decode(t, &res)
	if !hasProblem(res.Warnings, 3, "企业名称", msg) {
		t.Errorf("warnings %+v", res.Warnings)
	}
	ds := ts.stored()
	i := slices.IndexFunc(ds.Enterprises, func(e chainscope.Enterprise) bool { return e.ID == "E-jinnan" })
	if i < 0 {
		t.Fatal("E-jinnan not stored")
	}
	if e := ds.Enterprises[i]; e.County != "140827" || !slices.Equal(e.Segments, []string{"battery.coke", "battery.anode"}) {
		t.Errorf("stored as %s %v", e.County, e.Segments)
	}
}
