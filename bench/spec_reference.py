#!/usr/bin/env python3
"""A plain reading of SPEC §5–6, standard library only: the yardstick of bench/province.sh.

    python3 bench/spec_reference.py DB AREA CHAIN

reads a chainscope SQLite database with the sqlite3 module and prints the SPEC §6 object of
the scope (area, chain, completeness, segments, cut_nodes, bridges, totals) as one line of JSON,
keys in SPEC order. It is written from the SPEC text, not from chainscope's Go code: sets and
dicts, one iterative Hopcroft–Tarjan search, nothing clever. Choices SPEC leaves open follow the
README: a county area holds its zones (a zone's parent chain leads to the county), a zone area
is the zone with the zones inside it, records at the region's own code count only in `*`.
"""
import json
import sqlite3
import sys


def main():
    db, area, chain = sys.argv[1], sys.argv[2], sys.argv[3]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    q = con.execute
    region = q("SELECT code FROM region").fetchone()[0]
    parent, kind = {}, {}
    for code, k, par in q("SELECT code, kind, parent FROM counties"):
        kind[code], parent[code] = k, par

    def chain_of(code):
        """The counties and zones from code up through zone parents."""
        out, seen = [], set()
        while code and code != region and code in kind and code not in seen:
            seen.add(code)
            out.append(code)
            code = parent[code] if kind[code] == "zone" else None
        return out

    def in_area(county):
        if area == "*":
            return True
        return area in chain_of(county)

    if area != "*" and (area not in kind or area == region):
        sys.exit(f"unknown area {area}")
    segs = [(i, n, s) for i, n, s in q("SELECT id, name, stage FROM segments WHERE chain_id = ? ORDER BY seq", (chain,))]
    if not segs:
        sys.exit(f"unknown chain {chain}")
    seg_ids = {s[0] for s in segs}
    succ = {s[0]: [] for s in segs}
    pred = {s[0]: [] for s in segs}
    for a, b in q("SELECT from_id, to_id FROM flows WHERE chain_id = ?", (chain,)):
        succ[a].append(b)
        pred[b].append(a)

    # Every node that is not a cancelled project: seq -> (id, county, is_project, operating, investment)
    node = {}
    for seq, i, county in q("SELECT seq, id, county FROM enterprises"):
        node[seq] = (i, county, False, True, 0.0)
    for seq, i, county, status, inv in q("SELECT seq, id, county, status, investment_wan FROM projects"):
        if status != "cancelled":
            node[seq] = (i, county, True, status == "operating", inv or 0.0)
    by_id = {v[0]: seq for seq, v in node.items()}
    lists = {}  # seq -> segments of the chain it lists
    for table, col in (("enterprise_segments", "enterprise_id"), ("project_segments", "project_id")):
        for i, s in q(f"SELECT {col}, segment_id FROM {table}"):
            if s in seg_ids and i in by_id:
                lists.setdefault(by_id[i], set()).add(s)
    N = {v for v in lists if in_area(node[v][1])}

    E, U = 0, {v: set() for v in N}
    external = set()
    for a, b in q("SELECT from_node, to_node FROM links"):
        if a not in node or b not in node:
            continue
        if a in N and b in N:
            E += 1
            U[a].add(b)
            U[b].add(a)
        elif b in N and a in lists and a not in N:
            external |= lists[a]

    L = {s[0]: sorted((node[v][0] for v in N if s[0] in lists[v]), key=lambda x: x.encode()) for s in segs}
    oper = {s[0]: any(node[v][3] for v in N if s[0] in lists[v]) for s in segs}

    def closure(start, nxt):
        seen, todo = set(), list(nxt[start])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(nxt[x])
        return seen

    segments, present = [], {s for s in L if L[s]}
    for sid, name, stage in segs:
        r = {"id": sid, "name": name, "stage": stage, "status": "ok", "reasons": [], "broken": False,
             "supplied_externally": False, "nodes": L[sid]}
        if not L[sid]:
            r["status"] = "missing"
            r["broken"] = bool(closure(sid, pred) & present) and bool(closure(sid, succ) & present)
            r["supplied_externally"] = area != "*" and sid in external
        else:
            if len(L[sid]) == 1:
                r["reasons"].append("single")
            if not oper[sid]:
                r["reasons"].append("planned_only")
            if r["reasons"]:
                r["status"] = "weak"
        segments.append(r)

    cuts, bridges = weak_points(U)
    ident = lambda v: node[v][0]
    cut_nodes = sorted(({"id": ident(v), "impact": k} for v, k in cuts.items()),
                       key=lambda c: (-c["impact"], c["id"].encode()))
    br = []
    for (a, b), k in bridges.items():
        x, y = sorted((ident(a), ident(b)), key=lambda s: s.encode())
        br.append({"a": x, "b": y, "impact": k})
    br.sort(key=lambda c: (-c["impact"], c["a"].encode(), c["b"].encode()))
    projects = [v for v in N if node[v][2]]
    out = {
        "area": area, "chain": chain,
        "completeness": round(len(present) / len(segs), 4),
        "segments": segments, "cut_nodes": cut_nodes, "bridges": br,
        "totals": {"enterprises": len(N) - len(projects), "projects": len(projects), "links": E,
                   "investment_wan": sum(node[v][4] for v in projects)},
    }
    json.dump(out, sys.stdout, ensure_ascii=False)
    print()


def weak_points(U):
    """Articulation points and bridges of the undirected simple graph U with SPEC §5 impacts."""
    disc, low, size, cuts, bridges = {}, {}, {}, {}, {}
    clock = 0
    for root in U:
        if root in disc:
            continue
        clock += 1
        disc[root] = low[root] = clock
        size[root] = 1
        pieces = {}  # node -> sizes of the child subtrees its removal cuts off
        found = []   # bridges of this component with the child-side size
        stack = [(root, None, iter(U[root]))]
        while stack:
            v, p, it = stack[-1]
            advanced = False
            for u in it:
                if u == p:
                    continue
                if u in disc:
                    low[v] = min(low[v], disc[u])
                    continue
                clock += 1
                disc[u] = low[u] = clock
                size[u] = 1
                stack.append((u, v, iter(U[u])))
                advanced = True
                break
            if advanced:
                continue
            stack.pop()
            if p is None:
                continue
            size[p] += size[v]
            low[p] = min(low[p], low[v])
            if low[v] >= disc[p]:
                pieces.setdefault(p, []).append(size[v])
            if low[v] > disc[p]:
                found.append(((p, v), size[v]))
        c = size[root]
        for v, ps in pieces.items():
            if v == root and len(ps) < 2:
                continue
            rest = c - 1 - sum(ps)
            cuts[v] = c - 1 - max(max(ps), rest)
        for e, k in found:
            bridges[e] = min(k, c - k)
    return cuts, bridges


if __name__ == "__main__":
    main()
