#!/usr/bin/env bash
# Times chainscope's articulation points + bridges on the whole-region graph
# of a province-scale region (100 000 enterprises, 20 000 projects,
# 1 000 000 links) against python3-igraph and networkx on the same edge list,
# excluding file loading on every side, and prints the ratios; then times
# `analyze --all` over every scope and reports its peak RSS.
#
#   bash bench/analysis.sh
# Needs: go, python3-igraph, python3-networkx, GNU time (apt-get install -y python3-igraph python3-networkx time).
set -euo pipefail
cd "$(dirname "$0")/.."
py=/usr/bin/python3   # Debian's python, where python3-igraph and python3-networkx live
$py -c 'import igraph, networkx' 2>/dev/null || { echo "missing: apt-get install -y python3-igraph python3-networkx" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/weakpoints" ./bench/weakpoints
go build -o "$work/chainscope" ./cmd/chainscope
echo "cores: $(nproc)  go: $(go env GOVERSION)  igraph: $($py -c 'import igraph; print(igraph.__version__)')  networkx: $($py -c 'import networkx; print(networkx.__version__)')"

"$work/weakpoints" -write "$work/edges.txt"
cs=$("$work/weakpoints" -time "$work/edges.txt" -runs 5)
echo "$cs"
cs_s=$(echo "$cs" | awk '{print $2}')

cat > "$work/cmp.py" <<'PY'
import sys, time, gc
import igraph, networkx as nx
path, which = sys.argv[1], sys.argv[2]
with open(path) as f:
    n, m = map(int, f.readline().split())
    edges = [tuple(map(int, line.split())) for line in f]
if which == "igraph":
    g = igraph.Graph(n=n, edges=edges, directed=False)
    best = 1e9
    for _ in range(3):
        gc.collect(); t = time.perf_counter()
        ap = g.articulation_points(); br = g.bridges()
        best = min(best, time.perf_counter() - t)
else:
    g = nx.Graph(); g.add_nodes_from(range(n)); g.add_edges_from(edges)
    gc.collect(); t = time.perf_counter()
    ap = list(nx.articulation_points(g)); br = list(nx.bridges(g))
    best = time.perf_counter() - t
print(f"{which} {best:.4f} s  articulation_points={len(set(ap))} bridges={len(br)}")
PY
ig=$($py "$work/cmp.py" "$work/edges.txt" igraph); echo "$ig"
nx=$($py "$work/cmp.py" "$work/edges.txt" networkx); echo "$nx"
ig_s=$(echo "$ig" | awk '{print $2}'); nx_s=$(echo "$nx" | awk '{print $2}')
awk -v c="$cs_s" -v i="$ig_s" -v n="$nx_s" 'BEGIN {
  printf "chainscope / igraph: %.2fx (target <= 1.5x)\n", c/i
  printf "networkx / chainscope: %.1fx faster (target >= 20x)\n", n/c
}'

"$work/weakpoints" -scopes -runs 3
"$work/chainscope" gen --scale province -o "$work/province.json"
"$work/chainscope" import --db "$work/p.db" "$work/province.json" >/dev/null
/usr/bin/time -v -o "$work/time.txt" "$work/chainscope" analyze --all --json --db "$work/p.db" > "$work/all.jsonl"
echo "analyze --all (load + index + every scope): $(wc -l < "$work/all.jsonl") scopes, wall $(awk -F': ' '/Elapsed/{print $2}' "$work/time.txt"), peak RSS $(awk -F': ' '/Maximum resident/{printf "%.0f MiB", $2/1024}' "$work/time.txt") (target <= 500 MiB)"
