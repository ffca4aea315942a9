package dataset

import (
	"chainscope"
)

// Warning codes: things a record may be, that are probably a mistake and
// are saved all the same.
const (
	// WarnOperatingWithoutStarted: a project operating (投产) with no
	// started date (开工日期): it must have broken ground some day.
	WarnOperatingWithoutStarted = "operating_without_started"
)

// Warning is one thing probably wrong about a saved record: a stable code
// and its message in Chinese and English.
type Warning struct {
	Code   string
	ZH, EN string
}

// Text is the warning's message in lang ("en" English, otherwise Chinese).
func (w Warning) Text(lang string) string {
	if lang == "en" {
		return w.EN
	}
	return w.ZH
}

// operatingWithoutStarted is the one rule behind
// WarnOperatingWithoutStarted.
func operatingWithoutStarted(p *chainscope.Project) bool {
	return p.Status == chainscope.StatusOperating && p.Started == ""
}

// ProjectWarnings lists what is probably wrong with a project that is
// saved all the same (the edit path answers them beside the record).
func ProjectWarnings(p *chainscope.Project) []Warning {
	var out []Warning
	if operatingWithoutStarted(p) {
		out = append(out, Warning{Code: WarnOperatingWithoutStarted,
			ZH: "项目状态为投产，但没有开工日期",
			EN: "the project is operating but has no started date"})
	}
	return out
}

// ImportWarnings are the warnings of the records of an import, as
// problems naming file, sheet, row and column (the readers' warnings
// beside them): the same rules as ProjectWarnings.
func ImportWarnings(recs *Records) []chainscope.Problem {
	var out []chainscope.Problem
	for i := range recs.Projects {
		p := &recs.Projects[i]
		for _, w := range ProjectWarnings(p) {
			pr := chainscope.ProblemAt(p.At, "started", "", "%s（%s）%s", w.ZH, p.ID, w.EN)
			out = append(out, pr)
		}
	}
	return out
}
