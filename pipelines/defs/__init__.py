"""Dagster definitions by layer: raw -> core -> out, plus checks, the sensor and resources.

This package is the only place that imports Dagster; the work itself lives in plain functions
(`work.py`, `pipelines.publish`, `pipelines.quality`) that a notebook or another orchestrator can call.
"""

import warnings

from dagster import BetaWarning, PreviewWarning

# BackfillPolicy and pools are marked beta/preview; we rely on them knowingly.
warnings.filterwarnings("ignore", category=BetaWarning)
warnings.filterwarnings("ignore", category=PreviewWarning)
