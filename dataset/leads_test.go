package dataset_test

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"chainscope"
	"chainscope/dataset"
)

// readDrive reads and builds testdata/drive.json: small.json with county
// chains, leads and reports.
func readDrive(t *testing.T) *chainscope.Dataset {
	t.Helper()
	raw, err := os.ReadFile("testdata/drive.json")
	if err != nil {
		t.Fatal(err)
	}
	recs, probs := dataset.ReadJSON(bytes.NewReader(raw), "drive.json")
	if len(probs) > 0 {
		t.Fatalf("read: %v", probs)
	}
	ds, probs := dataset.Build(recs)
	if len(probs) > 0 {
		t.Fatalf("build: %v", probs)
	}
	return ds
}

// driveProblems reads drive.json edited by edit and returns its problems.
func driveProblems(t *testing.T, edit func(string) string) []chainscope.Problem {
	t.Helper()
	raw, err := os.ReadFile("testdata/drive.json")
	if err != nil {
		t.Fatal(err)
	}
	recs, probs := dataset.ReadJSON(strings.NewReader(edit(string(raw))), "bad.json")
	if len(probs) > 0 {
		return probs
	}
	_, probs = dataset.Build(recs)
	return probs
}

func TestDriveRecordsRead(t *testing.T) {
	ds := readDrive(t)
	if got := ds.Counties[0].Chains; !reflect.DeepEqual(got, []string{"battery"}) {
		t.Fatalf("county chains %v", got)
	}
	if len(ds.Leads) != 3 || len(ds.Reports) != 2 {
		t.Fatalf("%d leads, %d reports", len(ds.Leads), len(ds.Reports))
	}
	l := ds.Leads[0]
	if l.ID != "L-1" || l.Stage != chainscope.LeadNegotiating || l.Dates["intent"] != "2024-02-01" || l.Owner != "王科长" || l.Source != "illustrative" {
		t.Fatalf("lead %+v", l)
	}
	if l.At.Sheet == nil || l.At.Sheet.Name != "leads" || l.At.Row != 33 {
		t.Fatalf("lead origin %+v", l.At)
	}
	r := ds.Reports[0]
	if r.Area != "140800" || *r.SignedProjects != 156 || *r.InvestmentWan != 14813700 || *r.DueProjects != 95 || *r.TargetWan != 30000000 || r.Source != "运城日报" {
		t.Fatalf("report %+v", r)
	}
	if ds.Reports[1].InvestmentWan != nil {
		t.Fatal("an absent figure must stay absent (nil), not 0")
	}
}

func TestDriveJSONRoundTripBytes(t *testing.T) {
	for _, file := range []string{"testdata/drive.json", "testdata/small.json"} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		recs, probs := dataset.ReadJSON(bytes.NewReader(raw), file)
		ds, probs2 := dataset.Build(recs)
		if len(probs)+len(probs2) > 0 {
			t.Fatal(probs, probs2)
		}
		var first bytes.Buffer
		if err := dataset.WriteJSON(&first, ds); err != nil {
			t.Fatal(err)
		}
		recs, probs = dataset.ReadJSON(bytes.NewReader(first.Bytes()), "export.json")
		again, probs2 := dataset.Build(recs)
		if len(probs)+len(probs2) > 0 {
			t.Fatalf("%v %v\n%s", probs, probs2, first.String())
		}
		var second bytes.Buffer
		if err := dataset.WriteJSON(&second, again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("%s: export → import → export differs:\n%s\n---\n%s", file, first.String(), second.String())
		}
		hasDrive := strings.Contains(first.String(), `"leads"`) || strings.Contains(first.String(), `"reports"`)
		if hasDrive != (len(ds.Leads)+len(ds.Reports) > 0) {
			t.Fatalf("%s: leads/reports written %v for %d leads, %d reports", file, hasDrive, len(ds.Leads), len(ds.Reports))
		}
		if file == "testdata/drive.json" && !reflect.DeepEqual(stripOrigins(ds), stripOrigins(again)) {
			t.Fatal("round trip changes the dataset")
		}
	}
}

// A dataset without leads and reports is written exactly as before they
// existed: the export ends with the links array.
func TestJSONWithoutLeadsUnchanged(t *testing.T) {
	ds := readSmall(t)
	var buf bytes.Buffer
	if err := dataset.WriteJSON(&buf, ds); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(buf.String(), "\n  ]\n}\n") || strings.Contains(buf.String(), "leads") {
		t.Fatalf("unexpected tail:\n%s", buf.String()[max(0, buf.Len()-200):])
	}
	lastArr := strings.LastIndex(buf.String(), `"links": [`)
	if lastArr < 0 || strings.Contains(buf.String()[lastArr:], `"reports"`) {
		t.Fatal("links is not the last array")
	}
}

func TestDriveValidation(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(string) string
		sheet  string
		column string
		value  string
		msg    string
	}{
		{"unknown chain in county chains", replace(`"chains": ["battery"]}`, `"chains": ["battery", "steel"]}`), "counties", "chains", "steel", "unknown chain"},
		{"duplicate chain in county chains", replace(`"chains": ["battery"]}`, `"chains": ["battery", "battery"]}`), "counties", "chains", "battery", "duplicate chain"},
		{"lead later stage dated earlier", replace(`"intent": "2024-02-01"`, `"intent": "2024-01-01"`), "leads", "intent_date", "2024-01-01", "out of order"},
		{"lead dropped before visited", replace(`"dropped": "2024-02-10"`, `"dropped": "2024-01-01"`), "leads", "dropped_date", "2024-01-01", "out of order"},
		{"lead date of a stage not reached", replace(`"negotiating": "2024-03-20"}`, `"negotiating": "2024-03-20", "signed": "2024-04-01"}`), "leads", "signed_date", "2024-04-01", "not reached"},
		{"lead malformed date", replace(`"visited": "2024-01-10"`, `"visited": "2024-1-10"`), "leads", "visited_date", "2024-1-10", "malformed date"},
		{"lead unknown date stage", replace(`"visited": "2024-01-10"`, `"called": "2024-01-10"`), "leads", "dates", "called", "unknown stage"},
		{"lead unknown stage", replace(`"stage": "negotiating"`, `"stage": "talking"`), "leads", "stage", "talking", "unknown stage"},
		{"signed lead without project", replace(`, "project": "P-2024-017"}`, `}`), "leads", "project", "", "signed lead names its project"},
		{"lead unknown project", replace(`"project": "P-2024-017"`, `"project": "P-9"`), "leads", "project", "P-9", "unknown project"},
		{"lead project is an enterprise", replace(`"project": "P-2024-017"`, `"project": "E-anode"`), "leads", "project", "E-anode", "unknown project"},
		{"unsigned lead with project", replace(`"owner": "王科长"`, `"owner": "王科长", "project": "P-2024-017"`), "leads", "project", "P-2024-017", "only a signed lead"},
		{"lead unknown enterprise", replace(`"enterprise": "E-zhenghong"`, `"enterprise": "E-nobody"`), "leads", "enterprise", "E-nobody", "unknown enterprise"},
		{"lead unknown county", replace(`"county": "Z-fld", "segments": ["battery.cell"]`, `"county": "Z-none", "segments": ["battery.cell"]`), "leads", "county", "Z-none", "unknown county"},
		{"lead unknown segment", replace(`"segments": ["battery.anode"], "stage"`, `"segments": ["battery.nope"], "stage"`), "leads", "segments", "battery.nope", "unknown segment"},
		{"lead duplicate id", replace(`{"id": "L-2"`, `{"id": "L-1"`), "leads", "id", "L-1", "duplicate lead id"},
		{"lead unknown field", replace(`"owner": "王科长"`, `"officer": "王科长"`), "leads", "officer", "officer", "unknown field"},
		{"lead bad USCC", replace(`"enterprise": "E-zhenghong"`, `"enterprise": "E-zhenghong", "uscc": "91140827MA0GRXH473"`), "leads", "uscc", "91140827MA0GRXH473", "invalid USCC"},
		{"report duplicate key", replace(`{"area": "140827", "from": "2024-01-01", "to": "2024-04-30", "signed_projects": 12}`, `{"area": "140800", "from": "2024-01-01", "to": "2024-04-30", "signed_projects": 12}`), "reports", "to", "2024-04-30", "duplicate report"},
		{"report negative count", replace(`"signed_projects": 12`, `"signed_projects": -12`), "reports", "signed_projects", "-12", "≥ 0"},
		{"report negative amount", replace(`"investment_wan": 14813700`, `"investment_wan": -1`), "reports", "investment_wan", "-1", "≥ 0"},
		{"report unknown area", replace(`{"area": "140827"`, `{"area": "140899"`), "reports", "area", "140899", "unknown county"},
		{"report period backwards", replace(`{"area": "140827", "from": "2024-01-01"`, `{"area": "140827", "from": "2024-05-01"`), "reports", "to", "2024-04-30", "ends before it starts"},
		{"report malformed date", replace(`{"area": "140827", "from": "2024-01-01"`, `{"area": "140827", "from": "2024/01/01"`), "reports", "from", "2024/01/01", "malformed date"},
		{"report wrong type", replace(`"signed_projects": 12`, `"signed_projects": "十二"`), "reports", "signed_projects", "十二", "wrong type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			probs := driveProblems(t, tc.edit)
			if len(probs) != 1 {
				t.Fatalf("want one problem, got %v", probs)
			}
			p := probs[0]
			if p.Sheet != tc.sheet || p.Column != tc.column || p.Value != tc.value || !strings.Contains(p.Message, tc.msg) || p.Row == 0 || p.File != "bad.json" {
				t.Fatalf("got %+v\nwant sheet %q column %q value %q message ~ %q", p, tc.sheet, tc.column, tc.value, tc.msg)
			}
		})
	}
}

// A problem about a lead or report names its key in the message (SPEC §4).
func TestDriveProblemsNameTheRecord(t *testing.T) {
	p := driveProblems(t, replace(`"stage": "negotiating"`, `"stage": "talking"`))
	if len(p) != 1 || !strings.Contains(p[0].Message, "L-1") {
		t.Fatalf("%v", p)
	}
	p = driveProblems(t, replace(`"signed_projects": 12`, `"signed_projects": -12`))
	if len(p) != 1 || !strings.Contains(p[0].Message, "140827 2024-01-01..2024-04-30") {
		t.Fatalf("%v", p)
	}
}

// A lead may skip a stage (a missing earlier date is allowed), and a
// dropped lead has reached only the stages it has dates for.
func TestLeadStageRulesAllow(t *testing.T) {
	probs := driveProblems(t, replace(`"dates": {"visited": "2024-01-08", "dropped": "2024-02-10"}`, `"dates": {"inspected": "2024-01-08", "dropped": "2024-01-08"}`))
	if len(probs) != 0 {
		t.Fatal(probs)
	}
	probs = driveProblems(t, replace(`, "dates": {"visited": "2024-01-10", "intent": "2024-02-01", "negotiating": "2024-03-20"}`, ``))
	if len(probs) != 0 {
		t.Fatal(probs)
	}
}
