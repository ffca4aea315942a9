package chainscope

// Lead is a target enterprise in the 招商 pipeline (招商线索, SPEC §1, §9).
type Lead struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`                 // the target enterprise
	USCC       string            `json:"uscc,omitempty"`       // optional
	Enterprise string            `json:"enterprise,omitempty"` // a stored enterprise's id, when the target is in the data
	County     string            `json:"county"`               // the county pursuing it
	Segments   []string          `json:"segments"`             // what it would bring
	Stage      LeadStage         `json:"stage"`
	Dates      map[string]string `json:"dates,omitempty"`   // stage → YYYY-MM-DD on which it was reached
	Project    string            `json:"project,omitempty"` // the project it became, once signed
	Owner      string            `json:"owner,omitempty"`   // the officer
	Reason     string            `json:"reason,omitempty"`  // why it was dropped
	Source     string            `json:"source,omitempty"`
	Note       string            `json:"note,omitempty"`
	At         Origin            `json:"-"`
}

// LeadStage is where a lead stands in the pipeline (SPEC §9).
type LeadStage string

// The lead stages of SPEC §9, in pipeline order; dropped ends a lead at any stage.
const (
	LeadVisited     LeadStage = "visited"     // 走访
	LeadIntent      LeadStage = "intent"      // 意向
	LeadInspected   LeadStage = "inspected"   // 考察
	LeadNegotiating LeadStage = "negotiating" // 洽谈
	LeadSigned      LeadStage = "signed"      // 签约
	LeadDropped     LeadStage = "dropped"     // 放弃
)

// LeadPipeline lists the stages a lead moves through, in order (dropped is not one of them).
var LeadPipeline = []LeadStage{LeadVisited, LeadIntent, LeadInspected, LeadNegotiating, LeadSigned}

// LeadStages lists every valid stage: the pipeline, then dropped.
var LeadStages = append(append([]LeadStage(nil), LeadPipeline...), LeadDropped)

// Label returns the Chinese word for a lead stage.
func (s LeadStage) Label() string {
	return map[LeadStage]string{LeadVisited: "走访", LeadIntent: "意向", LeadInspected: "考察",
		LeadNegotiating: "洽谈", LeadSigned: "签约", LeadDropped: "放弃"}[s]
}

// Rank is the stage's position in LeadPipeline (0 = visited), -1 for
// dropped or an unknown stage.
func (s LeadStage) Rank() int {
	for i, p := range LeadPipeline {
		if p == s {
			return i
		}
	}
	return -1
}

// Open reports whether the lead is still being pursued (在谈): neither
// signed nor dropped (SPEC §9).
func (l *Lead) Open() bool { return l.Stage != LeadSigned && l.Stage != LeadDropped }

// Report holds period figures as an official report states them (上报数据,
// SPEC §1), kept beside what the ledger adds up. Its key is (Area, From, To).
// Every figure is optional (nil: not stated) and ≥ 0.
type Report struct {
	Area             string   `json:"area"` // a county code or the region's code
	From             string   `json:"from"` // YYYY-MM-DD
	To               string   `json:"to"`   // YYYY-MM-DD
	SignedProjects   *int     `json:"signed_projects,omitempty"`
	InvestmentWan    *float64 `json:"investment_wan,omitempty"`
	EmergingProjects *int     `json:"emerging_projects,omitempty"`
	StartedProjects  *int     `json:"started_projects,omitempty"` // signed and started in the period
	DueProjects      *int     `json:"due_projects,omitempty"`     // 应开工: the start-rate denominator
	TargetWan        *float64 `json:"target_wan,omitempty"`       // the annual target
	Source           string   `json:"source,omitempty"`
	Note             string   `json:"note,omitempty"`
	At               Origin   `json:"-"`
}
