package server

import (
	"strings"

	"chainscope"
)

// SearchHit is one search result: what kind of record it is, its key and
// its name.
type SearchHit struct {
	Kind  string `json:"kind"` // county, chain, segment, enterprise, project
	ID    string `json:"id"`
	Name  string `json:"name"`
	Chain string `json:"chain,omitempty"` // segments: the chain it belongs to
}

// SearchResult is the answer of GET /api/v1/search: up to limit hits, in
// the order counties, chains, segments, enterprises, projects (each kind
// its exact matches first, then those starting with the text, then the
// rest, each in dataset order), and how many records match in all.
type SearchResult struct {
	Q     string      `json:"q"`
	Items []SearchHit `json:"items"`
	Total int         `json:"total"`
}

// searchKinds are the kinds of record /search finds, in its order.
var searchKinds = []string{"county", "chain", "segment", "enterprise", "project"}

// search finds q (case-insensitive, a part of the name, id, code or USCC)
// across every kind of record, or the one kind named ("" for every kind).
// Every enterprise is searched, whatever the region's size: the investor
// picker of the edit form asks for kind=enterprise.
func search(ds *chainscope.Dataset, q, kind string, limit int) SearchResult {
	needle := strings.ToLower(strings.TrimSpace(q))
	res := SearchResult{Q: q, Items: []SearchHit{}}
	// Per kind, the hits by how well they match, each capped at limit.
	var ranked [3][]SearchHit
	match := func(h SearchHit, fields ...string) {
		best := -1
		for _, f := range fields {
			lf := strings.ToLower(f)
			switch {
			case lf == needle:
				best = 0
			case strings.HasPrefix(lf, needle) && (best < 0 || best > 1):
				best = 1
			case strings.Contains(lf, needle) && best < 0:
				best = 2
			}
		}
		if best < 0 {
			return
		}
		res.Total++
		if len(ranked[best]) < limit {
			ranked[best] = append(ranked[best], h)
		}
	}
	flush := func() {
		for i := range ranked {
			for _, h := range ranked[i] {
				if len(res.Items) < limit {
					res.Items = append(res.Items, h)
				}
			}
			ranked[i] = ranked[i][:0]
		}
	}
	want := func(k string) bool { return kind == "" || kind == k }
	if want("county") {
		for _, c := range ds.Counties {
			match(SearchHit{Kind: "county", ID: c.Code, Name: c.Name}, c.Name, c.Code)
		}
		flush()
	}
	if want("chain") {
		for _, c := range ds.Chains {
			match(SearchHit{Kind: "chain", ID: c.ID, Name: c.Name}, c.Name, c.ID)
		}
		flush()
	}
	if want("segment") {
		for _, c := range ds.Chains {
			for _, s := range c.Segments {
				match(SearchHit{Kind: "segment", ID: s.ID, Name: s.Name, Chain: c.ID}, s.Name, s.ID)
			}
		}
		flush()
	}
	if want("enterprise") {
		for _, e := range ds.Enterprises {
			match(SearchHit{Kind: "enterprise", ID: e.ID, Name: e.Name}, e.Name, e.ID, e.USCC)
		}
		flush()
	}
	if want("project") {
		for _, p := range ds.Projects {
			match(SearchHit{Kind: "project", ID: p.ID, Name: p.Name}, p.Name, p.ID)
		}
		flush()
	}
	return res
}

// maxNames is how many ids one GET /api/v1/names may ask about.
const maxNames = 200

// Names is the answer of GET /api/v1/names: the enterprises and projects
// among the ids asked, in the order asked, as search hits (kind, id,
// name); an id of neither is left out.
type Names struct {
	Items []SearchHit `json:"items"`
}

// names looks up each id of ids among the enterprises, then the projects.
func names(lk *lookup, ids []string) Names {
	out := Names{Items: []SearchHit{}}
	for _, id := range ids {
		if i, ok := lk.ent[id]; ok {
			out.Items = append(out.Items, SearchHit{Kind: "enterprise", ID: id, Name: lk.ds.Enterprises[i].Name})
		} else if i, ok := lk.proj[id]; ok {
			out.Items = append(out.Items, SearchHit{Kind: "project", ID: id, Name: lk.ds.Projects[i].Name})
		}
	}
	return out
}
