#!/usr/bin/env bash
# The baseline of issue #15's import target: psql's \copy of a province's
# CSV rows (100 000 enterprises, 20 000 projects, 1 000 000 links) into
# plain tables — text columns, no index, no constraint, no validation — in
# one transaction, on a throwaway PostgreSQL cluster of its own (own data
# directory and loopback port, stopped and removed on exit, even on
# failure). It prints the rows, the time and rows/s of the best round.
#
# chainscope has no PostgreSQL store yet: this measures only the psql side.
# When the store lands, time `chainscope import --db postgres://…` of the
# same directory here (target: <= 2x this time, >= 100 000 rows/s).
#
#   bash bench/postgres.sh
#   SCALE="--enterprises 10000 --projects 2000 --links 100000" bash bench/postgres.sh
#   ROUNDS=1 bash bench/postgres.sh
#
# Needs: go, PostgreSQL server binaries and psql (apt-get install postgresql).
# Run as root, the server runs as the postgres user through runuser.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
bin=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/initdb" ] || { echo "no PostgreSQL server binaries: apt-get install -y postgresql" >&2; exit 1; }
command -v psql >/dev/null || { echo "no psql: apt-get install -y postgresql-client" >&2; exit 1; }
as=()
if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi

work=$(mktemp -d /tmp/chainscope-pgbench-XXXXXX)
cleanup() {
  if [ -f "$work/data/postmaster.pid" ]; then
    (cd /tmp && "${as[@]}" "$bin/pg_ctl" stop -w -m immediate -D "$work/data" >/dev/null 2>&1) || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
go build -o "$work/chainscope" ./cmd/chainscope

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
awk -v rows="$rows" -v s="$best" 'BEGIN {
  printf "psql \\copy (best round): %.2f s  (%.0f rows/s)\n", s, rows/s
  printf "chainscope import into PostgreSQL: not measured yet (no PostgreSQL store); target <= %.2f s, >= 100000 rows/s\n", 2*s
}'
