package yuncheng

import (
	"bytes"
	_ "embed"
)

//go:embed yuncheng.json
var data []byte

// JSON returns the built-in 运城市 dataset as SPEC §2 JSON. Each call returns a
// fresh copy, so a caller may change it without touching the dataset.
func JSON() []byte { return bytes.Clone(data) }

// RegionCode is the GB/T 2260 code of 运城市, the region of the built-in
// dataset.
const RegionCode = "140800"

// ReportSource names the report the built-in dataset quotes: its records
// from the report, and its 1–4月 report record (上报数据), carry it.
const ReportSource = "运城日报 2024-05 招商引资报道"
