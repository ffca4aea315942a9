package yuncheng

import (
	"bytes"

	"chainscope"
	"chainscope/dataset"
)

// Dataset returns the built-in 运城市 dataset, checked like any import.
// An error here is a bug in the embedded file, caught by this package's tests.
func Dataset() (*chainscope.Dataset, error) {
	recs, problems := dataset.ReadJSON(bytes.NewReader(JSON()), "yuncheng.json")
	if len(problems) == 0 {
		var ds *chainscope.Dataset
		if ds, problems = dataset.Build(recs); len(problems) == 0 {
			return ds, nil
		}
	}
	return nil, &chainscope.InvalidError{Problems: problems}
}
