package graph

import "slices"

// Scope is one (area, chain) pair resolved against an Index once: the area
// selection, the chain and the scope's nodes N. Every analysis of a scope —
// SPEC §6, project impact, gap targets, chain-leader dependency — takes a
// Scope, so that a report resolves the area and chain and gathers N once,
// not once per part. A Scope belongs to the Index that made it and is safe
// for concurrent use.
type Scope struct {
	ix    *Index
	sel   areaSel
	ci    int32
	nodes []int32 // N, ascending by id; never aliased by the index's scratch space
}

// Scope resolves area ("*", a county code with its zones, or a zone code)
// and chain. An unknown one is a *chainscope.Error with code ENOTFOUND.
func (ix *Index) Scope(area, chainID string) (*Scope, error) {
	ci, err := ix.lookupChain(chainID)
	if err != nil {
		return nil, err
	}
	sel, err := ix.resolveArea(area)
	if err != nil {
		return nil, err
	}
	sc := &Scope{ix: ix, sel: sel, ci: ci}
	w := ix.getWork()
	nodes := ix.scopeNodes(sel, &ix.chains[ci], w)
	if sel.zone >= 0 {
		nodes = slices.Clone(nodes) // w.zone is scratch space
	}
	ix.pool.Put(w)
	sc.nodes = nodes
	return sc, nil
}

// Area is the scope's area code as asked ("*" for the whole region).
func (sc *Scope) Area() string { return sc.sel.code }

// Chain is the scope's chain id.
func (sc *Scope) Chain() string { return sc.ix.chains[sc.ci].id }

func (sc *Scope) chain() *chain { return &sc.ix.chains[sc.ci] }

// Analysis is the SPEC §5–6 analysis of the scope, as Index.Analyze gives it.
func (sc *Scope) Analysis() *Analysis {
	w := sc.ix.getWork()
	defer sc.ix.pool.Put(w)
	return sc.ix.analyze(w, sc.sel, sc.chain(), nil)
}
