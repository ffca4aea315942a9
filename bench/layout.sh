#!/usr/bin/env bash
# Compares the edge crossings of chainscope's chain layout with Graphviz
# dot's on the same scopes — every area × chain scope of the built-in
# 运城市 dataset and of two synthetic regions — and prints, per scope with
# two or more links, both counts and then the share of scopes where
# chainscope has no more crossings than dot (target ≥ 90%). Both layouts are
# measured the same way: links as straight segments between node centres.
# The work is done by bench/layoutcmp (go run ./bench/layoutcmp -h).
#
#   bash bench/layout.sh            # all scopes up to 400 nodes
#   bash bench/layout.sh -v         # also the scopes without links
#   bash bench/layout.sh -only "yuncheng 140882 steel" -dump /tmp/s.dot
#
# Needs: go and Graphviz dot (installed here with apt-get when missing and
# run as root; otherwise: sudo apt-get install -y graphviz).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v dot >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing graphviz ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends graphviz >/dev/null ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends graphviz >/dev/null; }
  else
    echo "missing Graphviz dot: sudo apt-get install -y graphviz (Debian/Ubuntu) or brew install graphviz (macOS)" >&2
    exit 1
  fi
fi
echo "go: $(go env GOVERSION)  $(dot -V 2>&1)"
go run ./bench/layoutcmp "$@"
