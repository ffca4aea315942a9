package graph

import "chainscope"

// NewIndexPairs is NewIndex for a dataset whose links come as pairs of
// record numbers rather than in ds.Links (which must be empty): a record
// number is an enterprise's index in ds.Enterprises, or len(ds.Enterprises)
// plus a project's index in ds.Projects — what store.DB.LoadForAnalysis
// reads. It builds the same index as NewIndex of the dataset with those
// links, trusting the dataset as NewIndex does (a link naming no record, a
// self-link or a duplicate is a broken invariant, an internal error; a link
// of a cancelled project is ignored with it), without turning a million
// link ends into ids and back.
func NewIndexPairs(ds *chainscope.Dataset, pairs [][2]int32) (*Index, error) {
	if ds == nil {
		return nil, chainscope.Errorf(chainscope.EINTERNAL, "graph.NewIndexPairs: no dataset")
	}
	if len(ds.Links) > 0 {
		return nil, chainscope.Errorf(chainscope.EINTERNAL, "graph.NewIndexPairs: the dataset has links of its own")
	}
	ix := &Index{region: ds.Region.Code}
	var bad broken
	ix.indexCounties(ds, &bad)
	ix.indexChains(ds, &bad)
	ix.indexNodes(ds, &bad) // no ds.Links: no edges
	if bad.n == 0 {
		ix.indexLinks(ix.recordEdges(ds, pairs, &bad), &bad)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	ix.indexChainNodes()
	ix.nodeIdx = nil
	return ix, nil
}

// recordEdges turns links between record numbers into edges between node
// numbers, as indexNodes does for links between ids.
func (ix *Index) recordEdges(ds *chainscope.Dataset, pairs [][2]int32, bad *broken) [][2]int32 {
	ne := len(ds.Enterprises)
	id := func(r int32) string {
		if int(r) < ne {
			return ds.Enterprises[r].ID
		}
		return ds.Projects[int(r)-ne].ID
	}
	node := make([]int32, ne+len(ds.Projects)) // record → node, -1 for a cancelled project
	for r := range node {
		node[r] = ix.lookupNode(id(int32(r)))
	}
	edges := make([][2]int32, 0, len(pairs))
	for _, p := range pairs {
		if p[0] < 0 || p[1] < 0 || int(p[0]) >= len(node) || int(p[1]) >= len(node) {
			bad.add("link between unknown records %d → %d", p[0], p[1])
			continue
		}
		e := [2]int32{node[p[0]], node[p[1]]}
		switch {
		case isEdge(e[0], e[1]):
			edges = append(edges, e)
		case e[0] < 0 || e[1] < 0: // a cancelled project's link, ignored with it
			ix.dormant = append(ix.dormant, [2]string{id(p[0]), id(p[1])})
		default:
			bad.add("link %q → %q: a self-link", id(p[0]), id(p[1]))
		}
	}
	return edges
}
