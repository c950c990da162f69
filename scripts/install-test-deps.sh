#!/usr/bin/env bash
# Installs the Debian packages the test suites need, only those missing:
#   postgresql  throwaway servers for SHOMEI_TEST_DB=postgres (scripts/pg-harness.mjs)
#   certbot, lego, pebble   ACME clients / reference server for the interop suite
#   certspotter             independent CT monitor, audits the built-in CT logs (interop)
#   openssl, dnsutils       certificate and DNS inspection in tests
# Idempotent and quiet: prints one line per package it installs, nothing when
# all are present. As non-root it only reports what is missing (exit 1).
# A package counts as present when the program the tests use is found, so a
# tool installed some other way (e.g. a newer lego binary) is left alone.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

# Newest PostgreSQL server binaries (the layout of Debian's postgresql-N).
have_postgres_server() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x $d/postgres && -x $d/initdb && -x $d/pg_ctl ]] && return 0
  done
  return 1
}

have_cmd() { command -v "$1" >/dev/null 2>&1; }

find_missing() {
  missing=()
  have_postgres_server || missing+=(postgresql)
  have_cmd certbot || missing+=(certbot)
  have_cmd lego || missing+=(lego)
  have_cmd pebble || missing+=(pebble)
  have_cmd certspotter || missing+=(certspotter)
  have_cmd openssl || missing+=(openssl)
  have_cmd dig || missing+=(dnsutils)
}

find_missing

((${#missing[@]} == 0)) && exit 0

if ((EUID != 0)); then
  {
    echo "install-test-deps: missing Debian packages: ${missing[*]}"
    echo "install-test-deps: install them as root with:"
    echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  } >&2
  exit 1
fi

log=$(mktemp -t shomei-apt.XXXXXX)
trap 'rm -f "$log"' EXIT

apt_install() {
  apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" </dev/null >>"$log" 2>&1
}

# Try with the package lists already on the machine; refresh them once only
# when that is not enough (fresh images ship without lists, old lists 404).
if ! apt_install; then
  if ! apt-get update -q </dev/null >>"$log" 2>&1 || ! apt_install; then
    echo "install-test-deps: apt-get failed installing: ${missing[*]}" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
fi

for p in "${missing[@]}"; do
  echo "install-test-deps: installed $p"
done

wanted=("${missing[@]}")
find_missing
if ((${#missing[@]} != 0)); then
  echo "install-test-deps: still missing after installing ${wanted[*]}: ${missing[*]}" >&2
  exit 1
fi
