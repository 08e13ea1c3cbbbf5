#!/usr/bin/env bash
# Create .venv (if missing) and install the project editable with every extra and dev tool.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${1:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"
