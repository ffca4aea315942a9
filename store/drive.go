package store

import (
	"cmp"
	"encoding/json"
	"fmt"

	"chainscope"
)

// The records of the drive over time (0005_drive.sql): leads and reports
// stored as JSON documents beside their keys, a county's chains as a JSON
// array.

// jsonList is a list column's value: NULL for an empty list, else the
// list as a JSON array.
func jsonList(s []string) any {
	if len(s) == 0 {
		return nil
	}
	b, _ := json.Marshal(s) // a []string always marshals
	return string(b)
}

// parseList reads a list column written by jsonList.
func parseList(v []byte) ([]string, error) {
	if len(v) == 0 {
		return nil, nil
	}
	var s []string
	err := json.Unmarshal(v, &s)
	return s, err
}

// leadDoc is the stored document of a lead.
func leadDoc(l *chainscope.Lead) (string, error) {
	b, err := json.Marshal(l)
	return string(b), err
}

// reportDoc is the stored document of a report.
func reportDoc(r *chainscope.Report) (string, error) {
	b, err := json.Marshal(r)
	return string(b), err
}

// insertDrive writes the leads and reports of ds in the first import.
func (w *writer) insertDrive(ds *chainscope.Dataset) error {
	if len(ds.Leads) > 0 {
		b := w.bulk("leads", "id, doc")
		for i := range ds.Leads {
			doc, err := leadDoc(&ds.Leads[i])
			if err != nil {
				return err
			}
			if err := b.add(ds.Leads[i].ID, doc); err != nil {
				return err
			}
		}
		if err := b.close(); err != nil {
			return err
		}
	}
	if len(ds.Reports) > 0 {
		b := w.bulk("reports", "area, from_date, to_date, doc")
		for i := range ds.Reports {
			r := &ds.Reports[i]
			doc, err := reportDoc(r)
			if err != nil {
				return err
			}
			if err := b.add(r.Area, r.From, r.To, doc); err != nil {
				return err
			}
		}
		if err := b.close(); err != nil {
			return err
		}
	}
	return nil
}

// loadDrive reads the current leads and reports (as of l.asOf: those
// created by then; history adds the rest).
func (l *loader) loadDrive(ds *chainscope.Dataset) error {
	var seq int64
	var doc []byte
	var bad error
	err := l.each(`SELECT seq, doc FROM leads`+l.current()+` ORDER BY seq`, []any{&seq, &doc}, func() {
		var x chainscope.Lead
		if err := json.Unmarshal(doc, &x); err != nil {
			bad = fmt.Errorf("lead row %d: %w", seq, err)
			return
		}
		ds.Leads = append(ds.Leads, x)
		l.leadSeq = append(l.leadSeq, seq)
	})
	if err != nil || bad != nil {
		return cmp.Or(err, bad)
	}
	err = l.each(`SELECT seq, doc FROM reports`+l.current()+` ORDER BY seq`, []any{&seq, &doc}, func() {
		var x chainscope.Report
		if err := json.Unmarshal(doc, &x); err != nil {
			bad = fmt.Errorf("report row %d: %w", seq, err)
			return
		}
		ds.Reports = append(ds.Reports, x)
		l.reportSeq = append(l.reportSeq, seq)
	})
	return cmp.Or(err, bad)
}
