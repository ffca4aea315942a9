#!/usr/bin/env bash
# Load test of the HTTP API: chainscope serving the cached analysis route of
# the built-in dataset against bench/bareserver, a bare net/http server that
# returns the same bytes, both loaded by wrk in the same run with the same
# connections and duration on 127.0.0.1. Prints requests/s, p99 latency,
# errors and the ratio (targets: chainscope >= 80% of the bare server's
# requests/s, p99 <= 25 ms, 0 errors). The two alternate for ROUNDS rounds
# and each is reported by its best round, so that a neighbour's burst on a
# shared machine does not decide the ratio. Then a bounded soak: SOAK requests
# while chainscope's RSS is sampled from /proc, printing where RSS settled
# and where it ended.
#
#   bash bench/http.sh
#   DURATION=30s CONNS=64 SOAK=200000 bash bench/http.sh
#   DATA=city bash bench/http.sh   # issue #10's measure: a generated city (4 000 enterprises,
#                                  # 800 projects, 40 000 links), its largest county scope
#
# chainscope's request log (one JSON line per request, still encoded) goes
# to /dev/null unless LOG=FILE. Needs: go, curl, wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
SOAK=${SOAK:-1000000}
DATA=${DATA:-builtin}
ROUTE=${ROUTE:-'/api/v1/analysis?area=*&chain=battery'}
LOG=${LOG:-/dev/null}

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "missing wrk: apt-get install wrk" >&2
    exit 1
  fi
fi
command -v curl >/dev/null || { echo "missing curl" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# free_port prints a TCP port on 127.0.0.1 that nobody listens on.
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  echo "no free port" >&2
  exit 1
}

wait_up() {
  for _ in $(seq 200); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.05
  done
  echo "server at $1 did not start" >&2
  exit 1
}

go build -o "$work/chainscope" ./cmd/chainscope
go build -o "$work/bare" ./bench/bareserver
case $DATA in
builtin) "$work/chainscope" init --db "$work/cs.db" >/dev/null ;;
city)
  "$work/chainscope" gen --enterprises 4000 --projects 800 --links 40000 -o "$work/city.json" >/dev/null
  "$work/chainscope" import --db "$work/cs.db" "$work/city.json" >/dev/null
  # The largest county scope: most enterprises and projects.
  ROUTE=$("$work/chainscope" analyze --all --json --db "$work/cs.db" | python3 -c '
import json, sys
best = max((json.loads(l) for l in sys.stdin), key=lambda a: (a["area"] != "*", a["totals"]["enterprises"] + a["totals"]["projects"]))
print("/api/v1/analysis?area=%s&chain=%s" % (best["area"], best["chain"]))')
  ;;
*) echo "DATA is builtin or city" >&2; exit 1 ;;
esac

cs_port=$(free_port)
"$work/chainscope" serve --db "$work/cs.db" --addr "127.0.0.1:$cs_port" 2>"$LOG" &
cs_pid=$!
pids+=("$cs_pid")
cs_url="http://127.0.0.1:$cs_port$ROUTE"
wait_up "http://127.0.0.1:$cs_port/healthz"
curl -fs "$cs_url" -o "$work/analysis.json"

bare_port=$(free_port)
"$work/bare" -addr "127.0.0.1:$bare_port" -file "$work/analysis.json" &
pids+=("$!")
bare_url="http://127.0.0.1:$bare_port$ROUTE"
wait_up "$bare_url"
curl -fs "$bare_url" | cmp -s - "$work/analysis.json" || { echo "the servers answer different bytes" >&2; exit 1; }
# The same bare handler on the net/http server chainscope serve runs on (its
# timeouts): what those cost, told apart from what chainscope's handlers cost.
served_port=$(free_port)
"$work/bare" -addr "127.0.0.1:$served_port" -file "$work/analysis.json" -like-serve &
pids+=("$!")
served_url="http://127.0.0.1:$served_port$ROUTE"
wait_up "$served_url"

echo "cores: $(nproc)  go: $(go env GOVERSION)  $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "route: $ROUTE ($(wc -c <"$work/analysis.json") bytes)  wrk -t$THREADS -c$CONNS -d$DURATION"

# to_ms converts a wrk latency (123.45us, 1.23ms, 1.02s) to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

# load NAME URL: runs wrk and sets rps_NAME, p99_NAME, errors_NAME.
load() {
  local name=$1 url=$2 out
  wrk -t"$THREADS" -c"$CONNS" -d2s "$url" >/dev/null # warm up
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$url")
  local rps p99 sock non2xx
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  sock=$(awk -F'[ ,]+' '/Socket errors:/ {print $4 + $6 + $8 + $10}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  printf -v "rps_$name" '%s' "$rps"
  printf -v "p99_$name" '%s' "$p99"
  printf -v "errors_$name" '%s' "$(( ${sock:-0} + ${non2xx:-0} ))"
}

printf '%-12s %5s %12s %10s %8s\n' server round "requests/s" "p99 ms" errors
best_rps_bare=0 best_rps_cs=0 best_rps_served=0
for round in $(seq "$ROUNDS"); do
  for name in bare served cs; do
    url=$bare_url label=bare
    [ "$name" = served ] && url=$served_url label=bare+timeouts
    [ "$name" = cs ] && url=$cs_url label=chainscope
    load "$name" "$url"
    rps_var="rps_$name" p99_var="p99_$name" err_var="errors_$name" best_var="best_rps_$name"
    printf '%-12s %5s %12s %10s %8s\n' "$label" "$round" "${!rps_var}" "${!p99_var}" "${!err_var}"
    if awk -v a="${!rps_var}" -v b="${!best_var}" 'BEGIN { exit !(a > b) }'; then
      printf -v "best_rps_$name" '%s' "${!rps_var}"
      printf -v "best_p99_$name" '%s' "${!p99_var}"
    fi
    total_err_var="total_errors_$name"
    printf -v "total_errors_$name" '%s' "$(( ${!total_err_var:-0} + ${!err_var} ))"
  done
done
# shellcheck disable=SC2154
ratio=$(awk -v a="$best_rps_cs" -v b="$best_rps_bare" 'BEGIN { printf "%.1f", 100 * a / b }')
echo "best rounds:"
printf '%-12s %12s %10s %8s\n' bare "$best_rps_bare" "$best_p99_bare" "$total_errors_bare"
printf '%-12s %12s %10s %8s\n' bare+timeouts "$best_rps_served" "$best_p99_served" "$total_errors_served"
printf '%-12s %12s %10s %8s\n' chainscope "$best_rps_cs" "$best_p99_cs" "$total_errors_cs"
verdict=met
awk -v r="$ratio" -v p="$best_p99_cs" -v e="$total_errors_cs" 'BEGIN { exit !(r >= 80 && p <= 25 && e == 0) }' || verdict=missed
echo "chainscope / bare: $ratio% of the requests/s (targets >= 80%, p99 <= 25 ms, 0 errors: $verdict)"
echo "chainscope / bare on serve's net/http server (same timeouts): $(awk -v a="$best_rps_cs" -v b="$best_rps_served" 'BEGIN { printf "%.1f", 100 * a / b }')%"

# Soak: SOAK requests in all, while sampling chainscope's RSS every second.
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$cs_pid/status"; }
# wrk runs for a duration, not a count: each thread stops itself after its
# share of the requests and leaves a file; once all have, wrk is told to
# finish (SIGINT) and prints its totals.
cat >"$work/limit.lua" <<'LUA'
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local n, limit, dir = 0, 0, "."
function init(args)
  limit, dir = tonumber(args[1]), args[2]
end
function response(status, headers, body)
  n = n + 1
  if n == limit then
    io.open(dir .. "/done." .. id, "w"):close()
    wrk.thread:stop()
  end
end
LUA
per_thread=$(( (SOAK + THREADS - 1) / THREADS ))
start_rss=$(rss_kb)
( while kill -0 "$cs_pid" 2>/dev/null; do echo "$(date +%s) $(rss_kb)"; sleep 1; done ) >"$work/rss.txt" &
sampler=$!
pids+=("$sampler")
mkdir "$work/done"
soak_start=$(date +%s.%N)
wrk -t"$THREADS" -c"$CONNS" -d24h -s "$work/limit.lua" "$cs_url" -- "$per_thread" "$work/done" >"$work/soak.txt" &
wrk_pid=$!
while [ "$(find "$work/done" -type f | wc -l)" -lt "$THREADS" ] && kill -0 "$wrk_pid" 2>/dev/null; do sleep 0.2; done
soak_end=$(date +%s.%N)
kill -INT "$wrk_pid" 2>/dev/null || true
wait "$wrk_pid" || true
soak_out=$(cat "$work/soak.txt")
end_rss=$(rss_kb)
kill "$sampler" 2>/dev/null || true
done_requests=$(awk '/requests in/ {print $1}' <<<"$soak_out")
soak_errors=$(awk -F'[ ,]+' '/Socket errors:/ {s = $4 + $6 + $8 + $10} /Non-2xx or 3xx responses:/ {n = $5} END {print s + n}' <<<"$soak_out")
samples=$(wc -l <"$work/rss.txt")
# settled: the median of the second half of the samples
settled=$(awk '{print $2}' "$work/rss.txt" | tail -n $(( (samples + 1) / 2 )) | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
max_rss=$(awk '$2 > m {m = $2} END {print m}' "$work/rss.txt")
echo "soak: $done_requests requests in $(awk -v a="$soak_start" -v b="$soak_end" 'BEGIN {printf "%.0f", b - a}') s, errors $soak_errors"
echo "RSS MiB: before $((start_rss / 1024)), settled $((settled / 1024)), max $((max_rss / 1024)), end $((end_rss / 1024))"
echo "RSS every 10% of the soak (MiB): $(awk -v n="$samples" 'NR % int(n / 10 + 1) == 0 {printf "%d ", $2 / 1024}' "$work/rss.txt")"
