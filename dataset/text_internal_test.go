package dataset

import (
	"reflect"
	"testing"

	"chainscope"
)

// TestLinkHoldsZeroChar: the link fast path sees U+0000 in every text
// field of chainscope.Link, as the reflective check does, so that a field
// added to Link cannot slip past it.
func TestLinkHoldsZeroChar(t *testing.T) {
	typ := reflect.TypeFor[chainscope.Link]()
	for _, i := range textFields(typ) {
		var l chainscope.Link
		f := reflect.ValueOf(&l).Elem().Field(i)
		if f.Kind() != reflect.String {
			t.Fatalf("Link.%s is not a string: teach linkHoldsZeroChar about it", typ.Field(i).Name)
		}
		f.SetString("a\x00b")
		if !holdsZeroChar(&l) {
			t.Fatalf("holdsZeroChar misses Link.%s", typ.Field(i).Name)
		}
		if !linkHoldsZeroChar(&l) {
			t.Errorf("linkHoldsZeroChar misses Link.%s", typ.Field(i).Name)
		}
	}
	if linkHoldsZeroChar(&chainscope.Link{From: "E-1", To: "E-2", Product: "焦炭"}) {
		t.Error("a link without U+0000 is reported")
	}
}
