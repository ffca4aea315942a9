package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"chainscope"
)

// The 招商线索 routes (SPEC §1, §9): a list with filters, one lead with its
// ETag, and the editors' create, update and delete, with the shapes,
// If-Match and checks of the project routes (see write.go, edit.go).

// entityLead is a lead, as the edits and revisions name it.
const entityLead = "lead"

// Leads is the answer to GET /api/v1/leads: one page of the leads that
// match, in dataset order, and how many match in all.
type Leads struct {
	Leads []chainscope.Lead `json:"leads"`
	Total int               `json:"total"`
}

// leadFilter selects leads: by area (a county with its zones; "*" or
// absent: all), chain (one of the lead's segments is in it), stage, and
// search text in the target's name, USCC, id or owner.
type leadFilter struct {
	commonFilter
	stage chainscope.LeadStage
}

func parseLeadFilter(c *gin.Context, lk *lookup) (leadFilter, error) {
	q := c.Request.URL.Query()
	var f leadFilter
	if area := q.Get("area"); area != "" && area != "*" {
		set, ok := lk.area(area)
		if !ok {
			return f, notFoundErr("未知的县区 %q", "unknown county %q", area)
		}
		f.area = set
	}
	if id := q.Get("chain"); id != "" {
		if _, ok := lk.chain[id]; !ok {
			return f, notFoundErr("未知的产业链 %q", "unknown chain %q", id)
		}
		f.chain = id
	}
	if st := q.Get("stage"); st != "" {
		f.stage = chainscope.LeadStage(st)
		if !oneOfStage(f.stage) {
			return f, paramErr("未知的线索阶段 stage：%q（应为 visited/intent/inspected/negotiating/signed/dropped）",
				"unknown lead stage %q (expected visited/intent/inspected/negotiating/signed/dropped)", st)
		}
	}
	f.q = strings.ToLower(strings.TrimSpace(q.Get("q")))
	return f, nil
}

func oneOfStage(s chainscope.LeadStage) bool {
	for _, t := range chainscope.LeadStages {
		if s == t {
			return true
		}
	}
	return false
}

func (f *leadFilter) match(lk *lookup, l *chainscope.Lead) bool {
	if f.area != nil && !f.area[l.County] {
		return false
	}
	if f.stage != "" && l.Stage != f.stage {
		return false
	}
	if !f.placed(lk, l.Segments) {
		return false
	}
	return f.q == "" || contains(l.Name, f.q) || contains(l.ID, f.q) || contains(l.USCC, f.q) || contains(l.Owner, f.q)
}

// leads answers GET /api/v1/leads?area=&chain=&stage=&q=&offset=&limit=.
func (s *Server) leads(c *gin.Context) {
	snap := s.current(c.Request.Context())
	f, err := parseLeadFilter(c, snap.lk)
	if err != nil {
		s.fail(c, err)
		return
	}
	q := c.Request.URL.Query()
	offset, limit, err := parsePage(q, defaultPerPage, maxPerPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := Leads{Leads: []chainscope.Lead{}}
	for i := range snap.ds.Leads {
		l := &snap.ds.Leads[i]
		if !f.match(snap.lk, l) {
			continue
		}
		if out.Total >= offset && len(out.Leads) < limit {
			out.Leads = append(out.Leads, *l)
		}
		out.Total++
	}
	c.Header("Cache-Control", "no-cache")
	writeJSON(c, http.StatusOK, out)
}

// lead answers GET /api/v1/leads/{id} with the lead and its ETag.
func (s *Server) lead(c *gin.Context) {
	snap := s.current(c.Request.Context())
	id := c.Param("id")
	i := indexOf(snap.ds.Leads, func(l *chainscope.Lead) bool { return l.ID == id })
	if i < 0 {
		s.fail(c, notFoundErr("未知的招商线索 %q", "unknown lead %q", id))
		return
	}
	s.serveRecord(c, &snap.ds.Leads[i], snap.ds.Leads[i])
}

// deleteLead deletes one lead (DELETE /api/v1/leads/{id}).
func (s *Server) deleteLead(c *gin.Context) {
	s.writeRecord(c, &edit{entity: entityLead, action: actionDelete, key: c.Param("id")})
}
