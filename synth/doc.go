// Package synth generates synthetic regions for tests, benchmarks and demos:
// a city or a whole province with counties and zones, about ten realistic
// industrial chains, and as many enterprises, projects and supply links as
// asked for.
//
// Generation is deterministic (the same Options give the same dataset), the
// result is valid under SPEC §4, and every county has planted gaps — missing
// segments that break a chain, single-node and planned-only segments — so
// that the weak-link analysis has something to find at every scale.
package synth
