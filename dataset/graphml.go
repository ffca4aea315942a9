package dataset

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"chainscope"
)

// graphmlKeys are the attributes every node and edge may carry. Each is
// declared with a type so that networkx, igraph, Gephi and yEd read it.
var graphmlKeys = []struct{ id, target, name, typ string }{
	{"d0", "node", "kind", "string"},
	{"d1", "node", "name", "string"},
	{"d2", "node", "county", "string"},
	{"d3", "node", "segments", "string"},
	{"d4", "node", "chain", "string"},
	{"d5", "node", "status", "string"},
	{"d6", "node", "investment", "double"},
	{"d7", "node", "uscc", "string"},
	{"d8", "node", "leader_of", "string"},
	{"d9", "node", "emerging", "boolean"},
	{"d10", "node", "signed", "string"},
	{"d11", "node", "source", "string"},
	{"d12", "edge", "product", "string"},
	{"d13", "node", "output", "double"},
	{"d14", "edge", "source", "string"},
}

// WriteGraphML writes the supply network of ds as GraphML: enterprises and
// projects are nodes (kind "enterprise" or "project"), links directed edges
// supplier → customer. Segment and chain lists are joined with ";".
// Investment and output are in 万元.
func WriteGraphML(w io.Writer, ds *chainscope.Dataset) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(xml.Header)
	bw.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	for _, k := range graphmlKeys {
		bw.WriteString(`  <key id="` + k.id + `" for="` + k.target + `" attr.name="` + k.name + `" attr.type="` + k.typ + `"/>` + "\n")
	}
	bw.WriteString(`  <graph id="` + esc(ds.Region.Code) + `" edgedefault="directed">` + "\n")
	chainOf := map[string]string{}
	for _, c := range ds.Chains {
		for _, s := range c.Segments {
			chainOf[s.ID] = c.ID
		}
	}
	chains := func(segs []string) string {
		var out []string
		seen := map[string]bool{}
		for _, s := range segs {
			if c := chainOf[s]; c != "" && !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
		return strings.Join(out, ";")
	}
	data := func(key, v string) {
		if v == "" {
			return
		}
		bw.WriteString(`      <data key="` + key + `">`)
		bw.WriteString(esc(v))
		bw.WriteString("</data>\n")
	}
	for _, e := range ds.Enterprises {
		bw.WriteString(`    <node id="` + esc(e.ID) + "\">\n")
		data("d0", "enterprise")
		data("d1", e.Name)
		data("d2", e.County)
		data("d3", strings.Join(e.Segments, ";"))
		data("d4", chains(e.Segments))
		data("d7", e.USCC)
		data("d8", strings.Join(e.LeaderOf, ";"))
		if e.OutputWan != nil {
			data("d13", strconv.FormatFloat(*e.OutputWan, 'f', -1, 64))
		}
		data("d11", e.Source)
		bw.WriteString("    </node>\n")
	}
	for _, p := range ds.Projects {
		bw.WriteString(`    <node id="` + esc(p.ID) + "\">\n")
		data("d0", "project")
		data("d1", p.Name)
		data("d2", p.County)
		data("d3", strings.Join(p.Segments, ";"))
		data("d4", chains(p.Segments))
		data("d5", string(p.Status))
		if p.InvestmentWan != nil {
			data("d6", strconv.FormatFloat(*p.InvestmentWan, 'f', -1, 64))
		}
		data("d9", strconv.FormatBool(p.Emerging))
		data("d10", p.Signed)
		data("d11", p.Source)
		bw.WriteString("    </node>\n")
	}
	for i, l := range ds.Links {
		bw.WriteString(`    <edge id="l` + strconv.Itoa(i) + `" source="` + esc(l.From) + `" target="` + esc(l.To) + "\">\n")
		data("d12", l.Product)
		data("d14", l.Source)
		bw.WriteString("    </edge>\n")
	}
	bw.WriteString("  </graph>\n</graphml>\n")
	return bw.Flush()
}

// esc escapes text for XML content and attribute values, dropping
// characters XML 1.0 cannot hold.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
