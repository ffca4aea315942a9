package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"chainscope"
	"chainscope/dataset"
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
	actor   string           // who, for the audit log

	// Set by apply.
	before  any               // the record before the edit, nil for a creation
	pos     int               // create and update: the record's position in its list
	dropped []chainscope.Link // links a cascading delete removed
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
	if n := len(recs.Enterprises) + len(recs.Projects) + len(recs.Links); n != 1 {
		return nil, invalidf("请求体应为一条记录 / the body must hold one record")
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
		return invalidf("请求体应为一个 JSON 对象 / the body must be one JSON object")
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

// apply returns the records of cur with the edit made. The result still
// has to pass dataset.Build.
func (e *edit) apply(cur *chainscope.Dataset) (*dataset.Records, error) {
	recs := dataset.Flatten(cur)
	entI := indexOf(recs.Enterprises, func(r *chainscope.Enterprise) bool { return r.ID == e.key })
	projI := indexOf(recs.Projects, func(r *chainscope.Project) bool { return r.ID == e.key })
	if e.action == actionCreate && e.entity != entityLink && (entI >= 0 || projI >= 0) {
		return nil, chainscope.Errorf(chainscope.ECONFLICT, "编号已存在 / id %q already exists", e.key)
	}
	in := e.rec
	if in == nil {
		in = &dataset.Records{} // a deletion has no body
	}
	var err error
	switch e.entity {
	case entityEnterprise:
		recs.Enterprises, err = editList(recs.Enterprises, entI, e, in.Enterprises, func() error {
			return notFoundf("未知的企业 unknown enterprise %q", e.key)
		})
	case entityProject:
		recs.Projects, err = editList(recs.Projects, projI, e, in.Projects, func() error {
			return notFoundf("未知的项目 unknown project %q", e.key)
		})
	case entityLink:
		i := indexOf(recs.Links, func(r *chainscope.Link) bool { return r.From == e.from && r.To == e.to })
		if e.action == actionCreate && i >= 0 {
			return nil, chainscope.Errorf(chainscope.ECONFLICT, "供需关系已存在 / link %s already exists", linkKey(e.from, e.to))
		}
		recs.Links, err = editList(recs.Links, i, e, in.Links, func() error {
			return notFoundf("未知的供需关系 unknown link %s", linkKey(e.from, e.to))
		})
	}
	if err != nil {
		return nil, err
	}
	if e.action == actionDelete && e.cascade && e.entity != entityLink {
		kept := make([]chainscope.Link, 0, len(recs.Links))
		for _, l := range recs.Links {
			if l.From == e.key || l.To == e.key {
				e.dropped = append(e.dropped, l)
			} else {
				kept = append(kept, l)
			}
		}
		recs.Links = kept
	}
	return recs, nil
}

// editList makes the edit on list, where i is the position of the record
// with the edit's key (-1 for none) and rec holds the body's record.
func editList[T any](list []T, i int, e *edit, rec []T, missing func() error) ([]T, error) {
	switch e.action {
	case actionCreate:
		e.pos = len(list)
		return append(list, rec[0]), nil
	case actionUpdate:
		if i < 0 {
			return nil, missing()
		}
		e.before, e.pos = list[i], i
		list[i] = rec[0]
		return list, nil
	}
	if i < 0 {
		return nil, missing()
	}
	e.before = list[i]
	return append(list[:i], list[i+1:]...), nil
}

// result returns the edited record as ds, the dataset after the edit,
// holds it (references resolved to ids by dataset.Build; nil for a
// deletion) and the audit entries of the edit.
func (e *edit) result(ds *chainscope.Dataset) (any, []store.AuditEntry, error) {
	var after any
	key := e.key
	if e.action != actionDelete {
		// Build keeps every record in place when it accepts them all.
		switch e.entity {
		case entityEnterprise:
			after = ds.Enterprises[e.pos]
		case entityProject:
			after = ds.Projects[e.pos]
		case entityLink:
			l := ds.Links[e.pos]
			after, e.from, e.to = l, l.From, l.To
		}
	}
	if e.entity == entityLink {
		key = linkKey(e.from, e.to)
	}
	entry, err := auditEntry(e.actor, e.action, e.entity, key, e.before, after)
	if err != nil {
		return nil, nil, err
	}
	entries := []store.AuditEntry{entry}
	for _, l := range e.dropped {
		entry, err := auditEntry(e.actor, actionDelete, entityLink, linkKey(l.From, l.To), l, nil)
		if err != nil {
			return nil, nil, err
		}
		entries = append(entries, entry)
	}
	return after, entries, nil
}

// auditEntry builds an audit log entry with before and after as JSON.
func auditEntry(actor, action, entity, key string, before, after any) (store.AuditEntry, error) {
	e := store.AuditEntry{Actor: actor, Action: action, Entity: entity, Key: key}
	var err error
	if before != nil {
		if e.Before, err = json.Marshal(before); err != nil {
			return e, err
		}
	}
	if after != nil {
		if e.After, err = json.Marshal(after); err != nil {
			return e, err
		}
	}
	return e, nil
}

func indexOf[T any](s []T, match func(*T) bool) int {
	for i := range s {
		if match(&s[i]) {
			return i
		}
	}
	return -1
}
