package dataset_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"chainscope"
	"chainscope/dataset"
	"chainscope/synth"
	"chainscope/yuncheng"
)

// slowEdit is the reference ApplyEdit must agree with: what the API did
// before it (server/edit.go): make the edit on the flat records of the
// whole dataset and Build them all.
func slowEdit(cur *chainscope.Dataset, e dataset.Edit) (*dataset.EditResult, error) {
	recs := dataset.Flatten(cur)
	entI := slices.IndexFunc(recs.Enterprises, func(r chainscope.Enterprise) bool { return r.ID == e.ID })
	projI := slices.IndexFunc(recs.Projects, func(r chainscope.Project) bool { return r.ID == e.ID })
	if e.Action == dataset.EditCreate && e.Kind != dataset.EditLink && (entI >= 0 || projI >= 0) {
		return nil, chainscope.Errorf(chainscope.ECONFLICT, "编号已存在 / id %q already exists", e.ID)
	}
	in := e.Record
	if in == nil {
		in = &dataset.Records{}
	}
	res := &dataset.EditResult{}
	pos := -1
	var err error
	switch e.Kind {
	case dataset.EditEnterprise:
		recs.Enterprises, pos, res.Before, err = editList(recs.Enterprises, entI, e.Action, in.Enterprises,
			chainscope.Errorf(chainscope.ENOTFOUND, "未知的企业 unknown enterprise %q", e.ID))
	case dataset.EditProject:
		recs.Projects, pos, res.Before, err = editList(recs.Projects, projI, e.Action, in.Projects,
			chainscope.Errorf(chainscope.ENOTFOUND, "未知的项目 unknown project %q", e.ID))
	case dataset.EditLink:
		i := slices.IndexFunc(recs.Links, func(r chainscope.Link) bool { return r.From == e.From && r.To == e.To })
		if e.Action == dataset.EditCreate && i >= 0 {
			return nil, chainscope.Errorf(chainscope.ECONFLICT, "供需关系已存在 / link %s already exists", e.From+" → "+e.To)
		}
		recs.Links, pos, res.Before, err = editList(recs.Links, i, e.Action, in.Links,
			chainscope.Errorf(chainscope.ENOTFOUND, "未知的供需关系 unknown link %s", e.From+" → "+e.To))
	}
	if err != nil {
		return nil, err
	}
	if e.Action == dataset.EditDelete && e.Cascade && e.Kind != dataset.EditLink {
		var kept []chainscope.Link
		for _, l := range recs.Links {
			if l.From == e.ID || l.To == e.ID {
				res.Dropped = append(res.Dropped, l)
			} else {
				kept = append(kept, l)
			}
		}
		recs.Links = kept
	}
	ds, problems := dataset.Build(recs)
	if len(problems) > 0 {
		return nil, &chainscope.InvalidError{Problems: problems}
	}
	res.Dataset = ds
	if e.Action != dataset.EditDelete {
		switch e.Kind {
		case dataset.EditEnterprise:
			res.After = &ds.Enterprises[pos]
		case dataset.EditProject:
			res.After = &ds.Projects[pos]
		case dataset.EditLink:
			res.After = &ds.Links[pos]
		}
	}
	return res, nil
}

func editList[T any](list []T, i int, action string, rec []T, missing error) ([]T, int, any, error) {
	if action == dataset.EditCreate {
		return append(list, rec[0]), len(list), nil, nil
	}
	if i < 0 {
		return nil, 0, nil, missing
	}
	before := list[i]
	if action == dataset.EditUpdate {
		list[i] = rec[0]
		return list, i, &before, nil
	}
	return append(list[:i], list[i+1:]...), -1, &before, nil
}

// cloneDataset copies ds down to the last slice and number, so that any
// change ApplyEdit made to a dataset it was given shows.
func cloneDataset(ds *chainscope.Dataset) *chainscope.Dataset {
	c := *ds
	num := func(p *float64) *float64 {
		if p == nil {
			return nil
		}
		v := *p
		return &v
	}
	c.Counties = slices.Clone(ds.Counties)
	c.Chains = slices.Clone(ds.Chains)
	for i := range c.Chains {
		c.Chains[i].Segments = slices.Clone(c.Chains[i].Segments)
		c.Chains[i].Flows = slices.Clone(c.Chains[i].Flows)
	}
	c.Enterprises = slices.Clone(ds.Enterprises)
	for i := range c.Enterprises {
		e := &c.Enterprises[i]
		e.Segments, e.LeaderOf, e.OutputWan = slices.Clone(e.Segments), slices.Clone(e.LeaderOf), num(e.OutputWan)
	}
	c.Projects = slices.Clone(ds.Projects)
	for i := range c.Projects {
		p := &c.Projects[i]
		p.Segments, p.InvestmentWan = slices.Clone(p.Segments), num(p.InvestmentWan)
	}
	c.Links = slices.Clone(ds.Links)
	return &c
}

// The sheets the edited records come from, as the API's readRecord names
// them.
var (
	entSheet  = &chainscope.Sheet{File: "请求 request", Name: "enterprises"}
	projSheet = &chainscope.Sheet{File: "请求 request", Name: "projects"}
	linkSheet = &chainscope.Sheet{File: "请求 request", Name: "links"}
)

// editGen makes random edits of a dataset, valid and not.
type editGen struct {
	rng   *rand.Rand
	ds    *chainscope.Dataset
	fresh int
	// plan holds the next edits of a scenario, made from the dataset as
	// it is when their turn comes.
	plan []func() dataset.Edit
}

func (g *editGen) pct(p int) bool { return g.rng.IntN(100) < p }

func (g *editGen) freshID(prefix string) string {
	g.fresh++
	return fmt.Sprintf("%s-new-%d", prefix, g.fresh)
}

// validUSCC makes a new valid USCC: 17 random characters and the one last
// character ValidUSCC accepts.
func (g *editGen) validUSCC() string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	b := []byte("91")
	for range 15 {
		b = append(b, chars[g.rng.IntN(len(chars))])
	}
	for i := range len(chars) {
		if s := string(b) + chars[i:i+1]; dataset.ValidUSCC(s) {
			return s
		}
	}
	panic("no check character")
}

func pick[T any](g *editGen, s []T) *T {
	if len(s) == 0 {
		return nil
	}
	return &s[g.rng.IntN(len(s))]
}

// nodeID is the id of a random enterprise or project.
func (g *editGen) nodeID() string {
	n := len(g.ds.Enterprises) + len(g.ds.Projects)
	if n == 0 {
		return "nobody"
	}
	if i := g.rng.IntN(n); i < len(g.ds.Enterprises) {
		return g.ds.Enterprises[i].ID
	}
	return g.ds.Projects[g.rng.IntN(len(g.ds.Projects))].ID
}

// enterpriseRef names a random enterprise by id, USCC or name; sometimes
// something else.
func (g *editGen) enterpriseRef() string {
	e := pick(g, g.ds.Enterprises)
	if e == nil {
		return "nobody"
	}
	switch r := g.rng.IntN(20); {
	case r < 12:
		return e.ID
	case r < 15 && e.USCC != "":
		return e.USCC
	case r < 18:
		return e.Name
	case r < 19:
		return g.nodeID()
	}
	return "nobody"
}

// nodeRef names a random link end: mostly an id, else an enterprise's
// USCC or name, an unknown node or nothing.
func (g *editGen) nodeRef() string {
	switch r := g.rng.IntN(20); {
	case r < 14:
		return g.nodeID()
	case r < 18:
		return g.enterpriseRef()
	case r < 19:
		return ""
	}
	return "nobody"
}

func (g *editGen) county() string {
	switch r := g.rng.IntN(20); {
	case r < 16 && len(g.ds.Counties) > 0:
		return pick(g, g.ds.Counties).Code
	case r < 18:
		return g.ds.Region.Code
	case r < 19:
		return "999999"
	}
	return ""
}

func (g *editGen) segments() []string {
	var all []string
	for _, c := range g.ds.Chains {
		for _, s := range c.Segments {
			all = append(all, s.ID)
		}
	}
	if g.pct(10) {
		return nil
	}
	var out []string
	for range g.rng.IntN(3) {
		out = append(out, *pick(g, all))
	}
	if g.pct(5) {
		out = append(out, "no.such.segment")
	}
	if g.pct(5) && len(out) > 0 {
		out = append(out, out[0])
	}
	return out
}

func (g *editGen) amount() *float64 {
	var v float64
	switch r := g.rng.IntN(20); {
	case r < 5:
		return nil
	case r < 17:
		v = float64(g.rng.IntN(100000)) / 10
	case r < 18:
		v = -1
	case r < 19:
		v = math.NaN()
	default:
		v = math.Inf(1)
	}
	return &v
}

func (g *editGen) date(optional bool) string {
	switch r := g.rng.IntN(20); {
	case r < 4 && optional:
		return ""
	case r < 18:
		return fmt.Sprintf("2024-%02d-%02d", 1+g.rng.IntN(12), 1+g.rng.IntN(28))
	case r < 19:
		return "2024-02-30"
	}
	return "2024/3/15"
}

func (g *editGen) origin(s *chainscope.Sheet) chainscope.Origin {
	return chainscope.Origin{Sheet: s, Row: 1 + g.rng.IntN(9)}
}

// enterprise is a random enterprise with id.
func (g *editGen) enterprise(id string) chainscope.Enterprise {
	e := chainscope.Enterprise{ID: id, County: g.county(), Segments: g.segments(), OutputWan: g.amount(), At: g.origin(entSheet)}
	switch r := g.rng.IntN(20); {
	case r < 14:
		e.Name = g.freshID("企业")
	case r < 16 && len(g.ds.Enterprises) > 0:
		e.Name = pick(g, g.ds.Enterprises).Name
	case r < 18:
		e.Name = g.nodeID()
	case r < 19:
		e.Name = ""
	default:
		e.Name = id
	}
	switch r := g.rng.IntN(20); {
	case r < 9:
	case r < 16:
		e.USCC = g.validUSCC()
	case r < 18:
		if o := pick(g, g.ds.Enterprises); o != nil {
			e.USCC = o.USCC
		}
	case r < 19:
		e.USCC = "91140800MA0XXXXXX1"
	default:
		e.USCC = g.nodeID()
	}
	switch r := g.rng.IntN(10); {
	case r < 5:
	case r < 7:
		e.LeaderOf = []string{}
	case r < 9 && len(g.ds.Chains) > 0:
		e.LeaderOf = []string{pick(g, g.ds.Chains).ID}
	default:
		e.LeaderOf = []string{"no-such-chain"}
	}
	if g.pct(20) {
		e.Source, e.Note = "测试", "note"
	}
	return e
}

func (g *editGen) project(id string) chainscope.Project {
	statuses := append(slices.Clone(chainscope.Statuses), "", "在建")
	p := chainscope.Project{ID: id, Name: g.freshID("项目"), County: g.county(), Segments: g.segments(),
		InvestmentWan: g.amount(), Signed: g.date(false), Started: g.date(true),
		Status: *pick(g, statuses), Emerging: g.pct(30), At: g.origin(projSheet)}
	if g.pct(3) {
		p.Name = ""
	}
	if g.pct(75) {
		p.Investor = g.enterpriseRef()
	}
	return p
}

func (g *editGen) link(from, to string) chainscope.Link {
	l := chainscope.Link{From: from, To: to, At: g.origin(linkSheet)}
	if g.pct(60) {
		l.Product = g.freshID("产品")
	}
	return l
}

func recordOf(rec any) *dataset.Records {
	r := &dataset.Records{}
	switch v := rec.(type) {
	case chainscope.Enterprise:
		r.Enterprises = []chainscope.Enterprise{v}
	case chainscope.Project:
		r.Projects = []chainscope.Project{v}
	case chainscope.Link:
		r.Links = []chainscope.Link{v}
	}
	return r
}

// next makes the next edit: the next step of a scenario, a new scenario
// now and then, or a random edit.
func (g *editGen) next() dataset.Edit {
	if len(g.plan) > 0 {
		step := g.plan[0]
		g.plan = g.plan[1:]
		return step()
	}
	if g.pct(6) {
		g.planRepoint()
		return g.next()
	}
	return g.random()
}

// random makes a random edit.
func (g *editGen) random() dataset.Edit {
	kinds := []string{dataset.EditEnterprise, dataset.EditProject, dataset.EditLink}
	e := dataset.Edit{Kind: kinds[g.rng.IntN(3)]}
	switch r := g.rng.IntN(10); {
	case r < 4:
		e.Action = dataset.EditCreate
	case r < 7:
		e.Action = dataset.EditUpdate
	default:
		e.Action = dataset.EditDelete
		e.Cascade = g.pct(50)
	}
	if e.Kind == dataset.EditLink {
		g.linkEdit(&e)
		return e
	}
	switch r := g.rng.IntN(20); {
	case e.Action == dataset.EditCreate && r < 13, r == 0:
		e.ID = g.freshID(e.Kind[:1])
	case e.Action == dataset.EditCreate && r < 15:
		e.ID = g.validUSCC() // keyed by USCC, as a sheet without ids keys it
	case e.Action == dataset.EditCreate && r < 16:
		e.ID = ""
	case e.Action == dataset.EditCreate && r < 17 && len(g.ds.Enterprises) > 0:
		e.ID = pick(g, g.ds.Enterprises).Name // keyed by name
	case e.Kind == dataset.EditEnterprise && len(g.ds.Enterprises) > 0 && r < 19:
		e.ID = pick(g, g.ds.Enterprises).ID
	case e.Kind == dataset.EditProject && len(g.ds.Projects) > 0 && r < 19:
		e.ID = pick(g, g.ds.Projects).ID
	default:
		e.ID = g.nodeID()
	}
	if e.Action == dataset.EditDelete {
		return e
	}
	if e.Kind == dataset.EditEnterprise {
		e.Record = recordOf(g.enterprise(e.ID))
	} else {
		e.Record = recordOf(g.project(e.ID))
	}
	return e
}

func (g *editGen) linkEdit(e *dataset.Edit) {
	if e.Action != dataset.EditCreate && len(g.ds.Links) > 0 && g.pct(90) {
		l := pick(g, g.ds.Links)
		e.From, e.To = l.From, l.To
	} else if g.pct(8) {
		e.From = g.nodeRef()
		e.To = e.From
	} else if g.pct(10) && len(g.ds.Links) > 0 {
		l := pick(g, g.ds.Links) // an existing link, or the same one by USCC or name
		e.From, e.To = l.From, l.To
		if o := g.byID(l.From); o != nil && g.pct(70) {
			if o.USCC != "" && g.pct(50) {
				e.From = o.USCC
			} else {
				e.From = o.Name
			}
		}
	} else {
		e.From, e.To = g.nodeRef(), g.nodeRef()
	}
	if e.Action != dataset.EditDelete {
		e.Record = recordOf(g.link(e.From, e.To))
	}
}

func (g *editGen) byID(id string) *chainscope.Enterprise {
	i := slices.IndexFunc(g.ds.Enterprises, func(e chainscope.Enterprise) bool { return e.ID == id })
	if i < 0 {
		return nil
	}
	return &g.ds.Enterprises[i]
}

// planRepoint plans the edits that make deleting a node x resolve the
// references to it to another enterprise z: an enterprise named x's id
// (or, for an id that is a valid USCC, with that USCC) is created, maybe
// with links that will then be duplicates or self-links, maybe with a
// second one of that name (then x's id is ambiguous), and x is deleted.
func (g *editGen) planRepoint() {
	var x string
	if l := pick(g, g.ds.Links); l != nil {
		x = l.From
		if g.pct(50) {
			x = l.To
		}
	} else {
		x = g.nodeID()
	}
	if g.pct(30) && len(g.ds.Enterprises) > 0 {
		// keyed by USCC first: an enterprise whose id is a USCC, with
		// links and projects that name it
		x = g.validUSCC()
		g.plan = append(g.plan, func() dataset.Edit {
			e := g.enterprise(x)
			e.USCC, e.County, e.Segments, e.OutputWan = "", g.ds.Counties[0].Code, nil, nil
			return dataset.Edit{Kind: dataset.EditEnterprise, Action: dataset.EditCreate, ID: x, Record: recordOf(e)}
		})
		for range 2 {
			g.plan = append(g.plan, func() dataset.Edit {
				from, to := x, g.nodeID()
				if g.pct(50) {
					from, to = to, from
				}
				return dataset.Edit{Kind: dataset.EditLink, Action: dataset.EditCreate, From: from, To: to, Record: recordOf(g.link(from, to))}
			})
		}
		g.plan = append(g.plan, func() dataset.Edit {
			id := g.freshID("p")
			p := g.project(id)
			p.Investor, p.County, p.Segments, p.InvestmentWan, p.Status = x, g.ds.Region.Code, nil, nil, chainscope.StatusSigned
			p.Signed, p.Started = "2024-01-02", ""
			return dataset.Edit{Kind: dataset.EditProject, Action: dataset.EditCreate, ID: id, Record: recordOf(p)}
		})
	}
	z := g.freshID("z")
	byUSCC := dataset.ValidUSCC(x) && g.pct(60)
	g.plan = append(g.plan, func() dataset.Edit {
		e := g.enterprise(z)
		e.County, e.Segments, e.LeaderOf, e.OutputWan = g.ds.Region.Code, nil, nil, nil
		e.Name, e.USCC = g.freshID("企业"), ""
		if byUSCC {
			e.USCC = x
		} else {
			e.Name = x
		}
		return dataset.Edit{Kind: dataset.EditEnterprise, Action: dataset.EditCreate, ID: z, Record: recordOf(e)}
	})
	// a link of z that one of x's links becomes once x resolves to z
	if g.pct(50) {
		g.plan = append(g.plan, func() dataset.Edit {
			var from, to string
			for _, l := range g.ds.Links {
				if l.From == x && l.To != z {
					from, to = z, l.To
				} else if l.To == x && l.From != z {
					from, to = l.From, z
				}
			}
			if from == "" {
				from, to = z, g.nodeID()
			}
			return dataset.Edit{Kind: dataset.EditLink, Action: dataset.EditCreate, From: from, To: to, Record: recordOf(g.link(from, to))}
		})
	}
	// a link between x and z: a self-link once x resolves to z
	if g.pct(25) {
		g.plan = append(g.plan, func() dataset.Edit {
			from, to := x, z
			if g.pct(50) {
				from, to = z, x
			}
			return dataset.Edit{Kind: dataset.EditLink, Action: dataset.EditCreate, From: from, To: to, Record: recordOf(g.link(from, to))}
		})
	}
	// a second enterprise of that name: x becomes ambiguous
	if !byUSCC && g.pct(35) {
		g.plan = append(g.plan, func() dataset.Edit {
			id := g.freshID("w")
			e := g.enterprise(id)
			e.County, e.Segments, e.LeaderOf, e.OutputWan, e.Name, e.USCC = g.ds.Region.Code, nil, nil, nil, x, ""
			return dataset.Edit{Kind: dataset.EditEnterprise, Action: dataset.EditCreate, ID: id, Record: recordOf(e)}
		})
	}
	g.plan = append(g.plan, func() dataset.Edit {
		kind := dataset.EditEnterprise
		if g.byID(x) == nil {
			kind = dataset.EditProject
		}
		return dataset.Edit{Kind: kind, Action: dataset.EditDelete, ID: x, Cascade: g.pct(30)}
	})
}

// coverage counts what the edits came to, so that the test knows it saw
// every case it means to check.
type coverage struct {
	mu sync.Mutex
	n  map[string]int
}

func (cov *coverage) note(e dataset.Edit, cur *chainscope.Dataset, want *dataset.EditResult, err error) {
	cov.mu.Lock()
	defer cov.mu.Unlock()
	c := cov.n
	var inv *chainscope.InvalidError
	switch {
	case errors.As(err, &inv):
		c["refused"]++
		for _, p := range inv.Problems {
			// A message starts with its record's key and may end with
			// ids: it counts as the case it contains.
			msg := p.Message
			for _, want := range mustSee {
				if body, ok := strings.CutPrefix(want, "problem "); ok && strings.Contains(msg, body) {
					msg = body
					break
				}
			}
			c["problem "+msg]++
			switch {
			case e.Action == dataset.EditDelete:
				c["delete "+e.Kind+": "+msg]++
			case e.Kind == dataset.EditEnterprise && strings.HasSuffix(p.Message, "(also "+e.ID+")"):
				c[e.Action+" enterprise: a later enterprise has its USCC"]++
			}
		}
	case err != nil:
		c["error "+chainscope.ErrorCode(err)]++
	default:
		c["accepted "+e.Kind+" "+e.Action]++
		if e.Action == dataset.EditDelete && e.Kind != dataset.EditLink {
			if len(want.Dataset.Projects) == len(cur.Projects) && !reflect.DeepEqual(want.Dataset.Projects, cur.Projects) {
				c["delete re-points an investor"]++
			}
			if len(want.Dataset.Links) == len(cur.Links) && !reflect.DeepEqual(want.Dataset.Links, cur.Links) {
				c["delete re-points a link"]++
			}
			if len(want.Dropped) > 0 {
				c["cascade drops links"]++
			}
		}
	}
}

// mustSee lists what the property test must have come across.
var mustSee = []string{
	"accepted enterprise create", "accepted enterprise update", "accepted enterprise delete",
	"accepted project create", "accepted project update", "accepted project delete",
	"accepted link create", "accepted link update", "accepted link delete",
	"error conflict", "error not_found", "refused",
	"delete re-points an investor", "delete re-points a link", "cascade drops links",
	"update enterprise: a later enterprise has its USCC",
	// deletes that leave references resolving to another enterprise, or
	// to none
	"delete enterprise: 未知的企业 (investor) unknown enterprise",
	"delete enterprise: 企业名称不唯一，请用企业编号或统一社会信用代码 (investor) ambiguous enterprise name",
	"delete enterprise: 企业名称不唯一，请用企业编号或统一社会信用代码 (from) ambiguous enterprise name",
	"delete enterprise: 未知的企业或项目 (from) unknown enterprise or project",
	"delete project: 未知的企业或项目 (to) unknown enterprise or project",
	"delete enterprise: 供需关系不能指向自身 self-link",
	"delete enterprise: 供需关系重复 duplicate link",
	"problem 企业编号 (id) 不能为空 enterprise id is required",
	"problem 企业名称 (name) 不能为空 enterprise name is required",
	"problem 统一社会信用代码 (uscc) 无效：应为18位且校验位正确 (GB 32100-2015) invalid USCC",
	"problem duplicate USCC",
	"problem 未知的县区 (county) unknown county",
	"problem 未知的环节 (segments) unknown segment",
	"problem 环节重复 (segments) duplicate segment",
	"problem 未知的产业链 (leader_of) unknown chain",
	"problem 金额 (output_wan) 不能为负数 amount must be a number ≥ 0",
	"problem 金额 (investment_wan) 不能为负数 amount must be a number ≥ 0",
	"problem 项目编号 (id) 不能为空 project id is required",
	"problem 项目名称 (name) 不能为空 project name is required",
	"problem 日期格式错误 (signed)，应为 YYYY-MM-DD malformed date",
	"problem 日期格式错误 (started)，应为 YYYY-MM-DD malformed date",
	"problem 未知的项目状态 (status) unknown status; 应为 expected signed/started/operating/stalled/cancelled (签约/开工/投产/停滞/终止)",
	"problem 未知的企业 (investor) unknown enterprise",
	"problem 企业名称不唯一，请用企业编号或统一社会信用代码 (investor) ambiguous enterprise name",
	"problem 未知的企业或项目 (from) unknown enterprise or project",
	"problem 未知的企业或项目 (to) unknown enterprise or project",
	"problem 企业名称不唯一，请用企业编号或统一社会信用代码 (from) ambiguous enterprise name",
	"problem 上游 (from) 不能为空 supplier is required",
	"problem 下游 (to) 不能为空 customer is required",
	"problem 供需关系不能指向自身 self-link",
	"problem 供需关系重复 duplicate link",
}

// TestApplyEditAgreesWithBuild: random edits of every kind and action,
// valid and not, of synthetic regions and the built-in dataset, each
// applied by ApplyEdit and by the flat records and Build. Both must accept
// or refuse alike, with the same dataset, records and problems; the
// dataset edited must not change, neither by the edit nor by a second edit
// of it; and every slice the edit left alone is shared with it.
func TestApplyEditAgreesWithBuild(t *testing.T) {
	yc, err := yuncheng.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	bases := []struct {
		name  string
		ds    *chainscope.Dataset
		steps int
	}{
		{"yuncheng", yc, 400},
		{"synth small", synth.Generate(synth.Small()), 150},
		{"synth tiny", synth.Generate(synth.Options{Enterprises: 25, Projects: 10, Links: 120, Seed: 3}), 1200},
	}
	seen := &coverage{n: map[string]int{}}
	t.Run("bases", func(t *testing.T) {
		for bi, base := range bases {
			steps := base.steps
			if testing.Short() {
				steps /= 3
			}
			t.Run(base.name, func(t *testing.T) {
				t.Parallel()
				editAgain(t, seen, base.ds, uint64(bi), steps)
			})
		}
	})
	for _, want := range mustSee {
		if seen.n[want] == 0 && !testing.Short() { // -short makes too few edits to see them all
			t.Errorf("no edit came to %q; the generator misses a case", want)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("seen: %v", seen.n)
	}
}

// editAgain makes steps random edits, one after the other, starting from
// base, each checked against the reference.
func editAgain(t *testing.T, seen *coverage, base *chainscope.Dataset, seed uint64, steps int) {
	g := &editGen{rng: rand.New(rand.NewPCG(seed, 77)), ds: base}
	for step := range steps {
		cur := g.ds
		frozen := cloneDataset(cur)
		e := g.next()
		got, gotErr := dataset.ApplyEdit(cur, e)
		want, wantErr := slowEdit(cur, e)
		seen.note(e, cur, want, wantErr)
		where := fmt.Sprintf("step %d: %s %s %q %q→%q cascade %v", step, e.Action, e.Kind, e.ID, e.From, e.To, e.Cascade)
		if !sameOutcome(t, where, got, gotErr, want, wantErr) {
			return
		}
		if gotErr == nil {
			checkShared(t, where, cur, got.Dataset)
		}
		// a second edit of the same dataset leaves the first one's result
		// as it was
		other := g.random()
		if _, err := dataset.ApplyEdit(cur, other); err == nil && gotErr == nil && !reflect.DeepEqual(got.Dataset, want.Dataset) {
			t.Fatalf("%s: a second edit of the same dataset changed the first one's result", where)
		}
		if !reflect.DeepEqual(cur, frozen) {
			t.Fatalf("%s: ApplyEdit changed the dataset it was given", where)
		}
		switch {
		case gotErr == nil:
			g.ds = got.Dataset
		case step%200 == 199:
			g.ds = base // start again now and then
		}
	}
}

// sameOutcome reports (as a test failure) any difference between the
// outcomes of ApplyEdit and of the reference.
func sameOutcome(t *testing.T, where string, got *dataset.EditResult, gotErr error, want *dataset.EditResult, wantErr error) bool {
	t.Helper()
	if (gotErr == nil) != (wantErr == nil) {
		t.Errorf("%s: ApplyEdit error %v, Build error %v", where, gotErr, wantErr)
		return false
	}
	if wantErr != nil {
		var gi, wi *chainscope.InvalidError
		if errors.As(wantErr, &wi) {
			if !errors.As(gotErr, &gi) {
				t.Errorf("%s: ApplyEdit error %v, want the problems %v", where, gotErr, wi.Problems)
				return false
			}
			if !reflect.DeepEqual(gi.Problems, wi.Problems) {
				t.Errorf("%s: problems\n got %v\nwant %v", where, gi.Problems, wi.Problems)
				return false
			}
			return true
		}
		if chainscope.ErrorCode(gotErr) != chainscope.ErrorCode(wantErr) || gotErr.Error() != wantErr.Error() {
			t.Errorf("%s: ApplyEdit error %s %q, want %s %q", where, chainscope.ErrorCode(gotErr), gotErr,
				chainscope.ErrorCode(wantErr), wantErr)
			return false
		}
		return true
	}
	ok := true
	if !reflect.DeepEqual(got.Dataset, want.Dataset) {
		var differ []string
		for _, f := range []string{"Region", "Counties", "Chains", "Enterprises", "Projects", "Links"} {
			g, w := reflect.ValueOf(got.Dataset).Elem().FieldByName(f), reflect.ValueOf(want.Dataset).Elem().FieldByName(f)
			if !reflect.DeepEqual(g.Interface(), w.Interface()) {
				differ = append(differ, f)
			}
		}
		t.Errorf("%s: the datasets differ in %v", where, differ)
		ok = false
	}
	if !reflect.DeepEqual(got.Before, want.Before) {
		t.Errorf("%s: Before %+v, want %+v", where, got.Before, want.Before)
		ok = false
	}
	if !reflect.DeepEqual(got.After, want.After) {
		t.Errorf("%s: After %+v, want %+v", where, got.After, want.After)
		ok = false
	}
	if !reflect.DeepEqual(got.Dropped, want.Dropped) {
		t.Errorf("%s: Dropped %v, want %v", where, got.Dropped, want.Dropped)
		ok = false
	}
	return ok
}

// checkShared fails when a slice of next equals cur's but is a copy: an
// edit copies only what it changes.
func checkShared(t *testing.T, where string, cur, next *chainscope.Dataset) {
	t.Helper()
	same := func(name string, a, b any) {
		va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
		if va.Len() == 0 || va.Len() != vb.Len() || !reflect.DeepEqual(a, b) {
			return
		}
		if va.Pointer() != vb.Pointer() {
			t.Errorf("%s: %s unchanged but copied", where, name)
		}
	}
	same("counties", cur.Counties, next.Counties)
	same("chains", cur.Chains, next.Chains)
	same("enterprises", cur.Enterprises, next.Enterprises)
	same("projects", cur.Projects, next.Projects)
	same("links", cur.Links, next.Links)
}

// TestApplyEditRefusesMalformedEdits: what is not an edit is an EINVALID
// error, before anything is looked at.
func TestApplyEditRefusesMalformedEdits(t *testing.T) {
	ds := synth.Generate(synth.Options{Enterprises: 5, Projects: 2, Links: 6, Seed: 1})
	e0 := ds.Enterprises[0]
	link := ds.Links[0]
	cases := []struct {
		name string
		e    dataset.Edit
		msg  string
	}{
		{"kind", dataset.Edit{Kind: "county", Action: dataset.EditDelete, ID: "140802"}, `unknown kind of record "county"`},
		{"action", dataset.Edit{Kind: dataset.EditLink, Action: "upsert"}, `unknown action "upsert"`},
		{"no record", dataset.Edit{Kind: dataset.EditEnterprise, Action: dataset.EditUpdate, ID: e0.ID}, "exactly one enterprise record"},
		{"record of another kind", dataset.Edit{Kind: dataset.EditProject, Action: dataset.EditCreate, ID: e0.ID,
			Record: recordOf(e0)}, "exactly one project record"},
		{"two records", dataset.Edit{Kind: dataset.EditLink, Action: dataset.EditCreate, From: link.From, To: link.To,
			Record: &dataset.Records{Links: []chainscope.Link{link, link}}}, "exactly one link record"},
		{"another id", dataset.Edit{Kind: dataset.EditEnterprise, Action: dataset.EditUpdate, ID: ds.Enterprises[1].ID,
			Record: recordOf(e0)}, fmt.Sprintf("the record's key %q differs from the edit's %q", e0.ID, ds.Enterprises[1].ID)},
		{"another link", dataset.Edit{Kind: dataset.EditLink, Action: dataset.EditUpdate, From: link.To, To: link.From,
			Record: recordOf(link)}, fmt.Sprintf("the record's key %s → %s differs from the edit's %s → %s", link.From, link.To, link.To, link.From)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dataset.ApplyEdit(ds, tc.e)
			if chainscope.ErrorCode(err) != chainscope.EINVALID || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %v (%s), want EINVALID with %q", err, chainscope.ErrorCode(err), tc.msg)
			}
		})
	}
}

// TestApplyEditDeleteRepoints: deleting an enterprise whose id is another
// enterprise's exact name leaves the links and projects that named it
// resolving to that one, as Build resolves any reference by name — the one
// case where a delete changes records it does not remove.
func TestApplyEditDeleteRepoints(t *testing.T) {
	ds := synth.Generate(synth.Options{Enterprises: 30, Projects: 10, Links: 80, Seed: 2})
	// x: an investor with links
	k := slices.IndexFunc(ds.Projects, func(p chainscope.Project) bool {
		return p.Investor != "" && slices.ContainsFunc(ds.Links, func(l chainscope.Link) bool { return l.From == p.Investor || l.To == p.Investor })
	})
	if k < 0 {
		t.Fatal("no investor has links")
	}
	x := ds.Projects[k].Investor
	z := chainscope.Enterprise{ID: "Z", Name: x, County: ds.Region.Code, At: chainscope.Origin{Sheet: entSheet, Row: 1}}
	res, err := dataset.ApplyEdit(ds, dataset.Edit{Kind: dataset.EditEnterprise, Action: dataset.EditCreate, ID: "Z", Record: recordOf(z)})
	if err != nil {
		t.Fatal(err)
	}
	del := dataset.Edit{Kind: dataset.EditEnterprise, Action: dataset.EditDelete, ID: x}
	got, err := dataset.ApplyEdit(res.Dataset, del)
	if err != nil {
		t.Fatal(err)
	}
	want, err := slowEdit(res.Dataset, del)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("ApplyEdit and Build disagree")
	}
	if inv := got.Dataset.Projects[k].Investor; inv != "Z" {
		t.Errorf("the investor of %s is %q, want Z", got.Dataset.Projects[k].ID, inv)
	}
	var moved int
	for i, l := range got.Dataset.Links {
		if l.From == x || l.To == x {
			t.Fatalf("link %d still names %s", i, x)
		}
		if l.From == "Z" || l.To == "Z" {
			moved++
		}
	}
	if moved == 0 {
		t.Errorf("no link names Z after deleting %s", x)
	}
}

// province is the benchmarks' province-scale dataset, made once.
var province = sync.OnceValue(func() *chainscope.Dataset { return synth.Generate(synth.Province()) })

// BenchmarkApplyEdit times single-record edits of a province (100 000
// enterprises, 20 000 projects, 1 000 000 links) against the way they were
// made before: flatten the dataset, edit the records, Build them all.
func BenchmarkApplyEdit(b *testing.B) {
	ds := province()
	p := ds.Projects[len(ds.Projects)/2]
	p.Status, p.Name, p.At = chainscope.StatusStalled, p.Name+"（二期）", chainscope.Origin{Sheet: projSheet, Row: 1}
	if e := ds.Enterprises[len(ds.Enterprises)/3]; e.USCC != "" {
		p.Investor = e.USCC // a reference the edit must resolve
	}
	updateProject := dataset.Edit{Kind: dataset.EditProject, Action: dataset.EditUpdate, ID: p.ID, Record: recordOf(p)}

	ent := ds.Enterprises[len(ds.Enterprises)/4]
	ent.Name, ent.At = ent.Name+"（新）", chainscope.Origin{Sheet: entSheet, Row: 1}
	updateEnterprise := dataset.Edit{Kind: dataset.EditEnterprise, Action: dataset.EditUpdate, ID: ent.ID, Record: recordOf(ent)}

	from, to := ds.Enterprises[len(ds.Enterprises)/2].ID, ds.Projects[1].ID
	for i := 2; linkIndex(ds.Links, from, to) >= 0; i++ {
		to = ds.Projects[i].ID
	}
	createLink := dataset.Edit{Kind: dataset.EditLink, Action: dataset.EditCreate, From: from, To: to,
		Record: recordOf(chainscope.Link{From: from, To: to, Product: "样品", At: chainscope.Origin{Sheet: linkSheet, Row: 1}})}

	// an enterprise with links that invests in no project
	investors := map[string]bool{}
	for _, p := range ds.Projects {
		investors[p.Investor] = true
	}
	var victim string
	for _, l := range ds.Links[len(ds.Links)/2:] {
		if !investors[l.From] && slices.ContainsFunc(ds.Enterprises, func(e chainscope.Enterprise) bool { return e.ID == l.From }) {
			victim = l.From
			break
		}
	}
	deleteEnterprise := dataset.Edit{Kind: dataset.EditEnterprise, Action: dataset.EditDelete, ID: victim, Cascade: true}

	for _, bc := range []struct {
		name string
		e    dataset.Edit
	}{
		{"update project", updateProject},
		{"update enterprise", updateEnterprise},
		{"create link", createLink},
		{"delete enterprise cascade", deleteEnterprise},
	} {
		b.Run(bc.name, func(b *testing.B) {
			if res, err := dataset.ApplyEdit(ds, bc.e); err != nil {
				b.Fatal(err)
			} else if bc.e.Action == dataset.EditDelete && len(res.Dropped) == 0 {
				b.Fatal("the deleted enterprise has no links")
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := dataset.ApplyEdit(ds, bc.e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("flatten and build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := slowEdit(ds, updateProject); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func linkIndex(links []chainscope.Link, from, to string) int {
	return slices.IndexFunc(links, func(l chainscope.Link) bool { return l.From == from && l.To == to })
}
