#!/usr/bin/env bash
# Fail when generated/ differs in any byte from a fresh generation of openapi.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
scripts/generate.sh "$fresh"
if ! diff -r --exclude=__pycache__ "$fresh/homebase_api" generated/homebase_api; then
  echo "generated/ is stale or was edited by hand: run 'make generate' and commit the result." >&2
  exit 1
fi
echo "generated/ matches a fresh generation of openapi.yaml"
