#!/usr/bin/env bash
# Installs what `go test ./...` needs on a Debian machine: chromium for the
# browser tests. Browser tests fail (never skip) when CI=true and chromium is
# missing, so this must run first in CI.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "please install: ${need[*]} (browser tests need them)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-noto-cjk >/dev/null
