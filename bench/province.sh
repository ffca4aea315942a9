#!/usr/bin/env bash
# Province-scale analysis of one scope, side by side with a pure-Python reading of SPEC §5–6
# (bench/spec_reference.py, standard library only, §6 fields only) on the same database:
#
#   1. `chainscope analyze --area X --chain Y --json` (every extra) for X = '*' and for the
#      largest county scope of the chain: wall time, peak RSS, output size; best of ROUNDS
#      alternating rounds against the Python reading, whose §6 fields must equal chainscope's.
#      chainscope reads the index the import stored; the same command on a copy of the database
#      without it (read from the records) is measured in the same rounds and must print the
#      same bytes.
#   2. A CPU profile of the '*' run (CHAINSCOPE_CPUPROFILE), top functions printed.
#   3. City scale (4 000 enterprises, 800 projects, 40 000 links): the size of
#      GET /api/v1/analysis of the largest county scope, plain and gzip.
#   4. Province: the first GET /api/v1/analysis of a county scope and of '*' right after a write
#      (a project renamed), and again after a new link.
#
#   bash bench/province.sh                 # chain agri, 3 rounds
#   CHAIN=steel ROUNDS=1 bash bench/province.sh
#
# Needs: go, python3, curl, GNU time (apt-get install -y time curl).
set -euo pipefail
cd "$(dirname "$0")/.."
CHAIN=${CHAIN:-agri}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18097}
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
go build -o "$work/chainscope" ./cmd/chainscope
cs="$work/chainscope"
echo "cores: $(nproc)  go: $(go env GOVERSION)  python: $(python3 -c 'import sys; print(sys.version.split()[0])')  load average: $(cut -d' ' -f1-3 /proc/loadavg)"

"$cs" gen --scale province -o "$work/province.json" >/dev/null
"$cs" import --db "$work/p.db" "$work/province.json" >/dev/null
rm "$work/province.json"
# The same data without its stored index: analyze reads the records.
cp "$work/p.db" "$work/records.db"
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("DELETE FROM snapshot"); c.commit()' "$work/records.db"
# The largest county scope of the chain: most nodes.
county=$("$cs" analyze --all --json --db "$work/p.db" | python3 -c '
import json, sys
best = max((json.loads(l) for l in sys.stdin), key=lambda a: (a["area"] != "*" and a["chain"] == sys.argv[1],
           a["totals"]["enterprises"] + a["totals"]["projects"]))
print(best["area"])' "$CHAIN")
echo "chain $CHAIN; largest county scope $county"

measure() { # cmd... : prints "wall-seconds KiB cpu-seconds"
  /usr/bin/time -f '%e %M %U %S' -o "$work/t" "$@" >"$work/out.json"
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$work/t"
}
for area in '*' "$county"; do
  best_cs=999 best_py=999 rss_cs=0 rss_py=0 cpu_cs=999 cpu_py=999 best_rec=999 rss_rec=0 cpu_rec=999
  for _ in $(seq "$ROUNDS"); do
    read -r s k u < <(measure "$cs" analyze --db "$work/p.db" --area "$area" --chain "$CHAIN" --json)
    cp "$work/out.json" "$work/cs.json"
    best_cs=$(awk -v a="$s" -v b="$best_cs" 'BEGIN{print (a<b)?a:b}'); rss_cs=$((k > rss_cs ? k : rss_cs))
    cpu_cs=$(awk -v a="$u" -v b="$cpu_cs" 'BEGIN{print (a<b)?a:b}')
    read -r s k u < <(measure "$cs" analyze --db "$work/records.db" --area "$area" --chain "$CHAIN" --json)
    cmp -s "$work/out.json" "$work/cs.json" || { echo "analyze from the records printed other bytes than from the stored index" >&2; exit 1; }
    best_rec=$(awk -v a="$s" -v b="$best_rec" 'BEGIN{print (a<b)?a:b}'); rss_rec=$((k > rss_rec ? k : rss_rec))
    cpu_rec=$(awk -v a="$u" -v b="$cpu_rec" 'BEGIN{print (a<b)?a:b}')
    read -r s k u < <(measure python3 bench/spec_reference.py "$work/p.db" "$area" "$CHAIN")
    cp "$work/out.json" "$work/py.json"
    best_py=$(awk -v a="$s" -v b="$best_py" 'BEGIN{print (a<b)?a:b}'); rss_py=$((k > rss_py ? k : rss_py))
    cpu_py=$(awk -v a="$u" -v b="$cpu_py" 'BEGIN{print (a<b)?a:b}')
  done
  same=$(python3 -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
keys = ["area", "chain", "completeness", "segments", "cut_nodes", "bridges", "totals"]
print("equal" if all(a[k] == b[k] for k in keys) else "DIFFERENT: " + " ".join(k for k in keys if a[k] != b[k]))' "$work/cs.json" "$work/py.json")
  printf 'analyze --area %-7s chainscope %5.2f s (cpu %5.2f s) %4d MiB %8d bytes | python %5.2f s (cpu %5.2f s) %4d MiB | %.2fx faster | §6 fields %s (targets: <= 1.0 s, <= 400 MiB, >= 5x)\n' \
    "$area" "$best_cs" "$cpu_cs" $((rss_cs / 1024)) "$(wc -c <"$work/cs.json")" "$best_py" "$cpu_py" $((rss_py / 1024)) \
    "$(awk -v c="$best_cs" -v p="$best_py" 'BEGIN{print p/c}')" "$same"
  printf '               from the records (no stored index): %5.2f s (cpu %5.2f s) %4d MiB, the same bytes | %.2fx faster than python\n' \
    "$best_rec" "$cpu_rec" $((rss_rec / 1024)) "$(awk -v c="$best_rec" -v p="$best_py" 'BEGIN{print p/c}')"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

CHAINSCOPE_CPUPROFILE="$work/cpu.prof" "$cs" analyze --db "$work/p.db" --area '*' --chain "$CHAIN" --json >/dev/null
echo "CPU profile of analyze --area '*' (top 12, flat):"
go tool pprof -top -nodecount=12 "$cs" "$work/cpu.prof" 2>/dev/null | sed -n '/flat%/,$p'

serve() { # db
  "$cs" serve --db "$1" --addr "127.0.0.1:$PORT" --editor-token bench >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 240); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.25; done
  echo "server did not start" >&2; exit 1
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=; }

"$cs" gen --enterprises 4000 --projects 800 --links 40000 -o "$work/city.json" >/dev/null
"$cs" import --db "$work/c.db" "$work/city.json" >/dev/null
ccounty=$("$cs" analyze --all --json --db "$work/c.db" | python3 -c '
import json, sys
best = max((json.loads(l) for l in sys.stdin), key=lambda a: (a["area"] != "*", a["totals"]["enterprises"] + a["totals"]["projects"]))
print(best["area"], best["chain"])')
read -r carea cchain <<<"$ccounty"
serve "$work/c.db"
url="http://127.0.0.1:$PORT/api/v1/analysis?area=$carea&chain=$cchain"
plain=$(curl -s -o /dev/null -w '%{size_download}' "$url")
gz=$(curl -s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' "$url")
echo "city: GET /api/v1/analysis?area=$carea&chain=$cchain  $plain bytes plain, $gz bytes gzip (target <= 65536 plain)"
stop

serve "$work/p.db"
for area in "$county" '*'; do
  curl -sf "http://127.0.0.1:$PORT/api/v1/analysis?area=$area&chain=$CHAIN" >/dev/null # before the write
done
# A write: a project's name changes (If-Match from its ETag).
pid=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT id FROM projects LIMIT 1").fetchone()[0])' "$work/p.db")
purl="http://127.0.0.1:$PORT/api/v1/projects/$pid"
curl -sf -D "$work/h" "$purl" -o "$work/proj.json"
etag=$(awk 'tolower($1)=="etag:"{print $2}' "$work/h" | tr -d '\r')
python3 -c 'import json, sys; p = json.load(open(sys.argv[1])); p = p.get("project", p); p["name"] += "（改）"; json.dump(p, open(sys.argv[1], "w"), ensure_ascii=False)' "$work/proj.json"
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Authorization: Bearer bench' -H "If-Match: $etag" \
  -H 'Content-Type: application/json' --data-binary @"$work/proj.json" "$purl")
sleep "${SETTLE:-0}"
for area in "$county" '*'; do
  t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/api/v1/analysis?area=$area&chain=$CHAIN")
  echo "province: first GET /api/v1/analysis?area=$area&chain=$CHAIN after a write (PUT $code): $t s (target <= 1 s)"
done
# A write that changes the graph: a new link between two of the chain's
# enterprises in the county (nothing computed before it can be kept).
read -r lfrom lto < <(python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ids = [r[0] for r in db.execute("""SELECT DISTINCT e.seq FROM enterprises e JOIN enterprise_segments s ON s.enterprise_id = e.id
  JOIN segments g ON g.id = s.segment_id WHERE g.chain_id = ? AND e.county = ? ORDER BY e.seq""", (sys.argv[2], sys.argv[3]))]
linked = set(db.execute("SELECT from_node, to_node FROM links WHERE from_node IN (%s)" % ",".join(map(str, ids))))
a, b = next((a, b) for a in ids for b in reversed(ids) if a != b and (a, b) not in linked and (b, a) not in linked)
name = lambda s: db.execute("SELECT id FROM enterprises WHERE seq = ?", (s,)).fetchone()[0]
print(name(a), name(b))' "$work/p.db" "$CHAIN" "$county")
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Authorization: Bearer bench' -H 'Content-Type: application/json' \
  --data-binary "{\"from\": \"$lfrom\", \"to\": \"$lto\"}" "http://127.0.0.1:$PORT/api/v1/links")
sleep "${SETTLE:-0}"
for area in "$county" '*'; do
  t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/api/v1/analysis?area=$area&chain=$CHAIN")
  echo "province: first GET /api/v1/analysis?area=$area&chain=$CHAIN after a new link (POST $code): $t s (target <= 1 s)"
done
stop
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
