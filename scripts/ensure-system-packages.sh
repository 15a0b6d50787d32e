#!/usr/bin/env bash
# Makes sure the C libraries ekscost links against are installed: libcsv (libcsv-dev), zlib
# (zlib1g-dev) and libcurl (libcurl4-openssl-dev, for `pricing fetch`). Installs them with apt-get when it can (as root, or with password-less
# sudo); otherwise prints the exact command to run and fails.
set -euo pipefail

if ! command -v swift >/dev/null 2>&1; then
  echo "error: swift is not on PATH; install Swift 6 from https://www.swift.org/install/linux/ first" >&2
  exit 1
fi

missing=()
[ -f /usr/include/csv.h ] || missing+=(libcsv-dev)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
# Debian puts curl.h under the multiarch folder (/usr/include/x86_64-linux-gnu/curl/).
compgen -G '/usr/include/*curl/curl.h' >/dev/null || compgen -G '/usr/include/*/curl/curl.h' >/dev/null || missing+=(libcurl4-openssl-dev)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: missing C libraries: ${missing[*]} (libcsv, zlib and libcurl headers); install them with your package manager" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "error: missing Debian packages: ${missing[*]}" >&2
  echo "run:   sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "installing ${missing[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
  # A fresh machine may not have package lists yet.
  "${sudo[@]}" apt-get update >&2
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi
