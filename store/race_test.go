//go:build race

package store

// raceScale divides the sizes of the concurrency tests' datasets under the
// race detector, which runs them an order of magnitude slower: the
// interleavings they exercise are the same at a tenth of the rows.
const raceScale = 30
