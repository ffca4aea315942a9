package graph

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/dominikbraun/graph/draw"
)

// ChainDOT renders a chain's segment DAG (segments and flows) in the DOT
// language of Graphviz, through dominikbraun/graph's renderer. Each segment
// is labelled with its name and stage. The output is deterministic: the
// renderer walks maps, so its statements are put back in the chain's
// segment order (each segment followed by its outgoing flows).
func (ix *Index) ChainDOT(chainID string) (string, error) {
	ci, err := ix.lookupChain(chainID)
	if err != nil {
		return "", err
	}
	c := &ix.chains[ci]
	var buf bytes.Buffer
	if err := draw.DOT(c.dag, &buf,
		draw.GraphAttribute("label", dotID(c.name)),
		draw.GraphAttribute("rankdir", "LR")); err != nil {
		return "", fmt.Errorf("产业链 %q 的图无法输出 chain %q DOT: %w", chainID, chainID, err)
	}

	// Rank every statement the template can write: a vertex statement
	// begins `"id" [`, an edge statement `"from" -> "to" [`.
	nseg := int(c.end - c.first)
	rank := make(map[string]int, 2*nseg)
	for s := c.first; s < c.end; s++ {
		rank[`"`+dotID(ix.segID[s])+`"`] = int(s-c.first) * (nseg + 1)
	}
	for s := c.first; s < c.end; s++ {
		from := dotID(ix.segID[s])
		for _, t := range c.succ[s-c.first] {
			rank[`"`+from+`" -> "`+dotID(ix.segID[c.first+t])+`"`] = int(s-c.first)*(nseg+1) + 1 + int(t)
		}
	}
	type stmt struct {
		rank int
		line string
	}
	var head, tail []string
	var stmts []stmt
	for line := range strings.Lines(buf.String()) {
		line = strings.TrimRight(line, "\n")
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			continue
		case trimmed == "}":
			tail = append(tail, line)
			continue
		case !strings.HasPrefix(trimmed, `"`):
			head = append(head, line)
			continue
		}
		r, ok := statementRank(trimmed, rank)
		if !ok {
			r = len(rank) * (nseg + 2) // unknown: keep, after the known ones
		}
		stmts = append(stmts, stmt{r, line})
	}
	slices.SortStableFunc(stmts, func(a, b stmt) int {
		if c := cmp.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		return strings.Compare(a.line, b.line)
	})
	var out strings.Builder
	for _, l := range head {
		out.WriteString(l + "\n")
	}
	for _, s := range stmts {
		out.WriteString(s.line + "\n")
	}
	for _, l := range tail {
		out.WriteString(l + "\n")
	}
	return out.String(), nil
}

// statementRank finds the rank of a DOT statement by trying every `" [`
// boundary as the end of its vertex or edge part (an escaped id may itself
// contain `\" [`).
func statementRank(line string, rank map[string]int) (int, bool) {
	for i := 0; i < len(line); {
		j := strings.Index(line[i:], `" [`)
		if j < 0 {
			return 0, false
		}
		if r, ok := rank[line[:i+j+1]]; ok {
			return r, true
		}
		i += j + 1
	}
	return 0, false
}
