#!/bin/sh
# Installs what building, running and testing changai needs on Debian 12.
# Idempotent: checks each package first, so a machine that has everything
# never touches the network. Usage: scripts/deps.sh [run|test|bench]
set -eu
want="${1:-run}"

pkgs="build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev
libpq-dev libsodium-dev sqlite3 libcsv-dev libxlsxwriter-dev libzip-dev
libexpat1-dev libssl-dev nodejs"
# the console (web/) is built with npm; nodejs from some sources ships it
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
case "$want" in
  test)  pkgs="$pkgs libcmocka-dev postgresql clang libclang-rt-14-dev chromium fonts-noto-cjk unzip curl
         libreoffice-calc-nogui poppler-utils zbar-tools faketime" ;;
  bench) pkgs="$pkgs wrk nginx-light curl time" ;;
esac

missing=""
for p in $pkgs; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "changai: missing Debian packages:$missing" >&2
    echo "changai: run as root, or: sudo apt-get install$missing" >&2
    exit 1
  fi
  echo "changai: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
