// Package render draws the chain panorama of one scope (area, chain) as a
// standalone SVG: the chain's segments as boxes laid out left → right along
// the flows, the scope's enterprises and projects inside them, the supply
// links between them, and every weak-link finding of graph.Analysis marked
// and explained in a legend. The same bytes serve `chainscope svg`, the
// HTTP export and the browser, which attaches interaction to the elements'
// stable ids instead of drawing a second picture.
//
// Layout is a layered drawing of its own (no Graphviz): columns are the
// longest-path layers of the segment DAG, support segments (配套) sit in a
// band below, and the nodes inside each segment are ordered by barycenter
// sweeps that keep the ordering with the fewest link crossings. Links that
// skip columns are routed through the gaps between segment boxes, so no
// link runs across a box. Text is measured with textWidth (CJK runes one em,
// ASCII about half an em), boxes are as wide as their names, and a name wider
// than its box wraps over up to three lines (one <text> per line, the box
// grows); a name that would need more widens its column. No name is cut.
//
// The picture is made for a page shape (Options.Aspect: a 16:9 slide by
// default, 4:3, A4 portrait): Layout probes a few arrangements — a layer's
// stacked segments spread over more columns, the support band beside the
// main band instead of below it, names wrapped sooner or later — lays out
// in full the one whose shape comes nearest, and pads it to the exact shape.
//
// A node that lists several segments of the chain is drawn once, in the
// first of them in the chain's segment order; each further segment shows a
// dashed "alias" box (另见) that names it, so no segment that has nodes looks
// empty. Links attach to the node's own box only.
//
// The SVG uses presentation attributes only — no CSS, classes, markers,
// masks, clip paths, filters, patterns, symbols, scripts or external
// references — so PowerPoint, WPS, Keynote, LibreOffice and Inkscape open it
// as drawn; CheckSVG enforces that subset. Output is deterministic: the same
// dataset, analysis and Options give the same bytes.
package render
