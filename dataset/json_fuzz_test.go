package dataset_test

import (
	"bytes"
	"os"
	"testing"

	"chainscope/dataset"
)

// FuzzReadJSON feeds arbitrary bytes to the JSON reader and, when they read,
// to Build: neither may panic, and a dataset that builds must survive a
// write and re-read unchanged.
func FuzzReadJSON(f *testing.F) {
	small, err := os.ReadFile("testdata/small.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"region": {"code": "1", "name": "x"}, "chains": [{"id": "c", "name": "c", "segments": [{"id": "s", "name": "s", "stage": "upstream"}], "flows": [["s", "s"]]}]}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, probs := dataset.ReadJSON(bytes.NewReader(data), "fuzz.json")
		if len(probs) > 0 {
			return
		}
		ds, probs := dataset.Build(recs)
		if len(probs) > 0 {
			return
		}
		var buf bytes.Buffer
		if err := dataset.WriteJSON(&buf, ds); err != nil {
			t.Fatal(err)
		}
		recs2, probs := dataset.ReadJSON(&buf, "again.json")
		if len(probs) > 0 {
			t.Fatalf("export does not re-read: %v\n%s", probs, buf.Bytes())
		}
		if _, probs := dataset.Build(recs2); len(probs) > 0 {
			t.Fatalf("export does not re-build: %v", probs)
		}
	})
}
