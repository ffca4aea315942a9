package store

import (
	"cmp"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"chainscope"
)

// historyRegion reads the region as of l.asOf from history, when its
// current row is newer (or gone).
func (l *loader) historyRegion(r *chainscope.Region) error {
	if l.asOf == 0 {
		return nil
	}
	var doc string
	err := l.tx.QueryRowContext(l.ctx, `SELECT doc FROM history WHERE kind = ? AND rev_from <= ?2 AND rev_to > ?2`,
		chainscope.RecordRegion, l.asOf).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(doc), r)
}

// history adds to ds the versions of records that were live at l.asOf but
// have been changed or removed since, each at its place in dataset order
// (its seq), and returns such links for links to merge. The rows of ds come
// from the current tables, filtered to l.asOf, with their seqs in l.
func (l *loader) history(ds *chainscope.Dataset, nodes *nodeIDs) ([]seqLink, error) {
	rows, err := l.tx.QueryContext(l.ctx,
		`SELECT kind, key, seq, doc FROM history WHERE rev_from <= ?1 AND rev_to > ?1 AND kind <> 'region'`, l.asOf)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		links    []seqLink
		segments = l.orphans
	)
	for rows.Next() {
		var kind, key, doc string
		var seq int64
		if err := rows.Scan(&kind, &key, &seq, &doc); err != nil {
			return nil, err
		}
		rec, err := decodeRecord(kind, []byte(doc))
		if err != nil {
			return nil, fmt.Errorf("history %s %q: %w", kind, key, err)
		}
		switch x := rec.(type) {
		case *chainscope.County:
			ds.Counties = append(ds.Counties, *x)
			l.countySeq = append(l.countySeq, seq)
		case *chainscope.ChainRecord:
			ds.Chains = append(ds.Chains, chainscope.Chain{ID: x.ID, Name: x.Name, Flows: x.Flows,
				Source: x.Source, Note: x.Note, Segments: []chainscope.Segment{}})
			l.chainSeq = append(l.chainSeq, seq)
		case *chainscope.SegmentRecord:
			segments = append(segments, seqSegment{seq: seq, rec: *x})
		case *chainscope.Enterprise:
			ds.Enterprises = append(ds.Enterprises, *x)
			l.entSeq = append(l.entSeq, seq)
			nodes.set(seq, x.ID)
		case *chainscope.Project:
			ds.Projects = append(ds.Projects, *x)
			l.projSeq = append(l.projSeq, seq)
			nodes.set(seq, x.ID)
		case *chainscope.Link:
			links = append(links, seqLink{seq, *x})
		case *chainscope.Lead:
			ds.Leads = append(ds.Leads, *x)
			l.leadSeq = append(l.leadSeq, seq)
		case *chainscope.Report:
			ds.Reports = append(ds.Reports, *x)
			l.reportSeq = append(l.reportSeq, seq)
		default: // the region's versions are read apart (historyRegion)
			return nil, fmt.Errorf("history %s %q: unexpected kind", kind, key)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ds.Counties = bySeq(ds.Counties, l.countySeq)
	ds.Chains = bySeq(ds.Chains, l.chainSeq)
	for _, s := range segments {
		i := slices.IndexFunc(ds.Chains, func(c chainscope.Chain) bool { return c.ID == s.rec.Chain })
		if i < 0 {
			return nil, fmt.Errorf("history segment %q: chain %q not live at revision %d", s.rec.ID, s.rec.Chain, l.asOf)
		}
		ds.Chains[i].Segments = append(ds.Chains[i].Segments, s.rec.Segment)
		l.segSeq[s.rec.Chain] = append(l.segSeq[s.rec.Chain], s.seq)
	}
	for i := range ds.Chains {
		c := &ds.Chains[i]
		c.Segments = bySeq(c.Segments, l.segSeq[c.ID])
	}
	ds.Enterprises = bySeq(ds.Enterprises, l.entSeq)
	ds.Projects = bySeq(ds.Projects, l.projSeq)
	ds.Leads = bySeq(ds.Leads, l.leadSeq)
	ds.Reports = bySeq(ds.Reports, l.reportSeq)
	return links, nil
}

// bySeq returns items ordered by their seqs (seqs[i] is the seq of
// items[i]); items is returned as it is when already in order.
func bySeq[T any](items []T, seqs []int64) []T {
	if slices.IsSorted(seqs) {
		return items
	}
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(seqs[a], seqs[b]) })
	out := make([]T, len(items))
	for i, j := range order {
		out[i] = items[j]
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
