"""`articles_sensor`: keeps the shard partitions in step with the input folder.

Each tick lists `ARTICLES_DIR`, groups the files by shard (`inputs.shard_for`) and
- adds a dynamic partition for every shard that gets its first file;
- requests a run of every shard whose files changed (new, edited or deleted files): inside it only
  the new or changed articles are read and extracted, the others are carried over;
- deletes the partitions of shards left without files and requests a publish without them.

Change detection is cheap: the cursor keeps, per shard, a digest of its files' names, sizes and
modification times, so an unchanged folder costs one `stat` per file and no reads. When the digest
moved, the files are hashed and compared with what the shard's parts hold: a shard already built
from exactly these bytes (by `python -m pipelines run` or a UI backfill) is not re-run. The run key
is `<shard>:<digest>:r<revision>` (the revision, kept in the cursor, lets a shard edited back to an
earlier state run again).

Runs include the `warehouse` asset, whose pool of one serializes the publishes.
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
from pipelines.defs.inputs import file_sha256, list_inputs, shards_of
from pipelines.defs.out import warehouse
from pipelines.defs.raw import articles, articles_partitions
from pipelines.defs.resources import PipelinePaths

#: `ARTICLES_SENSOR=off` starts the sensor stopped (tests that drive runs themselves use it).
SENSOR_ENV = "ARTICLES_SENSOR"


def _default_status() -> DefaultSensorStatus:
    off = os.environ.get(SENSOR_ENV, "on").lower() in ("off", "0", "false", "stopped")
    return DefaultSensorStatus.STOPPED if off else DefaultSensorStatus.RUNNING


def _signature(members: dict[str, Path]) -> str:
    """Digest of (key, size, mtime) of a shard's files: moves when any file is added, removed,
    rewritten or touched."""
    h = hashlib.sha1()
    for key, path in sorted(members.items()):
        try:
            st = path.stat()
            h.update(f"{key}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
        except OSError:
            h.update(f"{key}\0missing\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _processed(parts: Path, shard: str, members: dict[str, Path]) -> bool:
    """True when the shard's parts were built from exactly these files' bytes by this code."""
    docs = work.read_part(parts, shard, "documents")
    ex = work.read_part(parts, shard, "extraction")
    if docs is None or ex is None or not {"article_key", "reader_version"} <= set(docs.columns):
        return False
    stored = {r["article_key"]: r for r in docs.iter_rows(named=True)}
    if set(stored) != set(members) or set(ex["article_key"].to_list()) != set(members):
        return False
    if set(ex["extractor_version"].to_list()) != {work.extractor_version()}:
        return False
    version = work.reader_version()
    for key, path in members.items():
        row = stored[key]
        try:
            digest = file_sha256(path)
        except OSError:
            return False
        if row["content_hash"] != digest or row["reader_version"] != version:
            return False
    return True


def evaluate(instance, paths: PipelinePaths, cursor: str | None) -> SensorResult:
    """The sensor's logic, given an instance (for the registered partitions) and a cursor."""
    state: dict[str, list] = json.loads(cursor).get("shards", {}) if cursor else {}
    files = list_inputs(paths.articles())
    by_shard = shards_of(files)
    registered = set(instance.get_dynamic_partitions(articles_partitions.name))
    new_shards = sorted(set(by_shard) - registered)
    gone = sorted(registered - set(by_shard))

    run_requests: list[RunRequest] = []
    next_state: dict[str, list] = {}
    for shard, members in by_shard.items():
        sig = _signature(members)
        seen, rev = (state.get(shard) or [None, 0])[:2]
        if seen == sig or (shard in registered and _processed(paths.parts(), shard, members)):
            next_state[shard] = [sig, rev]
            continue
        rev += 1
        next_state[shard] = [sig, rev]
        run_requests.append(RunRequest(run_key=f"{shard}:{sig[:16]}:r{rev}", partition_key=shard))
    if gone:
        tag = hashlib.sha1("|".join(sorted(files)).encode("utf-8", "surrogateescape")).hexdigest()[
            :12
        ]
        run_requests.append(
            RunRequest(
                run_key=f"emptied:{','.join(gone)[:80]}:{tag}", asset_selection=[warehouse.key]
            )
        )
    partition_requests = []
    if new_shards:
        partition_requests.append(AddDynamicPartitionsRequest(articles_partitions.name, new_shards))
    if gone:
        partition_requests.append(DeleteDynamicPartitionsRequest(articles_partitions.name, gone))
    new_cursor = json.dumps({"shards": next_state}, sort_keys=True)
    if not run_requests and not partition_requests:
        return SensorResult(
            skip_reason=SkipReason(f"{len(files)} article files, none new, changed or deleted"),
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
    description=(
        "Adds/deletes shard partitions as files appear/disappear in ARTICLES_DIR; runs the shards "
        "holding new, changed or deleted articles (only those articles are extracted)."
    ),
)
def articles_sensor(context: SensorEvaluationContext, paths: PipelinePaths) -> SensorResult:
    return evaluate(context.instance, paths, context.cursor)
