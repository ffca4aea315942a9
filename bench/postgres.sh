#!/usr/bin/env bash
# Issue #15's PostgreSQL figures, in one run, on a throwaway PostgreSQL
# cluster of its own (own data directory and loopback port, durable
# settings left at their defaults, stopped and removed on exit, even on
# failure), each the best of ROUNDS rounds, with the machine's load:
#
#  1. the baseline: psql's \copy of a province's CSV rows (100 000
#     enterprises, 20 000 projects, 1 000 000 links) into plain tables —
#     text columns, no index, no constraint, no validation — in one
#     transaction;
#  2. `chainscope import --db postgres://…` of the same CSV folder into a
#     new database (read, validate, store with indexes and history, one
#     transaction): time, rows/s and the ratio to 1 (targets: <= 2x,
#     >= 100 000 rows/s); the same import into SQLite beside it;
#  3. cached reads: `chainscope serve` on the PostgreSQL database and on
#     the SQLite one, the same route read by bench/readload (the same
#     bytes from both, checked), requests/s and p99 of each;
#  4. single-record edits at province scale: bench/edits PUTs one project
#     EDITS times on each server (p95 target <= 150 ms on PostgreSQL) and,
#     on PostgreSQL, times when each edit shows on a second server on the
#     same database (p95 target <= 2 s).
#
#   bash bench/postgres.sh
#   SCALE="--enterprises 10000 --projects 2000 --links 100000" bash bench/postgres.sh
#   ROUNDS=1 bash bench/postgres.sh
#
# Needs: go, curl, PostgreSQL server binaries and psql (apt-get install
# postgresql). Run as root, the server runs as the postgres user through
# runuser. The password is random and reaches chainscope through
# PGPASSWORD, never on a command line.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
EDITS=${EDITS:-60}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-16}
ROUTE=${ROUTE:-'/api/v1/analysis?area=*&chain=battery'}
bin=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/initdb" ] || { echo "no PostgreSQL server binaries: apt-get install -y postgresql" >&2; exit 1; }
command -v psql >/dev/null || { echo "no psql: apt-get install -y postgresql-client" >&2; exit 1; }
as=()
if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi

work=$(mktemp -d /tmp/chainscope-pgbench-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -f "$work/data/postmaster.pid" ]; then
    (cd /tmp && "${as[@]}" "$bin/pg_ctl" stop -w -m immediate -D "$work/data" >/dev/null 2>&1) || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
go build -o "$work/chainscope" ./cmd/chainscope
go build -o "$work/readload" ./bench/readload
go build -o "$work/edits" ./bench/edits

echo "cores: $(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)  $("$bin/postgres" --version)"
echo "generating ${SCALE:---scale province} ..."
# shellcheck disable=SC2086
"$work/chainscope" gen ${SCALE:---scale province} --format csv -o "$work/csv"

# the cluster: random password, scram over loopback TCP, durable settings
# left at their defaults (fsync on) so the figure is a real server's
password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$password" > "$work/pw"
chmod 600 "$work/pw"
if [ ${#as[@]} -gt 0 ]; then chown -R postgres: "$work"; fi
(cd /tmp && "${as[@]}" "$bin/initdb" -D "$work/data" -U chainscope --pwfile="$work/pw" \
  --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --locale=C --no-instructions >/dev/null)
rm -f "$work/pw"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd /tmp && "${as[@]}" "$bin/pg_ctl" start -w -D "$work/data" -l "$work/server.log" \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work -c max_wal_size=4GB" >/dev/null)
export PGPASSWORD=$password PGHOST=127.0.0.1 PGPORT=$port PGUSER=chainscope PGDATABASE=postgres
export PGOPTIONS="-c client_min_messages=warning"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# plain tables from each file's header: text columns c1..cN, no index
: > "$work/schema.sql"
: > "$work/copy.sql"
for f in "$work"/csv/*.csv; do
  t=$(basename "$f" .csv)
  cols=$(head -1 "$f" | sed 's/^\xEF\xBB\xBF//' | awk -F, '{for(i=1;i<=NF;i++) printf "%sc%d text", (i>1?",":""), i}')
  echo "DROP TABLE IF EXISTS \"$t\"; CREATE TABLE \"$t\"($cols);" >> "$work/schema.sql"
  echo "\\copy \"$t\" FROM '$f' WITH (FORMAT csv, HEADER true)" >> "$work/copy.sql"
done

best=0
for round in $(seq "$ROUNDS"); do
  psql -f "$work/schema.sql" >/dev/null
  start=$(date +%s.%N)
  psql -1 -f "$work/copy.sql" >/dev/null
  end=$(date +%s.%N)
  q=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
  printf 'round %d: psql \\copy %.2f s  (load %s)\n' "$round" "$q" "$(cut -d' ' -f1 /proc/loadavg)"
  best=$(awk -v a="$best" -v b="$q" 'BEGIN { print (a == 0 || b < a) ? b : a }')
done
rows=0
for f in "$work"/csv/*.csv; do
  t=$(basename "$f" .csv)
  rows=$((rows + $(psql -At -c "SELECT count(*) FROM \"$t\"")))
done
size=$(psql -At -c "SELECT pg_size_pretty(pg_database_size('postgres'))")
echo "rows copied: $rows  database size: $size"
awk -v rows="$rows" -v s="$best" 'BEGIN { printf "psql \\copy (best round): %.2f s  (%.0f rows/s)\n", s, rows/s }'

load() { cut -d' ' -f1 /proc/loadavg; }
# time_it CMD...: runs CMD quietly and prints its wall time in seconds.
time_it() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}
pgurl() { echo "postgres://chainscope@127.0.0.1:$port/$1?sslmode=disable"; }

# 2. chainscope import, into a new PostgreSQL database each round, and
# into a new SQLite file each round.
best_pg=0 best_sqlite=0
for round in $(seq "$ROUNDS"); do
  psql -c "DROP DATABASE IF EXISTS cs_import" -c "CREATE DATABASE cs_import" >/dev/null
  q=$(time_it "$work/chainscope" import --db "$(pgurl cs_import)" "$work/csv")
  printf 'round %d: chainscope import into PostgreSQL %.2f s  (load %s)\n' "$round" "$q" "$(load)"
  best_pg=$(awk -v a="$best_pg" -v b="$q" 'BEGIN { print (a == 0 || b < a) ? b : a }')
  rm -f "$work/cs.db"*
  q=$(time_it "$work/chainscope" import --db "$work/cs.db" "$work/csv")
  printf 'round %d: chainscope import into SQLite %.2f s  (load %s)\n' "$round" "$q" "$(load)"
  best_sqlite=$(awk -v a="$best_sqlite" -v b="$q" 'BEGIN { print (a == 0 || b < a) ? b : a }')
done
stored=$(psql -d cs_import -At -c "SELECT (SELECT count(*) FROM enterprises) + (SELECT count(*) FROM projects) + (SELECT count(*) FROM links)")
verdict=met
awk -v c="$best" -v i="$best_pg" -v rows="$rows" 'BEGIN { exit !(i <= 2 * c && rows / i >= 100000) }' || verdict=missed
awk -v rows="$rows" -v c="$best" -v i="$best_pg" -v l="$best_sqlite" -v v="$verdict" 'BEGIN {
  printf "chainscope import into PostgreSQL (best round): %.2f s  (%.0f rows/s, %.2fx psql \\copy into plain text tables; <= 2x that and >= 100000 rows/s: %s)\n", i, rows/i, i/c, v
  printf "chainscope import into SQLite (best round): %.2f s  (%.0f rows/s)\n", l, rows/l }'
echo "stored in PostgreSQL: $stored enterprises + projects + links; database size $(psql -At -c "SELECT pg_size_pretty(pg_database_size('cs_import'))")"

# 2b. The yardstick the issue names: psql \copy of the same rows into the
# same tables, without validation — chainscope's own schema (types, keys,
# indexes, foreign keys checked at commit) in a new database migrated by
# chainscope, filled in one transaction with the rows the import stored
# (dumped from it as CSV, so the ids are already node numbers).
tables=$(psql -d cs_import -At -c "SELECT table_name FROM information_schema.tables
  WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('chainscope_schema', 'state')
  ORDER BY table_name")
mkdir -p "$work/same"
: > "$work/same/copy.sql"
same_rows=0
for t in $tables; do
  n=$(psql -d cs_import -At -c "SELECT count(*) FROM \"$t\"")
  [ "$n" -eq 0 ] && continue
  same_rows=$((same_rows + n))
  psql -d cs_import -c "\\copy \"$t\" TO '$work/same/$t.csv' WITH (FORMAT csv)" >/dev/null
  echo "\\copy \"$t\" FROM '$work/same/$t.csv' WITH (FORMAT csv)" >> "$work/same/copy.sql"
done
if [ ${#as[@]} -gt 0 ]; then chown -R postgres: "$work/same"; fi
best_same=0
for round in $(seq "$ROUNDS"); do
  psql -c "DROP DATABASE IF EXISTS cs_same" -c "CREATE DATABASE cs_same" >/dev/null
  "$work/chainscope" history --db "$(pgurl cs_same)" >/dev/null # migrates the new database, stores nothing
  q=$(time_it psql -d cs_same -1 -f "$work/same/copy.sql")
  printf 'round %d: psql \\copy into chainscope'"'"'s own tables %.2f s  (load %s)\n' "$round" "$q" "$(load)"
  best_same=$(awk -v a="$best_same" -v b="$q" 'BEGIN { print (a == 0 || b < a) ? b : a }')
done
awk -v rows="$same_rows" -v c="$best_same" -v i="$best_pg" 'BEGIN {
  printf "psql \\copy of the same rows into chainscope'"'"'s own tables, no validation (best round): %.2f s  (%d rows); chainscope import: %.2fx that (target <= 2x: %s)\n", c, rows, i/c, (i <= 2 * c) ? "met" : "missed" }'
psql -c "DROP DATABASE cs_same" >/dev/null

# 3. cached reads: a server on each database, the same route.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() {
  for _ in $(seq 600); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "server at $1 did not start" >&2
  exit 1
}
pg_port=$(free_port)
"$work/chainscope" serve --db "$(pgurl cs_import)" --addr "127.0.0.1:$pg_port" --editor-token bench >/dev/null 2>"$work/serve-pg.log" &
pids+=("$!")
sq_port=$(free_port)
"$work/chainscope" serve --db "$work/cs.db" --addr "127.0.0.1:$sq_port" --editor-token bench >/dev/null 2>"$work/serve-sqlite.log" &
pids+=("$!")
wait_up "http://127.0.0.1:$pg_port/healthz"
wait_up "http://127.0.0.1:$sq_port/healthz"
# A new server warms its most-read answers in the background (every chain's
# and county's analysis: minutes for a province). Reads are measured once
# both are idle, so neither is measured while the other one warms.
wait_idle() {
  local pid=$1 prev now
  for _ in $(seq 300); do
    prev=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    sleep 2
    now=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    (( now - prev < 10 )) && return 0 # under 0.1 CPU-s in 2 s
  done
}
t0=$SECONDS
wait_idle "${pids[-2]}"
wait_idle "${pids[-1]}"
echo "both servers idle (warmed) after $((SECONDS - t0)) s"
echo "reads: $ROUTE, $CONNS connections, $DURATION per round (bench/readload)"
best_rps_pg=0 best_rps_sq=0
for round in $(seq "$ROUNDS"); do
  for engine in postgres sqlite; do
    p=$pg_port
    [ "$engine" = sqlite ] && p=$sq_port
    out=$("$work/readload" -url "http://127.0.0.1:$p" -path "$ROUTE" -conns "$CONNS" -duration "$DURATION")
    printf 'round %d: serve on %-8s %s  (load %s)\n' "$round" "$engine" "$out" "$(load)"
    rps=$(awk '{print $1}' <<<"$out")
    printf -v "sha_$engine" '%s' "$(grep -o 'sha256=[0-9a-f]*' <<<"$out")"
    if [ "$engine" = postgres ]; then
      best_rps_pg=$(awk -v a="$best_rps_pg" -v b="$rps" 'BEGIN { print (b > a) ? b : a }')
    else
      best_rps_sq=$(awk -v a="$best_rps_sq" -v b="$rps" 'BEGIN { print (b > a) ? b : a }')
    fi
  done
done
# shellcheck disable=SC2154
[ "$sha_postgres" = "$sha_sqlite" ] || { echo "the two servers answer different bytes: $sha_postgres vs $sha_sqlite" >&2; exit 1; }
awk -v a="$best_rps_pg" -v b="$best_rps_sq" 'BEGIN {
  printf "cached reads (best round): on PostgreSQL %.0f requests/s, on SQLite %.0f requests/s (%.0f%%), the same bytes\n", a, b, 100 * a / b }'

# 4. single-record edits at province scale, through each server; then, on
# PostgreSQL, a second server on the same database and when each edit shows
# there (SPEC §10: within 2 s). The second server starts after the edit
# timings, so that they are not taken while it takes in each edit beside
# them on the same cores.
for engine in postgres sqlite; do
  p=$pg_port
  [ "$engine" = sqlite ] && p=$sq_port
  out=$("$work/edits" -url "http://127.0.0.1:$p" -token bench -edits "$EDITS" -clients 2 -each 10)
  printf 'edits on %-8s %s  (load %s)\n' "$engine" "$(head -1 <<<"$out")" "$(load)"
done
pg2_port=$(free_port)
"$work/chainscope" serve --db "$(pgurl cs_import)" --addr "127.0.0.1:$pg2_port" >/dev/null 2>"$work/serve-pg2.log" &
pids+=("$!")
wait_up "http://127.0.0.1:$pg2_port/healthz"
wait_idle "${pids[-1]}"
wait_idle "${pids[0]}"
out=$("$work/edits" -url "http://127.0.0.1:$pg_port" -token bench -edits "$EDITS" -clients 2 -each 10 -follower "http://127.0.0.1:$pg2_port")
printf '%s  (load %s)\n' "$(grep '^propagation' <<<"$out")" "$(load)"
