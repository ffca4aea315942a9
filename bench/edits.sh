#!/usr/bin/env bash
# Single-record edits through the API (issue: a living ledger): starts
# `chainscope serve` on a generated dataset and runs bench/edits against it:
# sequential PUT of a project (p50/p95 from request to 200, visible on the
# next GET), CLIENTS concurrent editors x EACH edits with If-Match while a
# reader reads a cached route (p99), the database's growth, and the first
# as_of answer 1000 revisions back.
#
#   bash bench/edits.sh                 # province scale (1.1M rows)
#   SCALE=small bash bench/edits.sh     # city scale
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${SCALE:-province}   # province (1.1M rows), city (13 counties' worth: 40 000 links) or small
EDITS=${EDITS:-1000}
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/chainscope" ./cmd/chainscope
go build -o "$work/edits" ./bench/edits
echo "cores: $(nproc)  scale: $SCALE"
if [ "$SCALE" = city ]; then
  "$work/chainscope" gen --enterprises 4000 --projects 800 --links 40000 --format csv -o "$work/data" >/dev/null
else
  "$work/chainscope" gen --scale "$SCALE" --format csv -o "$work/data" >/dev/null
fi
"$work/chainscope" import --db "$work/db" "$work/data" >/dev/null 2>&1
before=$(du -b "$work/db" | cut -f1)
"$work/chainscope" serve --db "$work/db" --addr 127.0.0.1:18089 --editor-token bench >/dev/null 2>&1 &
pid=$!
for _ in $(seq 120); do curl -sf http://127.0.0.1:18089/healthz >/dev/null && break; sleep 0.5; done
"$work/edits" -url http://127.0.0.1:18089 -token bench -edits "$EDITS" -clients "${CLIENTS:-8}" -each "${EACH:-50}"
# Stop the server (it checkpoints the WAL into the file on the way out).
kill -TERM $pid; wait $pid 2>/dev/null || true
after=$(du -b "$work/db" | cut -f1)
revs=$("$work/chainscope" history --db "$work/db" --json 2>/dev/null | grep -o '"rev":' | wc -l || true)
echo "database file: $before bytes after the import, $after after the edits ($revs revisions): +$(( (after-before)/1024 )) KiB"
