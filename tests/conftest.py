"""Shared fixtures.

`seed_warehouse` (session scope) materializes the whole Dagster graph (all assets and checks of
`pipelines.definitions`, one single-run backfill over the five seed articles, on an ephemeral
instance) into a temporary warehouse and yields the DuckDB file's `Path`. Open it read-only:
`duckdb.connect(str(seed_warehouse), read_only=True)`. Any test of notebooks, marts or the review
page can take it as an argument instead of building its own warehouse; `seed_run` gives the same
build with the Dagster result, instance and timing.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pipelines import settings

SEEDS = settings.PROJECT_ROOT / "seeds"


@dataclass
class SeedRun:
    warehouse: Path
    articles_dir: Path
    parts_dir: Path
    result: Any  # dagster ExecuteInProcessResult
    instance: Any  # the ephemeral DagsterInstance
    seconds: float


def materialize_graph(articles_dir: Path, warehouse: Path, instance: Any | None = None) -> SeedRun:
    """Register the shards of the files as partitions and materialize every asset + check in one run."""
    from dagster import DagsterInstance, materialize
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    from pipelines.definitions import pipeline_assets as all_assets
    from pipelines.defs.checks import warehouse_checks
    from pipelines.defs.inputs import list_inputs, shards_of
    from pipelines.defs.raw import articles_partitions
    from pipelines.defs.resources import PipelinePaths

    instance = instance or DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(articles_partitions.name, list(shards_of(list_inputs(articles_dir))))
    keys = instance.get_dynamic_partitions(articles_partitions.name)  # with any registered before
    t0 = time.perf_counter()
    result = materialize(
        [*all_assets, *warehouse_checks],
        instance=instance,
        resources={
            "paths": PipelinePaths(articles_dir=str(articles_dir), warehouse_path=str(warehouse))
        },
        tags={ASSET_PARTITION_RANGE_START_TAG: keys[0], ASSET_PARTITION_RANGE_END_TAG: keys[-1]},
    )
    return SeedRun(
        warehouse,
        articles_dir,
        warehouse.parent / "parts",
        result,
        instance,
        time.perf_counter() - t0,
    )


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeedRun]:
    root = tmp_path_factory.mktemp("seed_warehouse")
    articles = root / "articles"
    shutil.copytree(SEEDS, articles)
    yield materialize_graph(articles, root / "warehouse" / "vn_party.duckdb")


@pytest.fixture(scope="session")
def seed_warehouse(seed_run: SeedRun) -> Path:
    """Path of a DuckDB warehouse built from the seeds by the full Dagster graph (read-only use)."""
    return seed_run.warehouse
