#!/usr/bin/env bash
# Regenerate the raw client from openapi.yaml into DEST (default: generated/).
# The old output is deleted first: the generator's --overwrite never removes stale files.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:-generated}"
venv_bin="$(pwd)/.venv/bin"
# The post hooks call `ruff` by name: the pinned one in the venv must win over any other.
export PATH="$venv_bin:$PATH"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$venv_bin/openapi-python-client" generate \
  --path openapi.yaml \
  --config generator-config.yaml \
  --meta none \
  --output-path "$work/homebase_api" \
  --custom-template-path templates \
  --fail-on-warning >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
touch "$work/homebase_api/py.typed"
mkdir -p "$dest"
rm -rf "$dest/homebase_api"
cp -R "$work/homebase_api" "$dest/homebase_api"
