#!/usr/bin/env bash
# Installs what `go test ./...` needs on a Debian machine: chromium for the
# browser tests; LibreOffice for the office check of the map; PostgreSQL
# and pgRouting for the PostgreSQL tests (each test starts its own
# throwaway cluster, internal/pgtest). Those tests fail (never skip) when
# CI=true and these are missing, so this must run first in CI.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-noto-cjk)
# LibreOffice opens the county map as an office user would (render/office_test.go).
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-impress libreoffice-draw)
pkg_missing() { ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
if command -v dpkg-query >/dev/null 2>&1; then
  # postgresql pulls the distribution's server (15 on Debian 12);
  # pgRouting needs PostGIS, which the package depends on.
  pkg_missing postgresql && need+=(postgresql)
  pkg_missing postgresql-15-pgrouting && need+=(postgresql-15-pgrouting)
elif ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need+=(postgresql postgresql-15-pgrouting)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "please install: ${need[*]} (browser, office and PostgreSQL tests need them)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
