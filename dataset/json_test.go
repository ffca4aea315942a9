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

// readSmall reads and builds testdata/small.json.
func readSmall(t *testing.T) *chainscope.Dataset {
	t.Helper()
	f, err := os.Open("testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, probs := dataset.ReadJSON(f, "small.json")
	if len(probs) > 0 {
		t.Fatalf("read: %v", probs)
	}
	ds, probs := dataset.Build(recs)
	if len(probs) > 0 {
		t.Fatalf("build: %v", probs)
	}
	return ds
}

// stripOrigins zeroes every At field so datasets from different sources compare.
func stripOrigins(ds *chainscope.Dataset) *chainscope.Dataset {
	c := *ds
	c.Counties = append([]chainscope.County(nil), ds.Counties...)
	for i := range c.Counties {
		c.Counties[i].At = chainscope.Origin{}
	}
	c.Chains = append([]chainscope.Chain(nil), ds.Chains...)
	for i := range c.Chains {
		c.Chains[i].At = chainscope.Origin{}
		c.Chains[i].Segments = append([]chainscope.Segment{}, c.Chains[i].Segments...)
		for j := range c.Chains[i].Segments {
			c.Chains[i].Segments[j].At = chainscope.Origin{}
		}
		c.Chains[i].Flows = append([]chainscope.Flow{}, c.Chains[i].Flows...)
		for j := range c.Chains[i].Flows {
			c.Chains[i].Flows[j].At = chainscope.Origin{}
		}
	}
	c.Enterprises = append([]chainscope.Enterprise(nil), ds.Enterprises...)
	for i := range c.Enterprises {
		c.Enterprises[i].At = chainscope.Origin{}
	}
	c.Projects = append([]chainscope.Project(nil), ds.Projects...)
	for i := range c.Projects {
		c.Projects[i].At = chainscope.Origin{}
	}
	c.Links = append([]chainscope.Link(nil), ds.Links...)
	for i := range c.Links {
		c.Links[i].At = chainscope.Origin{}
	}
	if ds.Leads != nil {
		c.Leads = append([]chainscope.Lead(nil), ds.Leads...)
		for i := range c.Leads {
			c.Leads[i].At = chainscope.Origin{}
		}
	}
	if ds.Reports != nil {
		c.Reports = append([]chainscope.Report(nil), ds.Reports...)
		for i := range c.Reports {
			c.Reports[i].At = chainscope.Origin{}
		}
	}
	return &c
}

func TestJSONRoundTrip(t *testing.T) {
	ds := readSmall(t)
	// hostile text survives the trip
	ds.Enterprises[1].Name = `=HYPERLINK("http://evil","x") <script>&"'` + "\n\u202eRTL 🚀"
	var buf bytes.Buffer
	if err := dataset.WriteJSON(&buf, ds); err != nil {
		t.Fatal(err)
	}
	recs, probs := dataset.ReadJSON(&buf, "again.json")
	if len(probs) > 0 {
		t.Fatalf("re-read: %v\n%s", probs, buf.String())
	}
	again, probs := dataset.Build(recs)
	if len(probs) > 0 {
		t.Fatalf("rebuild: %v", probs)
	}
	if !reflect.DeepEqual(stripOrigins(ds), stripOrigins(again)) {
		t.Fatalf("round trip differs:\nwant %+v\ngot  %+v", stripOrigins(ds), stripOrigins(again))
	}
	// and a second write is byte-identical
	var buf2 bytes.Buffer
	if err := dataset.WriteJSON(&buf2, again); err != nil {
		t.Fatal(err)
	}
	var buf1 bytes.Buffer
	_ = dataset.WriteJSON(&buf1, ds)
	if !bytes.Equal(buf1.Bytes(), buf2.Bytes()) {
		t.Fatal("JSON export is not deterministic")
	}
}

func TestReadJSONPositions(t *testing.T) {
	ds := readSmall(t)
	cases := []struct {
		name  string
		at    chainscope.Origin
		sheet string
		row   int
	}{
		{"county", ds.Counties[2].At, "counties", 6},
		{"segment", ds.Chains[0].Segments[1].At, "segments", 12},
		{"flow", ds.Chains[0].Flows[1].At, "flows", 16},
		{"enterprise", ds.Enterprises[2].At, "enterprises", 22},
		{"link", ds.Links[1].At, "links", 30},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.at.Sheet == nil || tc.at.Sheet.Name != tc.sheet || tc.at.Row != tc.row || tc.at.Sheet.File != "small.json" {
				t.Fatalf("origin = %+v row %d, want %s row %d", tc.at.Sheet, tc.at.Row, tc.sheet, tc.row)
			}
		})
	}
}

// problemsFor applies edit to the text of small.json and returns the problems
// of reading and building it.
func problemsFor(t *testing.T, edit func(string) string) []chainscope.Problem {
	t.Helper()
	raw, err := os.ReadFile("testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	text := edit(string(raw))
	recs, probs := dataset.ReadJSON(strings.NewReader(text), "bad.json")
	if len(probs) > 0 {
		return probs
	}
	_, probs = dataset.Build(recs)
	return probs
}

func replace(old, new string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			panic("fixture lacks " + old)
		}
		return strings.Replace(s, old, new, 1)
	}
}

func TestValidationProblems(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(string) string
		sheet  string
		row    int
		column string
		value  string
		msg    string
	}{
		{"malformed JSON", replace(`"name": "运城市",`, `"name": "运城市"`), "", 2, "", "", "malformed JSON"},
		{"truncated", func(s string) string { return s[:len(s)/2] }, "", 0, "", "", "malformed JSON"},
		{"unknown field", replace(`"segments": ["pharma.api"], "leader_of"`, `"segmnets": ["pharma.api"], "leader_of"`), "enterprises", 22, "segmnets", "segmnets", "unknown field"},
		{"unknown top field", replace(`"links": [`, `"link": [], "links": [`), "", 28, "link", "", "unknown field"},
		{"wrong type", replace(`"investment_wan": 10000`, `"investment_wan": "10000"`), "projects", 25, "investment_wan", "10000", "wrong type"}, // the value as typed, not its JSON type,
		{"unknown county", replace(`"county": "140827", "segments": ["battery.coke"], "leader_of": [], "source"`, `"county": "140899", "segments": ["battery.coke"], "leader_of": [], "source"`), "enterprises", 20, "county", "140899", "unknown county"},
		{"unknown segment", replace(`"segments": ["battery.anode", "battery.equip"]`, `"segments": ["battery.anode", "battery.nope"]`), "enterprises", 21, "segments", "battery.nope", "unknown segment"},
		{"unknown chain in leader_of", replace(`"leader_of": ["pharma"]`, `"leader_of": ["pharm"]`), "enterprises", 22, "leader_of", "pharm", "unknown chain"},
		{"unknown investor", replace(`"investor": "E-zhenghong"`, `"investor": "E-nobody"`), "projects", 25, "investor", "E-nobody", "unknown enterprise"},
		{"unknown link end", replace(`{"from": "P-2024-017", "to": "E-anode"}`, `{"from": "P-2024-099", "to": "E-anode"}`), "links", 30, "from", "P-2024-099", "unknown enterprise or project"},
		{"unknown zone parent", replace(`"parent": "140830"`, `"parent": "140831"`), "counties", 6, "parent", "140831", "unknown county"},
		{"duplicate county", replace(`{"code": "140830", "name": "芮城县"`, `{"code": "140827", "name": "芮城县"`), "counties", 5, "code", "140827", "duplicate"},
		{"duplicate enterprise/project id", replace(`"id": "P-2024-018"`, `"id": "E-anode"`), "projects", 26, "id", "E-anode", "duplicate"},
		{"duplicate segment id", replace(`{"id": "pharma.api", "name"`, `{"id": "battery.coke", "name"`), "segments", 17, "id", "battery.coke", "duplicate segment id"},
		{"duplicate link", replace(`{"from": "P-2024-017", "to": "E-anode"}`, `{"from": "E-zhenghong", "to": "E-anode"}`), "links", 30, "to", "E-anode", "duplicate link"},
		{"self link", replace(`{"from": "P-2024-017", "to": "E-anode"}`, `{"from": "E-anode", "to": "E-anode"}`), "links", 30, "to", "E-anode", "self-link"},
		{"cycle", replace(`["battery.anode", "battery.cell"]]`, `["battery.anode", "battery.cell"], ["battery.cell", "battery.coke"]]`), "flows", 16, "to", "battery.coke", "battery.coke → battery.anode → battery.cell → battery.coke"},
		{"flow between chains", replace(`["battery.anode", "battery.cell"]]`, `["battery.anode", "pharma.api"]]`), "flows", 16, "to", "pharma.api", "between two chains"},
		{"malformed date", replace(`"signed": "2024-03-15"`, `"signed": "2024-3-15"`), "projects", 25, "signed", "2024-3-15", "malformed date"},
		{"impossible date", replace(`"started": "2024-04-01"`, `"started": "2024-02-30"`), "projects", 25, "started", "2024-02-30", "malformed date"},
		{"negative amount", replace(`"investment_wan": 10000`, `"investment_wan": -5`), "projects", 25, "investment_wan", "-5", "≥ 0"},
		{"unknown status", replace(`"status": "started"`, `"status": "planned"`), "projects", 25, "status", "planned", "unknown status"},
		{"unknown stage", replace(`"stage": "support"`, `"stage": "side"`), "segments", 14, "stage", "side", "unknown stage"},
		{"unknown kind", replace(`"kind": "county"}`, `"kind": "prefecture"}`), "counties", 4, "kind", "prefecture", "unknown kind"},
		{"USCC check character", replace(`91140827MA0GRXH472`, `91140827MA0GRXH473`), "enterprises", 20, "uscc", "91140827MA0GRXH473", "invalid USCC"},
		{"USCC charset", replace(`91140827MA0GRXH472`, `91140827MA0GRXH4I2`), "enterprises", 20, "uscc", "91140827MA0GRXH4I2", "invalid USCC"},
		{"USCC length", replace(`91140827MA0GRXH472`, `91140827MA0GRXH47`), "enterprises", 20, "uscc", "91140827MA0GRXH47", "invalid USCC"},
		{"not UTF-8", replace(`运城市`, "\xd4\xcb\xb3\xc7"), "", 2, "", "", "not UTF-8"},
		{"not an object", func(string) string { return `[1, 2]` }, "", 1, "", "", "JSON object"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			probs := problemsFor(t, tc.edit)
			if len(probs) == 0 {
				t.Fatal("no problem reported")
			}
			p := probs[0]
			if p.Sheet != tc.sheet || (tc.row > 0 && p.Row != tc.row) || p.Column != tc.column ||
				(tc.value != "" && p.Value != tc.value) || !strings.Contains(p.Message, tc.msg) {
				t.Fatalf("got %+v\nwant sheet %q row %d column %q value %q message ~ %q", p, tc.sheet, tc.row, tc.column, tc.value, tc.msg)
			}
			if p.File != "bad.json" {
				t.Fatalf("problem does not name the file: %+v", p)
			}
		})
	}
}

func TestBuildCollectsManyProblems(t *testing.T) {
	recs, _ := dataset.ReadJSON(strings.NewReader(`{"region": {"code": "1", "name": "r"}, "counties": [], "chains": [], "enterprises": [], "projects": [], "links": []}`), "x.json")
	for i := 0; i < 150; i++ {
		recs.Links = append(recs.Links, chainscope.Link{From: "a", To: "b"})
	}
	_, probs := dataset.Build(recs)
	if len(probs) < 100 {
		t.Fatalf("got %d problems, want at least 100", len(probs))
	}
}

func TestReferenceByUSCCAndName(t *testing.T) {
	probs := problemsFor(t, func(s string) string {
		s = replace(`"investor": "E-zhenghong"`, `"investor": "91140827MA0GRXH472"`)(s)
		return replace(`{"from": "P-2024-017", "to": "E-anode"}`, `{"from": "P-2024-017", "to": "垣曲负极材料公司"}`)(s)
	})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	raw, _ := os.ReadFile("testdata/small.json")
	text := strings.Replace(string(raw), `"investor": "E-zhenghong"`, `"investor": "91140827MA0GRXH472"`, 1)
	recs, _ := dataset.ReadJSON(strings.NewReader(text), "x.json")
	ds, _ := dataset.Build(recs)
	if ds.Projects[0].Investor != "E-zhenghong" {
		t.Fatalf("investor not resolved by USCC: %q", ds.Projects[0].Investor)
	}
}

func TestMergeUpserts(t *testing.T) {
	ds := readSmall(t)
	in := &dataset.Records{
		Enterprises: []chainscope.Enterprise{
			{ID: "E-anode", Name: "改名后的负极公司", County: "140827", Segments: []string{"battery.anode"}, LeaderOf: []string{}},
			{ID: "E-new", Name: "新企业", County: "140830", Segments: []string{"battery.cell"}, LeaderOf: []string{}},
		},
		Links: []chainscope.Link{{From: "E-anode", To: "E-new", Product: "负极"}, {From: "E-zhenghong", To: "E-anode", Product: "锻后焦2"}},
	}
	merged, probs := dataset.Build(dataset.Merge(dataset.Flatten(ds), in))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if got := len(merged.Enterprises); got != 4 {
		t.Fatalf("enterprises = %d, want 4", got)
	}
	if merged.Enterprises[1].Name != "改名后的负极公司" || merged.Enterprises[3].ID != "E-new" {
		t.Fatalf("upsert order/values wrong: %+v", merged.Enterprises)
	}
	if len(merged.Links) != 3 || merged.Links[0].Product != "锻后焦2" || merged.Links[2].To != "E-new" {
		t.Fatalf("links = %+v", merged.Links)
	}
	// everything else untouched
	if !reflect.DeepEqual(stripOrigins(ds).Projects, stripOrigins(merged).Projects) {
		t.Fatal("projects changed")
	}
}

func TestValidUSCC(t *testing.T) {
	for s, want := range map[string]bool{
		"91140827MA0GRXH472": true,
		"91350100M000100Y43": true,
		"91350100M000100Y44": false,
		"9135010OM000100Y43": false,
		"":                   false,
	} {
		if got := dataset.ValidUSCC(s); got != want {
			t.Errorf("ValidUSCC(%q) = %v, want %v", s, got, want)
		}
	}
}
