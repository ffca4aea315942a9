// Package dataset moves chain data in and out of the formats officers and
// planners use — JSON (SPEC §2), xlsx workbooks and folders of CSV files
// (SPEC §3), GraphML — and validates it (SPEC §4).
//
// Every reader produces flat Records that keep where each record came from;
// Build checks them all at once and assembles a chainscope.Dataset, so a
// problem always names its file, sheet, row, column and value.
package dataset
