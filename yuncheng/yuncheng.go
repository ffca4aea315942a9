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
