package store

import (
	"context"
	"reflect"
	"testing"

	"chainscope"
)

func TestBoundariesRoundTrip(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) (*DB, string)) {
		ctx := context.Background()
		db, path := open(t)
		if bs, err := db.Boundaries(ctx); err != nil || bs != nil {
			t.Fatalf("new database: %v, %v", bs, err)
		}
		v0, _ := db.DataVersion(ctx)
		want := []chainscope.Boundary{
			{Code: "140827", Name: "垣曲县", Polygons: [][][][2]float64{{{{111.5, 35.1}, {111.9, 35.1}, {111.9, 35.4}, {111.5, 35.1}}}}},
			{Code: "140802", Name: "盐湖区", Polygons: [][][][2]float64{
				{{{0, 0}, {10, 0}, {10, 10}, {0, 0}}, {{2, 2}, {4, 2}, {4, 4}, {2, 2}}},
				{{{20, 0}, {30, 0}, {30, 10}, {20, 0}}}}},
		}
		if err := db.SetBoundaries(ctx, want); err != nil {
			t.Fatal(err)
		}
		if v1, _ := db.DataVersion(ctx); v1 == v0 {
			t.Errorf("data version %d unchanged by SetBoundaries", v1)
		}
		db.Close()
		db2, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db2.Close()
		got, err := db2.Boundaries(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Boundaries = %+v, want %+v in the stored order", got, want)
		}
		if err := db2.SetBoundaries(ctx, want[1:]); err != nil {
			t.Fatal(err)
		}
		if got, _ := db2.Boundaries(ctx); len(got) != 1 || got[0].Code != "140802" {
			t.Fatalf("after a second SetBoundaries: %+v", got)
		}
		// Two boundaries with one code are refused and the stored ones kept.
		if err := db2.SetBoundaries(ctx, []chainscope.Boundary{want[0], want[0]}); err == nil {
			t.Fatal("duplicate codes stored")
		}
		if got, _ := db2.Boundaries(ctx); len(got) != 1 || got[0].Code != "140802" {
			t.Fatalf("a failed SetBoundaries changed the data: %+v", got)
		}
	})
}
