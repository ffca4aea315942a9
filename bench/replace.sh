#!/usr/bin/env bash
# A replace import over stored data (SPEC §8: only what differs is written)
# against the first import of the same region: a generated province, then
# the same CSV folder with every 100th link's product and every 100th
# enterprise's name changed (1% of the rows). ROUNDS alternating pairs,
# each printed. Target (living-ledger issue): replace <= 60% of the first.
#
#   bash bench/replace.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/chainscope" ./cmd/chainscope
echo "cores: $(nproc)"
"$work/chainscope" gen --scale province --format csv -o "$work/a" >/dev/null
cp -r "$work/a" "$work/b"
awk -F, 'BEGIN{OFS=","} NR>1 && NR%100==0 {$3=$3"改"} {print}' "$work/a/links.csv" > "$work/b/links.csv"
awk -F, 'BEGIN{OFS=","} NR>1 && NR%100==0 {$2=$2"改"} {print}' "$work/a/enterprises.csv" > "$work/b/enterprises.csv"
secs() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }
for round in $(seq "$ROUNDS"); do
  rm -f "$work"/db*
  first=$(secs "$work/chainscope" import --db "$work/db" "$work/a")
  replace=$(secs "$work/chainscope" import --db "$work/db" "$work/b")
  printf 'round %d: first import %.2f s, replace with 1%% changed %.2f s (%.0f%%)\n' "$round" "$first" "$replace" \
    "$(awk -v a="$replace" -v b="$first" 'BEGIN { print 100 * a / b }')"
done
"$work/chainscope" history --db "$work/db" --limit 1
