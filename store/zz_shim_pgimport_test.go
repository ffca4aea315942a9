package store

import "testing"

type testEngine struct {
	name string
	open func(t *testing.T) *DB
}

func openEngines(t *testing.T) []testEngine {
	return []testEngine{{"sqlite", func(t *testing.T) *DB { db, _ := openTemp(t); return db }}}
}

func isBookkeeping(string) bool { return false }

type enginePair struct {
	name string
	open func(t *testing.T) (src, dst *DB)
}

func enginePairs(t *testing.T) []enginePair {
	es := openEngines(t)
	var out []enginePair
	for _, a := range es {
		for _, b := range es {
			out = append(out, enginePair{a.name + "→" + b.name, func(t *testing.T) (*DB, *DB) { return a.open(t), b.open(t) }})
		}
	}
	return out
}
