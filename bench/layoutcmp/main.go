// Command layoutcmp compares the edge crossings of chainscope's chain
// layout (render.Layout) with Graphviz dot's on the same scopes: every
// area × chain scope of the built-in 运城市 dataset and of two synthetic
// regions. Both layouts are measured the same way: the supply links as
// straight segments between node centres, counting every pair that
// crosses at a point inside both. dot gets the structure chainscope draws —
// one cluster per segment, rank=same per column (newrank), columns in
// order, the same node sizes — and is free to order clusters and nodes as
// it likes; chainscope keeps its support band below the main band.
//
//	go run ./bench/layoutcmp [-dot PATH] [-max N] [-v] [-only SCOPE] [-dump FILE]
//
// It prints one line per scope with at least two links and the share of
// scopes where chainscope has no more crossings than dot. bench/layout.sh
// runs it.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"chainscope"
	"chainscope/graph"
	"chainscope/render"
	"chainscope/synth"
	"chainscope/yuncheng"
)

type point struct{ x, y float64 }

type scope struct {
	name string
	ds   *chainscope.Dataset
	a    *graph.Analysis
}

type config struct {
	dot      string
	verbose  bool
	maxNodes int
	only     string
	dump     string
}

func main() {
	var c config
	flag.StringVar(&c.dot, "dot", "dot", "the Graphviz dot program")
	flag.BoolVar(&c.verbose, "v", false, "print every scope, also those with fewer than two links")
	flag.IntVar(&c.maxNodes, "max", 400, "skip scopes with more nodes than this (dot gets slow)")
	flag.StringVar(&c.only, "only", "", `compare one scope only, e.g. "yuncheng 140827 battery", and print positions`)
	flag.StringVar(&c.dump, "dump", "", "write the DOT input of the (last) scope to this file")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "layoutcmp:", err)
		os.Exit(1)
	}
}

func scopes(maxNodes int) ([]scope, error) {
	var out []scope
	add := func(prefix string, ds *chainscope.Dataset) error {
		ix, err := graph.NewIndex(ds)
		if err != nil {
			return err
		}
		all, err := ix.AnalyzeAll()
		if err != nil {
			return err
		}
		for _, a := range all {
			if n := a.Totals.Enterprises + a.Totals.Projects; n <= maxNodes {
				out = append(out, scope{prefix + " " + a.Area + " " + a.Chain, ds, a})
			}
		}
		return nil
	}
	yc, err := yuncheng.Dataset()
	if err != nil {
		return nil, err
	}
	if err := add("yuncheng", yc); err != nil {
		return nil, err
	}
	if err := add("synth-small", synth.Generate(synth.Small())); err != nil {
		return nil, err
	}
	return out, add("synth-city", synth.Generate(synth.Options{Enterprises: 3000, Projects: 600, Links: 9000, Seed: 7}))
}

func run(c config) error {
	all, err := scopes(c.maxNodes)
	if err != nil {
		return err
	}
	fmt.Printf("%-34s %6s %6s %11s %6s %7s\n", "scope", "nodes", "links", "chainscope", "dot", "cs≤dot")
	var total, wins, linked, linkedWins, csSum, dotSum int
	var csTime, dotTime, slowest time.Duration
	slowName := ""
	for _, sc := range all {
		if c.only != "" && c.only != sc.name {
			continue
		}
		t0 := time.Now()
		d, err := render.Layout(sc.ds, sc.a, render.Options{MaxNodes: 1 << 30})
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		el := time.Since(t0)
		csTime += el
		if el > slowest {
			slowest, slowName = el, sc.name
		}
		pos, edges := chainscopePositions(d)
		cs := crossings(pos, edges)
		t1 := time.Now()
		dpos, err := dotPositions(c, d)
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		dotTime += time.Since(t1)
		dc := crossings(dpos, edges)

		total++
		ok := cs <= dc
		if ok {
			wins++
		}
		if len(edges) >= 2 {
			linked++
			if ok {
				linkedWins++
			}
		}
		csSum += cs
		dotSum += dc
		if c.verbose || len(edges) >= 2 {
			mark := "yes"
			if !ok {
				mark = "NO"
			}
			fmt.Printf("%-34s %6d %6d %11d %6d %7s\n", sc.name, countNodes(d), len(edges), cs, dc, mark)
		}
		if c.only != "" {
			for i, p := range pos {
				n := d.Nodes[i]
				if !n.Alias {
					fmt.Printf("  n%-4d column %d  chainscope (%.0f, %.0f)  dot (%.0f, %.0f)  %s\n",
						i, d.Segments[n.Segment].Column, p.x, p.y, dpos[i].x, dpos[i].y, n.ID)
				}
			}
		}
	}
	if total == 0 {
		return errors.New("no scope selected")
	}
	fmt.Printf("\nscopes: %d, of which %d have two or more links (the others have no crossing in either layout)\n", total, linked)
	fmt.Printf("total crossings: chainscope %d, dot %d\n", csSum, dotSum)
	fmt.Printf("layout time: chainscope %v (slowest scope %v: %s), dot %v\n",
		csTime.Round(time.Millisecond), slowest.Round(time.Millisecond), slowName, dotTime.Round(time.Millisecond))
	fmt.Printf("chainscope ≤ dot: %d/%d scopes = %.1f%%; among scopes with two or more links %d/%d = %.1f%%  (target ≥ 90%%)\n",
		wins, total, pct(wins, total), linkedWins, linked, pct(linkedWins, linked))
	return nil
}

func pct(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }

func countNodes(d *render.Diagram) int {
	n := 0
	for _, x := range d.Nodes {
		if !x.Alias {
			n++
		}
	}
	return n
}

// chainscopePositions are the centres of the node boxes, indexed like
// d.Nodes, and the links as pairs of node indices.
func chainscopePositions(d *render.Diagram) ([]point, [][2]int) {
	pos := make([]point, len(d.Nodes))
	for i, n := range d.Nodes {
		c := n.Box.Center()
		pos[i] = point{c.X, c.Y}
	}
	edges := make([][2]int, len(d.Links))
	for i, l := range d.Links {
		edges[i] = [2]int{l.From, l.To}
	}
	return pos, edges
}

// dotInput is the DOT graph of d's nodes and links with d's structure:
// a cluster per segment, the nodes of each column at the same rank, an
// invisible chain of anchors keeping the columns in order, links against
// the columns reversed (dir=back) so that they do not fight the order.
func dotInput(d *render.Diagram) string {
	var b strings.Builder
	b.WriteString("digraph G {\n  graph [rankdir=LR, newrank=true, nodesep=0.1, ranksep=1.2];\n")
	b.WriteString("  node [shape=box, fixedsize=true, label=\"\"];\n")
	cols := make([][]string, d.Columns)
	for s, seg := range d.Segments {
		var ids []int
		for _, i := range seg.Nodes {
			if !d.Nodes[i].Alias {
				ids = append(ids, i)
				cols[seg.Column] = append(cols[seg.Column], "n"+strconv.Itoa(i))
			}
		}
		if len(ids) == 0 {
			continue
		}
		fmt.Fprintf(&b, "  subgraph cluster_%d {\n", s)
		for _, i := range ids {
			box := d.Nodes[i].Box
			fmt.Fprintf(&b, "    n%d [width=%.3f, height=%.3f];\n", i, box.W/72, box.H/72)
		}
		b.WriteString("  }\n")
	}
	for k := range cols {
		fmt.Fprintf(&b, "  a%d [style=invis, width=0.01, height=0.01];\n", k)
		fmt.Fprintf(&b, "  { rank=same; a%d; %s }\n", k, strings.Join(cols[k], "; "))
		if k > 0 {
			fmt.Fprintf(&b, "  a%d -> a%d [style=invis];\n", k-1, k)
		}
	}
	for _, l := range d.Links {
		cf, ct := d.Segments[d.Nodes[l.From].Segment].Column, d.Segments[d.Nodes[l.To].Segment].Column
		if cf > ct {
			fmt.Fprintf(&b, "  n%d -> n%d [dir=back];\n", l.To, l.From)
		} else {
			fmt.Fprintf(&b, "  n%d -> n%d;\n", l.From, l.To)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// dotPositions lays d's nodes out with dot and returns their centres in
// points, y down, indexed like d.Nodes (aliases carry no links: none).
func dotPositions(c config, d *render.Diagram) ([]point, error) {
	in := dotInput(d)
	if c.dump != "" {
		if err := os.WriteFile(c.dump, []byte(in), 0o644); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.dot, "-Tplain")
	cmd.Stdin = strings.NewReader(in)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("%w (install Graphviz: apt-get install -y graphviz)", err)
		}
		return nil, fmt.Errorf("dot: %w: %s", err, errb.String())
	}
	pos := make([]point, len(d.Nodes))
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || f[0] != "node" || !strings.HasPrefix(f[1], "n") {
			continue
		}
		i, err1 := strconv.Atoi(f[1][1:])
		x, err2 := strconv.ParseFloat(f[2], 64)
		y, err3 := strconv.ParseFloat(f[3], 64)
		if err1 != nil || err2 != nil || err3 != nil || i < 0 || i >= len(pos) {
			return nil, fmt.Errorf("dot: cannot read %q", sc.Text())
		}
		pos[i] = point{x * 72, -y * 72}
	}
	return pos, sc.Err()
}

// crossings counts the pairs of links whose straight segments between node
// centres cross at a point inside both: links that share an end node, or
// overlap along a line, do not cross.
func crossings(pos []point, edges [][2]int) int {
	n := 0
	for i := range edges {
		a, b := pos[edges[i][0]], pos[edges[i][1]]
		for j := i + 1; j < len(edges); j++ {
			c, d := pos[edges[j][0]], pos[edges[j][1]]
			if cross(a, b, c, d) {
				n++
			}
		}
	}
	return n
}

func cross(a, b, c, d point) bool {
	o1, o2 := orient(a, b, c), orient(a, b, d)
	o3, o4 := orient(c, d, a), orient(c, d, b)
	return o1*o2 < 0 && o3*o4 < 0
}

func orient(a, b, c point) int {
	v := (b.x-a.x)*(c.y-a.y) - (b.y-a.y)*(c.x-a.x)
	switch {
	case v > 1e-6:
		return 1
	case v < -1e-6:
		return -1
	}
	return 0
}
