package dataset

import (
	"math/rand/v2"
	"testing"
)

// TestLinkSet: linkSet reports a duplicate exactly when a plain set would,
// for keys in order, out of order from the start, and in order for a while
// and then not (the case where both of its halves are searched).
func TestLinkSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sequences := map[string][]uint64{
		"empty":    nil,
		"in order": {1, 2, 3, 10, 11},
		"repeat":   {1, 2, 2, 3},
		"first":    {5, 1, 5},
		"late dup": {1, 2, 3, 4, 2, 9, 3, 9, 4},
	}
	sorted := make([]uint64, 0, 2000)
	for i := range 2000 {
		sorted = append(sorted, uint64(i)*3)
	}
	tail := make([]uint64, 500)
	for i := range tail {
		tail[i] = rng.Uint64N(7000)
	}
	sequences["sorted then random"] = append(append([]uint64(nil), sorted...), tail...)
	random := make([]uint64, 3000)
	for i := range random {
		random[i] = rng.Uint64N(2000)
	}
	sequences["random"] = random

	for name, keys := range sequences {
		t.Run(name, func(t *testing.T) {
			var s linkSet
			plain := map[uint64]bool{}
			dups := 0
			for i, k := range keys {
				want := plain[k]
				plain[k] = true
				if got := s.add(k); got != want {
					t.Fatalf("key %d (#%d): add = %v, want %v", k, i, got, want)
				}
				if want {
					dups++
				}
			}
			if len(keys) > 100 && dups == 0 {
				t.Fatalf("sequence %q has no duplicate to find", name)
			}
		})
	}
}
