#!/usr/bin/env bash
# Create .venv with the pinned dependencies of uv.lock. Uses uv when present, else installs
# uv into a private tools venv first (pip is only used for that one package).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
UV=$(command -v uv || true)
if [ -z "$UV" ]; then
  if [ ! -x .tools/bin/uv ]; then
    "$PYTHON" -m venv .tools
    .tools/bin/pip install -q --disable-pip-version-check uv==0.13.9
  fi
  UV=.tools/bin/uv
fi
"$UV" sync --frozen --extra dev --compile-bytecode --python "$PYTHON"
mkdir -p .dagster_home
