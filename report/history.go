package report

import (
	"context"
	"time"

	"chainscope"
	"chainscope/graph"
	"chainscope/store"
)

// LoadHistory reads from db what the report compares for the month
// (YYYY-MM): the data right after the last revision committed on or before
// the day before the month (or revision 1, when the history starts inside
// the month) and right after the last revision on or before the month's
// last day (SPEC §8 dates, Asia/Shanghai). It returns nil when no revision
// was committed up to the month's end.
func LoadHistory(ctx context.Context, db *store.DB, period string) (*History, error) {
	cur, _, err := graph.PeriodBounds(graph.PeriodMonth, period)
	if err != nil {
		return nil, err
	}
	first, _ := time.Parse(time.DateOnly, cur.From)
	toRev, _, err := db.ResolveAsOf(ctx, cur.To)
	if chainscope.ErrorCode(err) == chainscope.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	fromRev, _, err := db.ResolveAsOf(ctx, first.AddDate(0, 0, -1).Format(time.DateOnly))
	if chainscope.ErrorCode(err) == chainscope.ENOTFOUND {
		fromRev, err = 1, nil
	}
	if err != nil {
		return nil, err
	}
	h := &History{FromRev: fromRev, ToRev: toRev}
	if h.Before, h.BeforeIx, err = loadIndexed(ctx, db, fromRev); err != nil {
		return nil, err
	}
	if h.After, h.AfterIx, err = loadIndexed(ctx, db, toRev); err != nil {
		return nil, err
	}
	return h, nil
}

// loadIndexed loads the data right after rev and indexes it.
func loadIndexed(ctx context.Context, db *store.DB, rev int64) (*chainscope.Dataset, *graph.Index, error) {
	ds, err := db.LoadAsOf(ctx, rev)
	if err != nil {
		return nil, nil, err
	}
	ix, err := graph.NewIndex(ds)
	if err != nil {
		return nil, nil, err
	}
	return ds, ix, nil
}
