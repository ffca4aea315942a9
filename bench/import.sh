#!/usr/bin/env bash
# Times `chainscope import` of a province-scale region (100 000 enterprises,
# 20 000 projects, 1 000 000 links) against Debian's sqlite3 CLI `.import` of
# the same CSV rows into tables without indexes, in one run, and prints both
# times, rows/s, the ratio and chainscope's peak RSS.
#
#   bash bench/import.sh            # province scale
#   SCALE="--enterprises 10000 --projects 2000 --links 100000" bash bench/import.sh
#   ROUNDS=1 bash bench/import.sh   # one round each instead of the best of three
#
# Needs: go, sqlite3 and GNU time (apt-get install sqlite3 time).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
for tool in sqlite3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y sqlite3 time" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/chainscope" ./cmd/chainscope

echo "cores: $(nproc)  go: $(go env GOVERSION)  sqlite3: $(sqlite3 --version | cut -d' ' -f1)"
echo "generating ${SCALE:---scale province} ..."
# shellcheck disable=SC2086
"$work/chainscope" gen ${SCALE:---scale province} --format csv -o "$work/csv"

rows=0
for f in "$work"/csv/*.csv; do
  n=$(($(sqlite3 :memory: ".import --csv $f t" "select count(*) from t") + 0))
  rows=$((rows + n))
done
echo "rows in CSV files: $rows"

# sqlite3 CLI: the same rows as plain CSV into tables without indexes
{
  echo "PRAGMA journal_mode=WAL;"
  echo "BEGIN;"
  for f in "$work"/csv/*.csv; do
    t=$(basename "$f" .csv)
    echo ".import --csv --skip 1 '$f' \"$t\""
  done
  echo "COMMIT;"
} > "$work/import.sql"
# tables are created from each file's header by .import; create them first
# so that --skip 1 is valid, with untyped columns and no indexes
for f in "$work"/csv/*.csv; do
  t=$(basename "$f" .csv)
  cols=$(head -1 "$f" | sed 's/^\xEF\xBB\xBF//' | awk -F, '{for(i=1;i<=NF;i++) printf "%sc%d", (i>1?",":""), i}')
  echo "CREATE TABLE \"$t\"($cols);"
done > "$work/schema.sql"

# The two alternate for ROUNDS rounds, each on a fresh database, and each is
# reported by its best round (and the ratio of the bests), so that a
# neighbour's burst on a shared machine does not decide the ratio; every
# round is printed too. Peak RSS is the largest of chainscope's rounds.
cs_s=0 sq_s=0 rss_kb=0
for round in $(seq "$ROUNDS"); do
  rm -f "$work"/cs.db* "$work"/plain.db*
  # chainscope: parse, validate, store with indexes, in one transaction
  /usr/bin/time -v -o "$work/time.txt" "$work/chainscope" import --db "$work/cs.db" "$work/csv" >/dev/null
  t=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$work/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  r=$(awk -F': ' '/Maximum resident set size/{print $2}' "$work/time.txt")
  sqlite3 "$work/plain.db" < "$work/schema.sql"
  start=$(date +%s.%N)
  sqlite3 "$work/plain.db" < "$work/import.sql" >/dev/null
  end=$(date +%s.%N)
  q=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
  printf 'round %d: chainscope %.2f s, sqlite3 %.2f s (%.2fx)\n' "$round" "$t" "$q" "$(awk -v a="$t" -v b="$q" 'BEGIN { print a / b }')"
  cs_s=$(awk -v a="$cs_s" -v b="$t" 'BEGIN { print (a == 0 || b < a) ? b : a }')
  sq_s=$(awk -v a="$sq_s" -v b="$q" 'BEGIN { print (a == 0 || b < a) ? b : a }')
  rss_kb=$(( r > rss_kb ? r : rss_kb ))
done

echo "best rounds:"
awk -v rows="$rows" -v cs="$cs_s" -v sq="$sq_s" -v rss="$rss_kb" 'BEGIN {
  printf "chainscope import: %.2f s  (%.0f rows/s)  peak RSS %.0f MiB\n", cs, rows/cs, rss/1024
  printf "sqlite3 .import:   %.2f s  (%.0f rows/s)\n", sq, rows/sq
  printf "ratio chainscope/sqlite3: %.2fx  (target <= 2x, >= 100000 rows/s, RSS <= 1024 MiB)\n", cs/sq
}'
