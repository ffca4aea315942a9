package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"chainscope"
	"chainscope/dataset"
	"chainscope/store"
)

// uploadDeadline is how long an upload may take to arrive and be stored
// (a province-scale import takes tens of seconds to write).
const uploadDeadline = 15 * time.Minute

// change computes the next dataset from the current one, the records in
// which they differ and what the revision is. It must not modify cur.
type change func(cur *chainscope.Dataset) (*chainscope.Dataset, []chainscope.RecordChange, store.Meta, error)

// commit is the one path every write takes: under the write lock it takes
// the latest stored dataset, applies the change (which runs every SPEC §4
// check), writes just the records that differ as one revision
// (store.Commit), and swaps in a new snapshot built meanwhile. Readers go
// on with the old snapshot until the swap and never see a mix. On any
// error nothing is stored. It returns the dataset as stored and the new
// data version.
//
// derive builds the next snapshot from the current one (sharing what the
// change did not touch) while the store writes. Without it (a whole
// upload, stored with the records already stored kept in their place, see
// store.DB.ReplaceWith) the snapshot is read back from the store, whose
// order it takes.
func (s *Server) commit(ctx context.Context, ch change, derive func(prev *snapshot, version int64, next *chainscope.Dataset) (*snapshot, error)) (*chainscope.Dataset, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for attempt := range commitAttempts {
		if attempt > 1 {
			// Another server keeps writing first: step back a little,
			// at random, so that the two stop meeting.
			select {
			case <-time.After(time.Duration(rand.Int64N(int64(time.Millisecond) << attempt))):
			case <-ctx.Done():
				return nil, 0, ctx.Err()
			}
		}
		snap, err := s.fresh(ctx, s.snap.Load())
		if err != nil {
			return nil, 0, err
		}
		next, changes, meta, err := ch(snap.ds)
		if err != nil {
			return nil, 0, err
		}
		// The next snapshot is derived while the store writes, and
		// installed only once the write has committed.
		type built struct {
			snap *snapshot
			err  error
		}
		var ready chan built
		if derive != nil {
			ready = make(chan built, 1) // buffered: a failed write leaves nobody waiting
			go func() {
				fresh, err := derive(snap, snap.version+1, next)
				ready <- built{fresh, err}
			}()
		}
		_, err = s.db.Commit(ctx, snap.version, changes, meta)
		if ready != nil && err != nil {
			<-ready
		}
		if errors.Is(err, store.ErrStale) {
			// Another process wrote since the check: take its data and
			// make the change again on top of it.
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		// Commit checked the version inside its transaction and moved it
		// by one: the database holds exactly next.
		if ready != nil {
			if b := <-ready; b.err == nil {
				s.install(b.snap)
				return next, snap.version + 1, nil
			}
		}
		fresh, err := s.loadSnapshot(ctx)
		if err != nil {
			// Stored, but not reloaded: the next request's version check
			// retries the load. The write itself succeeded.
			s.log.LogAttrs(ctx, slog.LevelError, "reload after write failed", slog.String("error", err.Error()))
			return next, snap.version + 1, nil
		}
		fresh = s.install(fresh)
		return fresh.ds, fresh.version, nil
	}
	return nil, 0, chainscope.Localizedf(eUnavailable, "数据正在被频繁写入，请稍后重试", "the data is being written by others; try again shortly")
}

// commitAttempts is how many times commit makes a change again on top of
// another writer's (store.ErrStale) before it gives up with 503: another
// process or, on PostgreSQL, the other servers of the database.
const commitAttempts = 8

// buildChange is the change of one single-record edit.
func buildChange(e *edit) change {
	return func(cur *chainscope.Dataset) (*chainscope.Dataset, []chainscope.RecordChange, store.Meta, error) {
		if err := e.checkVersion(cur); err != nil {
			return nil, nil, store.Meta{}, err
		}
		ds, err := e.apply(cur)
		if err != nil {
			return nil, nil, store.Meta{}, err
		}
		return ds, e.changes(), e.meta(), nil
	}
}

// writeRecord runs one single-record edit and answers with the record as
// stored (201 for a creation, 200 for an update, 204 for a deletion).
func (s *Server) writeRecord(c *gin.Context, e *edit) {
	e.actor = editorName(c)
	e.ifMatch = c.GetHeader("If-Match")
	_, version, err := s.commit(c.Request.Context(), buildChange(e), e.derive(s.cacheLimit))
	if err != nil {
		s.fail(c, err)
		return
	}
	key := e.key
	if e.entity == entityLink {
		key = linkKey(e.from, e.to)
	}
	s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "write",
		slog.String("action", e.action), slog.String("entity", e.entity), slog.String("key", key), slog.String("by", e.actor),
		slog.Int64("data_version", version), slog.String("remote", c.ClientIP()))
	c.Header("X-Data-Version", fmt.Sprint(version))
	switch e.action {
	case actionDelete:
		c.Status(http.StatusNoContent)
	case actionCreate:
		c.Header("ETag", recordETag(e.after()))
		writeJSON(c, http.StatusCreated, written(e.after(), requestLang(c.Request)))
	default:
		c.Header("ETag", recordETag(e.after()))
		writeJSON(c, http.StatusOK, written(e.after(), requestLang(c.Request)))
	}
}

// ProjectWritten is the answer to a create or update of a project: the
// project as stored and what is probably wrong with it, saved all the
// same (dataset.ProjectWarnings).
type ProjectWritten struct {
	chainscope.Project
	Warnings []WarningView `json:"warnings,omitempty"`
}

// WarningView is a warning in the request's language.
type WarningView struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// written is the answer to a write of rec: a project with its warnings
// in lang, any other record as it is.
func written(rec any, lang string) any {
	p, ok := rec.(*chainscope.Project)
	if !ok {
		return rec
	}
	out := ProjectWritten{Project: *p}
	for _, w := range dataset.ProjectWarnings(p) {
		out.Warnings = append(out.Warnings, WarningView{Code: w.Code, Message: w.Text(lang)})
	}
	return out
}

// recordEdit reads the body of a create or update of entity.
func recordEdit(c *gin.Context, entity, action string) (*edit, error) {
	body, err := readBody(c, MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	plural := entity + "s"
	recs, err := readRecord(body, plural)
	if err != nil {
		return nil, err
	}
	e := &edit{entity: entity, action: action, rec: recs}
	path := c.Param("id")
	switch entity {
	case entityEnterprise:
		r := &recs.Enterprises[0]
		if err := sameKey("id", &r.ID, path, action); err != nil {
			return nil, err
		}
		e.key = r.ID
	case entityProject:
		r := &recs.Projects[0]
		if err := sameKey("id", &r.ID, path, action); err != nil {
			return nil, err
		}
		e.key = r.ID
	case entityLead:
		if len(recs.Leads) != 1 {
			return nil, invalidErr("请求体应为一条招商线索", "the body must hold one lead")
		}
		r := &recs.Leads[0]
		if err := sameKey("id", &r.ID, path, action); err != nil {
			return nil, err
		}
		e.key = r.ID
	case entityLink:
		r := &recs.Links[0]
		if action == actionUpdate {
			from, to, err := linkQuery(c)
			if err != nil {
				return nil, err
			}
			if err := sameKey("from", &r.From, from, action); err != nil {
				return nil, err
			}
			if err := sameKey("to", &r.To, to, action); err != nil {
				return nil, err
			}
		}
		e.from, e.to = r.From, r.To
	}
	return e, nil
}

// sameKey fills in a key field the body left empty from the address of an
// update, and refuses one that differs: a key is changed by deleting and
// creating, never by an update.
func sameKey(field string, body *string, addr, action string) error {
	if action != actionUpdate {
		return nil
	}
	if *body == "" {
		*body = addr
	}
	if *body != addr {
		return invalidErr("请求体的 %s %q 与地址中的 %q 不一致", "the body's %s %q differs from the address's %q",
			field, *body, addr)
	}
	return nil
}

// linkQuery reads the key of a link from ?from=&to=.
func linkQuery(c *gin.Context) (from, to string, err error) {
	q := c.Request.URL.Query()
	from, to = q.Get("from"), q.Get("to")
	if from == "" || to == "" {
		return "", "", paramErr("缺少参数 from 和 to", "from and to are required")
	}
	return from, to, nil
}

// upsert returns the handler that creates or updates (action) one record
// of entity from the request body.
func (s *Server) upsert(entity, action string) gin.HandlerFunc {
	return func(c *gin.Context) {
		e, err := recordEdit(c, entity, action)
		if err != nil {
			s.fail(c, err)
			return
		}
		s.writeRecord(c, e)
	}
}

// deleteNode returns the handler that deletes an enterprise or project;
// with ?cascade=true its links go with it, otherwise a record that links
// still name is refused with the problems dataset.Build finds.
func (s *Server) deleteNode(entity string) gin.HandlerFunc {
	return func(c *gin.Context) {
		cascade, err := parseBool(c.Request.URL.Query(), "cascade")
		if err != nil {
			s.fail(c, err)
			return
		}
		s.writeRecord(c, &edit{entity: entity, action: actionDelete, key: c.Param("id"), cascade: cascade != nil && *cascade})
	}
}

func (s *Server) deleteLink(c *gin.Context) {
	from, to, err := linkQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.writeRecord(c, &edit{entity: entityLink, action: actionDelete, from: from, to: to})
}

// UploadResult is the answer to a dataset upload: how it was applied, the
// new data version, what the dataset now holds, and what the readers
// ignored (warnings, never errors).
type UploadResult struct {
	Mode        dataset.Mode         `json:"mode"`
	Format      string               `json:"format"`
	DataVersion int64                `json:"data_version"`
	Counts      Counts               `json:"counts"`
	Warnings    []chainscope.Problem `json:"warnings"`
}

// uploadDataset stores a whole uploaded dataset (POST /api/v1/dataset),
// replacing or merging into the stored one, all or nothing.
func (s *Server) uploadDataset(c *gin.Context) {
	mode, err := dataset.ParseMode(c.Query("mode"))
	if err != nil {
		s.fail(c, err)
		return
	}
	strict, err := parseBool(c.Request.URL.Query(), "strict")
	if err != nil {
		s.fail(c, err)
		return
	}
	extendDeadlines(c, uploadDeadline)
	body, err := readBody(c, MaxUploadBytes)
	if err != nil {
		s.fail(c, err)
		return
	}
	name := ""
	if _, params, err := mime.ParseMediaType(c.GetHeader("Content-Disposition")); err == nil {
		name = params["filename"]
	}
	up, err := uploadOf(body, c.GetHeader("Content-Type"), name)
	if err != nil {
		s.fail(c, err)
		return
	}
	recs, format, read, err := readUpload(up)
	if err != nil {
		s.fail(c, err)
		return
	}
	by := editorName(c)
	recs.Strict = strict != nil && *strict
	warnings := recs.Warnings
	ds, version, err := s.commit(c.Request.Context(), func(cur *chainscope.Dataset) (*chainscope.Dataset, []chainscope.RecordChange, store.Meta, error) {
		// A copy each try: the check fills the region from cur and warns.
		in := *recs
		in.Warnings = slices.Clip(recs.Warnings)
		ds, problems := dataset.Check(cur, &in, read, mode)
		warnings = in.Warnings
		if len(problems) > 0 {
			return nil, nil, store.Meta{}, &chainscope.InvalidError{Problems: problems}
		}
		changes, err := chainscope.DiffDatasets(cur, ds)
		summary := "upload " + string(mode)
		if up.name != "" {
			summary += " " + up.name
		}
		return ds, changes, store.Meta{By: by, Summary: summary}, err
	}, nil)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "write",
		slog.String("action", actionImport), slog.String("mode", string(mode)), slog.String("format", format),
		slog.Int("bytes", len(body)), slog.Int64("data_version", version), slog.String("remote", c.ClientIP()))
	warnings = append(slices.Clip(warnings), dataset.ImportWarnings(recs)...)
	if warnings == nil {
		warnings = []chainscope.Problem{}
	}
	c.Header("X-Data-Version", fmt.Sprint(version))
	writeJSON(c, http.StatusOK, UploadResult{Mode: mode, Format: format, DataVersion: version, Counts: countsOf(ds), Warnings: warnings})
}

// extendDeadlines gives a long request (an upload, a backup download)
// more time than the server's read and write timeouts.
func extendDeadlines(c *gin.Context, d time.Duration) {
	rc := http.NewResponseController(c.Writer)
	deadline := time.Now().Add(d)
	_ = rc.SetReadDeadline(deadline)
	_ = rc.SetWriteDeadline(deadline)
}
