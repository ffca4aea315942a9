package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"chainscope"
	"chainscope/dataset"
	"chainscope/graph"
	"chainscope/store"
)

// The kinds of record the API edits one at a time, as the audit log names
// them.
const (
	entityEnterprise = "enterprise"
	entityProject    = "project"
	entityLink       = "link"
	entityDataset    = "dataset"
)

// The audit actions of the API.
const (
	actionCreate = "create"
	actionUpdate = "update"
	actionDelete = "delete"
	actionImport = "import"
)

// bodyFile names a request body in problems.
const bodyFile = "请求 request"

// edit is a change of one enterprise, project or link. It is applied to
// the flat records of the current dataset and checked by dataset.Build
// like any import, so a single-record write obeys every SPEC §4 rule.
type edit struct {
	entity  string           // entityEnterprise, entityProject or entityLink
	action  string           // actionCreate, actionUpdate or actionDelete
	key     string           // enterprises and projects: the id
	from    string           // links: the supplier of the link's key
	to      string           // links: the customer of the link's key
	rec     *dataset.Records // create and update: the one record of the body
	cascade bool             // delete: also delete the links of the record
	actor   string           // who, for the revision
	ifMatch string           // update and delete: the If-Match header, "" when absent

	res *dataset.EditResult // set by apply
}

// linkKey is how the audit log and messages name a link.
func linkKey(from, to string) string { return from + " → " + to }

// readRecord reads the one record of entity ("enterprises", "projects" or
// "links") that a request body holds, with the rules of a JSON dataset
// (SPEC §2: unknown fields and wrong types are problems). The body must be
// exactly one JSON object; problems name its lines.
func readRecord(body []byte, entity string) (*dataset.Records, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if err := checkObject(body, entity); err != nil {
		return nil, err
	}
	// One valid JSON object cannot close the array early, so wrapping it
	// yields a document with exactly this record. The prefix holds no
	// newline: problems keep the body's line numbers.
	doc := make([]byte, 0, len(body)+len(entity)+8)
	doc = append(doc, `{"`...)
	doc = append(doc, entity...)
	doc = append(doc, `":[`...)
	doc = append(doc, body...)
	doc = append(doc, "]}"...)
	recs, problems := dataset.ReadJSON(bytes.NewReader(doc), bodyFile)
	if len(problems) > 0 {
		return nil, &chainscope.InvalidError{Problems: problems}
	}
	if n := len(recs.Enterprises) + len(recs.Projects) + len(recs.Links) + len(recs.Leads); n != 1 {
		return nil, invalidErr("请求体应为一条记录", "the body must hold one record")
	}
	return recs, nil
}

// checkObject makes sure body is one well-formed JSON object, reporting
// a syntax error as a problem with its line.
func checkObject(body []byte, entity string) error {
	var v any
	err := json.Unmarshal(body, &v)
	if err == nil {
		if _, ok := v.(map[string]any); ok {
			return nil
		}
		return invalidErr("请求体应为一个 JSON 对象", "the body must be one JSON object")
	}
	p := chainscope.Problem{File: bodyFile, Sheet: entity, Row: 1, Message: fmt.Sprintf("JSON 格式错误 malformed JSON: %v", err)}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		p.Row = 1 + bytes.Count(body[:min(int(se.Offset), len(body))], []byte("\n"))
	case errors.As(err, &te):
		p.Row = 1 + bytes.Count(body[:min(int(te.Offset), len(body))], []byte("\n"))
	default:
		p.Row = 1 + bytes.Count(body, []byte("\n"))
	}
	return &chainscope.InvalidError{Problems: []chainscope.Problem{p}}
}

// apply checks the edit against cur (dataset.ApplyEdit: every SPEC §4 rule
// that the record can break, with the messages of an import) and returns
// the dataset after it.
func (e *edit) apply(cur *chainscope.Dataset) (*chainscope.Dataset, error) {
	res, err := dataset.ApplyEdit(cur, dataset.Edit{Kind: e.entity, Action: e.action, ID: e.key,
		From: e.from, To: e.to, Record: e.rec, Cascade: e.cascade})
	if err != nil {
		return nil, err
	}
	e.res = res
	if l, ok := res.After.(*chainscope.Link); ok {
		e.from, e.to = l.From, l.To
	}
	return res.Dataset, nil
}

// derive returns how the snapshot after the edit is built from the one
// before: the analysis index patched (graph.Index.Patch) and the lookups
// shared where the edit left the lists alone.
func (e *edit) derive(cacheLimit int64) func(prev *snapshot, version int64, next *chainscope.Dataset) (*snapshot, error) {
	return func(prev *snapshot, version int64, next *chainscope.Dataset) (*snapshot, error) {
		ix, err := prev.ix.Patch(next, graph.DeltaOf(e.changes()))
		if err != nil {
			return nil, fmt.Errorf("index data version %d: %v", version, err)
		}
		return &snapshot{version: version, ds: next, ix: ix, lk: prev.lk.next(next, e.action == actionUpdate || e.entity == entityLead),
			cache: responseCache{limit: cacheLimit}, bounds: prev.bounds}, nil
	}
}

// after is the record as the edit stored it (references resolved), nil
// for a deletion.
func (e *edit) after() any { return e.res.After }

// changes lists the records the edit writes: the record itself, and the
// links a cascading delete removes.
func (e *edit) changes() []chainscope.RecordChange {
	c := chainscope.RecordChange{Kind: e.entity, Before: e.res.Before, After: e.res.After}
	if c.After != nil {
		c.Key = chainscope.RecordKey(c.After)
	} else {
		c.Key = chainscope.RecordKey(c.Before)
	}
	out := []chainscope.RecordChange{c}
	for i := range e.res.Dropped {
		l := &e.res.Dropped[i]
		out = append(out, chainscope.RecordChange{Kind: chainscope.RecordLink, Key: chainscope.LinkKey(l.From, l.To), Before: l})
	}
	return out
}

// meta names the revision of the edit: "update project P-17".
func (e *edit) meta() store.Meta {
	key := e.key
	if e.entity == entityLink {
		key = linkKey(e.from, e.to)
	}
	return store.Meta{By: e.actor, Summary: e.action + " " + e.entity + " " + key}
}

// checkVersion refuses an update or delete whose If-Match names a version
// of the record other than the current one (SPEC §8): 412, nothing written.
func (e *edit) checkVersion(cur *chainscope.Dataset) error {
	if e.ifMatch == "" || e.action == actionCreate {
		return nil
	}
	var rec any
	switch e.entity {
	case entityEnterprise:
		if i := indexOf(cur.Enterprises, func(r *chainscope.Enterprise) bool { return r.ID == e.key }); i >= 0 {
			rec = &cur.Enterprises[i]
		}
	case entityProject:
		if i := indexOf(cur.Projects, func(r *chainscope.Project) bool { return r.ID == e.key }); i >= 0 {
			rec = &cur.Projects[i]
		}
	case entityLink:
		if i := indexOf(cur.Links, func(r *chainscope.Link) bool { return r.From == e.from && r.To == e.to }); i >= 0 {
			rec = &cur.Links[i]
		}
	case entityLead:
		if i := indexOf(cur.Leads, func(r *chainscope.Lead) bool { return r.ID == e.key }); i >= 0 {
			rec = &cur.Leads[i]
		}
	}
	if rec == nil || !etagMatches(e.ifMatch, recordETag(rec)) {
		return chainscope.Localizedf(ePrecondition, "记录已被他人修改，请刷新后再编辑",
			"the record was changed by someone else since you read it; reload it and edit again")
	}
	return nil
}

func indexOf[T any](s []T, match func(*T) bool) int {
	for i := range s {
		if match(&s[i]) {
			return i
		}
	}
	return -1
}
