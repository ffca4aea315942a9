package dataset

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	dgraph "github.com/dominikbraun/graph"

	"chainscope"
)

// Build checks records against every rule of SPEC §4 and assembles them into
// a dataset. It reports every problem it finds (up to chainscope.MaxProblems),
// each naming where the record came from; the dataset is nil when there is
// any problem. References to an enterprise by USCC or exact name (investor,
// link ends) are resolved to its id.
func Build(r *Records) (*chainscope.Dataset, []chainscope.Problem) {
	b := &builder{}
	ds := b.build(r)
	b.report(r)
	if len(b.problems) > 0 {
		return nil, b.problems
	}
	return ds, nil
}

type builder struct {
	problems []chainscope.Problem
	// warnings are what warn reported while not strict.
	warnings []chainscope.Problem
	strict   bool

	// What the rules of one record look up: the region's code, the
	// counties, chains (their positions) and segments (their chains) of
	// the dataset being checked.
	region   string
	counties map[string]*chainscope.County
	chainIdx map[string]int
	segChain map[string]string
	// The counties and segments by exact name, for references that name
	// them so (see names.go).
	names names

	// ix answers what the rules ask about enterprises and projects: for
	// Build, maps filled as the records are checked (see nodeMaps); for
	// ApplyEdit, scans of the dataset after the edit.
	ix nodeIndex
	// maps is Build's index: what the link stage needs from the node
	// stage.
	maps *nodeMaps
}

// nodeIndex is what the rules of SPEC §4 ask about the enterprises and
// projects checked so far (all of them, once the links are checked).
type nodeIndex interface {
	// number numbers an id: enterprises 1, 2, …, projects -1, -2, …, in
	// dataset order, so that one lookup says whether an id is taken and
	// by which kind; 0 for none.
	number(id string) int32
	// byUSCC is the id of the enterprise with this (valid) USCC, "" for
	// none.
	byUSCC(uscc string) string
	// byName is the id of the enterprise with this exact name, or
	// ambiguous when several have it.
	byName(name string) (id string, ambiguous bool)
	// named lists the ids of the enterprises with this exact name, in
	// dataset order.
	named(name string) []string
}

// nodeMaps is Build's nodeIndex: every enterprise and project id
// numbered, and enterprises by USCC and by exact name, filled as the node
// stage keeps the records.
type nodeMaps struct {
	node      map[string]int32
	uscc      map[string]string
	name      map[string]string
	ambiguous map[string]bool
	// more holds, for a name several enterprises have, the ids of all of
	// them but the first.
	more map[string][]string
}

func (m *nodeMaps) number(id string) int32    { return m.node[id] }
func (m *nodeMaps) byUSCC(uscc string) string { return m.uscc[uscc] }
func (m *nodeMaps) byName(name string) (string, bool) {
	return m.name[name], m.ambiguous[name]
}
func (m *nodeMaps) named(name string) []string {
	if id, ok := m.name[name]; ok {
		return append([]string{id}, m.more[name]...)
	}
	return nil
}

// addEnterprise records a kept enterprise, the n-th; newUSCC says whether
// it is the one its USCC stands for (see builder.enterprise).
func (m *nodeMaps) addEnterprise(e *chainscope.Enterprise, n int, newUSCC bool) {
	m.node[e.ID] = int32(n)
	if newUSCC {
		m.uscc[e.USCC] = e.ID
	}
	if _, dup := m.name[e.Name]; dup {
		m.ambiguous[e.Name] = true
		m.more[e.Name] = append(m.more[e.Name], e.ID)
	} else if e.Name != "" {
		m.name[e.Name] = e.ID
	}
}

// add reports a problem of the record whose key is key (an id, a code, or
// "from → to"; "" for none): the message starts with the key, so that a
// problem of a JSON input can be found without its line (SPEC §4).
func (b *builder) add(at chainscope.Origin, key, field, value, format string, args ...any) {
	if len(b.problems) >= chainscope.MaxProblems {
		return
	}
	p := chainscope.ProblemAt(at, field, value, format, args...)
	if key != "" {
		p.Message = key + ": " + p.Message
	}
	b.problems = append(b.problems, p)
}

// warn reports what is likely a mistake but may be right (see
// Records.Strict): a warning, or a problem when the records are strict.
func (b *builder) warn(at chainscope.Origin, key, field, value, format string, args ...any) {
	if b.strict {
		b.add(at, key, field, value, format, args...)
		return
	}
	p := chainscope.ProblemAt(at, field, value, format, args...)
	if key != "" {
		p.Message = key + ": " + p.Message
	}
	b.warnings = append(b.warnings, p)
}

func (b *builder) full() bool { return len(b.problems) >= chainscope.MaxProblems }

func (b *builder) build(r *Records) *chainscope.Dataset {
	b.zeroChars(r)
	ds := b.nodes(r)
	if ds == nil {
		return nil
	}
	ds.Links = b.links(r.Links, len(ds.Enterprises))
	return ds
}

// report hands the warnings of a check of r to whoever reads r's (see
// Records.warnTo).
func (b *builder) report(r *Records) {
	if len(b.warnings) == 0 {
		return
	}
	r.Warnings = append(r.Warnings, b.warnings...)
	if r.warnTo != nil {
		*r.warnTo = append(*r.warnTo, b.warnings...)
	}
}

// nodes checks and assembles every record but the links; nil when the
// problem list filled up.
func (b *builder) nodes(r *Records) *chainscope.Dataset {
	b.strict = r.Strict
	ds := &chainscope.Dataset{}
	if r.Region == nil {
		b.problems = append(b.problems, chainscope.Problem{Sheet: "region", Column: "code",
			Message: "缺少地区（region / 地区）：数据集必须说明所属地区 missing region"})
	} else {
		ds.Region = *r.Region
		if strings.TrimSpace(ds.Region.Code) == "" {
			b.add(r.RegionAt, "", "code", "", "地区代码 (code) 不能为空 region code is required")
		}
		if strings.TrimSpace(ds.Region.Name) == "" {
			b.add(r.RegionAt, ds.Region.Code, "name", "", "地区名称 (name) 不能为空 region name is required")
		}
	}
	region := ds.Region.Code
	b.region = region
	b.names.region = ds.Region

	// counties: every rule of every record is checked; a record without a
	// usable code is not kept.
	counties := make(map[string]*chainscope.County, len(r.Counties))
	b.counties = counties
	ds.Counties = make([]chainscope.County, 0, len(r.Counties))
	for i := range r.Counties {
		c := r.Counties[i]
		kept := true
		switch {
		case c.Code == "":
			b.add(c.At, c.Name, "code", "", "县区代码 (code) 不能为空 county code is required")
			kept = false
		case counties[c.Code] != nil:
			b.add(c.At, c.Code, "code", c.Code, "县区代码重复 duplicate county code")
			kept = false
		case c.Code == region:
			b.add(c.At, c.Code, "code", c.Code, "县区代码与地区代码相同：市本级的记录请直接填写地区代码 county code equals the region code")
			kept = false
		}
		if c.Name == "" {
			b.add(c.At, c.Code, "name", "", "县区名称 (name) 不能为空 county name is required")
		}
		if !oneOf(c.Kind, chainscope.Kinds) {
			b.add(c.At, c.Code, "kind", string(c.Kind), "未知的县区类型 (kind) unknown kind; 应为 expected district/county/city/zone (区/县/县级市/开发区)")
		}
		if kept {
			ds.Counties = append(ds.Counties, c)
			counties[c.Code] = &ds.Counties[len(ds.Counties)-1]
		}
	}
	b.names.counties = countyNames(ds.Counties)
	for i := range ds.Counties {
		c := &ds.Counties[i]
		if c.Kind != chainscope.KindZone {
			if c.Parent != "" {
				b.add(c.At, c.Code, "parent", c.Parent, "只有开发区才有所属县区 (parent) only zones have a parent")
			}
			continue
		}
		if c.Parent == "" {
			b.add(c.At, c.Code, "parent", "", "开发区必须填写所属县区 (parent) a zone needs its parent county")
			continue
		}
		code, ok := b.countyRef(c.At, c.Code, "parent", c.Parent, false)
		if !ok {
			continue
		}
		c.Parent = code
		switch p := counties[code]; {
		case code == c.Code:
			b.add(c.At, c.Code, "parent", c.Parent, "开发区不能属于自身 (parent) a zone cannot lie in itself")
		case p.Kind == chainscope.KindZone:
			b.add(c.At, c.Code, "parent", c.Parent, "所属县区不能是开发区 (parent) a zone's parent must not be a zone")
		}
	}

	// chains, segments, flows
	chainIdx := make(map[string]int, len(r.Chains))
	b.chainIdx = chainIdx
	ds.Chains = make([]chainscope.Chain, 0, len(r.Chains))
	for _, c := range r.Chains {
		kept := true
		switch {
		case c.ID == "":
			b.add(c.At, c.Name, "id", "", "产业链编号 (id) 不能为空 chain id is required")
			kept = false
		case hasKey(chainIdx, c.ID):
			b.add(c.At, c.ID, "id", c.ID, "产业链编号重复 duplicate chain id")
			kept = false
		}
		if c.Name == "" {
			b.add(c.At, c.ID, "name", "", "产业链名称 (name) 不能为空 chain name is required")
		}
		if !kept {
			continue
		}
		c.Segments, c.Flows = []chainscope.Segment{}, []chainscope.Flow{}
		chainIdx[c.ID] = len(ds.Chains)
		ds.Chains = append(ds.Chains, c)
	}
	// the chains a county develops (主导产业链, SPEC §5)
	for i := range ds.Counties {
		c := &ds.Counties[i]
		for j, ch := range c.Chains {
			switch {
			case !hasKey(chainIdx, ch):
				b.add(c.At, c.Code, "chains", ch, "未知的产业链 (chains) unknown chain")
			case slices.Contains(c.Chains[:j], ch):
				b.add(c.At, c.Code, "chains", ch, "产业链重复 (chains) duplicate chain")
			}
		}
	}
	segChain := make(map[string]string, len(r.Segments)) // segment id → chain id
	b.segChain = segChain
	for _, s := range r.Segments {
		ci, ok := chainIdx[s.Chain]
		kept := true
		switch {
		case s.ID == "":
			b.add(s.At, s.Name, "id", "", "环节编号 (id) 不能为空 segment id is required")
			kept = false
		case hasKey(segChain, s.ID):
			b.add(s.At, s.ID, "id", s.ID, "环节编号重复（环节编号在整个数据集中唯一）duplicate segment id")
			kept = false
		}
		if !ok {
			b.add(s.At, s.ID, "chain", s.Chain, "未知的产业链 (chain) unknown chain")
			kept = false
		}
		if s.Name == "" {
			b.add(s.At, s.ID, "name", "", "环节名称 (name) 不能为空 segment name is required")
		}
		if !oneOf(s.Stage, chainscope.Stages) {
			b.add(s.At, s.ID, "stage", string(s.Stage), "未知的环节位置 (stage) unknown stage; 应为 expected upstream/midstream/downstream/support (上游/中游/下游/配套)")
		}
		if !kept {
			continue
		}
		segChain[s.ID] = s.Chain
		ds.Chains[ci].Segments = append(ds.Chains[ci].Segments, s.Segment)
	}
	b.names.segments = segmentNames(ds.Chains)
	b.flows(r.Flows, ds, chainIdx, segChain)

	// Enterprises and projects share one namespace: links name either.
	m := &nodeMaps{node: make(map[string]int32, len(r.Enterprises)+len(r.Projects)),
		uscc: map[string]string{}, name: map[string]string{}, ambiguous: map[string]bool{}, more: map[string][]string{}}
	b.maps, b.ix = m, m
	ds.Enterprises = make([]chainscope.Enterprise, 0, len(r.Enterprises))
	for _, e := range r.Enterprises {
		e, kept, newUSCC := b.enterprise(e, m.node[e.ID] != 0)
		if !kept {
			continue
		}
		if _, dup := m.name[e.Name]; dup {
			b.sameEnterprise(&e, ds.Enterprises, m)
		}
		m.addEnterprise(&e, len(ds.Enterprises)+1, newUSCC)
		ds.Enterprises = append(ds.Enterprises, e)
		if b.full() {
			return nil
		}
	}
	ds.Projects = make([]chainscope.Project, 0, len(r.Projects))
	for _, p := range r.Projects {
		p, kept := b.project(p, m.node[p.ID] != 0)
		if !kept {
			continue
		}
		m.node[p.ID] = -int32(len(ds.Projects) + 1)
		ds.Projects = append(ds.Projects, p)
		if b.full() {
			return nil
		}
	}
	b.leadsAndReports(r, ds)
	if b.full() {
		return nil
	}
	return ds
}

// sameEnterprise warns when e, whose exact name an earlier enterprise has
// (ents holds the enterprises kept so far), also has its county: the same
// enterprise under two ids, as when a workbook with its own ids is merged
// into data that has the enterprise already. Two records that were both
// stored before (they have no origin) were reported when they came in.
func (b *builder) sameEnterprise(e *chainscope.Enterprise, ents []chainscope.Enterprise, m *nodeMaps) {
	for _, id := range m.named(e.Name) {
		o := &ents[m.node[id]-1]
		if o.County != e.County || (e.At == chainscope.Origin{} && o.At == chainscope.Origin{}) {
			continue
		}
		b.warn(e.At, e.ID, "name", e.Name,
			"企业名称和所在县区与 %s 相同，可能是同一企业的两个编号 same name and county as %s: one enterprise under two ids?", o.ID, o.ID)
		return
	}
}

// The rules of one record (SPEC §4), the one place where they live:
// Build applies them to every record, ApplyEdit to the records an edit
// touches. Each looks up other records only through b's lookups and
// b.ix, and reports its problems in the order Build has always reported
// them.

// enterprise applies the rules of one enterprise; taken says whether an
// earlier record has its id. It returns the enterprise as stored (its
// county and segments named by name resolved to their code and ids),
// whether it is kept (a record without a usable id is not, though every
// rule is checked), and whether its USCC is new: valid and no earlier
// enterprise's, so that later enterprises and references find it.
func (b *builder) enterprise(e chainscope.Enterprise, taken bool) (_ chainscope.Enterprise, kept, newUSCC bool) {
	kept = true
	key := e.ID
	switch {
	case e.ID == "":
		b.add(e.At, e.Name, "id", "", "企业编号 (id) 不能为空 enterprise id is required")
		kept = false
	case taken:
		b.add(e.At, e.ID, keyField(&e), e.ID, "企业编号重复 duplicate enterprise id")
		kept = false
	}
	if e.Name == "" {
		b.add(e.At, key, "name", "", "企业名称 (name) 不能为空 enterprise name is required")
	}
	if e.USCC != "" {
		if !ValidUSCC(e.USCC) {
			b.add(e.At, key, "uscc", e.USCC, "统一社会信用代码 (uscc) 无效：应为18位且校验位正确 (GB 32100-2015) invalid USCC")
		} else if !kept {
			// a record not kept takes no USCC, and its own id's record
			// may well have this one
		} else if other := b.ix.byUSCC(e.USCC); other != "" {
			b.add(e.At, key, "uscc", e.USCC, "统一社会信用代码与 %s 相同：同一企业只能有一个编号 duplicate USCC (also %s)", other, other)
		} else {
			newUSCC = true
		}
	}
	e.County = b.area(e.At, key, e.County)
	e.Segments = b.segments(e.At, key, e.Segments)
	if e.LeaderOf == nil {
		e.LeaderOf = []string{}
	}
	for _, c := range e.LeaderOf {
		if !hasKey(b.chainIdx, c) {
			b.add(e.At, key, "leader_of", c, "未知的产业链 (leader_of) unknown chain")
		}
	}
	b.amount(e.At, key, "output_wan", e.OutputWan)
	return e, kept, newUSCC
}

// keyField is the field an enterprise's key came from: a sheet without an
// id column keys an enterprise by its USCC, else by its name (SPEC §3), and
// a problem with the key names that column.
func keyField(e *chainscope.Enterprise) string {
	switch {
	case e.At.Sheet == nil || e.At.Sheet.Columns == nil:
		return "id"
	case e.ID == e.USCC && e.At.Sheet.Columns["id"] == e.At.Sheet.Column("uscc"):
		return "uscc"
	case e.ID == strings.TrimSpace(e.Name) && e.At.Sheet.Columns["id"] != "" &&
		(e.At.Sheet.Columns["id"] == e.At.Sheet.Column("uscc") || e.At.Sheet.Columns["id"] == e.At.Sheet.Column("name")):
		return "name"
	}
	return "id"
}

// project applies the rules of one project; taken says whether an earlier
// record has its id. It returns the project as stored (its investor
// resolved to an id, its county and segments to their code and ids) and
// whether it is kept (a record without a usable id is not, though every
// rule is checked).
func (b *builder) project(p chainscope.Project, taken bool) (_ chainscope.Project, kept bool) {
	kept = true
	key := p.ID
	switch {
	case p.ID == "":
		b.add(p.At, p.Name, "id", "", "项目编号 (id) 不能为空 project id is required")
		kept = false
	case taken:
		b.add(p.At, p.ID, "id", p.ID, "项目编号重复（与其他项目或企业编号相同）duplicate project id")
		kept = false
	}
	if p.Name == "" {
		b.add(p.At, key, "name", "", "项目名称 (name) 不能为空 project name is required")
	}
	p.Investor = b.resolve(p.At, key, "investor", p.Investor, false)
	p.County = b.area(p.At, key, p.County)
	p.Segments = b.segments(p.At, key, p.Segments)
	b.amount(p.At, key, "investment_wan", p.InvestmentWan)
	b.date(p.At, key, "signed", p.Signed)
	b.date(p.At, key, "started", p.Started)
	if !oneOf(p.Status, chainscope.Statuses) {
		b.add(p.At, key, "status", string(p.Status), "未知的项目状态 (status) unknown status; 应为 expected signed/started/operating/stalled/cancelled (签约/开工/投产/停滞/终止)")
	}
	return p, kept
}

// link applies the rules of one link, whose ends b.ix numbered from and
// to (0 for an end that is no id: it is then looked up as a USCC or a
// name). seen says whether an earlier link that passed has the same ends
// (as resolved, and numbered), and remembers this one. It returns the link
// as stored, its ends resolved to ids.
func (b *builder) link(l chainscope.Link, from, to int32, seen func(l *chainscope.Link, from, to int32) bool) chainscope.Link {
	key := linkKeyText(l.From, l.To)
	if from == 0 {
		l.From = b.resolve(l.At, key, "from", l.From, true)
		from = b.ix.number(l.From)
	}
	if to == 0 {
		l.To = b.resolve(l.At, key, "to", l.To, true)
		to = b.ix.number(l.To)
	}
	if l.From == "" {
		b.add(l.At, key, "from", "", "上游 (from) 不能为空 supplier is required")
	}
	if l.To == "" {
		b.add(l.At, key, "to", "", "下游 (to) 不能为空 customer is required")
	}
	switch {
	case l.From == "" || l.To == "":
	case l.From == l.To:
		b.add(l.At, key, "to", l.To, "供需关系不能指向自身 self-link")
	case from == 0 || to == 0:
		// an unknown end, reported by resolve
	case seen(&l, from, to):
		b.add(l.At, key, "to", l.To, "供需关系重复 duplicate link")
	}
	return l
}

// links checks the links against the nodes the node stage numbered
// (enterprises is how many enterprises it kept) and resolves their ends to
// ids; nil when the problem list filled up.
func (b *builder) links(links []chainscope.Link, enterprises int) []chainscope.Link {
	// An end is nearly always an id, found by one lookup, done for
	// all links up front on every core (numberLinks); only a miss goes
	// through resolve (USCC, name, or a problem). Duplicates are found by
	// the two ends' numbers, a cheaper key than two strings.
	ends := numberLinks(links, b.maps.node)
	// order numbers nodes as the store does, enterprises then projects,
	// so that links in key order (as an export or the generator writes
	// them) arrive in increasing order of their key.
	order := func(n int32) uint64 {
		if n < 0 {
			return uint64(enterprises) + uint64(-n)
		}
		return uint64(n)
	}
	var set linkSet
	seen := func(_ *chainscope.Link, from, to int32) bool { return set.add(order(from)<<32 | order(to)) }
	out := make([]chainscope.Link, 0, len(links))
	for i, l := range links {
		out = append(out, b.link(l, int32(ends[i]>>32), int32(ends[i]), seen))
		if b.full() {
			return nil
		}
	}
	return out
}

// resolve turns a reference to an enterprise (or, with projects, a
// project) by id, USCC or exact name into its id, or reports it.
func (b *builder) resolve(at chainscope.Origin, key, field, ref string, projects bool) string {
	id, found := b.find(ref, projects)
	switch {
	case found != refUnknown:
		return id
	case ref == "":
		return ref
	}
	if _, ambiguous := b.ix.byName(ref); ambiguous {
		b.add(at, key, field, ref, "企业名称不唯一，请用企业编号或统一社会信用代码 (%s) ambiguous enterprise name: %s", field, b.enterprisesNamed(ref))
	} else if projects {
		b.add(at, key, field, ref, "未知的企业或项目 (%s) unknown enterprise or project", field)
	} else {
		b.add(at, key, field, ref, "未知的企业 (%s) unknown enterprise", field)
	}
	return ref
}

// How find found a reference.
const (
	refUnknown = iota // not at all, or only as an ambiguous name
	refID
	refUSCC
	refName
)

// find is what resolve finds for ref, without reporting anything: the id
// it stands for and how it was found ("" and refUnknown for an empty
// ref).
func (b *builder) find(ref string, projects bool) (string, int) {
	if ref == "" {
		return "", refUnknown
	}
	if n := b.ix.number(ref); n > 0 || projects && n < 0 {
		return ref, refID
	}
	if id := b.ix.byUSCC(ref); id != "" {
		return id, refUSCC
	}
	if id, ambiguous := b.ix.byName(ref); !ambiguous && id != "" {
		return id, refName
	}
	return "", refUnknown
}

// numberLinks looks up both ends of every link in node: for link i,
// from<<32 | to as unsigned 32-bit numbers, 0 for an end not found. The
// links are shared out between the cores; the lookups only read node.
func numberLinks(links []chainscope.Link, node map[string]int32) []uint64 {
	ends := make([]uint64, len(links))
	const minPart = 1 << 16 // below this a goroutine costs more than it saves
	parts := max(1, min(runtime.GOMAXPROCS(0), len(links)/minPart))
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*len(links)/parts, (p+1)*len(links)/parts
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				ends[i] = uint64(uint32(node[links[i].From]))<<32 | uint64(uint32(node[links[i].To]))
			}
		})
	}
	wg.Wait()
	return ends
}

// linkSet holds link keys to find duplicates. Links usually come in key
// order (an export, a generator, a sorted sheet): while they do, a key is
// new exactly when it is greater than the last, and the keys are kept in a
// slice; from the first key out of order on, new keys go to a map, and a
// key is looked up in both (the slice by binary search).
type linkSet struct {
	sorted []uint64
	more   map[uint64]struct{}
}

// add adds key and reports whether it was there already.
func (s *linkSet) add(key uint64) (dup bool) {
	if s.more == nil {
		if len(s.sorted) == 0 || key > s.sorted[len(s.sorted)-1] {
			s.sorted = append(s.sorted, key)
			return false
		}
		s.more = map[uint64]struct{}{}
	}
	if _, found := slices.BinarySearch(s.sorted, key); found {
		return true
	}
	if _, found := s.more[key]; found {
		return true
	}
	s.more[key] = struct{}{}
	return false
}

func (b *builder) flows(flows []chainscope.Flow, ds *chainscope.Dataset, chainIdx map[string]int, segChain map[string]string) {
	type pair struct{ from, to string }
	seen := map[pair]bool{}
	dags := map[string]dgraph.Graph[string, string]{}
	for _, f := range flows {
		key := linkKeyText(f.From, f.To)
		from, okf := b.segmentRef(f.At, key, "from", f.From)
		to, okt := b.segmentRef(f.At, key, "to", f.To)
		if !okf || !okt {
			continue
		}
		f.From, f.To = from, to
		fc, tc := segChain[f.From], segChain[f.To]
		switch {
		case fc != tc:
			b.add(f.At, key, "to", f.To, "环节关系跨越两条产业链：上游环节 %s 属于 %s，下游环节 %s 属于 %s flow between two chains: %s (chain %s) → %s (chain %s)",
				f.From, fc, f.To, tc, f.From, fc, f.To, tc)
			continue
		case f.From == f.To:
			b.add(f.At, key, "to", f.To, "环节关系不能指向自身 self-flow")
			continue
		case seen[pair{f.From, f.To}]:
			b.add(f.At, key, "to", f.To, "环节关系重复 duplicate flow")
			continue
		}
		seen[pair{f.From, f.To}] = true
		g := dags[fc]
		if g == nil {
			g = dgraph.New(dgraph.StringHash, dgraph.Directed(), dgraph.PreventCycles())
			dags[fc] = g
		}
		_ = g.AddVertex(f.From)
		_ = g.AddVertex(f.To)
		if err := g.AddEdge(f.From, f.To); err != nil {
			// the path back from To to From closes the cycle
			path, _ := dgraph.ShortestPath(g, f.To, f.From)
			cycle := append(path, f.To)
			b.add(f.At, key, "to", f.To, "环节关系形成循环 cycle in chain %s: %s", fc, strings.Join(cycle, " → "))
			continue
		}
		ci := chainIdx[fc]
		ds.Chains[ci].Flows = append(ds.Chains[ci].Flows, f)
	}
}

// segments checks a record's list of segments, each an id or a unique
// exact name, and returns it with names resolved to ids (a copy when any
// is: the list may be shared with stored data).
func (b *builder) segments(at chainscope.Origin, key string, ids []string) []string {
	if ids == nil {
		return []string{}
	}
	copied := false
	for i, s := range ids {
		if hasKey(b.segChain, s) {
			continue
		}
		id, ok := b.segmentRef(at, key, "segments", s)
		if !ok {
			continue
		}
		if !copied {
			ids, copied = slices.Clone(ids), true
		}
		ids[i] = id
	}
	for i, s := range ids {
		if slices.Contains(ids[:i], s) && hasKey(b.segChain, s) {
			b.add(at, key, "segments", s, "环节重复 (segments) duplicate segment")
		}
	}
	return ids
}

// area checks the county of a record, the region's code or a county's
// code or unique exact name, and returns it as a code.
func (b *builder) area(at chainscope.Origin, key, ref string) string {
	code, _ := b.countyRef(at, key, "county", ref, true)
	return code
}

func (b *builder) amount(at chainscope.Origin, key, field string, v *float64) {
	if v == nil {
		return
	}
	if math.IsNaN(*v) || math.IsInf(*v, 0) || *v < 0 {
		b.add(at, key, field, formatAmount(*v), "金额 (%s) 不能为负数 amount must be a number ≥ 0", field)
	}
}

func (b *builder) date(at chainscope.Origin, key, field, v string) {
	if v == "" {
		return
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		b.add(at, key, field, v, "日期格式错误 (%s)，应为 YYYY-MM-DD malformed date", field)
	}
}

func formatAmount(v float64) string { return fmt.Sprintf("%g", v) }

func oneOf[T comparable](v T, all []T) bool {
	for _, a := range all {
		if v == a {
			return true
		}
	}
	return false
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}
