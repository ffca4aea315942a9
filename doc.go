// Package chainscope holds the domain types of an industrial-chain dataset: a
// region with its counties and zones, its chains (产业链) made of segments (环节),
// and the enterprises, projects and supply links placed on them.
//
// Every other package speaks these types: dataset/ reads and writes them,
// store/ keeps them in SQLite, graph/ analyses them and server/ serves them.
// The types mirror ../shared/SPEC.md §1–2; their JSON form is the §2 format.
package chainscope
