package dataset_test

import (
	"testing"

	"chainscope/dataset"
	"chainscope/synth"
)

// BenchmarkBuild checks and assembles the synthetic province (1M links)
// from its flat records, as an import does after reading.
func BenchmarkBuild(b *testing.B) {
	recs := dataset.Flatten(synth.Generate(synth.Province()))
	b.ReportAllocs()
	for b.Loop() {
		if _, probs := dataset.Build(recs); len(probs) > 0 {
			b.Fatal(probs[0])
		}
	}
}

// BenchmarkBuildMerge merges the synthetic province into itself and checks
// the result, as `import --mode merge` of a full export does.
func BenchmarkBuildMerge(b *testing.B) {
	ds := synth.Generate(synth.Province())
	b.ReportAllocs()
	for b.Loop() {
		if _, probs := dataset.Apply(ds, dataset.Flatten(ds), dataset.ModeMerge); len(probs) > 0 {
			b.Fatal(probs[0])
		}
	}
}
