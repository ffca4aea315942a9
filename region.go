package chainscope

import "chainscope/dataset/gbt2260"

// Region levels, by the region's GB/T 2260 code.
const (
	LevelProvince = "province" // xx0000: 全省
	LevelCity     = "city"     // anything else: 全市
)

// Level says whether the region is a province (its code is a GB/T 2260
// province code, xx0000) or a city (every other region): the one rule
// behind the labels 全省 / 全市 (whole province / whole city).
func (r Region) Level() string {
	if gbt2260.Level(r.Code) == "province" {
		return LevelProvince
	}
	return LevelCity
}
