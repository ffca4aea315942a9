package dataset

import (
	"fmt"
	"slices"
	"strings"

	"chainscope"
)

// names finds counties and segments by their exact name (SPEC §3: an
// officer writes 垣曲县 where the code 140827 is meant, 锻后焦 for
// battery.coke). A name several records have stands for none of them.
type names struct {
	region   chainscope.Region
	counties map[string][]string // county name → codes
	segments map[string][]string // segment name → ids
}

// countyNames indexes counties by name.
func countyNames(counties []chainscope.County) map[string][]string {
	m := make(map[string][]string, len(counties))
	for i := range counties {
		if n := counties[i].Name; n != "" {
			m[n] = append(m[n], counties[i].Code)
		}
	}
	return m
}

// segmentNames indexes the segments of chains by name.
func segmentNames(chains []chainscope.Chain) map[string][]string {
	m := map[string][]string{}
	for i := range chains {
		for _, s := range chains[i].Segments {
			if s.Name != "" {
				m[s.Name] = append(m[s.Name], s.ID)
			}
		}
	}
	return m
}

// countyRef resolves a reference to a county, by code or unique exact name
// (and, with region, to the region itself, by its code or name), and
// reports it when it names none or several: field is "county" or
// "parent". ok says whether it was resolved.
func (b *builder) countyRef(at chainscope.Origin, key, field, ref string, region bool) (code string, ok bool) {
	switch {
	case ref != "" && b.counties[ref] != nil:
		return ref, true
	case region && ref != "" && ref == b.region:
		return ref, true
	}
	codes := b.names.counties[ref]
	if region && ref != "" && ref == b.names.region.Name {
		codes = append(slices.Clip(codes), b.region)
	}
	switch {
	case len(codes) == 1:
		return codes[0], true
	case len(codes) > 1:
		b.add(at, key, field, ref, "县区名称 %s 不唯一，请填写代码：%s ambiguous county name, use the code: %s",
			ref, strings.Join(codes, "、"), strings.Join(codes, ", "))
	case field == "parent":
		b.add(at, key, field, ref, "未知的所属县区 (parent) unknown county")
	default:
		b.add(at, key, field, ref, "未知的县区 (%s) unknown county", field)
	}
	return ref, false
}

// segmentRef resolves a reference to a segment, by id or unique exact
// name, and reports it when it names none or several. ok says whether
// it was resolved.
func (b *builder) segmentRef(at chainscope.Origin, key, field, ref string) (id string, ok bool) {
	if hasKey(b.segChain, ref) {
		return ref, true
	}
	ids := b.names.segments[ref]
	switch {
	case len(ids) == 1:
		return ids[0], true
	case len(ids) > 1:
		var zh, en []string
		for _, id := range ids {
			zh = append(zh, fmt.Sprintf("%s（产业链 %s）", id, b.segChain[id]))
			en = append(en, fmt.Sprintf("%s (chain %s)", id, b.segChain[id]))
		}
		b.add(at, key, field, ref, "环节名称 %s 不唯一，请填写环节编号：%s ambiguous segment name, use the id: %s",
			ref, strings.Join(zh, "、"), strings.Join(en, ", "))
	case field == "from":
		b.add(at, key, field, ref, "未知的上游环节 (from) unknown segment")
	case field == "to":
		b.add(at, key, field, ref, "未知的下游环节 (to) unknown segment")
	default:
		b.add(at, key, field, ref, "未知的环节 (%s) unknown segment", field)
	}
	return ref, false
}

// enterprisesNamed lists the ids of the enterprises with this exact name,
// for a problem about a name several of them have.
func (b *builder) enterprisesNamed(name string) string {
	return strings.Join(b.ix.named(name), ", ")
}
