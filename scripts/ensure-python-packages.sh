#!/usr/bin/env bash
# Makes sure Python 3 and PyPI's jsonschema are there for `make test` (scripts/check-json-schema);
# installs jsonschema with pip when it is missing.
set -euo pipefail
if ! command -v python3 >/dev/null 2>&1; then
  echo "error: python3 is not on PATH; install it (sudo apt-get install -y python3 python3-pip)" >&2
  exit 1
fi
python3 -c 'import jsonschema' 2>/dev/null && exit 0
echo "installing the Python package jsonschema with pip" >&2
python3 -m pip install --quiet jsonschema >&2 || python3 -m pip install --quiet --user jsonschema >&2 || {
  echo "error: could not install jsonschema; run: python3 -m pip install jsonschema" >&2
  exit 1
}
