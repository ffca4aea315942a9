package dataset

import (
	"reflect"
	"strings"
	"sync"

	"chainscope"
)

// zeroCharMessage is the problem of a text holding U+0000.
const zeroCharMessage = "含有空字符 U+0000（可能是文件损坏或复制时带入），请删除 holds a NUL character (U+0000); remove it"

// zeroChars reports each text of r's records that holds U+0000, naming the
// record, the field (as chainscope.Fields names it) and the value. No
// ledger means the character, and PostgreSQL text cannot store it:
// refusing it here makes both stores take the same data (SPEC §10). Build
// and ApplyEdit check every record they are given with it.
func (b *builder) zeroChars(r *Records) {
	if r.Region != nil && holdsZeroChar(r.Region) {
		b.noZeroChar(r.RegionAt, r.Region.Code, r.Region)
	}
	withZeroChar(r.Counties, func(c *chainscope.County) { b.noZeroChar(c.At, c.Code, c) })
	withZeroChar(r.Chains, func(c *chainscope.Chain) {
		b.noZeroChar(c.At, c.ID, &chainscope.ChainRecord{ID: c.ID, Name: c.Name, Source: c.Source, Note: c.Note})
	})
	withZeroChar(r.Segments, func(s *SegmentRecord) {
		b.noZeroChar(s.At, s.ID, &chainscope.SegmentRecord{Chain: s.Chain, Segment: s.Segment})
	})
	withZeroChar(r.Flows, func(f *chainscope.Flow) {
		b.noZeroChar(f.At, linkKeyText(f.From, f.To), &chainscope.ChainRecord{Flows: []chainscope.Flow{*f}})
	})
	withZeroChar(r.Enterprises, func(e *chainscope.Enterprise) { b.noZeroChar(e.At, e.ID, e) })
	withZeroChar(r.Projects, func(p *chainscope.Project) { b.noZeroChar(p.At, p.ID, p) })
	for i := range r.Links {
		if l := &r.Links[i]; linkHoldsZeroChar(l) {
			b.noZeroChar(l.At, linkKeyText(l.From, l.To), l)
		}
	}
	withZeroChar(r.Leads, func(l *chainscope.Lead) { b.noZeroChar(l.At, l.ID, l) })
	withZeroChar(r.Reports, func(rep *chainscope.Report) { b.noZeroChar(rep.At, rep.Area+" "+rep.From+".."+rep.To, rep) })
}

// linkHoldsZeroChar is holdsZeroChar of a link without reflection, for
// the million links of a province (reflection costs a fifth of Build
// there). TestLinkHoldsZeroChar checks that it looks at every text field
// of chainscope.Link.
func linkHoldsZeroChar(l *chainscope.Link) bool {
	return strings.IndexByte(l.From, 0) >= 0 || strings.IndexByte(l.To, 0) >= 0 ||
		strings.IndexByte(l.Product, 0) >= 0 || strings.IndexByte(l.Source, 0) >= 0 || strings.IndexByte(l.Note, 0) >= 0
}

// withZeroChar calls fn with each record of recs that holds U+0000 in a
// text field. It looks the record type's text fields up once, and
// allocates nothing for the records without the character.
func withZeroChar[T any](recs []T, fn func(*T)) {
	fields := textFields(reflect.TypeFor[T]())
	for i := range recs {
		v := reflect.ValueOf(&recs[i]).Elem()
		for _, f := range fields {
			if zeroIn(v.Field(f)) {
				fn(&recs[i])
				break
			}
		}
	}
}

// noZeroChar reports each text of rec, a pointer to a record of SPEC §1,
// that holds U+0000.
func (b *builder) noZeroChar(at chainscope.Origin, key string, rec any) {
	for _, f := range chainscope.Fields(rec) {
		switch v := f.Value.(type) {
		case string:
			if strings.IndexByte(v, 0) >= 0 {
				b.add(at, key, f.Name, v, zeroCharMessage)
			}
		case []string:
			for _, s := range v {
				if strings.IndexByte(s, 0) >= 0 {
					b.add(at, key, f.Name, s, zeroCharMessage)
				}
			}
		case [][2]string:
			for _, p := range v {
				for _, s := range p {
					if strings.IndexByte(s, 0) >= 0 {
						b.add(at, key, f.Name, s, zeroCharMessage)
					}
				}
			}
		case map[string]string:
			for _, s := range v {
				if strings.IndexByte(s, 0) >= 0 {
					b.add(at, key, f.Name, s, zeroCharMessage)
				}
			}
		}
	}
}

// holdsZeroChar reports whether any text field of the record rec points to
// (a string, or a list or map of strings, at any depth of embedding) holds
// U+0000. It lists no field by name and allocates nothing, so that every
// record of a province can be looked at; noZeroChar names the field when
// one does.
func holdsZeroChar(rec any) bool {
	return zeroIn(reflect.ValueOf(rec).Elem())
}

func zeroIn(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return strings.IndexByte(v.String(), 0) >= 0
	case reflect.Struct:
		for _, i := range textFields(v.Type()) {
			if zeroIn(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if zeroIn(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if zeroIn(it.Key()) || zeroIn(it.Value()) {
				return true
			}
		}
	case reflect.Pointer:
		return !v.IsNil() && zeroIn(v.Elem())
	}
	return false
}

// textFieldsOf caches, per struct type, the exported fields that can hold
// text (strings, string lists and maps, embedded structs).
var textFieldsOf sync.Map // reflect.Type → []int

func textFields(t reflect.Type) []int {
	if f, ok := textFieldsOf.Load(t); ok {
		return f.([]int)
	}
	var out []int
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && holdsText(f.Type) {
			out = append(out, i)
		}
	}
	textFieldsOf.Store(t, out)
	return out
}

func holdsText(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String:
		return true
	case reflect.Struct:
		return t != reflect.TypeFor[chainscope.Origin]()
	case reflect.Slice, reflect.Array, reflect.Pointer:
		return holdsText(t.Elem())
	case reflect.Map:
		return holdsText(t.Key()) || holdsText(t.Elem())
	}
	return false
}
