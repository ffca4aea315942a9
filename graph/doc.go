// Package graph is the analysis core of chainscope: it compiles a region's
// dataset once into integer-indexed graphs (NewIndex) and answers the
// weak-link questions of SPEC §5–6 — segment status, completeness, cut nodes
// and bridges of a scope (Index.Analyze, Index.AnalyzeAll) — and the
// chain-leader dependency questions built on dominator trees
// (Index.LeaderDependency).
//
// Beyond SPEC it answers what officers ask next: which signed projects
// matter most once delivered (Index.ProjectImpact), what a scenario of
// projects going into operation or suppliers failing would change
// (Index.WhatIf), whom to approach elsewhere in the region for each gap
// (招商, Index.GapTargets), which enterprises broker the region's supply
// network (Index.Betweenness), how complete every county × chain is and
// how supply flows between counties (Index.Cluster), and the headline
// figures of the investment drive (NewDashboard). Index.Report bundles
// the SPEC §6 analysis with the per-scope extras.
//
// It is pure computation on in-memory data: no files, SQL, HTTP or logging.
// Hot paths run on compressed sparse row adjacency of int32 (CSR) with
// iterative algorithms (Hopcroft–Tarjan, Semi-NCA dominators), so every scope of
// a province is analysed in well under a second and a graph a million nodes
// deep cannot overflow the goroutine stack. The same algorithms are exported
// on plain CSR graphs: WeakPoints, ArticulationPoints, Bridges, Dominators.
//
// Choices SPEC leaves open, made here:
//   - An area is "*", a county code (the county with the zones whose parent
//     chain leads to it) or a zone code (the zone alone, with any zone
//     nested in it). The region's own code is not an area. AnalyzeAll covers
//     "*" and the counties, not the zones.
//   - A zone whose parent is empty or the region's code lies in no county:
//     its records count in "*" and in the zone itself.
//   - totals.links counts E as stored: a→b and b→a are two links, although
//     U merges them into one edge.
//   - Chain-leader dependency follows supply links across the whole region
//     and every chain; only the local supply rate and outside suppliers
//     depend on the area.
//   - What-if questions (ProjectImpact, WhatIf) are answered on the index
//     as it is, with the changes applied as an override during the
//     analysis: nothing is rebuilt.
package graph
