#!/usr/bin/env bash
# `make ui`: Dagster webserver + daemon (sensor, run queue, backfills) on 127.0.0.1:${PORT:-3000}.
# DAGSTER_HOME defaults to the project's .dagster_home (telemetry off); ARTICLES_DIR and
# WAREHOUSE_PATH are read by the pipeline at run time (see pipelines/settings.py).
set -euo pipefail
set -m  # own process group: SIGTERM/Ctrl-C stops webserver, daemon and code server together
cd "$(dirname "$0")/.."
export DAGSTER_HOME="${DAGSTER_HOME:-$PWD/.dagster_home}"
mkdir -p "$DAGSTER_HOME"
[ -f "$DAGSTER_HOME/dagster.yaml" ] || printf 'telemetry:\n  enabled: false\n' > "$DAGSTER_HOME/dagster.yaml"
PY=${PY:-.venv/bin/python}
# The publish step runs in the `duckdb_publish` pool: one slot, so publishes never overlap.
"$PY" -m dagster instance concurrency set duckdb_publish 1 >/dev/null
# Started in the background by a non-interactive shell, we inherit SIGINT ignored, and `dagster dev`
# maps SIGTERM onto the SIGINT handler, so it would ignore both: restore SIGINT's default before
# exec so SIGTERM (or Ctrl-C) shuts webserver, daemon and code server down cleanly.
exec "$PY" -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.executable, [sys.executable, "-m", "dagster", "dev", *sys.argv[1:]])' \
  -m pipelines.definitions -h "${HOST:-127.0.0.1}" -p "${PORT:-3000}"
