package dataset_test

import (
	"bytes"
	"testing"

	"chainscope/dataset"
	"chainscope/synth"
)

// BenchmarkReadJSON reads and builds a 200 000-link region from JSON.
func BenchmarkReadJSON(b *testing.B) {
	o := synth.Options{Enterprises: 20000, Projects: 4000, Links: 200000, Seed: 1}
	var buf bytes.Buffer
	if err := dataset.WriteJSON(&buf, synth.Generate(o)); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		recs, probs := dataset.ReadJSON(bytes.NewReader(data), "bench.json")
		if len(probs) > 0 {
			b.Fatal(probs[0])
		}
		if _, probs := dataset.Build(recs); len(probs) > 0 {
			b.Fatal(probs[0])
		}
	}
}
