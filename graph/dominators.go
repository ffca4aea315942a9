package graph

// Dominators returns the immediate dominator of every node of the directed
// graph g for paths starting at root: idom[w] is the last node other than w
// that every path from root to w passes through. idom[root] == root, and
// idom[w] == -1 when w is unreachable from root.
//
// It is the Lengauer–Tarjan algorithm (simple version with path
// compression, O(m log n)) written without recursion, so deep graphs are safe.
func Dominators(g *CSR, root int32) []int32 {
	n := g.N()
	idom := make([]int32, n)
	for i := range idom {
		idom[i] = -1
	}
	if root < 0 || int(root) >= n {
		return idom
	}
	var d domWork
	d.run(g.Offsets, g.Targets, nil, nil, n, root, idom)
	return idom
}

// domWork holds the arrays of one Lengauer–Tarjan run. After the search
// numbers the reachable nodes in preorder, everything works on preorder
// numbers: a search-tree ancestor then sits at a nearby, smaller number,
// which keeps path compression in cache even on large random graphs.
type domWork struct {
	pre    []int32 // node → preorder number, -1 when unreachable
	vertex []int32 // preorder number → node
	// Indexed by preorder number:
	pos      []int32 // next edge to explore during the search
	parent   []int32 // search-tree parent
	semi     []int32 // semi-dominator
	ancestor []int32 // link-eval forest, -1 for a forest root
	label    []int32 // number with the smallest semi on the compressed path
	bucket   []int32 // head of the bucket list, -1 empty
	bnext    []int32 // next in bucket list
	dom      []int32 // immediate dominator
	stack    []int32
}

// run computes idom (already filled with -1; nil: not wanted, d.dom on
// preorder numbers is the answer) for the graph with successor lists (off,
// tgt). Predecessor lists (roff, rtgt) are derived when nil. Afterwards
// d.vertex lists the reachable nodes in preorder and d.pre numbers them
// (-1 elsewhere).
func (d *domWork) run(off, tgt, roff, rtgt []int32, n int, root int32, idom []int32) {
	if roff == nil {
		r := (&CSR{Offsets: off, Targets: tgt}).Reverse()
		roff, rtgt = r.Offsets, r.Targets
	}
	if len(d.pre) == n {
		// Another run on a graph of this size: only the nodes it numbered
		// are not -1, and a small upstream set costs no pass over all n.
		for _, v := range d.vertex {
			d.pre[v] = -1
		}
	} else {
		d.pre = fill(make([]int32, n), -1)
	}
	pre := d.pre
	vertex := d.vertex[:0]
	pos, parent := d.pos[:0], d.parent[:0]

	// Iterative depth-first search; the stack holds preorder numbers.
	pre[root] = 0
	vertex = append(vertex, root)
	pos = append(pos, off[root])
	parent = append(parent, -1)
	stack := append(d.stack[:0], 0)
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		v := vertex[i]
		if e := pos[i]; e < off[v+1] {
			pos[i] = e + 1
			if u := tgt[e]; pre[u] < 0 {
				j := int32(len(vertex))
				pre[u] = j
				vertex = append(vertex, u)
				pos = append(pos, off[u])
				parent = append(parent, i)
				stack = append(stack, j)
			}
			continue
		}
		stack = stack[:len(stack)-1]
	}
	d.vertex, d.pos, d.parent, d.stack = vertex, pos, parent, stack

	m := len(vertex)
	d.semi = grow(d.semi, m)
	d.label = grow(d.label, m)
	d.ancestor = fill(grow(d.ancestor, m), -1)
	d.bucket = fill(grow(d.bucket, m), -1)
	d.bnext = grow(d.bnext, m)
	d.dom = grow(d.dom, m)
	semi, ancestor, bucket, bnext, dom := d.semi, d.ancestor, d.bucket, d.bnext, d.dom
	for i := range semi {
		semi[i] = int32(i)
		d.label[i] = int32(i)
	}
	for i := int32(m - 1); i >= 1; i-- {
		w := vertex[i]
		for _, v := range rtgt[roff[w]:roff[w+1]] {
			pv := pre[v]
			if pv < 0 {
				continue // unreachable predecessors do not constrain w
			}
			if u := d.eval(pv); semi[u] < semi[i] {
				semi[i] = semi[u]
			}
		}
		s := semi[i]
		bnext[i] = bucket[s]
		bucket[s] = i
		p := parent[i]
		ancestor[i] = p // link(p, i)
		for v := bucket[p]; v >= 0; v = bnext[v] {
			if u := d.eval(v); semi[u] < semi[v] {
				dom[v] = u
			} else {
				dom[v] = p
			}
		}
		bucket[p] = -1
	}
	dom[0] = 0
	for i := 1; i < m; i++ {
		if dom[i] != semi[i] {
			dom[i] = dom[dom[i]]
		}
	}
	if idom == nil {
		return
	}
	for i := 1; i < m; i++ {
		idom[vertex[i]] = vertex[dom[i]]
	}
	idom[root] = root
}

// eval returns the number with the smallest semi-dominator on the forest
// path from v up to (not including) its forest root, compressing the path.
func (d *domWork) eval(v int32) int32 {
	ancestor, label, semi := d.ancestor, d.label, d.semi
	if ancestor[v] < 0 {
		return v
	}
	// Collect the path to compress, deepest first, then fold it from the top.
	stack := append(d.stack[:0], v)
	for x := v; ancestor[ancestor[x]] >= 0; {
		x = ancestor[x]
		stack = append(stack, x)
	}
	for i := len(stack) - 2; i >= 0; i-- {
		x := stack[i]
		a := ancestor[x]
		if semi[label[a]] < semi[label[x]] {
			label[x] = label[a]
		}
		ancestor[x] = ancestor[a]
	}
	d.stack = stack
	return label[v]
}

func fill(s []int32, v int32) []int32 {
	for i := range s {
		s[i] = v
	}
	return s
}
