package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"chainscope"
	"chainscope/graph"
	"chainscope/store"
)

func init() {
	register("diff", "diff --db FILE --from REV|YYYY-MM-DD [--to REV|YYYY-MM-DD] [--json]   两个修订之间的变化（记录和产业链范围）what changed between two revisions (SPEC §8)", cmdDiff)
}

// cmdDiff prints what changed from one revision to another: the records
// added, changed and removed, and the scopes whose completeness, segment
// statuses or cut nodes moved. --to defaults to the latest revision.
// --from may name a later revision than --to: the answer is then the
// changes that lead back from it (added and removed swap).
func cmdDiff(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	dbPath := fs.String("db", "", "SQLite database file or postgres:// URL")
	from := fs.String("from", "", "the earlier end: a revision number or a date YYYY-MM-DD")
	to := fs.String("to", "", "the later end: a revision number or a date YYYY-MM-DD (default: the latest revision)")
	asJSON := fs.Bool("json", false, "print the SPEC §8 diff object")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if err := required("db", *dbPath); err != nil {
		return err
	}
	if err := required("from", *from); err != nil {
		return err
	}
	db, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if *to == "" {
		latest, err := db.LatestRevision(ctx)
		if err != nil {
			return err
		}
		*to = strconv.FormatInt(latest, 10)
	}
	var (
		revs [2]store.Revision
		dss  [2]*chainscope.Dataset
		ixs  [2]*graph.Index
	)
	for i, v := range []string{*from, *to} {
		rev, err := resolveAsOf(ctx, db, v)
		if err != nil {
			return err
		}
		if revs[i], err = db.Revision(ctx, rev); err != nil {
			return err
		}
		if i == 1 && rev == revs[0].Rev {
			dss[1], ixs[1] = dss[0], ixs[0]
			break
		}
		if dss[i], err = db.LoadAsOf(ctx, rev); err != nil {
			return err
		}
		if ixs[i], err = graph.NewIndex(dss[i]); err != nil {
			return err
		}
	}
	changes, err := graph.Diff(dss[0], dss[1], ixs[0], ixs[1])
	if err != nil {
		return err
	}
	changes.From, changes.To = revs[0].Rev, revs[1].Rev
	if *asJSON {
		return writeJSON(e.stdout, changes)
	}
	return writeDiffTables(e.stdout, revs, dss, changes)
}

// Chinese words for the record kinds, changes and fields of a diff.
var (
	kindWords = map[string]string{
		chainscope.RecordRegion: "地区", chainscope.RecordCounty: "县区", chainscope.RecordChain: "产业链",
		chainscope.RecordSegment: "环节", chainscope.RecordEnterprise: "企业", chainscope.RecordProject: "项目",
		chainscope.RecordLink: "供需关系", chainscope.RecordLead: "招商线索", chainscope.RecordReport: "上报数据",
	}
	changeWords = map[string]string{"added": "新增", "changed": "修改", "removed": "删除"}
	fieldWords  = map[string]string{
		"code": "代码", "name": "名称", "kind": "类型", "parent": "所属县区", "flows": "环节关系", "chain": "产业链",
		"stage": "位置", "uscc": "统一社会信用代码", "county": "县区", "segments": "环节", "leader_of": "链主",
		"output_wan": "产值(万元)", "investor": "投资方", "investment_wan": "投资(万元)", "signed": "签约日期",
		"started": "开工日期", "status": "状态", "emerging": "战略性新兴产业", "from": "供方", "to": "需方",
		"product": "产品", "source": "来源", "note": "备注", "chains": "主导产业链", "enterprise": "关联企业",
		"dates": "阶段日期", "project": "转化项目", "owner": "负责人", "reason": "放弃原因", "area": "区域",
		"signed_projects": "签约项目数", "emerging_projects": "新兴产业项目数", "started_projects": "开工项目数",
		"due_projects": "应开工项目数", "target_wan": "年度目标(万元)",
	}
)

// cellWidth is the most display cells a name or a value takes in a diff
// table; longer text is cut with "…" (the JSON has it whole).
const cellWidth = 40

// clip makes s one line of at most n display cells.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if displayWidth(s) <= n {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := displayWidth(string(r))
		if w+rw > n-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + "…"
}

// diffNames finds the names of records at either end of a diff, the later
// end's name first.
type diffNames map[string]map[string]string // kind → key → name

func newDiffNames(dss [2]*chainscope.Dataset) diffNames {
	n := diffNames{}
	for _, k := range chainscope.RecordKinds {
		n[k] = map[string]string{}
	}
	for _, ds := range dss {
		n[chainscope.RecordRegion][ds.Region.Code] = ds.Region.Name
		for _, c := range ds.Counties {
			n[chainscope.RecordCounty][c.Code] = c.Name
		}
		for _, c := range ds.Chains {
			n[chainscope.RecordChain][c.ID] = c.Name
			for _, s := range c.Segments {
				n[chainscope.RecordSegment][s.ID] = s.Name
			}
		}
		for _, e := range ds.Enterprises {
			n[chainscope.RecordEnterprise][e.ID] = e.Name
		}
		for _, p := range ds.Projects {
			n[chainscope.RecordProject][p.ID] = p.Name
		}
		for _, l := range ds.Leads {
			n[chainscope.RecordLead][l.ID] = l.Name
		}
	}
	return n
}

// node is the name of an enterprise or project, else its id.
func (n diffNames) node(id string) string {
	if s, ok := n[chainscope.RecordEnterprise][id]; ok {
		return s
	}
	if s, ok := n[chainscope.RecordProject][id]; ok {
		return s
	}
	return id
}

// area is the name of a scope's area: the region for *, else the county.
func (n diffNames) area(code string, region string) string {
	if code == graph.AllAreas {
		return region + "（全市域）"
	}
	if s, ok := n[chainscope.RecordCounty][code]; ok {
		return s
	}
	return code
}

// record is how a changed record reads: "id name", a link "from → to".
func (n diffNames) record(r graph.RecordChange) string {
	if r.Kind == chainscope.RecordLink {
		return clip(n.node(r.From), cellWidth/2) + " → " + clip(n.node(r.To), cellWidth/2)
	}
	if r.Kind == chainscope.RecordReport {
		return clip(n.area(r.Area, "")+" "+r.From+"～"+r.To, cellWidth)
	}
	s := r.ID
	if name := n[r.Kind][r.ID]; name != "" && name != r.ID {
		s += " " + name
	}
	return clip(s, cellWidth)
}

// fieldText renders one field value of a diff (see chainscope.Fields for
// the types): "—" when absent, labels for statuses, stages and kinds.
func fieldText(kind, field string, v any) string {
	switch x := v.(type) {
	case nil:
		if field == "emerging" {
			return "否 no" // an absent flag is false
		}
		return "—"
	case string:
		var label string
		switch {
		case field == "status" && kind == chainscope.RecordProject:
			label = chainscope.Status(x).Label()
		case field == "stage" && kind == chainscope.RecordLead:
			label = chainscope.LeadStage(x).Label()
		case field == "stage":
			label = chainscope.Stage(x).Label()
		case field == "kind" && kind == chainscope.RecordCounty:
			label = chainscope.Kind(x).Label()
		}
		if label != "" {
			return label + " " + x
		}
		return clip(x, cellWidth)
	case []string:
		return clip(strings.Join(x, "、"), cellWidth)
	case [][2]string:
		pairs := make([]string, len(x))
		for i, p := range x {
			pairs[i] = p[0] + "→" + p[1]
		}
		return clip(strings.Join(pairs, "、"), cellWidth)
	case map[string]string: // a lead's dates, in pipeline order
		var parts []string
		for _, st := range chainscope.LeadStages {
			if d, ok := x[string(st)]; ok {
				parts = append(parts, st.Label()+" "+d)
			}
		}
		return clip(strings.Join(parts, "、"), cellWidth)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "是 yes"
		}
		return "否 no"
	}
	return clip(fmt.Sprint(v), cellWidth)
}

// listItems returns the items of a list value ([]string, or flows as
// "from→to"), and whether v is a list or absent.
func listItems(v any) ([]string, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case []string:
		return x, true
	case [][2]string:
		items := make([]string, len(x))
		for i, p := range x {
			items[i] = p[0] + "→" + p[1]
		}
		return items, true
	}
	return nil, false
}

// fieldCells renders a changed field as its before and after cells. A list
// too long for a cell shows, after, what was added (＋) and taken out (－),
// or that only the order changed.
func fieldCells(kind, field string, a, b any) (string, string) {
	before, after := fieldText(kind, field, a), fieldText(kind, field, b)
	x, okA := listItems(a)
	y, okB := listItems(b)
	if !okA || !okB || (!strings.HasSuffix(before, "…") && !strings.HasSuffix(after, "…")) {
		return before, after
	}
	var plus, minus []string
	for _, s := range y {
		if !slices.Contains(x, s) {
			plus = append(plus, s)
		}
	}
	for _, s := range x {
		if !slices.Contains(y, s) {
			minus = append(minus, s)
		}
	}
	var parts []string
	if len(plus) > 0 {
		parts = append(parts, "＋"+strings.Join(plus, "、"))
	}
	if len(minus) > 0 {
		parts = append(parts, "－"+strings.Join(minus, "、"))
	}
	if len(parts) == 0 {
		return before, "顺序变化 reordered"
	}
	return before, clip(strings.Join(parts, " "), cellWidth)
}

// statusWord renders a segment status of a scope ("—": no such segment).
func statusWord(s *graph.Status) string {
	if s == nil {
		return "—"
	}
	switch *s {
	case graph.Missing:
		return "缺链 missing"
	case graph.Weak:
		return "薄弱 weak"
	case graph.OK:
		return "正常 ok"
	}
	return string(*s)
}

// transition names what a segment's status change means for 招商.
func transition(a, b *graph.Status) string {
	switch {
	case a == nil:
		return "新增环节 new segment"
	case b == nil:
		return "环节删除 segment removed"
	case *a == graph.Missing:
		return "补链 filled"
	case *b == graph.Missing:
		return "新缺链 newly missing"
	case *b == graph.OK:
		return "强链 strengthened"
	}
	return "转弱 weakened"
}

func percent(c *float64) string {
	if c == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f%%", *c*100)
}

// writeDiffTables writes a diff for people: the two revisions, the records
// by kind with their fields before → after, then the scopes that moved.
func writeDiffTables(w io.Writer, revs [2]store.Revision, dss [2]*chainscope.Dataset, c *graph.Changes) error {
	var head table
	for i, label := range []string{"从 from", "到 to"} {
		r := revs[i]
		head.add(label, "修订 rev "+strconv.FormatInt(r.Rev, 10), r.At.In(store.Shanghai).Format(timeLayout), r.By, r.Summary)
	}
	if err := head.write(w); err != nil {
		return err
	}
	if revs[0].Rev > revs[1].Rev {
		fmt.Fprintln(w, "（从较新的修订比到较早的修订：列出的是回到较早数据的变化 from a later revision to an earlier one: the changes that lead back）")
	}
	n := newDiffNames(dss)

	counts := map[string]int{}
	for _, r := range c.Records {
		counts[r.Change]++
	}
	fmt.Fprintln(w)
	if len(c.Records) == 0 {
		fmt.Fprintln(w, "记录无变化 no record changed")
	} else {
		fmt.Fprintf(w, "记录变化 records: 新增 added %d · 修改 changed %d · 删除 removed %d\n\n",
			counts["added"], counts["changed"], counts["removed"])
		var tw table
		tw.add("类型 kind", "变化 change", "记录 record", "字段 field", "之前 before", "之后 after")
		for _, r := range c.Records {
			kind := strings.TrimSpace(kindWords[r.Kind] + " " + r.Kind)
			change := strings.TrimSpace(changeWords[r.Change] + " " + r.Change)
			rec := n.record(r)
			if len(r.Fields) == 0 {
				tw.add(kind, change, rec)
				continue
			}
			for _, f := range fieldOrder(r) {
				v := r.Fields[f]
				before, after := fieldCells(r.Kind, f, v[0], v[1])
				tw.add(kind, change, rec, strings.TrimSpace(fieldWords[f]+" "+f), before, after)
				kind, change, rec = "", "", ""
			}
		}
		if err := tw.write(w); err != nil {
			return err
		}
	}

	fmt.Fprintln(w)
	if len(c.Scopes) == 0 {
		_, err := fmt.Fprintln(w, "各范围的完整度、环节状态和关键节点均无变化 no scope changed")
		return err
	}
	region := dss[1].Region.Name
	if region == "" {
		region = dss[0].Region.Name
	}
	events := map[string]int{}
	var tw table
	tw.add("县区 area", "产业链 chain", "完整度 completeness", "变化 change")
	for _, s := range c.Scopes {
		area := clip(n.area(s.Area, region), cellWidth)
		chain := s.Chain
		if name := n[chainscope.RecordChain][s.Chain]; name != "" {
			chain = clip(name, cellWidth)
		}
		comp := percent(s.Completeness[0])
		if s.Completeness[0] == nil || s.Completeness[1] == nil || *s.Completeness[0] != *s.Completeness[1] {
			comp += " → " + percent(s.Completeness[1])
		}
		var rows []string
		switch {
		case s.Completeness[0] == nil:
			rows = append(rows, "新范围 new scope")
			events["新范围 new scope"]++
		case s.Completeness[1] == nil:
			rows = append(rows, "范围删除 scope removed")
			events["范围删除 scope removed"]++
		default:
			for _, sg := range s.Segments {
				t := transition(sg.Status[0], sg.Status[1])
				events[t]++
				name := n[chainscope.RecordSegment][sg.ID]
				if name == "" {
					name = sg.ID
				}
				rows = append(rows, fmt.Sprintf("%s：%s（%s → %s）", t, clip(name, cellWidth), statusWord(sg.Status[0]), statusWord(sg.Status[1])))
			}
		}
		for _, id := range s.CutNodes.Added {
			events["新关键节点 new cut node"]++
			rows = append(rows, "新关键节点 new cut node："+clip(id+" "+n.node(id), cellWidth))
		}
		for _, id := range s.CutNodes.Removed {
			events["不再是关键节点 no longer a cut node"]++
			rows = append(rows, "不再是关键节点 no longer a cut node："+clip(id+" "+n.node(id), cellWidth))
		}
		if len(rows) == 0 {
			rows = append(rows, "")
		}
		for i, row := range rows {
			if i == 0 {
				tw.add(area, chain, comp, row)
			} else {
				tw.add("", "", "", row)
			}
		}
	}
	var tally []string
	for _, ev := range []string{"补链 filled", "新缺链 newly missing", "强链 strengthened", "转弱 weakened",
		"新增环节 new segment", "环节删除 segment removed", "新关键节点 new cut node", "不再是关键节点 no longer a cut node",
		"新范围 new scope", "范围删除 scope removed"} {
		if events[ev] > 0 {
			tally = append(tally, fmt.Sprintf("%s %d", ev, events[ev]))
		}
	}
	fmt.Fprintf(w, "范围变化 scopes: %d 个范围 scopes", len(c.Scopes))
	if len(tally) > 0 {
		fmt.Fprintf(w, " — %s", strings.Join(tally, " · "))
	}
	fmt.Fprint(w, "\n\n")
	return tw.write(w)
}

// fieldOrder lists the changed fields of r in the order of SPEC §1 (the
// order of chainscope.Fields), any other field after them by name.
func fieldOrder(r graph.RecordChange) []string {
	var order []string
	if rec := emptyRecord(r.Kind); rec != nil {
		for _, f := range chainscope.Fields(rec) {
			order = append(order, f.Name)
		}
	}
	names := make([]string, 0, len(r.Fields))
	for f := range r.Fields {
		names = append(names, f)
	}
	rank := func(f string) int {
		if i := slices.Index(order, f); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a, b))
	})
	return names
}

// emptyRecord is a zero record of kind, for the order of its fields; nil
// for a kind it does not know.
func emptyRecord(kind string) any {
	switch kind {
	case chainscope.RecordRegion:
		return &chainscope.Region{}
	case chainscope.RecordCounty:
		return &chainscope.County{}
	case chainscope.RecordChain:
		return &chainscope.ChainRecord{}
	case chainscope.RecordSegment:
		return &chainscope.SegmentRecord{}
	case chainscope.RecordEnterprise:
		return &chainscope.Enterprise{}
	case chainscope.RecordProject:
		return &chainscope.Project{}
	case chainscope.RecordLink:
		return &chainscope.Link{}
	case chainscope.RecordLead:
		return &chainscope.Lead{}
	case chainscope.RecordReport:
		return &chainscope.Report{}
	}
	return nil
}
