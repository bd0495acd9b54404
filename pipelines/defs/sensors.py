"""`articles_sensor`: keeps the article partitions in step with the input folder.

Each tick lists `ARTICLES_DIR` and
- adds a dynamic partition for every new file and requests a run of that partition;
- requests a run for a file whose content hash changed (only that article is re-extracted);
- deletes the partitions of deleted files and requests a publish of the warehouse without them.

The run key is `<partition>:<content hash>` (plus a revision counter from the cursor, so a file
edited back to an earlier content still re-runs): an unchanged file never re-runs, even if the
cursor is lost. A file whose parts already hold its current hash (materialized by
`python -m pipelines run` or a UI backfill) is not re-run either.

Per-file runs include the `warehouse` asset, whose pool of one serializes the publishes. For a bulk
drop of many files a single-run backfill from the UI (or `make run`) is cheaper: one run, one publish.
"""

import hashlib
import json
import os
from pathlib import Path

from dagster import (
    AddDynamicPartitionsRequest,
    DefaultSensorStatus,
    DeleteDynamicPartitionsRequest,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from pipelines.defs import work
from pipelines.defs.core import article_facts
from pipelines.defs.inputs import file_sha256, list_inputs
from pipelines.defs.out import warehouse
from pipelines.defs.raw import articles, articles_partitions
from pipelines.defs.resources import PipelinePaths

#: `ARTICLES_SENSOR=off` starts the sensor stopped (tests that drive runs themselves use it).
SENSOR_ENV = "ARTICLES_SENSOR"


def _default_status() -> DefaultSensorStatus:
    off = os.environ.get(SENSOR_ENV, "on").lower() in ("off", "0", "false", "stopped")
    return DefaultSensorStatus.STOPPED if off else DefaultSensorStatus.RUNNING


def _processed(parts: Path, key: str, content_hash: str) -> bool:
    """True when the article's parts were built from exactly this content."""
    docs = work.read_part(parts, key, "documents")
    return (
        docs is not None
        and docs.height == 1
        and docs["content_hash"][0] == content_hash
        and (work.part_dir(parts, key) / "extraction.parquet").exists()
    )


def evaluate(instance, paths: PipelinePaths, cursor: str | None) -> SensorResult:
    """The sensor's logic, given an instance (for the registered partitions) and a cursor."""
    state: dict[str, list] = json.loads(cursor).get("files", {}) if cursor else {}
    files = list_inputs(paths.articles())
    registered = set(instance.get_dynamic_partitions(articles_partitions.name))
    new_keys = sorted(set(files) - registered)
    gone = sorted(registered - set(files))

    run_requests: list[RunRequest] = []
    next_state: dict[str, list] = {}
    for key, path in files.items():
        h = file_sha256(path)
        seen_hash, rev = (state.get(key) or [None, 0])[:2]
        if seen_hash == h:
            next_state[key] = [h, rev]
            continue
        if key in registered and _processed(paths.parts(), key, h):
            next_state[key] = [h, rev]  # already built (make run / backfill): nothing to do
            continue
        rev += 1
        next_state[key] = [h, rev]
        run_requests.append(RunRequest(run_key=f"{key}:{h[:16]}:r{rev}", partition_key=key))
    if gone:
        tag = hashlib.sha1("|".join(sorted(files)).encode()).hexdigest()[:12]
        run_requests.append(
            RunRequest(
                run_key=f"deleted:{','.join(gone)[:80]}:{tag}", asset_selection=[warehouse.key]
            )
        )
    partition_requests = []
    if new_keys:
        partition_requests.append(AddDynamicPartitionsRequest(articles_partitions.name, new_keys))
    if gone:
        partition_requests.append(DeleteDynamicPartitionsRequest(articles_partitions.name, gone))
    new_cursor = json.dumps({"files": next_state}, sort_keys=True)
    if not run_requests and not partition_requests:
        return SensorResult(
            skip_reason=SkipReason(f"{len(files)} article files, none new or changed"),
            cursor=new_cursor,
        )
    return SensorResult(
        run_requests=run_requests, dynamic_partitions_requests=partition_requests, cursor=new_cursor
    )


@sensor(
    name="articles_sensor",
    target=[articles, article_facts, warehouse],
    minimum_interval_seconds=15,
    default_status=_default_status(),
    description="Adds/deletes article partitions as files appear/disappear in ARTICLES_DIR; runs new or changed articles.",
)
def articles_sensor(context: SensorEvaluationContext, paths: PipelinePaths) -> SensorResult:
    return evaluate(context.instance, paths, context.cursor)
