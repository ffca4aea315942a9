package dataset

import (
	"reflect"
	"slices"
	"strconv"

	"chainscope"
)

// The kinds and actions of an Edit.
const (
	EditEnterprise = "enterprise"
	EditProject    = "project"
	EditLink       = "link"
	EditLead       = "lead"

	EditCreate = "create"
	EditUpdate = "update"
	EditDelete = "delete"
)

// Edit is one enterprise, project, link or lead created, replaced or
// deleted.
type Edit struct {
	Kind     string   // EditEnterprise, EditProject, EditLink or EditLead
	Action   string   // EditCreate, EditUpdate or EditDelete
	ID       string   // enterprises, projects and leads: the key
	From, To string   // links: the key
	Record   *Records // create and update: exactly one record of Kind, as ReadJSON read it (with its Origin), with the key above
	Cascade  bool     // delete of an enterprise or project: also delete the links that touch it
}

// EditResult is an accepted edit.
type EditResult struct {
	// Dataset is the whole dataset after the edit. It shares with the
	// dataset edited every slice the edit did not change.
	Dataset *chainscope.Dataset
	// Before is the record before the edit (*chainscope.Enterprise,
	// *chainscope.Project or *chainscope.Link), nil for a create.
	Before any
	// After is the record as stored, its references (investor, link ends)
	// resolved to ids as Build resolves them; nil for a delete.
	After any
	// Dropped holds the links a cascading delete removed, in dataset order.
	Dropped []chainscope.Link
}

// ApplyEdit checks e against cur, a dataset Build accepted, and returns
// the dataset after it. The outcome is Build's for the records of cur with
// the edit made (an update keeps the record's place, a create appends it):
// the same dataset, or a *chainscope.InvalidError with the problems Build
// would report. Only the records the edit can affect are checked: the
// edited one, the enterprises that share its USCC, and, for a delete, the
// projects and links that name the deleted record. A create of a key that
// exists is an ECONFLICT error, an update or delete of an unknown key
// ENOTFOUND. cur is never modified.
func ApplyEdit(cur *chainscope.Dataset, e Edit) (*EditResult, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	if e.Record != nil {
		var b builder
		if b.zeroChars(e.Record); len(b.problems) > 0 {
			return nil, &chainscope.InvalidError{Problems: b.problems}
		}
	}
	x := newEditor(cur)
	var res *EditResult
	var err error
	switch e.Kind {
	case EditEnterprise:
		res, err = x.enterprise(e)
	case EditProject:
		res, err = x.project(e)
	case EditLink:
		res, err = x.link(e)
	case EditLead:
		res, err = x.lead(e)
	}
	if err != nil {
		return nil, err
	}
	if len(x.b.problems) > 0 {
		return nil, &chainscope.InvalidError{Problems: x.b.problems}
	}
	return res, nil
}

// check makes sure e is an edit ApplyEdit can make: a known kind and
// action, and for a create or update exactly one record, of that kind and
// with the edit's key (a key is changed by a delete and a create, never by
// an update).
func (e *Edit) check() error {
	if !oneOf(e.Kind, []string{EditEnterprise, EditProject, EditLink, EditLead}) {
		return chainscope.Localizedf(chainscope.EINVALID, "未知的记录类型 %q", "unknown kind of record %q", e.Kind)
	}
	if !oneOf(e.Action, []string{EditCreate, EditUpdate, EditDelete}) {
		return chainscope.Localizedf(chainscope.EINVALID, "未知的编辑操作 %q", "unknown action %q", e.Action)
	}
	if e.Action == EditDelete {
		return nil
	}
	r := e.Record
	if r == nil {
		return oneRecordError(e.Kind)
	}
	one := func(n int) bool {
		return n == 1 && len(r.Enterprises)+len(r.Projects)+len(r.Links)+len(r.Leads) == 1 &&
			len(r.Counties)+len(r.Chains)+len(r.Segments)+len(r.Flows)+len(r.Reports) == 0
	}
	var recKey, key [2]string
	switch e.Kind {
	case EditEnterprise:
		if !one(len(r.Enterprises)) {
			return oneRecordError(e.Kind)
		}
		recKey, key = [2]string{r.Enterprises[0].ID}, [2]string{e.ID}
	case EditProject:
		if !one(len(r.Projects)) {
			return oneRecordError(e.Kind)
		}
		recKey, key = [2]string{r.Projects[0].ID}, [2]string{e.ID}
	case EditLead:
		if !one(len(r.Leads)) {
			return oneRecordError(e.Kind)
		}
		recKey, key = [2]string{r.Leads[0].ID}, [2]string{e.ID}
	case EditLink:
		if !one(len(r.Links)) {
			return oneRecordError(e.Kind)
		}
		recKey, key = [2]string{r.Links[0].From, r.Links[0].To}, [2]string{e.From, e.To}
	}
	if recKey != key {
		return chainscope.Localizedf(chainscope.EINVALID, "记录的键 %s 与编辑的键 %s 不一致", "the record's key %s differs from the edit's %s",
			keyText(e.Kind, recKey), keyText(e.Kind, key))
	}
	return nil
}

func oneRecordError(kind string) error {
	return chainscope.Localizedf(chainscope.EINVALID, "编辑应恰有一条 %s 记录", "an edit must hold exactly one %s record", kind)
}

// keyText shows a record's key as messages do.
func keyText(kind string, k [2]string) string {
	if kind == EditLink {
		return linkKeyText(k[0], k[1])
	}
	return strconv.Quote(k[0])
}

// linkKeyText is how messages name a link.
func linkKeyText(from, to string) string { return from + " → " + to }

// editor makes one edit: b applies the rules of the records the edit
// touches, looking up what they reference in cur as the edit leaves it,
// and collects their problems. A conflict or an unknown key is an error
// returned before anything is checked.
type editor struct {
	cur *chainscope.Dataset
	b   *builder
}

// newEditor readies the rules' lookups of the counties, chains and
// segments of cur (the edit changes none of them); b.ix is set by each
// edit to the enterprises and projects after it.
func newEditor(cur *chainscope.Dataset) *editor {
	b := &builder{
		region:   cur.Region.Code,
		counties: make(map[string]*chainscope.County, len(cur.Counties)),
		chainIdx: make(map[string]int, len(cur.Chains)),
		segChain: map[string]string{},
	}
	for i := range cur.Counties {
		b.counties[cur.Counties[i].Code] = &cur.Counties[i]
	}
	for i, c := range cur.Chains {
		b.chainIdx[c.ID] = i
		for _, s := range c.Segments {
			b.segChain[s.ID] = c.ID
		}
	}
	b.names = names{region: cur.Region, counties: countyNames(cur.Counties), segments: segmentNames(cur.Chains)}
	return &editor{cur: cur, b: b}
}

// with returns a shallow copy of cur for the edit to replace slices in.
func (x *editor) with() *chainscope.Dataset {
	ds := *x.cur
	return &ds
}

// enterprise makes an edit of an enterprise. Of Build's checks, those
// whose outcome the edit can change from cur's are the edited enterprise's
// own, those of a later enterprise with the USCC it takes, and for a
// delete those of the projects and links that name it.
func (x *editor) enterprise(e Edit) (*EditResult, error) {
	cur, b := x.cur, x.b
	i := x.enterpriseAt(e.ID)
	n := len(cur.Enterprises)
	switch {
	case e.Action == EditCreate && (i >= 0 || x.projectAt(e.ID) >= 0):
		return nil, conflictID(e.ID)
	case e.Action != EditCreate && i < 0:
		return nil, chainscope.Localizedf(chainscope.ENOTFOUND, "未知的企业 %q", "unknown enterprise %q", e.ID)
	}
	ds := x.with()
	switch e.Action {
	case EditCreate:
		rec := e.Record.Enterprises[0]
		ds.Enterprises = appended(cur.Enterprises, rec)
		b.ix = newScanIndex(ds.Enterprises, cur.Projects, n)
		out, _, _ := b.enterprise(rec, false)
		ds.Enterprises[n] = out
		return &EditResult{Dataset: ds, After: &out}, nil
	case EditUpdate:
		ds.Enterprises = slices.Clone(cur.Enterprises)
		ds.Enterprises[i] = e.Record.Enterprises[0]
		ix := newScanIndex(ds.Enterprises, cur.Projects, i)
		b.ix = ix
		out, _, newUSCC := b.enterprise(ds.Enterprises[i], false)
		ds.Enterprises[i] = out
		if newUSCC {
			// Build checks every later enterprise's USCC against this one.
			for j := i + 1; j < n; j++ {
				if ds.Enterprises[j].USCC == out.USCC {
					ix.limit(j)
					b.enterprise(ds.Enterprises[j], false)
				}
			}
		}
		before := cur.Enterprises[i]
		if reflect.DeepEqual(out, before) {
			ds.Enterprises = cur.Enterprises // nothing changed
		}
		return &EditResult{Dataset: ds, Before: &before, After: &out}, nil
	}
	ds.Enterprises = append(cur.Enterprises[:i:i], cur.Enterprises[i+1:]...)
	b.ix = newScanIndex(ds.Enterprises, cur.Projects, n-1)
	ds.Projects = x.investedBy(e.ID)
	x.recheckLeads(e.ID)
	var dropped []chainscope.Link
	ds.Links, dropped = x.unlink(e.ID, e.Cascade)
	before := cur.Enterprises[i]
	return &EditResult{Dataset: ds, Before: &before, Dropped: dropped}, nil
}

// project makes an edit of a project: the checks to make again are the
// edited project's own, and for a delete those of the links that name it.
func (x *editor) project(e Edit) (*EditResult, error) {
	cur, b := x.cur, x.b
	i := x.projectAt(e.ID)
	n := len(cur.Projects)
	switch {
	case e.Action == EditCreate && (i >= 0 || x.enterpriseAt(e.ID) >= 0):
		return nil, conflictID(e.ID)
	case e.Action != EditCreate && i < 0:
		return nil, chainscope.Localizedf(chainscope.ENOTFOUND, "未知的项目 %q", "unknown project %q", e.ID)
	}
	ds := x.with()
	switch e.Action {
	case EditCreate:
		rec := e.Record.Projects[0]
		ds.Projects = appended(cur.Projects, rec)
		b.ix = newScanIndex(cur.Enterprises, ds.Projects, len(cur.Enterprises))
		out, _ := b.project(rec, false)
		ds.Projects[n] = out
		return &EditResult{Dataset: ds, After: &out}, nil
	case EditUpdate:
		ds.Projects = slices.Clone(cur.Projects)
		ds.Projects[i] = e.Record.Projects[0]
		b.ix = newScanIndex(cur.Enterprises, ds.Projects, len(cur.Enterprises))
		out, _ := b.project(ds.Projects[i], false)
		ds.Projects[i] = out
		before := cur.Projects[i]
		if reflect.DeepEqual(out, before) {
			ds.Projects = cur.Projects // nothing changed
		}
		return &EditResult{Dataset: ds, Before: &before, After: &out}, nil
	}
	ds.Projects = append(cur.Projects[:i:i], cur.Projects[i+1:]...)
	b.ix = newScanIndex(cur.Enterprises, ds.Projects, len(cur.Enterprises))
	x.recheckLeads(e.ID)
	var dropped []chainscope.Link
	ds.Links, dropped = x.unlink(e.ID, e.Cascade)
	before := cur.Projects[i]
	return &EditResult{Dataset: ds, Before: &before, Dropped: dropped}, nil
}

// link makes an edit of a link: the checks to make again are the edited
// link's own.
func (x *editor) link(e Edit) (*EditResult, error) {
	cur, b := x.cur, x.b
	i := linkAt(cur.Links, e.From, e.To)
	switch {
	case e.Action == EditCreate && i >= 0:
		return nil, chainscope.Localizedf(chainscope.ECONFLICT, "供需关系 %s 已存在", "link %s already exists", linkKeyText(e.From, e.To))
	case e.Action != EditCreate && i < 0:
		return nil, chainscope.Localizedf(chainscope.ENOTFOUND, "未知的供需关系 %s", "unknown link %s", linkKeyText(e.From, e.To))
	}
	ds := x.with()
	ix := newScanIndex(cur.Enterprises, cur.Projects, len(cur.Enterprises))
	b.ix = ix
	switch e.Action {
	case EditCreate:
		rec := e.Record.Links[0]
		// Every link of cur comes before the new one and passed.
		seen := func(l *chainscope.Link, _, _ int32) bool {
			if l.From == e.From && l.To == e.To {
				return false // its key as given: looked up above
			}
			return linkAt(cur.Links, l.From, l.To) >= 0
		}
		out := b.link(rec, ix.number(rec.From), ix.number(rec.To), seen)
		ds.Links = appended(cur.Links, out)
		return &EditResult{Dataset: ds, After: &out}, nil
	case EditUpdate:
		// The record's ends are link i's, ids of nodes (check made sure),
		// and no other link of cur has that key.
		seen := func(*chainscope.Link, int32, int32) bool { return false }
		out := b.link(e.Record.Links[0], ix.number(e.From), ix.number(e.To), seen)
		before := cur.Links[i]
		if out != before {
			ds.Links = slices.Clone(cur.Links)
			ds.Links[i] = out
		}
		return &EditResult{Dataset: ds, Before: &before, After: &out}, nil
	}
	ds.Links = append(cur.Links[:i:i], cur.Links[i+1:]...)
	before := cur.Links[i]
	return &EditResult{Dataset: ds, Before: &before}, nil
}

// investedBy checks again the projects whose investor is the deleted
// enterprise id: the id now resolves as a USCC or a name, or is unknown.
// It returns the projects after the edit, cur's when none changed.
func (x *editor) investedBy(id string) []chainscope.Project {
	projs := x.cur.Projects
	copied := false
	for k := range x.cur.Projects {
		if x.cur.Projects[k].Investor != id {
			continue
		}
		out, _ := x.b.project(x.cur.Projects[k], false)
		if out.Investor != id {
			if !copied {
				projs, copied = slices.Clone(projs), true
			}
			projs[k] = out
		}
	}
	return projs
}

// unlink deals with the links that touch the deleted node id: with
// cascade it drops them (and returns them), otherwise it checks them again
// as Build would, the id now resolving as a USCC or a name or not at all.
// It returns the links after the edit, cur's when none changed.
func (x *editor) unlink(id string, cascade bool) (links, dropped []chainscope.Link) {
	all := x.cur.Links
	touches := func(l *chainscope.Link, id string) bool { return l.From == id || l.To == id }
	if cascade {
		var at []int
		for k := range all {
			if touches(&all[k], id) {
				at = append(at, k)
			}
		}
		if len(at) == 0 {
			return all, nil
		}
		links = make([]chainscope.Link, 0, len(all)-len(at))
		prev := 0
		for _, k := range at {
			links = append(links, all[prev:k]...)
			dropped = append(dropped, all[k])
			prev = k + 1
		}
		return append(links, all[prev:]...), dropped
	}

	// A link that names id can only collide with another once id resolves
	// to another node, z: then every link that touches z is checked again
	// too, in order, as Build's duplicate check sees them.
	z, how := x.b.find(id, true)
	var at []int
	for k := range all {
		if touches(&all[k], id) || how != refUnknown && touches(&all[k], z) {
			at = append(at, k)
		}
	}
	seenKeys := map[[2]string]bool{}
	seen := func(l *chainscope.Link, _, _ int32) bool {
		k := [2]string{l.From, l.To}
		dup := seenKeys[k]
		seenKeys[k] = true
		return dup
	}
	// The ends of cur's links are ids of its nodes, and id is the only one
	// gone: any other end is found, and seen compares ids, not numbers.
	number := func(end string) int32 {
		if end == id {
			return 0
		}
		return 1
	}
	links = all
	copied := false
	for _, k := range at {
		l := &all[k]
		out := x.b.link(*l, number(l.From), number(l.To), seen)
		if out != *l {
			if !copied {
				links, copied = slices.Clone(all), true
			}
			links[k] = out
		}
	}
	return links, nil
}

// appended is a copy of s with r after its last element, no larger than
// that: the dataset after an edit has no room to grow into, so that no
// later edit can write into the array of another dataset.
func appended[T any](s []T, r T) []T {
	out := make([]T, len(s)+1)
	copy(out, s)
	out[len(s)] = r
	return out
}

func (x *editor) enterpriseAt(id string) int {
	return indexOf(x.cur.Enterprises, func(r *chainscope.Enterprise) bool { return r.ID == id })
}

func (x *editor) projectAt(id string) int {
	return indexOf(x.cur.Projects, func(r *chainscope.Project) bool { return r.ID == id })
}

func conflictID(id string) error {
	return chainscope.Localizedf(chainscope.ECONFLICT, "编号 %q 已存在", "id %q already exists", id)
}

// linkAt is the position of the link from → to, -1 for none.
func linkAt(links []chainscope.Link, from, to string) int {
	for i := range links {
		if links[i].From == from && links[i].To == to {
			return i
		}
	}
	return -1
}

func indexOf[T any](s []T, match func(*T) bool) int {
	for i := range s {
		if match(&s[i]) {
			return i
		}
	}
	return -1
}

// scanIndex is ApplyEdit's nodeIndex: it scans the enterprises and
// projects of the dataset after the edit, as Build's maps would hold them,
// and remembers what it found. While enterprises are checked, Build knows
// the USCCs of the enterprises before the one checked only: limit says how
// many. (Build's maps leave out a record without an id; an edited record
// without one is refused before anything is looked up, and cur has none.)
type scanIndex struct {
	ents   []chainscope.Enterprise
	projs  []chainscope.Project
	before int

	numbers map[string]int32
	usccs   map[string]string
	names   map[string]nameFound
}

type nameFound struct {
	id        string
	ambiguous bool
}

func newScanIndex(ents []chainscope.Enterprise, projs []chainscope.Project, before int) *scanIndex {
	return &scanIndex{ents: ents, projs: projs, before: before,
		numbers: map[string]int32{}, usccs: map[string]string{}, names: map[string]nameFound{}}
}

// limit makes byUSCC see the first n enterprises only.
func (x *scanIndex) limit(n int) {
	x.before = n
	clear(x.usccs)
}

func (x *scanIndex) number(id string) int32 {
	if n, ok := x.numbers[id]; ok {
		return n
	}
	var n int32
	if i := indexOf(x.ents, func(e *chainscope.Enterprise) bool { return e.ID == id }); i >= 0 {
		n = int32(i + 1)
	} else if i := indexOf(x.projs, func(p *chainscope.Project) bool { return p.ID == id }); i >= 0 {
		n = -int32(i + 1)
	}
	x.numbers[id] = n
	return n
}

func (x *scanIndex) byUSCC(uscc string) string {
	if !ValidUSCC(uscc) { // Build keeps valid ones only
		return ""
	}
	if id, ok := x.usccs[uscc]; ok {
		return id
	}
	id := ""
	if i := indexOf(x.ents[:x.before], func(e *chainscope.Enterprise) bool { return e.USCC == uscc }); i >= 0 {
		id = x.ents[i].ID
	}
	x.usccs[uscc] = id
	return id
}

func (x *scanIndex) named(name string) []string {
	var ids []string
	for i := range x.ents {
		if x.ents[i].Name == name {
			ids = append(ids, x.ents[i].ID)
		}
	}
	return ids
}

func (x *scanIndex) byName(name string) (string, bool) {
	if name == "" {
		return "", false
	}
	if f, ok := x.names[name]; ok {
		return f.id, f.ambiguous
	}
	var f nameFound
	for i := range x.ents {
		if e := &x.ents[i]; e.Name == name {
			if f.id != "" {
				f.ambiguous = true
				break
			}
			f.id = e.ID
		}
	}
	x.names[name] = f
	return f.id, f.ambiguous
}
