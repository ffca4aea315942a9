package dataset_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"chainscope"
	"chainscope/dataset"
)

func TestDriveCSVRoundTrip(t *testing.T) {
	ds := readDrive(t)
	dir := t.TempDir()
	if err := dataset.WriteCSV(dir, ds); err != nil {
		t.Fatal(err)
	}
	leads, err := os.ReadFile(filepath.Join(dir, "leads.csv"))
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(strings.TrimPrefix(string(leads), "\ufeff"), "\n")
	want := "线索编号,目标企业,统一社会信用代码,关联企业编号,所在县区,所属环节,阶段,走访日期,意向日期,考察日期,洽谈日期,签约日期,放弃日期,转化项目,负责人,放弃原因,来源,备注"
	if strings.TrimSpace(head) != want {
		t.Fatalf("leads header %q", head)
	}
	if !strings.Contains(string(leads), "L-1,湖南某负极材料公司,,,140827,battery.anode,洽谈,2024-01-10,2024-02-01,,2024-03-20,,,,王科长,,illustrative,") {
		t.Fatalf("lead row:\n%s", leads)
	}
	reports, _ := os.ReadFile(filepath.Join(dir, "reports.csv"))
	if !strings.Contains(string(reports), "区域,起始日期,截止日期,签约项目数,总投资(万元),新兴产业项目数,开工项目数,应开工项目数,年度目标(万元),来源,备注") ||
		!strings.Contains(string(reports), "140800,2024-01-01,2024-04-30,156,14813700,58,81,95,30000000,运城日报,") {
		t.Fatalf("reports.csv:\n%s", reports)
	}
	counties, _ := os.ReadFile(filepath.Join(dir, "counties.csv"))
	if !strings.Contains(string(counties), ",主导产业链") || !strings.Contains(string(counties), "140827,垣曲县,县,,,,battery") {
		t.Fatalf("counties.csv:\n%s", counties)
	}
	recs, probs := dataset.ReadCSV(dir)
	again, probs2 := dataset.Build(recs)
	if len(probs)+len(probs2) > 0 {
		t.Fatal(probs, probs2)
	}
	if !reflect.DeepEqual(stripOrigins(ds), stripOrigins(again)) {
		t.Fatalf("CSV round trip differs:\n%+v\n%+v", stripOrigins(ds).Leads, stripOrigins(again).Leads)
	}
}

func TestDriveXLSXRoundTrip(t *testing.T) {
	ds := readDrive(t)
	var buf bytes.Buffer
	if err := dataset.WriteXLSX(&buf, ds); err != nil {
		t.Fatal(err)
	}
	recs, probs := dataset.ReadXLSXFrom(bytes.NewReader(buf.Bytes()), "drive.xlsx")
	again, probs2 := dataset.Build(recs)
	if len(probs)+len(probs2) > 0 {
		t.Fatal(probs, probs2)
	}
	if !reflect.DeepEqual(stripOrigins(ds), stripOrigins(again)) {
		t.Fatalf("xlsx round trip differs:\n%+v\n%+v", stripOrigins(ds).Reports, stripOrigins(again).Reports)
	}
	if got := again.Leads[0].At; got.Sheet == nil || got.Sheet.Name != "招商线索" || got.Row != 2 {
		t.Fatalf("lead origin %+v", got)
	}
}

// A dataset without leads, reports and county chains writes the files and
// columns it always wrote.
func TestTabularWithoutDriveUnchanged(t *testing.T) {
	ds := readSmall(t)
	dir := t.TempDir()
	if err := dataset.WriteCSV(dir, ds); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"chains.csv", "counties.csv", "enterprises.csv", "flows.csv", "links.csv", "projects.csv", "region.csv", "segments.csv"}
	if !slices.Equal(names, want) {
		t.Fatalf("files %v", names)
	}
	counties, _ := os.ReadFile(filepath.Join(dir, "counties.csv"))
	if head, _, _ := strings.Cut(string(counties), "\n"); strings.TrimSpace(strings.TrimPrefix(head, "\ufeff")) != "代码,名称,类型,所属县区,来源,备注" {
		t.Fatalf("counties header %q", head)
	}
}

// Tabular problems name the sheet's own column: a lead date out of order
// in 意向日期, a report count that is not a whole number.
func TestDriveTabularProblems(t *testing.T) {
	ds := readDrive(t)
	ds.Leads[0].Dates = map[string]string{"visited": "2024-03-01", "intent": "2024-02-01"}
	ds.Leads[0].Stage = chainscope.LeadIntent
	dir := t.TempDir()
	if err := dataset.WriteCSV(dir, ds); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "reports.csv")
	raw, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(raw), ",156,", ",15.6,", 1)), 0o644)
	recs, probs := dataset.ReadCSV(dir)
	if len(probs) != 1 || probs[0].Column != "签约项目数" || probs[0].Value != "15.6" || probs[0].Row != 2 {
		t.Fatalf("%v", probs)
	}
	_, probs = dataset.Build(recs)
	if len(probs) != 1 || probs[0].Column != "意向日期" || probs[0].Sheet != "leads" || probs[0].Row != 2 || probs[0].Value != "2024-02-01" {
		t.Fatalf("%v", probs)
	}
}
