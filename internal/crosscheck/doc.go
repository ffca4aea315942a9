// Package crosscheck holds only tests: independent checks of chainscope's
// structural answers against outside implementations that need a database
// (pgRouting on a throwaway PostgreSQL cluster, internal/pgtest). They live
// here, not in graph, so that a test of graph needs no database.
package crosscheck
