"""The Dagster code location: `dagster dev -m pipelines.definitions`.

Assembles the small modules of `pipelines/defs/` (raw -> core -> out, checks, sensor, resources)
into one `Definitions`; nothing here does work at import time (no file listing, no gazetteer load).
"""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from pipelines.defs.checks import warehouse_checks
from pipelines.defs.core import article_facts
from pipelines.defs.out import warehouse
from pipelines.defs.raw import articles, raw_admin_units, raw_unit_lineage
from pipelines.defs.resources import default_resources
from pipelines.defs.sensors import articles_sensor

#: raw -> core -> out: what tests materialize and what the sensor's runs target
pipeline_assets = [articles, raw_admin_units, raw_unit_lineage, article_facts, warehouse]

try:  # reports layer (review site, executed notebooks), written beside the warehouse
    from pipelines.defs.reports import report_assets
except ImportError:  # pragma: no cover - reports package absent in a partial checkout
    report_assets = []

all_assets = [*pipeline_assets, *report_assets]

#: Every asset and check; launched for a set of article partitions it runs as one backfill run.
materialize_all = define_asset_job(
    "materialize_all",
    selection=AssetSelection.all(include_sources=False) | AssetSelection.all_asset_checks(),
    description="All layers: read articles, extract and link, publish the warehouse, run the checks.",
)

defs = Definitions(
    assets=all_assets,
    asset_checks=warehouse_checks,
    jobs=[materialize_all],
    sensors=[articles_sensor],
    resources=default_resources(),
    # Steps are short (the heavy per-article loop runs inside one step), so a process per step
    # costs more than it saves: run each run's steps in its process. At scale, swap in the
    # Kubernetes (or multiprocess) executor; the assets assume nothing about it.
    executor=in_process_executor,
)
