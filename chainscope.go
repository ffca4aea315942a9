package chainscope

import (
	"encoding/json"
	"fmt"
)

// Dataset is one region's whole industrial-chain data (SPEC §1–2). Its JSON
// encoding is the interchange format of SPEC §2.
type Dataset struct {
	Region      Region       `json:"region"`
	Counties    []County     `json:"counties"`
	Chains      []Chain      `json:"chains"`
	Enterprises []Enterprise `json:"enterprises"`
	Projects    []Project    `json:"projects"`
	Links       []Link       `json:"links"`
	Leads       []Lead       `json:"leads,omitempty"`   // 招商线索, optional (SPEC §1, §9)
	Reports     []Report     `json:"reports,omitempty"` // 上报数据, optional (SPEC §1)
}

// Region is the area a dataset covers, such as 运城市 (140800).
type Region struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Source string `json:"source,omitempty"`
	Note   string `json:"note,omitempty"`
}

// County is a county-level division or a development zone inside one.
type County struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Kind   Kind   `json:"kind"`
	Parent string `json:"parent,omitempty"` // zones only: the county the zone lies in
	// Chains are the chain ids the county develops (主导产业链, SPEC §5
	// portfolio); empty: every chain in which it has a node.
	Chains []string `json:"chains,omitempty"`
	Source string   `json:"source,omitempty"`
	Note   string   `json:"note,omitempty"`
	At     Origin   `json:"-"`
}

// Chain is an industrial chain (产业链): its segments and the upstream →
// downstream flows between them.
type Chain struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Segments []Segment `json:"segments"`
	Flows    []Flow    `json:"flows"`
	Source   string    `json:"source,omitempty"`
	Note     string    `json:"note,omitempty"`
	At       Origin    `json:"-"`
}

// Segment is one link (环节) of a chain. Its id is unique across the dataset.
type Segment struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Stage  Stage  `json:"stage"`
	Source string `json:"source,omitempty"`
	Note   string `json:"note,omitempty"`
	At     Origin `json:"-"`
}

// Flow is a directed segment → segment relation, upstream to downstream.
// Its JSON form is a two-element array ["from", "to"].
type Flow struct {
	From string
	To   string
	At   Origin
}

// MarshalJSON writes the flow as ["from", "to"].
func (f Flow) MarshalJSON() ([]byte, error) {
	return json.Marshal([2]string{f.From, f.To})
}

// UnmarshalJSON reads ["from", "to"].
func (f *Flow) UnmarshalJSON(b []byte) error {
	var pair []string
	if err := json.Unmarshal(b, &pair); err != nil {
		return fmt.Errorf("flow must be [\"from\", \"to\"]: %w", err)
	}
	if len(pair) != 2 {
		return fmt.Errorf("flow must have exactly two segment ids, got %d", len(pair))
	}
	f.From, f.To = pair[0], pair[1]
	return nil
}

// Enterprise is a company placed on one or more segments (possibly of
// several chains). LeaderOf names the chains it leads as 链主.
type Enterprise struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	USCC      string   `json:"uscc,omitempty"`
	County    string   `json:"county"`
	Segments  []string `json:"segments"`
	LeaderOf  []string `json:"leader_of"`
	OutputWan *float64 `json:"output_wan,omitempty"` // annual output in 万元; nil when unknown
	Source    string   `json:"source,omitempty"`
	Note      string   `json:"note,omitempty"`
	At        Origin   `json:"-"`
}

// Project is an investment project (招商项目).
type Project struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Investor      string   `json:"investor,omitempty"` // enterprise id
	County        string   `json:"county"`
	Segments      []string `json:"segments"`
	InvestmentWan *float64 `json:"investment_wan,omitempty"` // 万元; nil when unknown
	Signed        string   `json:"signed,omitempty"`         // YYYY-MM-DD
	Started       string   `json:"started,omitempty"`        // YYYY-MM-DD
	Status        Status   `json:"status"`
	Emerging      bool     `json:"emerging"`
	Source        string   `json:"source,omitempty"`
	Note          string   `json:"note,omitempty"`
	At            Origin   `json:"-"`
}

// Link is a supply relation, supplier (From) → customer (To), between
// enterprises or projects. (From, To) is its key.
type Link struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Product string `json:"product,omitempty"`
	Source  string `json:"source,omitempty"`
	Note    string `json:"note,omitempty"`
	At      Origin `json:"-"`
}

// Investment returns the project's investment in 万元, 0 when unknown.
func (p *Project) Investment() float64 {
	if p.InvestmentWan == nil {
		return 0
	}
	return *p.InvestmentWan
}

// Operating reports whether the project is running (SPEC §5 "operating").
func (p *Project) Operating() bool { return p.Status == StatusOperating }

// Kind is the kind of a county-level division.
type Kind string

// The kinds of SPEC §1.
const (
	KindDistrict Kind = "district" // 区
	KindCounty   Kind = "county"   // 县
	KindCity     Kind = "city"     // 县级市
	KindZone     Kind = "zone"     // 开发区/园区
)

// Kinds lists every valid kind.
var Kinds = []Kind{KindDistrict, KindCounty, KindCity, KindZone}

// Stage is the position of a segment in its chain.
type Stage string

// The stages of SPEC §1.
const (
	StageUpstream   Stage = "upstream"   // 上游
	StageMidstream  Stage = "midstream"  // 中游
	StageDownstream Stage = "downstream" // 下游
	StageSupport    Stage = "support"    // 配套
)

// Stages lists every valid stage, upstream first.
var Stages = []Stage{StageUpstream, StageMidstream, StageDownstream, StageSupport}

// Status is a project's state.
type Status string

// The project statuses of SPEC §1.
const (
	StatusSigned    Status = "signed"    // 签约
	StatusStarted   Status = "started"   // 开工/在建
	StatusOperating Status = "operating" // 投产/运营
	StatusStalled   Status = "stalled"   // 停滞
	StatusCancelled Status = "cancelled" // 终止/取消
)

// Statuses lists every valid project status.
var Statuses = []Status{StatusSigned, StatusStarted, StatusOperating, StatusStalled, StatusCancelled}

// Label returns the Chinese word for a kind.
func (k Kind) Label() string {
	return map[Kind]string{KindDistrict: "区", KindCounty: "县", KindCity: "县级市", KindZone: "开发区"}[k]
}

// Label returns the Chinese word for a stage.
func (s Stage) Label() string {
	return map[Stage]string{StageUpstream: "上游", StageMidstream: "中游", StageDownstream: "下游", StageSupport: "配套"}[s]
}

// Label returns the Chinese word for a status.
func (s Status) Label() string {
	return map[Status]string{StatusSigned: "签约", StatusStarted: "开工", StatusOperating: "投产", StatusStalled: "停滞", StatusCancelled: "终止"}[s]
}

// Text names a stage for a reader: 上游 … in Chinese, "upstream" … for
// lang "en". The one label table behind the SVG and the workbooks.
func (s Stage) Text(lang string) string {
	if lang == "en" {
		return string(s)
	}
	return s.Label()
}

// Text names a project status for a reader: 签约 在建 投产 停滞 终止 in
// Chinese (在建 where Label, the data word, says 开工), "signed", "under
// construction", "operating", "stalled", "cancelled" for lang "en".
func (s Status) Text(lang string) string {
	if lang == "en" {
		if s == StatusStarted {
			return "under construction"
		}
		return string(s)
	}
	if s == StatusStarted {
		return "在建"
	}
	return s.Label()
}
